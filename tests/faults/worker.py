"""`celery` as the fault tests run it (`python -m tests.faults.worker worker …`).

With LINLI_FAULT_PAUSE_FILE set, a report's making stops at the worst moment
for it to die: its files are rendered and stored and their rows inserted,
in the transaction that marks the version done, before it commits. The
worker writes that file there and waits, for the test to kill it.
"""

import os
import time
from pathlib import Path

from celery.__main__ import main


def pause_in_the_storing_transaction(pause_file: Path) -> None:
    from django.db.models.query import QuerySet

    bulk_create = QuerySet.bulk_create

    def bulk_create_then_wait(self, objs, *args, **kwargs):
        created = bulk_create(self, objs, *args, **kwargs)
        if self.model._meta.label == "reports.ReportFile":
            pause_file.write_text(str(os.getpid()))
            time.sleep(600)  # killed long before
        return created

    QuerySet.bulk_create = bulk_create_then_wait


if __name__ == "__main__":
    if pause := os.environ.get("LINLI_FAULT_PAUSE_FILE"):
        pause_in_the_storing_transaction(Path(pause))
    main()
