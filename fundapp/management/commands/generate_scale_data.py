"""`manage.py generate_scale_data`: program-scale funds and ledgers for the bench."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from fundapp.bench import scale


class Command(BaseCommand):
    help = (
        "Create program-scale data: communities S001… with funds, sources, tranches, "
        "commitments, releases and reversals, at least --entries ledger entries "
        "(bulk-written; every ledger invariant kept). Resumes where a run stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=231)
        parser.add_argument(
            "--years",
            type=int,
            default=14,
            help="Years up to this one (default 14: 2013-2026).",
        )
        parser.add_argument(
            "--entries",
            type=int,
            default=1_000_000,
            help="Ledger entries to aim for (a minimum).",
        )
        parser.add_argument(
            "--seed", type=int, default=2013, help="Same seed, same data."
        )
        parser.add_argument(
            "--batch-entries",
            type=int,
            default=50_000,
            help="Entries written per database transaction.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete earlier scale data first (refused on PostgreSQL, whose "
            "ledger is append-only: drop the bench database instead).",
        )

    def handle(self, *args, **options):
        if options["communities"] < 1 or options["years"] < 1 or options["entries"] < 0:
            raise CommandError("--communities and --years must be at least 1.")
        try:
            if options["reset"]:
                deleted = scale.reset()
                self.stdout.write(f"Deleted earlier scale data: {deleted}")
            self.stdout.write(
                f"Generating {options['communities']} communities over "
                f"{options['years']} years, about {options['entries']:,} entries "
                f"(seed {options['seed']}) on {connection.vendor} …"
            )
            summary = scale.generate(
                communities=options["communities"],
                years=options["years"],
                entries=options["entries"],
                seed=options["seed"],
                batch_entries=options["batch_entries"],
                progress=self.stdout.write,
            )
        except scale.ScaleDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {summary.seconds:.1f} s: "
                f"{summary.communities} communities written, "
                f"{summary.skipped} already there. The largest is {summary.largest}."
            )
        )
        for model, count in summary.rows.items():
            self.stdout.write(f"  {model._meta.verbose_name_plural:<22} {count:>10,}")
        if summary.communities and summary.entries < options["entries"]:
            self.stdout.write(
                self.style.WARNING(
                    f"Only {summary.entries:,} entries: below the target of "
                    f"{options['entries']:,}; raise --entries."
                )
            )
