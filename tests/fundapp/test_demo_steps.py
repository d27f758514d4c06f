"""The demo's steps run in the order the apps declare, not INSTALLED_APPS's."""

import graphlib

import pytest
from django.utils.module_loading import autodiscover_modules

from fundapp import demo
from fundapp.demo import DemoStep, demo_steps, register_demo_step
from fundapp.dependencies import in_dependency_order


@pytest.fixture
def no_demo_steps(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_STEPS", {})


def nothing(communities, users):
    """A demo step that loads nothing."""


def test_each_step_runs_after_the_steps_it_names_whatever_the_registration_order(
    no_demo_steps,
):
    register_demo_step(DemoStep("reports", nothing, after=("projects", "councils")))
    register_demo_step(DemoStep("councils", nothing, after=("proposals",)))
    register_demo_step(DemoStep("projects", nothing, after=("councils",)))
    register_demo_step(DemoStep("proposals", nothing))

    order = [step.app for step in demo_steps()]

    assert order == ["proposals", "councils", "projects", "reports"]


def test_a_step_after_an_app_that_registered_none_is_refused(no_demo_steps):
    register_demo_step(DemoStep("councils", nothing, after=("proposals",)))

    with pytest.raises(ValueError, match="after that of proposals, which registered"):
        demo_steps()


def test_steps_that_wait_for_each_other_are_refused():
    with pytest.raises(graphlib.CycleError, match="cycle"):
        in_dependency_order({"a": ["b"], "b": ["a"]}, what="demo step")


def test_fundapp_comes_first_and_independent_steps_by_name():
    order = in_dependency_order(
        {"reports": [], "councils": [], "fundapp": [], "proposals": ["fundapp"]},
        what="scale step",
    )

    assert order == ["fundapp", "councils", "reports", "proposals"]


def test_the_installed_apps_steps_run_proposals_then_councils():
    autodiscover_modules("demo")

    order = [step.app for step in demo_steps()]

    assert order.index("proposals") < order.index("councils")
