"""`python -m tests.bench [options]`: what `make bench` runs (options: `--help`)."""

import os
import sys

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
    django.setup()
    from tests.bench.command import Command  # imports the models: after setup()

    Command().run_from_argv(["python -m", "tests.bench", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
