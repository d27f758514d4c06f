"""`make mutation`: the mutation score of the modules that decide votes and money.

For each module, mutmut (3.x) changes its code one small change at a time and
runs that module's own test folder against each change (only the tests that
reach the changed function). A change no test notices is a surviving mutant.
The score is killed / total; `docs/mutation.md` lists the survivors that are
equivalent (no test can tell them from the original), each with its reason,
and the second score leaves them out.

Each module runs in its own work folder, `.mutation/<name>/`, which links to
the project and carries its own mutmut settings (mutmut reads them from
`pyproject.toml` in the folder it runs in). The tests run on SQLite with
Celery in process, whatever the environment says: mutmut runs several
mutants at once, and they must not share a database.

    python -m tests.mutation                  # every module
    python -m tests.mutation thresholds money # some of them
    python -m tests.mutation --list           # the modules and their tests
"""

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".mutation"
EQUIVALENTS_DOC = ROOT / "docs" / "mutation.md"
# Project folders the tests import or read (templates, translations, static).
SOURCE_DIRS = ("fundapp", "proposals", "councils", "projects", "reports")
ALSO_COPY = ("templates", "locale", "static", "manage.py")
DETECTED = frozenset({"killed", "timeout", "caught by type check", "segfault"})
# Tests that time the code: mutmut's instrumentation slows every call, so they
# would fail whatever the mutant, and they state no rule.
TIMED_TESTS = (
    "tests/councils/procedure/test_procedure_contract.py::"
    "test_replay_of_two_thousand_events_is_well_under_fifty_ms_when_timed",
)


@dataclass(frozen=True)
class Module:
    name: str
    paths: tuple[str, ...]  # mutmut's only_mutate globs
    tests: str
    # Mutant name globs given to `mutmut run` (only these functions are
    # mutated); every function of the paths if empty.
    functions: tuple[str, ...] = ()
    # Test files or node ids of `tests` to run, when the whole folder is too
    # slow to run against every mutant on the shared machine; all if empty.
    selection: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        if self.functions:
            return f"{', '.join(self.paths)} ({self.name})"
        return ", ".join(self.paths)

    def measures(self, mutant: str) -> bool:
        return not self.functions or any(
            fnmatch.fnmatchcase(mutant, pattern) for pattern in self.functions
        )


# The test files of the fund's money services: receiving, committing,
# releasing, reversing, and one request per idempotency key.
FUND_SERVICE_TESTS = (
    "tests/fundapp/test_services_tranches.py",
    "tests/fundapp/test_services_commitments.py",
    "tests/fundapp/test_services_reversals.py",
    "tests/fundapp/test_idempotency.py",
    "tests/fundapp/test_services_money_rules.py",
)

