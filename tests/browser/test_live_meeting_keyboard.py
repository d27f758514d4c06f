"""The chair and a councillor run a live meeting with the keyboard alone
(issue 14, part 10): Tab, Shift+Tab, Enter and Space to move and press, typing
only a motion's words. After every update of the live area the focus is on
something sensible (never lost to the page's body), and every control of the
live area can be reached with Tab.

The two other members are phones acting over HTTP. As in
test_council_meeting, the test thread touches the ORM only before the first
page loads and after the browsers are closed.
"""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from councils.models import MeetingEvent
from tests.browser.accessibility import accessibility_violations
from tests.browser.test_council_meeting import Phone, _session_of
from tests.factories import make_council, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOTION = "That the council buy a projector"

# What has the focus: a description for messages, "body" when it is lost.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return "body";
  const visible = element.checkVisibility();
  return (visible ? "" : "hidden ") + element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + (element.dataset.action ? "[data-action=" + element.dataset.action + "]" : "")
    + " " + (element.textContent || element.value || "").trim().slice(0, 40);
}"""


@pytest.fixture
def contexts(browser):
    """Browser contexts closed at the end, so no poll outlives the test."""
    opened = []

    def new_context():
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        opened.append(context)
        return context

    yield new_context
    for context in opened:
        context.close()


def _page(new_context, live_server, session, language):
    context = new_context()
    context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _focused(page) -> str:
    return page.evaluate(FOCUSED)


def _tab_to(page, selector: str, *, backwards=False, presses=120) -> None:
    """Press Tab (or Shift+Tab) until `selector` has the focus.

    First wait for the control to be on the page: it may come with the next
    poll (another member's action), and a person tabs to what they see.
    """
    expect(page.locator(selector).first).to_be_visible()
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(presses):
        if page.evaluate(
            "selector => document.activeElement?.matches(selector)", selector
        ):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} not reached with {key}; at {_focused(page)}")


def _press(page, selector: str, key="Enter", *, backwards=False) -> None:
    """Tab to the control and press it; wait for the server's answer."""
    _tab_to(page, selector, backwards=backwards)
    with page.expect_response(lambda r: r.url.endswith("/act/")) as response:
        page.keyboard.press(key)
    assert response.value.ok
    expect(page.locator("#live-message")).to_be_empty()


def _focus_is_sensible(page) -> None:
    """Once the update has landed, the focus is on something visible in the
    page's main part, never lost to the body."""
    try:
        page.wait_for_function(
            """() => {
              const element = document.activeElement;
              return element && element !== document.body
                && element.checkVisibility()
                && document.querySelector("main").contains(element)
                && !document.querySelector(".htmx-request, .htmx-settling");
            }""",
            timeout=5_000,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"the focus is on {_focused(page)}") from None


def _every_control_is_reachable(page) -> None:
    """Tab once around the whole page: every visible control of the live
    area has had the focus."""
    page.evaluate(
        """() => {
      window.linliReached = new Set();
      document.addEventListener(
        "focusin", event => window.linliReached.add(event.target));
    }"""
    )
    page.locator("h1").click()  # start from the top of the main part
    for _ in range(150):
        page.keyboard.press("Tab")
    missed = page.evaluate(
        """() => [...document.querySelectorAll(
          "#live button, #live summary, #live input:not([type=hidden]), #live select, "
          + "#live textarea, #live a[href]")]
          .filter(control => control.checkVisibility())
          .filter(control => !window.linliReached.has(control))
          .map(control => control.outerHTML.slice(0, 80))"""
    )
    assert missed == []


def test_the_chair_and_a_councillor_run_a_meeting_with_the_keyboard(
    contexts, live_server
):
    council, chair, members = make_council(seats=4)
    councillor, seconder, *others = members
    meeting = make_meeting(council, chair=chair)
    meeting_url = f"{live_server.url}/meetings/{meeting.pk}/"
    phones = {
        member: Phone(live_server, meeting, member, _session_of(member))
        for member in (seconder, *others)
    }
    chair_page = _page(contexts, live_server, _session_of(chair), "en")
    member_page = _page(contexts, live_server, _session_of(councillor), "zh-hans")
    # From here on: only HTTP (see the module docstring).

    for page in (chair_page, member_page):
        page.goto(meeting_url)
        # The first Tab reaches the skip link, which leads to the content.
        page.keyboard.press("Tab")
        expect(page.locator("a.skip")).to_be_focused()
        page.keyboard.press("Enter")
        _press(page, 'button[data-action="arrive"]')
        _focus_is_sensible(page)
    for phone in phones.values():
        phone.act("arrive")
    expect(chair_page.locator(".status")).to_contain_text("5 present of 5")

    _press(chair_page, 'button[data-action="call_to_order"]')
    expect(chair_page.locator(".status")).to_contain_text("in session")
    _focus_is_sensible(chair_page)
    _every_control_is_reachable(chair_page)

    # The councillor seeks the floor; the chair recognises them.
    _press(member_page, 'button[data-action="seek_floor"]')
    _focus_is_sensible(member_page)
    expect(chair_page.locator("ol.queue")).to_contain_text(councillor.display_name)
    _press(chair_page, "ol.queue button")
    expect(chair_page.locator("ol.queue")).to_have_count(0)
    _focus_is_sensible(chair_page)

    # The councillor opens the main motion's short form, types it, moves it.
    _tab_to(member_page, "#move-main summary")
    member_page.keyboard.press("Enter")
    expect(member_page.locator("#move-main")).to_have_attribute("open", "")
    member_page.keyboard.press("Tab")
    expect(member_page.locator("#move-main-text")).to_be_focused()
    member_page.keyboard.type(MOTION)
    _press(member_page, "#move-main button[type=submit]")
    # Moved, the motion is no longer offered: the focus stays in the console.
    expect(member_page.locator("#move-main")).to_have_count(0)
    _focus_is_sensible(member_page)
    assert member_page.evaluate(
        "document.querySelector('.my-actions').contains(document.activeElement)"
    )
    expect(chair_page.locator(".awaiting")).to_contain_text(MOTION)
    _focus_is_sensible(chair_page)  # the update did not take the chair's focus

    phones[seconder].act("second")
    _press(chair_page, 'button[data-action="state"]')
    expect(chair_page.locator("ol.pending")).to_contain_text(MOTION)
    _focus_is_sensible(chair_page)
    _every_control_is_reachable(chair_page)

    # The chair puts the question (counted, the method already chosen).
    _press(chair_page, "form:has([name=action][value=put_question]) button")
    expect(member_page.locator("#vote-yes")).not_to_have_attribute(
        "aria-disabled", "true"
    )
    _focus_is_sensible(chair_page)

    # Voting is open: every button reachable, nothing serious for axe-core.
    _every_control_is_reachable(member_page)
    assert accessibility_violations(member_page, impacts=("serious", "critical")) == []
    # The councillor votes with Space, reaching "Yes" backwards from below.
    member_page.locator("footer").click()
    _press(member_page, "#vote-yes", key="Space", backwards=True)
    expect(member_page.locator("#vote-state")).to_contain_text("赞成")
    expect(member_page.locator("#vote-yes")).to_be_focused()
    for phone in phones.values():
        phone.act("vote", choice="yes")
    expect(member_page.locator("#vote-yes")).to_be_focused()

    _press(chair_page, 'button[data-action="announce"]')
    expect(chair_page.locator(".decision")).to_contain_text("adopted")
    expect(chair_page.locator("#live-news")).to_contain_text("Adopted 4–0")
    _focus_is_sensible(chair_page)
    expect(member_page.locator(".decision")).to_contain_text("通过")
    _focus_is_sensible(member_page)
    for page in (chair_page, member_page):
        assert accessibility_violations(page, impacts=("serious", "critical")) == []
    chair_page.screenshot(path="test-results/live-keyboard-chair-en.png")
    chair_page.context.close()
    member_page.context.close()

    votes = MeetingEvent.objects.filter(meeting=meeting, type="vote")
    assert sorted(row.payload["member"] for row in votes) == sorted(
        str(member.pk) for member in members
    )
