"""Count the SQL queries of pages, in process, against the bench database.

Run as `python -m tests.bench.querycount CODE... -- PATH...` with
DATABASE_URL set: prints JSON {path: {code: [status, queries]}}. `bench` runs it
in a child process because its own process may be configured for another
database.
"""

import json
import os
import sys


def count_queries(paths: list[str], codes: list[str]) -> dict:
    """Each path formatted with each community code: status, cold and cached counts.

    Cold: the cache emptied first, so every selector runs. Cached: the same
    page again, as most readers get it while the ledger does not change.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts: dict = {}
    for path in paths:
        for code in codes:
            url = path.format(code=code)
            client.get(url)  # the first request fills per-process state
            cache.clear()
            with CaptureQueriesContext(connection) as cold:
                response = client.get(url)
            with CaptureQueriesContext(connection) as cached:
                client.get(url)
            counts.setdefault(path, {})[code] = [
                response.status_code,
                len(cold),
                len(cached),
            ]
    return counts


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
    import django

    django.setup()
    split = argv.index("--")
    codes, paths = argv[:split], argv[split + 1 :]
    json.dump(count_queries(paths, codes), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
