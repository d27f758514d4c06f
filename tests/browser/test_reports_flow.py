"""A social worker makes, downloads and submits JMJY's 2016 report; the
district's civil affairs reads it; a resident reads it on a phone."""

import pytest
from playwright.sync_api import expect

from fundapp.demo import DEMO_PASSWORD, load_demo
from reports.models import Submission
from tests.browser.accessibility import accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_the_2016_report_is_made_submitted_read_by_the_department_and_the_residents(
    live_server, browser, phone
):
    load_demo()
    worker = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
    ).new_page()
    worker.set_default_timeout(60_000)
    log_in(worker, live_server, "socialworker")

    worker.goto(f"{live_server.url}/c/JMJY/")
    worker.get_by_test_id("reports-link").click()
    expect(worker.locator("h1")).to_contain_text("报告")
    form = worker.get_by_test_id("report-request")
    form.locator("#id_year").fill("2016")
    form.locator("#id_narrative").fill("更正：补充了第四季度的情况。")
    form.locator("button[type=submit]").click()
    status = worker.get_by_test_id("version-status")
    expect(status).to_have_attribute("data-status", "done")
    expect(worker.locator("h1")).to_contain_text("第 2 版")
    assert accessibility_violations(worker) == [], accessibility_violations(worker)
    with worker.expect_download() as download:
        worker.get_by_test_id("file-report.pdf").click()
    assert download.value.suggested_filename == "JMJY-2016-annual-v2-report.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    submit = worker.get_by_test_id("submit-form")
    submit.locator("#id_department").select_option(label="雨花台区民政局")
    submit.locator("button[type=submit]").click()
    expect(worker.locator(".messages")).to_contain_text("已报送雨花台区民政局")
    expect(worker.get_by_test_id("submissions")).to_contain_text("雨花台区民政局")
    worker.screenshot(path="test-results/report-submitted.png", full_page=True)
    assert Submission.objects.filter(version__report__year=2016).count() == 2

    department = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN"
    ).new_page()
    log_in(department, live_server, "department")
    department.goto(f"{live_server.url}/reports/inbox/")
    rows = department.get_by_test_id("inbox-row")
    expect(rows).to_have_count(2)
    rows.first.get_by_role("link").click()
    expect(department.locator("h1")).to_contain_text("2016 年度报告")
    expect(department.locator("main")).to_contain_text("叁拾贰万元整")
    assert accessibility_violations(department) == [], accessibility_violations(
        department
    )

    phone.goto(f"{live_server.url}/c/JMJY/report-back/")
    phone.get_by_role("link", name="2016 年度报告").click()
    expect(phone.get_by_test_id("report-back")).to_contain_text("资金从哪里来")
    expect(phone.get_by_test_id("report-back")).to_contain_text("补充了第四季度")
    expect(phone.locator(".figures")).to_contain_text("¥320,000.00")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert accessibility_violations(phone) == [], accessibility_violations(phone)
    phone.screenshot(path="test-results/report-back-phone.png", full_page=True)
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_test_id("report-back")).to_contain_text(
        "Where the money came from"
    )