MODULES = (
    Module(
        "thresholds",
        ("councils/procedure/thresholds.py",),
        "tests/councils/procedure",
    ),
    Module("voting", ("councils/procedure/voting.py",), "tests/councils/procedure"),
    Module(
        "money",
        ("fundapp/money.py",),
        "tests/fundapp",
        selection=("tests/fundapp/test_money.py",),
    ),
    # fundapp/services/, one file at a time, each on the test files that state
    # its rules: the whole folder against every mutant takes hours.
    Module(
        "fund-money",
        ("fundapp/services/money.py",),
        "tests/fundapp",
        selection=FUND_SERVICE_TESTS,
    ),
    Module(
        "fund-ledger",
        ("fundapp/services/ledger.py",),
        "tests/fundapp",
        selection=(*FUND_SERVICE_TESTS, "tests/fundapp/test_services_ledger_rules.py"),
    ),
    Module(
        "fund-payments",
        ("fundapp/services/payments.py",),
        "tests/fundapp",
        selection=(
            "tests/fundapp/test_services_commitments.py",
            "tests/fundapp/test_services_payments.py",
        ),
    ),
    Module(
        "fund-people",
        ("fundapp/services/people.py",),
        "tests/fundapp",
        selection=(
            "tests/fundapp/test_permissions.py",
            "tests/fundapp/test_services_people_rules.py",
        ),
    ),
    Module(
        "fund-reconcile",
        ("fundapp/services/reconcile.py",),
        "tests/fundapp",
        selection=(
            "tests/fundapp/test_tasks.py",
            "tests/fundapp/test_services_reconcile_rules.py",
        ),
    ),
    # mutmut 3 leaves decorated functions alone: the services open their
    # transaction in the body (`with transaction.atomic():`) so that it
    # mutates them.
    Module(
        "project-payments",
        ("projects/services/payments.py",),
        "tests/projects",
        selection=(
            "tests/projects/test_projects_payment_rules.py",
            "tests/projects/test_projects_payments.py",
            "tests/projects/test_projects_close_rules.py",
            "tests/projects/test_projects_return_rules.py",
            "tests/projects/test_projects_signature_rules.py",
        ),
    ),
    # The holds: a deviation flag raised puts every unpaid installment on hold,
    # lifted or confirmed with a council decision; the check payments make.
    Module(
        "project-holds",
        ("projects/services/evaluation.py", "projects/services/common.py"),
        "tests/projects",
        functions=(
            "projects.services.evaluation.x_flag_raise__mutmut_*",
            "projects.services.evaluation.x_flag_resolve__mutmut_*",
            "projects.services.common.x_hold_in_force__mutmut_*",
            "projects.services.common.x_require_no_hold__mutmut_*",
        ),
        selection=(
            "tests/projects/test_projects_holds.py",
            *(
                f"tests/projects/test_projects_evaluation.py::test_{name}"
                for name in (
                    "a_flag_puts_payments_on_hold_until_the_fund_committee_lifts_it",
                    "a_confirmed_hold_still_holds",
                    "a_hold_is_resolved_only_citing_a_real_decision_of_the_council",
                    "only_the_fund_committee_resolves_a_hold",
                )
            ),
        ),
    ),
)


def mutmut_settings(module: Module) -> str:
    sources = [name for name in SOURCE_DIRS if (ROOT / name).is_dir()]
    also = [name for name in ALSO_COPY if (ROOT / name).exists()]
    selection = module.selection or [module.tests]
    pytest_args = ["-p", "no:randomly", "-p", "no:cacheprovider"]
    for test in TIMED_TESTS:
        pytest_args += ["--deselect", test]

    def toml_list(items) -> str:
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    return (
        "\n[tool.mutmut]\n"
        f"source_paths = {toml_list(sources)}\n"
        f"only_mutate = {toml_list(module.paths)}\n"
        f"also_copy = {toml_list(also)}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(selection)}\n"
        f"pytest_add_cli_args = {toml_list(pytest_args)}\n"
        "use_git_change_detection = false\n"
    )


def prepare(module: Module) -> Path:
    """A fresh work folder: links to the project, and the module's settings."""
    folder = WORK / module.name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name in (".mutation", ".git", ".venv", "pyproject.toml", "mutants"):
            continue
        if entry.name.startswith(".") or entry.name.endswith(".egg-info"):
            continue
        (folder / entry.name).symlink_to(entry)
    project = (ROOT / "pyproject.toml").read_text()
    if "[tool.mutmut]" in project:
        raise SystemExit("pyproject.toml has its own [tool.mutmut]; remove it.")
    (folder / "pyproject.toml").write_text(project + mutmut_settings(module))
    return folder


def environment(folder: Path) -> dict:
    env = {**os.environ}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'mutants' / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "memory://localhost//",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "PYTEST_ADDOPTS": "",
        }
    )
    return env


