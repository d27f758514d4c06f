"""The bench finds every app's rows, and every piece of harness they name exists."""

import pytest
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from fundapp import bench
from tests.bench import targets


@pytest.fixture(autouse=True)
def discovered():
    targets.discover()


def test_the_apps_register_their_pages_their_served_load_and_the_replay():
    names = {target.name for target in bench.TARGETS}
    served = {measurement.name for measurement in bench.SERVED}
    measured = {measurement.name for measurement in bench.MEASUREMENTS}

    assert {"bare view", "fund page", "proposal list", "proposal page"} <= names
    assert any(name.startswith("council: live poll") for name in served)
    assert "replay 2,000 events" in measured


def test_every_served_measurement_and_measurement_names_a_function_that_exists():
    paths = [m.run for m in bench.SERVED] + [m.measure for m in bench.MEASUREMENTS]

    assert all(callable(import_string(path)) for path in paths)


def test_the_scale_steps_run_the_fund_first_then_the_proposals():
    steps = targets.scale_steps()

    assert [step.app for step in steps][:2] == ["fundapp", "proposals"]
    assert all(
        issubclass(import_string(f"{step.module}.Command"), BaseCommand)
        for step in steps
    )


def test_the_replay_measurement_returns_milliseconds():
    replay = next(m for m in bench.MEASUREMENTS if m.name == "replay 2,000 events")

    assert 0 < targets.measure(replay) < 10_000
