import shutil
import tempfile

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

# Property tests draw the same examples on every run (the suite is
# deterministic: a red CI is a change's, not a draw's). A defect a random draw
# found is kept as a test of its own, as
# tests/councils/procedure/test_procedure_kept_state.py keeps one.
hypothesis_settings.register_profile("linli", derandomize=True, database=None)
hypothesis_settings.load_profile("linli")

_live_cache_folder = None


def pytest_configure(config):
    """Hash test passwords quickly: PBKDF2's million rounds cost half a second
    per user here, most of the suite's time. What is tested is who may log
    in, not the hasher."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The live meeting's versions are kept in files (the embedded default):
    # a folder of this test process's own, so that two xdist workers, whose
    # meetings have the same ids, do not bump each other's.
    global _live_cache_folder
    if settings.CACHES["live"]["BACKEND"].endswith("FileBasedCache"):
        _live_cache_folder = tempfile.mkdtemp(prefix="linli-test-live-")
        settings.CACHES["live"] = {
            **settings.CACHES["live"],
            "LOCATION": _live_cache_folder,
        }


def pytest_unconfigure(config):
    if _live_cache_folder:
        shutil.rmtree(_live_cache_folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def flush_may_truncate_the_ledger():
    """Let the test suite's flush (between transactional tests) truncate the
    ledger, as its owner, by saying so in the flush's own transaction: the
    database refuses every other TRUNCATE of ledger tables (migration 0005)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    sql_flush = DatabaseOperations.sql_flush

    def flush_saying_so(self, style, tables, **options):
        statements = sql_flush(self, style, tables, **options)
        if statements:
            statements = ["SET LOCAL linli.allow_ledger_truncate = 'on'", *statements]
        return statements

    DatabaseOperations.sql_flush = flush_saying_so
    yield
    DatabaseOperations.sql_flush = sql_flush


def pytest_collection_modifyitems(config, items):
    """Skip the PostgreSQL-only tests on SQLite, saying why."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL (row locks, triggers, NUMERIC); "
        "run with DATABASE_URL=postgres://... as .ci/run does"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages are cached by ledger version; ids repeat across rolled-back tests."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["live"].clear()
    yield


@pytest.fixture(autouse=True)
def messages_in_english():
    """Services speak the active language; tests read their messages in English.

    Requests still choose their own language (LocaleMiddleware activates it), so
    the tests of Chinese pages are unaffected.
    """
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def client(client, settings):
    """The test client reads pages in English unless a test deletes this cookie.

    zh-hans is the site's default; the tests that check Chinese pages say so.
    """
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def admin_client(admin_client, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client
