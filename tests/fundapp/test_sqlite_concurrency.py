"""The embedded default (SQLite) takes many writers at once without an error.

Run in a subprocess on a database file of its own, as `make run` serves it:
the test suite's own SQLite database is in memory, where none of this shows.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WRITERS = textwrap.dedent(
    """
    import threading
    import django

    django.setup()
    from django.db import connection, transaction
    from fundapp.models import Community

    community = Community.objects.create(
        code="CONC", name="并发社区", name_en="Load", city="南京市", district="区"
    )
    errors, done = [], []
    barrier = threading.Barrier(40)

    def write(number):
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                # Read, then write: with SQLite's default (deferred)
                # transactions, upgrading the read lock while another writer
                # holds the database fails at once with "database is locked".
                Community.objects.filter(pk=community.pk).count()
                Community.objects.filter(pk=community.pk).update(
                    subdistrict=f"w{number}"
                )
            done.append(number)
        except Exception as error:  # noqa: BLE001 (counted and reported)
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    print(len(done), len(errors), mode, errors[:1])
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_forty_writers_at_once_all_succeed_on_the_embedded_default(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'linli.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "fundapp.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )

    result = subprocess.run(
        [sys.executable, "-c", WRITERS],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )

    done, errors, mode, first_error = result.stdout.split(maxsplit=3)
    assert (done, errors, mode) == ("40", "0", "wal"), first_error
