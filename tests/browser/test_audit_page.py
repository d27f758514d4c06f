"""A social worker verifies a resident and reads the community's audit page on a
phone: the change (on PostgreSQL) and the logins, in Chinese, within the
screen's width, with no accessibility violation."""

import pytest
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from fundapp.models import Role
from fundapp.services import resident_register
from tests.browser.accessibility import accessibility_violations
from tests.factories import make_community, make_member

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "linli-test-pass"


def test_a_social_worker_reads_the_audit_page_on_a_phone(live_server, phone):
    community = make_community(code="JMJY", name="金陵世纪花园社区")
    worker = make_member(community, Role.SOCIAL_WORKER, display_name="韩社工")
    resident_register(
        community=community,
        phone="13900007777",
        password="a-long-pass-phrase",
        display_name="王阿姨",
        address="5栋101",
    )
    Client().post("/login/", {"username": "13900007777", "password": "wrong"})

    phone.goto(f"{live_server.url}/login/")
    phone.locator("#id_username").fill(worker.username)
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.goto(f"{live_server.url}/c/JMJY/residents/")
    phone.get_by_role("button", name="核实 王阿姨").click()
    phone.goto(f"{live_server.url}/c/JMJY/")
    phone.get_by_test_id("audit-link").click()

    expect(phone.locator("h1")).to_contain_text("审计")
    records = phone.get_by_test_id("audit-record")
    expect(records.first).to_be_visible()
    expect(phone.locator("[data-kind=login_failed]")).to_contain_text("王阿姨")
    if connection.vendor == "postgresql":
        verified = phone.locator("[data-kind=update]").first
        expect(verified).to_contain_text("韩社工")
        expect(verified).to_contain_text("/c/JMJY/residents/")
    else:
        expect(phone.get_by_test_id("history-postgresql-only")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert accessibility_violations(phone) == [], accessibility_violations(phone)
    phone.screenshot(path="test-results/audit-phone.png", full_page=True)
