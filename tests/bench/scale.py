"""Write an app's program-scale data: `python -m tests.bench.scale APP [options]`.

Runs the `Command` of the scale step that APP registered in `fundapp.bench`
(its options: `python -m tests.bench.scale APP --help`) on the database of
DATABASE_URL. `make bench` runs every step, in the order the apps declare;
by hand, e.g. on the bench's database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench \\
        .venv/bin/python -m tests.bench.scale fundapp --entries 1000000
"""

import os
import sys

import django
from django.utils.module_loading import import_string


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
    django.setup()
    from tests.bench import targets  # imports the models: after setup()

    targets.discover()
    steps = {step.app: step for step in targets.scale_steps()}
    if not argv or argv[0] not in steps:
        raise SystemExit(
            f"Usage: python -m tests.bench.scale APP [options]; APP is one of "
            f"{', '.join(steps)}."
        )
    app, *options = argv
    command = import_string(f"{steps[app].module}.Command")()
    command.run_from_argv(["python -m tests.bench.scale", app, *options])


if __name__ == "__main__":
    main(sys.argv[1:])
