"""Browser tests: Playwright driving Debian's chromium (no browser download)."""

import os
import shutil
import threading

import pytest
from django.core.servers.basehttp import ServerHandler
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# the tests themselves are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(
            reason="Debian's chromium is not installed (.ci/run installs it)"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_a_shared_sqlite_connection():
    """On the suite's in-memory SQLite database, Django's live server gives
    every request thread the test thread's one connection: two requests at
    once (a hundred taps on a vote) then interleave their transactions on
    it ("cannot start a transaction within a transaction"), which no real
    installation does (each thread has its own connection, and SQLite's
    IMMEDIATE transactions queue the writers: test_sqlite_concurrency.py).
    Here the live server runs one request at a time (from the app's call to
    the last byte of its answer; not a whole kept-alive connection, whose
    thread waits for the browser's next request); on PostgreSQL (CI) it
    stays concurrent."""
    connection = connections["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    run = ServerHandler.run
    one_at_a_time = threading.Lock()

    def run_alone(self, application):
        with one_at_a_time:
            run(self, application)

    ServerHandler.run = run_alone
    yield
    ServerHandler.run = run


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def phone(browser):
    """A page in a phone-sized window (an older Android phone)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def nothing_breaks_the_content_security_policy(browser, monkeypatch):
    """Every page a browser test opens runs under the site's CSP: a script,
    style or eval it refuses is reported in the console, and fails the test."""
    refused = []
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.on(
            "console",
            lambda message: (
                refused.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield
    assert refused == []
