"""schemathesis over the open data API, on the demo communities: every check
(server errors, status codes, content types, headers, response schemas,
schema-valid input accepted and schema-invalid input refused), anonymously and
as the demo's social worker. Deterministic: a fixed seed and a bounded number
of examples per operation."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from fundapp.demo import load_demo
from fundapp.models import User
from fundapp.wsgi import application

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 14,
        "generation": {"mode": "all", "max-examples": 10, "deterministic": True},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo communities, loaded once for every operation and rolled back.

    schemathesis calls the WSGI app itself, not through Django's test client,
    so the end of each request would close the connection (and its open
    transaction) as at the end of a real request: kept open, as the client does.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            load_demo()
            yield
            transaction.set_rollback(True)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "socialworker"])
def headers(request, demo, db, settings):
    """No session, or the demo social worker's."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (0, 60)}
    if request.param == "anonymous":
        return {}
    client = Client()
    client.force_login(User.objects.get(username=request.param))
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}"}


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_open_data_api_answers_as_its_schema_says(case, headers):
    case.call_and_validate(headers=headers)
