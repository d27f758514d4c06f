"""A resident registers, a social worker verifies them, anyone reads the fund page."""

import re

import pytest
from playwright.sync_api import expect

from fundapp.demo import DEMO_PASSWORD, load_demo
from fundapp.models import Membership
from tests.browser.accessibility import accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_resident_registers_and_a_social_worker_verifies_them(
    live_server, phone, browser
):
    load_demo()

    phone.goto(f"{live_server.url}/register/")
    expect(phone.locator("h1")).to_have_text("登记为居民")
    assert accessibility_violations(phone) == [], accessibility_violations(phone)
    phone.locator("#id_community").select_option(label="JMJY社区")
    phone.locator("#id_display_name").fill("黄阿姨")
    phone.locator("#id_phone").fill("13712345678")
    phone.locator("#id_address").fill("5栋1单元101")
    phone.locator("#id_password").fill("hongmei-1958")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("等待社工核实")
    phone.screenshot(path="test-results/register-done-phone.png", full_page=True)

    worker = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(worker, live_server, "socialworker")
    worker.goto(f"{live_server.url}/c/JMJY/residents/")
    card = worker.locator("article", has_text="黄阿姨")
    card.locator("input[name=roster_reference]").fill("5-1-101")
    card.get_by_role("button").click()
    expect(worker.locator(".messages")).to_contain_text("黄阿姨")

    membership = Membership.objects.get(user__phone="13712345678")
    assert membership.is_verified
    assert membership.roster_reference == "5-1-101"
    phone.reload()
    expect(phone.locator("main")).to_contain_text("已核实")


def test_anyone_reads_the_jmjy_fund_page_in_both_languages(live_server, phone):
    load_demo()

    phone.goto(f"{live_server.url}/c/JMJY/")
    expect(phone.locator("h1")).to_have_text("JMJY社区基金")
    expect(phone.locator("#sources")).to_have_text("资金来源")
    expect(phone.locator(".figures")).to_contain_text("¥1,520,000.00")
    expect(phone.locator("svg.chart title")).to_have_text("各来源筹集的资金")
    phone.screenshot(path="test-results/fund-zh-phone.png", full_page=True)
    assert accessibility_violations(phone) == [], accessibility_violations(phone)

    phone.get_by_role("button", name="English").click()
    expect(phone.locator("h1")).to_have_text("JMJY Community Fund")
    expect(phone.locator("#sources")).to_have_text("Where the money comes from")
    expect(phone.locator(".figures")).to_contain_text("¥1,520,000.00")
    phone.locator("#id_year").fill("2014")
    phone.get_by_role("button", name="Show").click()
    expect(phone).to_have_url(re.compile(r"year=2014"))
    # The two tranches received, the council's grant to Night 110 committed
    # on the day of its meeting, and its first two installments.
    expect(phone.locator("main")).to_contain_text("5 movements")
    phone.screenshot(path="test-results/fund-en-phone.png", full_page=True)

    phone.get_by_role("button", name="中文").click()
    expect(phone.locator("#ledger")).to_have_text("收支台账")
