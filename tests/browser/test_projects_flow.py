"""A funded project on phones, from the grant agreement to a lifted hold.

The social worker opens the project of an approved proposal and requests its
first installment; two fund committee members sign it in two browsers (the
second records the payment); the grantee files a progress report with a
photo and an expense with a receipt, which the social worker accepts; three
residents rate it; the evaluator flags it and the fund committee lifts the
hold citing the council's decision; the project page shows it all in
Simplified Chinese and in English. Screenshots of each page are written to
test-results/ (390×844, both languages).
"""

import datetime
import os

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from fundapp.models import LedgerTransaction, Role
from projects.models import DeviationFlag, Disbursement, Expense, Project, Rating
from tests.browser.accessibility import accessibility_violations
from tests.factories import make_approved_proposal, make_member
from tests.projects.steps import council_decision
from tests.proposals.images import jpeg_bytes, png_bytes

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = "test-results"


def phone_page(browser, live_server, user, language="zh-hans"):
    """A phone-sized page of its own browser context, logged in as `user`."""
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True
    )
    cookies = [{"name": "django_language", "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def shot(page, name):
    page.screenshot(path=f"{SHOTS}/projects-{name}.png", full_page=True)


def no_serious_violations(page):
    found = accessibility_violations(page, impacts=("serious", "critical"))
    assert found == [], found


def test_a_project_from_its_grant_to_a_lifted_hold_on_phones(browser, live_server):
    proposal = make_approved_proposal()
    community = proposal.community
    worker = make_member(community, Role.SOCIAL_WORKER)
    signers = [make_member(community, Role.FUND_COMMITTEE) for _ in range(2)]
    evaluator = make_member(community, Role.EVALUATOR)
    residents = [make_member(community, Role.RESIDENT) for _ in range(3)]
    team = proposal.proposer
    today = timezone.localdate()
    url = live_server.url

    # The social worker opens the project from the proposal's page (the form
    # seen in English first).
    english = phone_page(browser, live_server, worker, "en")
    english.goto(f"{url}/proposals/{proposal.pk}/project/new/")
    english.get_by_role("button", name="Add an installment").click()
    expect(english.locator("input[name='parts-3-percent']")).to_be_visible()
    shot(english, "open-en")
    social = phone_page(browser, live_server, worker)
    social.goto(f"{url}{proposal.get_absolute_url()}")
    social.get_by_test_id("open-project-link").click()
    expect(social.get_by_test_id("grant-amount")).to_contain_text("¥")
    social.locator("input[name=grantee_kind][value=team]").check()
    social.locator("#id_grantee_name").fill("夜巡队")
    social.locator("#id_contact_name").fill("王秀兰")
    social.locator("#id_contact_phone").fill("13900000001")
    social.locator("#id_starts_on").fill(today.isoformat())
    social.locator("#id_ends_on").fill(
        (today + datetime.timedelta(days=180)).isoformat()
    )
    shot(social, "open-zh")
    no_serious_violations(social)
    social.get_by_test_id("open-project").click()
    expect(social.get_by_test_id("project-title")).to_have_text(proposal.title)
    project = Project.objects.get(proposal=proposal)
    assert sum(i.amount for i in project.installments.all()) == proposal.approved_amount

    # ... and requests the first installment.
    social.get_by_test_id("request-installment").click()
    expect(social.get_by_test_id("installment-1")).to_contain_text("等待签批")

    # Two fund committee members sign, each in their own browser.
    first = phone_page(browser, live_server, signers[0])
    second = phone_page(browser, live_server, signers[1])
    first.goto(f"{url}{project.get_absolute_url()}")
    first.get_by_test_id("sign").click()
    shot(first, "sign-first-zh")
    first.get_by_test_id("submit").click()
    expect(first.locator(".messages")).to_contain_text("还需要另一名")
    assert Disbursement.objects.get().status == "requested"
    entries = LedgerTransaction.objects.count()

    second.goto(f"{url}{project.get_absolute_url()}")
    second.get_by_test_id("sign").click()
    second.locator("#id_method").select_option("bank_transfer")
    second.locator("#id_bank_reference").fill("ICBC-0001")
    second.locator("#id_paid_on").fill(today.isoformat())
    shot(second, "sign-second-zh")
    no_serious_violations(second)
    second.get_by_test_id("submit").dblclick()
    expect(second.get_by_test_id("installment-1")).to_contain_text("ICBC-0001")
    assert LedgerTransaction.objects.count() == entries + 1
    assert Disbursement.objects.get().status == "paid"

    # The grantee files a report with a photo and an expense with a receipt.
    grantee = phone_page(browser, live_server, team)
    grantee.goto(f"{url}{project.get_absolute_url()}")
    grantee.get_by_test_id("file-report").click()
    grantee.locator("input[name=kind][value=progress]").check()
    grantee.locator("#id_summary").fill("第一次夜巡：8 点到 11 点，巡查各楼栋。")
    grantee.locator("#id_happened_on").fill(today.isoformat())
    grantee.locator("#id_place").fill("小区各楼栋")
    grantee.locator("#id_participants").fill("14")
    grantee.locator("#id_photos").set_input_files(
        {
            "name": "patrol.jpg",
            "mimeType": "image/jpeg",
            "buffer": jpeg_bytes((320, 240)),
        }
    )
    shot(grantee, "report-zh")
    grantee.get_by_test_id("submit").click()
    expect(grantee.locator(".messages")).to_contain_text("报告已提交")
    grantee.get_by_test_id("record-expense").click()
    grantee.locator("#id_budget_line").select_option(index=1)
    grantee.locator("#id_amount").fill("80")
    grantee.locator("#id_spent_on").fill(today.isoformat())
    grantee.locator("#id_description").fill("巡逻手电筒")
    grantee.locator("#id_receipt").set_input_files(
        {"name": "receipt.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    shot(grantee, "expense-zh")
    grantee.get_by_test_id("submit").click()
    expect(grantee.get_by_test_id("expense")).to_contain_text("¥80.00")
    shot(grantee, "money-team-zh")

    # The social worker accepts both.
    social.goto(f"{url}{project.get_absolute_url()}")
    shot(social, "review-zh")
    social.get_by_test_id("accept-report").click()
    expect(social.get_by_test_id("participants")).to_have_text("14")
    social.goto(f"{url}/projects/{project.pk}/money/")
    social.get_by_test_id("accept-expense").click()
    expect(social.get_by_test_id("expense-status")).to_have_text("已通过")
    assert Expense.objects.get().status == "accepted"

    # Three residents rate it.
    for resident, score in zip(residents, (5, 4, 3), strict=True):
        neighbour = phone_page(browser, live_server, resident)
        neighbour.goto(f"{url}{project.get_absolute_url()}#evaluation")
        neighbour.locator(f"input[name=score][value='{score}']").check()
        neighbour.locator("#id_comment").fill("巡逻让人安心")
        neighbour.get_by_test_id("rate").click()
        expect(neighbour.get_by_test_id("rating-summary")).to_be_visible()
    assert Rating.objects.count() == 3

    # The evaluator flags it: the next installment is on hold.
    judge = phone_page(browser, live_server, evaluator)
    judge.goto(f"{url}{project.get_absolute_url()}")
    judge.get_by_test_id("flag").click()
    judge.locator("#id_kind").select_option("inactive")
    judge.locator("#id_reasons").fill("两周没有夜巡记录。")
    shot(judge, "flag-zh")
    judge.get_by_test_id("submit").click()
    expect(judge.get_by_test_id("on-hold")).to_be_visible()
    expect(judge.get_by_test_id("installment-2")).to_contain_text("暂停拨付")

    # The fund committee lifts the hold citing the council's decision.
    reference = council_decision(community)
    first.goto(f"{url}{project.get_absolute_url()}")
    first.get_by_test_id("resolve-flag").click()
    first.locator("#id_decision_reference").fill("JMJY-99#9")
    first.get_by_test_id("submit").click()
    expect(first.locator(".errorlist")).to_contain_text("不是本社区议事会的决定")
    first.locator("#id_decision_reference").fill(reference)
    shot(first, "resolve-zh")
    first.get_by_test_id("submit").click()
    expect(first.get_by_test_id("flag-lifted")).to_be_visible()
    assert DeviationFlag.objects.get().state == "lifted"

    # Anyone reads it all, in Chinese and in English.
    for language, words in (
        ("zh-hans", ("已拨付", "进展报告", "巡逻手电筒", "4.0", "解除")),
        ("en", ("Paid", "progress report", "巡逻手电筒", "4.0", "hold lifted")),
    ):
        visitor = phone_page(browser, live_server, None, language)
        visitor.goto(f"{url}{project.get_absolute_url()}")
        main = visitor.locator("main")
        for word in words:
            expect(main).to_contain_text(word)
        expect(visitor.get_by_test_id("satisfaction")).to_contain_text("4.0")
        expect(visitor.get_by_test_id("participants")).to_have_text("14")
        assert "ICBC-0001" not in main.inner_text()
        assert visitor.locator(".photos img").count() >= 1
        shot(visitor, f"page-{language}")
        no_serious_violations(visitor)
        visitor.goto(f"{url}/projects/{project.pk}/money/")
        shot(visitor, f"money-{language}")
        visitor.goto(f"{url}/c/{community.code}/")
        expect(visitor.get_by_test_id("fund-projects")).to_contain_text(proposal.title)

    # The forms in English.
    for person, path, name in (
        (team, f"/projects/{project.pk}/reports/new/", "report-en"),
        (team, f"/projects/{project.pk}/expenses/new/", "expense-en"),
        (evaluator, f"/projects/{project.pk}/flags/new/", "flag-en"),
        (residents[0], f"/projects/{project.pk}/rate/", "rate-en"),
        (worker, project.get_absolute_url(), "worker-en"),
    ):
        page = phone_page(browser, live_server, person, "en")
        page.goto(f"{url}{path}")
        expect(page.locator("h1")).to_be_visible()
        shot(page, name)
