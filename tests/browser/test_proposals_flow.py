"""A proposal's way from a resident's phone to the council's agenda, in zh-hans.

A resident writes a proposal with three budget lines and a photo and submits
it; two neighbours support it; the social worker returns it with a reason;
the resident revises and resubmits; the social worker marks it eligible; the
version comparison shows the change. Elements are found by ids and
`data-testid`, so the test holds whether or not translations are compiled.
"""

import os
import shutil

import pytest
from django.test import Client
from playwright.sync_api import expect

from fundapp.models import Role
from proposals.models import Proposal
from tests.factories import make_community, make_member, make_round
from tests.proposals.images import png_bytes

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PNG = png_bytes(size=(120, 90))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, as tests/browser/conftest.py sets it (kept here too
    so this module runs on its own)."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
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


def phone_page(browser, live_server, user):
    """A phone-sized page logged in as the user, reading in Simplified Chinese."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": "zh-hans", "url": live_server.url},
        ]
    )
    return context.new_page()


def save_step(page):
    page.get_by_test_id("save-step").click()
    page.wait_for_load_state()


def test_a_proposal_goes_from_a_phone_to_eligible_through_one_revision(
    browser, live_server
):
    community = make_community()
    make_round(community, minimum_supports=2, ceiling_amount="5000.00")
    resident = make_member(community)
    neighbours = [make_member(community), make_member(community)]
    worker = make_member(community, Role.SOCIAL_WORKER)
    page = phone_page(browser, live_server, resident)

    page.goto(f"{live_server.url}/c/{community.code}/proposals/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_test_id("start-proposal").click()
    page.locator("#id_title").fill("楼道灯 Stairwell lights")
    page.get_by_test_id("start").click()
    page.locator("#id_category").select_option("security")
    page.locator("#id_problem").fill("3栋楼道晚上没有灯。")
    page.locator("#id_affected").fill("3栋的48户居民")
    page.locator("#id_evidence").fill("上个月两位老人摔倒。")
    save_step(page)
    page.locator("#id_activities").fill("安装声控灯")
    page.locator("#id_schedule").fill("一个月内")
    page.locator("#id_place").fill("3栋楼道")
    page.locator("#id_volunteers").fill("居民志愿者协助安装和巡查")
    save_step(page)
    lines = [
        ("声控灯", "18", "盏", "45.00"),
        ("电线", "100", "米", "3.20"),
        ("人工", "2", "天", "300"),
    ]
    for number, (item, quantity, unit, cost) in enumerate(lines, start=1):
        page.locator(f"#item-{number}").fill(item)
        page.locator(f"#quantity-{number}").fill(quantity)
        page.locator(f"#unit-{number}").fill(unit)
        page.locator(f"#unit_cost-{number}").fill(cost)
    expect(page.get_by_test_id("budget-total")).to_have_text("¥1,730.00")
    save_step(page)
    save_step(page)  # the team: no co-proposers
    page.locator("#id_file").set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_test_id("upload").click()
    expect(page.get_by_text("photo.png")).to_be_visible()
    page.goto(page.url.replace("/files/", "/review/"))
    page.get_by_test_id("submit-proposal").dblclick()
    expect(page.get_by_test_id("proposal-status")).to_have_attribute(
        "data-status", "submitted"
    )
    proposal = Proposal.objects.get(title="楼道灯 Stairwell lights")
    assert proposal.versions.count() == 1
    assert proposal.attachments.count() == 1

    for neighbour in neighbours:
        other = phone_page(browser, live_server, neighbour)
        other.goto(f"{live_server.url}/proposals/{proposal.pk}/")
        other.get_by_test_id("support").click()
        expect(other.get_by_test_id("supported")).to_be_visible()

    social = phone_page(browser, live_server, worker)
    social.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    social.locator("#return-reason").fill("请写明人工费的依据。")
    social.get_by_test_id("return-proposal").click()
    expect(social.get_by_test_id("proposal-status")).to_have_attribute(
        "data-status", "returned"
    )

    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("请写明人工费的依据。")
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/edit/budget/")
    page.locator("#item-3").fill("人工(2人×1天)")
    page.locator("#unit_cost-3").fill("250")
    expect(page.get_by_test_id("budget-total")).to_have_text("¥1,630.00")
    save_step(page)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/edit/review/")
    page.get_by_test_id("submit-proposal").click()
    expect(page.get_by_test_id("proposal-status")).to_have_attribute(
        "data-status", "submitted"
    )

    social.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    social.get_by_test_id("mark-eligible").click()
    expect(social.get_by_test_id("proposal-status")).to_have_attribute(
        "data-status", "eligible"
    )

    page.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    page.get_by_test_id("compare").click()
    change = page.get_by_test_id("change")
    expect(change.locator("ins").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("人工(2人×1天)")
    expect(page.locator("main del").first).to_contain_text("人工")


def test_a_double_click_on_submit_sends_the_proposal_once(browser, live_server):
    from proposals.models import ProposalEvent
    from tests.factories import make_draft

    draft = make_draft()
    page = phone_page(browser, live_server, draft.proposer)
    page.goto(f"{live_server.url}/proposals/{draft.pk}/edit/review/")

    page.get_by_test_id("submit-proposal").dblclick()
    page.wait_for_url(f"**/proposals/{draft.pk}/")

    expect(page.get_by_test_id("proposal-status")).to_have_attribute(
        "data-status", "submitted"
    )
    submitted = ProposalEvent.objects.filter(
        proposal=draft, action=ProposalEvent.Action.SUBMITTED
    )
    assert submitted.count() == 1
    assert draft.versions.count() == 1
