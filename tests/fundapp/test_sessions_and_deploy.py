"""Sessions end after an idle hour and a day at most; production settings
pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from fundapp.models import Role
from tests.factories import make_community, make_member

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def signed_in(client):
    member = make_member(make_community(), Role.RESIDENT)
    client.force_login(member)
    client.get(reverse("fund:me"))
    return member


def age_session(client, *, since=0, seen=0):
    session = client.session
    session["linli_since"] -= since
    session["linli_seen"] -= seen
    session.save()


def test_a_session_idle_for_over_an_hour_is_signed_out(client):
    signed_in(client)
    age_session(client, since=3601, seen=3601)

    response = client.get(reverse("fund:me"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_active_session_lasts_a_day_at_most(client):
    signed_in(client)
    age_session(client, since=24 * 3600 + 1, seen=10)

    response = client.get(reverse("fund:me"))

    assert response.status_code == 302


def test_a_session_used_within_the_hour_goes_on(client):
    signed_in(client)
    age_session(client, since=1800, seen=1800)

    response = client.get(reverse("fund:me"))

    assert response.status_code == 200


def test_production_settings_pass_the_deployment_checks_at_warning_level():
    # (The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is theirs, not production's.)
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20
        + "a-long-random-production-secret-key-1234567890",
        "DJANGO_ALLOWED_HOSTS": "linli.example.org",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
