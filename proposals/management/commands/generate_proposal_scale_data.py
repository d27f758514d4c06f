"""`manage.py generate_proposal_scale_data`: 50,000 proposals for the bench."""

from django.core.management.base import BaseCommand
from django.db import connection

from proposals import scale


class Command(BaseCommand):
    help = (
        "Create program-scale proposals in the scale communities S001… (made by "
        "generate_scale_data): calls, residents, about --proposals proposals with "
        "budget lines, co-proposers, supports, comments, versions and their "
        "history, bulk-written and deterministic. Resumes where a run stopped; "
        "does nothing when they are there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=scale.TOTAL_PROPOSALS)
        parser.add_argument(
            "--seed", type=int, default=2013, help="Same seed, same data."
        )
        parser.add_argument(
            "--batch-proposals",
            type=int,
            default=5_000,
            help="Proposals written per database transaction.",
        )

    def handle(self, *args, **options):
        self.stdout.write(
            f"Generating about {options['proposals']:,} proposals "
            f"(seed {options['seed']}) on {connection.vendor} …"
        )
        summary = scale.generate(
            proposals=options["proposals"],
            seed=options["seed"],
            batch_proposals=options["batch_proposals"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {summary.seconds:.1f} s: {summary.communities} communities "
                f"written, {summary.skipped} already there."
            )
        )
        for model, count in summary.rows.items():
            self.stdout.write(f"  {model._meta.verbose_name_plural!s:<22} {count:>10,}")
