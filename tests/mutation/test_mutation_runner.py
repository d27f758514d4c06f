"""`make mutation`'s runner: the settings it gives mutmut, and the doc it reads."""

import tomllib

from tests.mutation.__main__ import MODULES, TIMED_TESTS, equivalents, mutmut_settings


def test_each_module_is_mutated_alone_against_its_own_test_folder():
    for module in MODULES:
        settings = tomllib.loads(mutmut_settings(module))["tool"]["mutmut"]

        assert settings["only_mutate"] == list(module.paths)
        assert settings["pytest_add_cli_args_test_selection"] == list(
            module.selection or [module.tests]
        )
        assert all(test.startswith(module.tests) for test in module.selection)
        assert "councils" in settings["source_paths"]
        for test in TIMED_TESTS:
            assert test in settings["pytest_add_cli_args"]


def test_every_mutant_listed_as_equivalent_belongs_to_a_measured_module():
    modules = [
        path.removesuffix(".py").removesuffix("*").replace("/", ".")
        for module in MODULES
        for path in module.paths
    ]

    listed = equivalents()

    assert listed
    assert all(any(name.startswith(m) for m in modules) for name in listed)