def statuses(folder: Path) -> dict[str, str]:
    """Each mutant's status, from `mutmut results --all true`."""
    listing = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=folder,
        env=environment(folder),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in listing.splitlines():
        match = re.match(r"\s+(\S+): (.+)$", line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def equivalents() -> set[str]:
    """Mutant names listed as equivalent in docs/mutation.md (`` `name` ``
    at the start of a table row)."""
    if not EQUIVALENTS_DOC.exists():
        return set()
    return set(
        re.findall(r"^\|\s*`([\w.]+__mutmut_\d+)`", EQUIVALENTS_DOC.read_text(), re.M)
    )


def measure(module: Module, jobs: int | None) -> dict:
    folder = prepare(module)
    started = time.monotonic()
    command = [sys.executable, "-m", "mutmut", "run"]
    if jobs:
        command += ["--max-children", str(jobs)]
    command += list(module.functions)
    log = folder / "mutmut-run.log"
    with log.open("w") as output:
        # Written as it runs: `tail -f` it to follow the progress.
        run = subprocess.run(
            command,
            cwd=folder,
            env=environment(folder),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    if run.returncode != 0:
        print(log.read_text()[-3000:])
        raise SystemExit(f"mutmut failed on {module.title}: see {log}")
    found = {
        name: status
        for name, status in statuses(folder).items()
        if module.measures(name)
    }
    listed = equivalents()
    total = len(found)
    detected = sum(1 for status in found.values() if status in DETECTED)
    survivors = sorted(name for name, s in found.items() if s not in DETECTED)
    equivalent = [name for name in survivors if name in listed]
    prefixes = {name.split(".x")[0] + "." for name in found}
    stale = sorted(
        name
        for name in listed
        if any(name.startswith(prefix) for prefix in prefixes) and name not in survivors
    )
    return {
        "module": module,
        "total": total,
        "detected": detected,
        "survivors": [(name, found[name]) for name in survivors if name not in listed],
        "equivalent": equivalent,
        "stale": stale,
        "seconds": time.monotonic() - started,
    }


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def report(results: list[dict]) -> None:
    print()
    print(
        f"{'module':<40} {'killed/total':>13} {'score':>7} {'equiv.':>6} "
        f"{'w/o equiv.':>10} {'time':>7}"
    )
    for result in results:
        total, detected = result["total"], result["detected"]
        equivalent = len(result["equivalent"])
        print(
            f"{result['module'].title:<40} {f'{detected}/{total}':>13} "
            f"{percent(detected, total):>7} {equivalent:>6} "
            f"{percent(detected, total - equivalent):>10} "
            f"{result['seconds']:>6.0f}s"
        )
    for result in results:
        if result["stale"]:
            print(
                f"\nListed as equivalent in docs/mutation.md but not surviving in "
                f"{result['module'].title} (killed, or renumbered: update the doc):"
            )
            for name in result["stale"]:
                print(f"  {name}")
        if result["survivors"]:
            print(
                f"\nSurvivors in {result['module'].title} "
                f"(`mutmut show NAME` in .mutation/{result['module'].name}):"
            )
            for name, status in result["survivors"]:
                print(f"  {name}: {status}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation")
    parser.add_argument("modules", nargs="*", help="names from --list; all if none")
    parser.add_argument(
        "--jobs", type=int, help="mutants run at once (mutmut's default: one per CPU)"
    )
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    by_name = {module.name: module for module in MODULES}
    if args.list:
        for module in MODULES:
            print(f"{module.name:<17} {module.title:<40} {module.tests}")
            for pattern in module.functions:
                print(f"{'':<17} only {pattern}")
            for test in module.selection:
                print(f"{'':<17} runs {test}")
        return
    unknown = [name for name in args.modules if name not in by_name]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}; see --list")
    chosen = [by_name[name] for name in args.modules] or list(MODULES)
    results = []
    for module in chosen:
        print(f"mutmut: {module.title} against {module.tests} ...", flush=True)
        results.append(measure(module, args.jobs))
    report(results)


if __name__ == "__main__":
    main()
