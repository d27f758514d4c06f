"""The pages: one happy path and one refusal each, and constant query counts."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fundapp.models import Role
from fundapp.personal_data import personal_data_erase
from proposals import services
from proposals.models import Notification, Proposal
from proposals.selectors import NAME_FIELDS, person_name
from tests.factories import (
    make_community,
    make_draft,
    make_member,
    make_proposal,
    make_round,
    make_user,
)
from tests.proposals.images import png_bytes

pytestmark = pytest.mark.django_db
PNG = png_bytes()


def test_the_list_shows_open_calls_and_submitted_proposals_but_not_drafts(client):
    proposal = make_proposal(title="夜间110 Night 110")
    make_draft(proposal.round, title="草稿 secret draft")

    response = client.get(reverse("proposals:list", args=[proposal.community.code]))

    assert response.status_code == 200
    assert "夜间110 Night 110" in response.text
    assert "secret draft" not in response.text
    assert proposal.round.title in response.text


def test_the_list_filters_by_words_and_category(client):
    call = make_round()
    make_proposal(call, title="编织 Knitting", category="elderly_care")
    make_proposal(call, title="巡逻 Patrol", category="security")
    url = reverse("proposals:list", args=[call.community.code])

    response = client.get(url, {"q": "Knit", "category": "elderly_care"})

    assert "编织 Knitting" in response.text
    assert "巡逻 Patrol" not in response.text


def test_script_tags_in_a_title_are_shown_escaped(client):
    proposal = make_proposal(title="<script>alert(1)</script>")

    detail = client.get(proposal.get_absolute_url())
    listing = client.get(reverse("proposals:list", args=[proposal.community.code]))

    for response in (detail, listing):
        assert "<script>alert(1)</script>" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_a_draft_is_hidden_from_someone_off_the_team(client):
    proposal = make_draft()
    client.force_login(make_member(proposal.community))

    response = client.get(proposal.get_absolute_url())

    assert response.status_code == 403


def test_a_resident_writes_a_proposal_in_steps_and_submits_it(client):
    call = make_round()
    resident = make_member(call.community)
    make_member(call.community, phone="13755556666")
    client.force_login(resident)

    response = client.post(
        reverse("proposals:create", args=[call.pk]), {"title": "编织"}
    )
    proposal = Proposal.objects.get(title="编织")
    assert response.url == reverse("proposals:edit", args=[proposal.pk, "problem"])
    edit = lambda step: reverse("proposals:edit", args=[proposal.pk, step])  # noqa: E731
    client.post(
        edit("problem"),
        {
            "title": "编织 Knitting",
            "category": "elderly_care",
            "problem": "养老院缺少经费",
            "affected": "60 位老人",
            "evidence": "养老院账目",
        },
    )
    client.post(
        edit("plan"),
        {
            "activities": "编织义卖",
            "schedule": "每周三",
            "place": "活动室",
            "volunteers": "20 位阿姨",
        },
    )
    client.post(
        edit("budget"),
        {
            "item": ["毛线", "针", ""],
            "quantity": ["40", "20", ""],
            "unit": ["团", "副", ""],
            "unit_cost": ["12.50", "8", ""],
        },
    )
    client.post(edit("team"), {"co_proposers": "13755556666"})
    client.post(edit("files"), {"file": SimpleUploadedFile("photo.png", PNG)})
    review = client.get(edit("review"))
    response = client.post(reverse("proposals:submit", args=[proposal.pk]))

    assert "Everything the call asks for is here" in review.text
    assert response.url == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert str(proposal.requested_amount) == "660.00"
    assert proposal.co_proposers.count() == 0
    assert proposal.invitations.get().phone == "13755556666"
    assert proposal.attachments.count() == 1


def test_a_bad_budget_line_is_shown_next_to_the_form_and_saves_nothing(client):
    proposal = make_draft()
    client.force_login(proposal.proposer)

    response = client.post(
        reverse("proposals:edit", args=[proposal.pk, "budget"]),
        {
            "item": ["椅子"],
            "quantity": ["1.5"],
            "unit": ["把"],
            "unit_cost": ["10.005"],
        },
    )

    assert response.status_code == 200
    assert "Line 1: The quantity must be a whole number" in response.text
    assert proposal.budget_lines.count() == 2


def test_budget_totals_are_computed_on_the_server_as_you_type(client):
    proposal = make_draft()
    client.force_login(proposal.proposer)

    response = client.post(
        reverse("proposals:budget_totals", args=[proposal.pk]),
        {
            "item": ["a", "b"],
            "quantity": ["3", "2"],
            "unit": ["", ""],
            "unit_cost": ["1.10", "5"],
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "¥13.30" in response.text
    assert "<html" not in response.text


def test_a_submitted_proposal_cannot_be_edited_from_its_pages(client):
    proposal = make_proposal()
    client.force_login(proposal.proposer)

    response = client.post(
        reverse("proposals:edit", args=[proposal.pk, "plan"]),
        {"activities": "改", "schedule": "", "place": "", "volunteers": ""},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.activities != "改"


def test_double_clicking_submit_submits_once(client):
    proposal = make_draft()
    client.force_login(proposal.proposer)
    url = reverse("proposals:submit", args=[proposal.pk])

    client.post(url)
    client.post(url)

    assert proposal.versions.count() == 1


def test_neighbours_support_and_comment_on_the_proposal_page(client):
    proposal = make_proposal()
    client.force_login(make_member(proposal.community))

    client.post(reverse("proposals:support", args=[proposal.pk]))
    second = client.post(reverse("proposals:support", args=[proposal.pk]), follow=True)
    client.post(reverse("proposals:comment", args=[proposal.pk]), {"body": "<b>好</b>"})
    page = client.get(proposal.get_absolute_url())

    assert "You already support this proposal" in second.text
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert "&lt;b&gt;好&lt;/b&gt;" in page.text


def test_a_resident_of_another_community_gets_403_when_supporting(client):
    proposal = make_proposal()
    client.force_login(make_member(make_community()))

    response = client.post(reverse("proposals:support", args=[proposal.pk]))

    assert response.status_code == 403


def test_a_social_worker_returns_with_a_reason_and_then_marks_eligible(client):
    proposal = make_proposal()
    worker = make_member(proposal.community, Role.SOCIAL_WORKER)
    client.force_login(worker)

    queue = client.get(reverse("proposals:screening", args=[proposal.community.code]))
    client.post(reverse("proposals:return", args=[proposal.pk]), {"reason": "补充照片"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    services.proposal_submit(proposal=proposal, actor=proposal.proposer)
    client.post(reverse("proposals:eligible", args=[proposal.pk]))

    assert proposal.title in queue.text
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ELIGIBLE


def test_returning_without_a_reason_changes_nothing(client):
    proposal = make_proposal()
    client.force_login(make_member(proposal.community, Role.SOCIAL_WORKER))

    client.post(reverse("proposals:return", args=[proposal.pk]), {"reason": ""})

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_a_councillor_who_is_not_a_social_worker_cannot_screen(client):
    proposal = make_proposal()
    client.force_login(make_member(proposal.community, Role.COUNCILLOR))

    queue = client.get(reverse("proposals:screening", args=[proposal.community.code]))
    response = client.post(
        reverse("proposals:return", args=[proposal.pk]), {"reason": "x"}
    )

    assert (queue.status_code, response.status_code) == (403, 403)


def test_a_social_worker_hides_a_comment_from_the_page(client):
    proposal = make_proposal()
    comment = services.comment_add(
        proposal=proposal, actor=make_member(proposal.community), body="卖保险"
    )
    client.force_login(make_member(proposal.community, Role.SOCIAL_WORKER))

    client.post(
        reverse("proposals:comment_hide", args=[proposal.pk, comment.pk]),
        {"reason": "广告"},
    )
    client.logout()
    page = client.get(proposal.get_absolute_url())

    assert "卖保险" not in page.text
    assert "广告" in page.text


def test_the_comparison_shows_what_changed_between_versions(client):
    proposal = make_proposal(status="returned")
    services.proposal_save_plan(
        proposal=proposal,
        actor=proposal.proposer,
        activities="每晚 19:00–23:00 巡逻",
        schedule="全年",
        place="小区各楼栋",
        volunteers="低保居民轮流参加",
    )
    services.proposal_submit(proposal=proposal, actor=proposal.proposer)

    response = client.get(
        reverse("proposals:compare", args=[proposal.pk]), {"old": 1, "new": 2}
    )

    assert "每晚 19:00–23:00 巡逻" in response.text
    assert "<del>" in response.text and "<ins>" in response.text


def test_an_attachment_downloads_as_an_attachment_with_nosniff(client):
    proposal = make_draft()
    attachment = services.attachment_add(
        proposal=proposal,
        actor=proposal.proposer,
        upload=SimpleUploadedFile("a.png", PNG),
    )
    services.proposal_submit(proposal=proposal, actor=proposal.proposer)

    response = client.get(
        reverse("proposals:attachment", args=[proposal.pk, attachment.pk])
    )

    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"


def test_opening_a_call_from_its_page(client):
    community = make_community()
    client.force_login(make_member(community, Role.SOCIAL_WORKER))

    response = client.post(
        reverse("proposals:round_open", args=[community.code]),
        {
            "title": "社区微项目",
            "opens_on": str(timezone.localdate()),
            "closes_on": str(timezone.localdate() + datetime.timedelta(days=90)),
            "budget_amount": "300,000",
            "ceiling_amount": "30000",
            "eligible_categories": ["culture", "elderly_care"],
            "minimum_supports": "5",
        },
    )

    assert response.status_code == 302
    assert community.rounds.get().ceiling_amount == 30000


def test_notifications_list_what_happened(client):
    proposal = make_proposal()
    services.proposal_return(
        proposal=proposal,
        actor=make_member(proposal.community, Role.SOCIAL_WORKER),
        reason="x",
    )
    client.force_login(proposal.proposer)

    response = client.get(reverse("proposals:notifications"))

    assert "was returned for revision: x" in response.text


def test_a_return_notification_carries_the_reason_in_both_languages_and_by_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = make_proposal()
    proposal.proposer.email = "wang@example.org"
    proposal.proposer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_return(
            proposal=proposal,
            actor=make_member(proposal.community, Role.SOCIAL_WORKER),
            reason="请补充排期。Add the schedule.",
        )
    client.force_login(proposal.proposer)

    pages = {}
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        pages[language] = client.get(reverse("proposals:notifications")).text
    chinese, english = pages["zh-hans"], pages["en"]

    assert "您的提案“" in chinese
    assert "已退回修改：请补充排期。Add the schedule." in chinese
    assert "was returned for revision: 请补充排期。Add the schedule." in english
    assert "请补充排期。" in mailoutbox[0].body


def test_reading_the_proposal_reads_its_notifications_and_the_count_drops(client):
    proposal = make_proposal()
    other = make_proposal(proposal.round, proposer=proposal.proposer)
    services.proposal_return(
        proposal=proposal,
        actor=make_member(proposal.community, Role.SOCIAL_WORKER),
        reason="x",
    )
    Notification.objects.create(
        recipient=proposal.proposer, proposal=other, kind="comment"
    )
    client.force_login(proposal.proposer)

    page = client.get(reverse("proposals:detail", args=[proposal.pk])).text

    unread = Notification.objects.filter(recipient=proposal.proposer, read_at=None)
    assert list(unread.values_list("proposal", flat=True)) == [other.pk]
    assert 'data-testid="unread-count"><span class="visually-hidden">(</span>1<' in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _list_queries(rows: int, *, login: bool) -> tuple[int, int]:
    """(on a cache miss, on a hit) for a community with `rows` proposals."""
    call = make_round()
    for _row in range(rows):
        make_proposal(call)
    client = Client()
    if login:
        client.force_login(make_member(call.community))
    url = reverse("proposals:list", args=[call.community.code])
    client.get(url)  # the session, per-process caches
    cache.clear()
    return _queries(client, url), _queries(client, url)


@pytest.mark.parametrize("login", [False, True])
def test_the_list_page_costs_the_same_queries_for_1_or_10_proposals(login):
    assert _list_queries(1, login=login) == _list_queries(10, login=login)


def test_a_cached_list_page_costs_two_queries_for_a_visitor():
    assert _list_queries(3, login=False)[1] == 2


def test_the_list_counts_its_proposals_without_the_joins_of_the_cards(client):
    call = make_round()
    make_proposal(call)

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("proposals:list", args=[call.community.code]))

    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"]]
    assert len(counts) == 1
    assert "JOIN" not in counts[0]


def test_a_cold_list_page_reads_its_calls_once_for_the_menu_and_the_open_ones():
    """The community, the version, the calls, the count and the page."""
    assert _list_queries(3, login=False)[0] == 5


def _page_queries(rows: int, *, role: str | None) -> tuple[int, int]:
    proposal = make_proposal(
        budget=[
            {"item": f"物品{i}", "quantity": "1", "unit": "", "unit_cost": "1"}
            for i in range(rows)
        ]
    )
    moderator = make_member(proposal.community, Role.SOCIAL_WORKER)
    for row in range(rows):
        neighbour = make_member(proposal.community)
        services.proposal_support(proposal=proposal, actor=neighbour)
        services.comment_add(proposal=proposal, actor=neighbour, body="好")
        # Hidden comments too: everyone sees the reason, a moderator the words.
        hidden = services.comment_add(
            proposal=proposal, actor=neighbour, body=f"广告{row}"
        )
        services.comment_hide(comment=hidden, actor=moderator, reason="广告")
    client = Client()
    if role:
        client.force_login(make_member(proposal.community, role))
    url = proposal.get_absolute_url()
    client.get(url)
    cache.clear()
    return _queries(client, url), _queries(client, url)


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.SOCIAL_WORKER])
def test_the_proposal_page_costs_the_same_queries_for_1_or_10_of_everything(role):
    assert _page_queries(1, role=role) == _page_queries(10, role=role)


def test_a_cached_proposal_page_costs_one_query_for_a_visitor():
    assert _page_queries(3, role=None) == (7, 1)


def test_the_list_page_shows_a_new_support_at_once():
    call = make_round(minimum_supports=0)
    proposal = make_proposal(call)
    url = reverse("proposals:list", args=[call.community.code])
    client = Client()
    client.get(url)

    services.proposal_support(proposal=proposal, actor=make_member(call.community))

    card = client.get(url).content.decode()
    assert "<dd>1</dd>" in card


def test_the_proposal_page_shows_a_hidden_comment_as_hidden_at_once():
    proposal = make_proposal()
    comment = services.comment_add(
        proposal=proposal, actor=make_member(proposal.community), body="广告内容"
    )
    client = Client()
    assert "广告内容" in client.get(proposal.get_absolute_url()).content.decode()

    services.comment_hide(
        comment=comment,
        actor=make_member(proposal.community, Role.SOCIAL_WORKER),
        reason="广告",
    )

    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "广告内容" not in page


def test_a_cached_proposal_page_never_serves_one_readers_csrf_token():
    proposal = make_proposal()
    visitor = Client()
    visitor.get(proposal.get_absolute_url())
    resident = Client()
    resident.force_login(make_member(proposal.community))

    page = resident.get(proposal.get_absolute_url()).content.decode()

    assert 'data-testid="support"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_residents_page_reads_only_the_forms_once_the_rest_is_cached():
    """A resident who may support and comment gets the cached texts, budget,
    comments and timeline; only what is theirs (the notifications read, the
    support, the permissions) is read."""
    cold, cached = _page_queries(3, role=Role.RESIDENT)
    assert cached <= cold - 6


def test_each_resident_posts_with_their_own_token_from_a_cached_page():
    proposal = make_proposal()
    first, second = (
        Client(enforce_csrf_checks=True),
        Client(enforce_csrf_checks=True),
    )
    for client in (first, second):
        client.force_login(make_member(proposal.community))
        page = client.get(proposal.get_absolute_url()).text
        token = re.search(
            r'action="{}"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" '
            r'value="([^"]+)"'.format(
                re.escape(reverse("proposals:support", args=[proposal.pk]))
            ),
            page,
        ).group(1)

        response = client.post(
            reverse("proposals:support", args=[proposal.pk]),
            {"csrfmiddlewaretoken": token},
        )

        assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.support_count == 2


def test_english_status_badges_begin_with_a_capital(client):
    proposal = make_proposal(title="编织", status="eligible")

    listing = client.get(f"/c/{proposal.community.code}/proposals/").content.decode()
    detail = client.get(reverse("proposals:detail", args=[proposal.pk])).content
    detail = detail.decode()

    assert ">Eligible</span>" in listing
    assert ">Eligible</span>" in detail
    assert ">eligible</span>" not in listing + detail


def test_the_return_reason_heads_the_page_and_the_wizard_until_resubmission(client):
    proposal = make_proposal(title="编织", status="returned")
    reason = proposal.events.get(action="returned").reason
    client.force_login(proposal.proposer)

    page = client.get(reverse("proposals:detail", args=[proposal.pk])).text
    wizard = client.get(reverse("proposals:edit", args=[proposal.pk, "problem"])).text
    services.proposal_submit(proposal=proposal, actor=proposal.proposer)
    after = client.get(reverse("proposals:detail", args=[proposal.pk])).text

    banner = page.index('data-testid="return-reason"')
    assert reason and reason in page[banner : banner + 500]
    assert banner < page.index('class="figures"')
    assert 'data-testid="return-reason"' in wizard and reason in wizard
    assert 'data-testid="return-reason"' not in after
    assert "returned for revision → returned for revision" not in page


def _page(client, url, language, **kwargs):
    client.cookies["django_language"] = language
    return client.get(url, **kwargs).text


@pytest.mark.parametrize(
    ("language", "optional"), [("en", "(optional)"), ("zh-hans", "(选填)")]
)
def test_the_wizard_marks_optional_only_what_submission_does_not_need(
    client, language, optional
):
    draft = make_draft(make_round(), complete=False)
    client.force_login(draft.proposer)

    problem, plan, team = (
        _page(client, reverse("proposals:edit", args=[draft.pk, step]), language)
        for step in ("problem", "plan", "team")
    )

    assert optional not in problem
    assert optional not in plan
    assert optional in team  # co-proposers and named beneficiaries


def test_the_review_names_each_missing_field_as_its_step_labels_it_and_links_there(
    client,
):
    draft = make_draft(make_round(), complete=False)
    client.force_login(draft.proposer)
    plan_step = reverse("proposals:edit", args=[draft.pk, "plan"])
    url = reverse("proposals:edit", args=[draft.pk, "review"])

    chinese = _page(client, url, "zh-hans")
    english = _page(client, url, "en")

    assert "排期" in _page(client, plan_step, "zh-hans")
    assert f'<a href="{plan_step}">“排期”还没有填写。</a>' in chinese
    assert "时间安排" not in chinese
    assert f'<a href="{plan_step}">“Schedule” is empty.</a>' in english
    budget_step = reverse("proposals:edit", args=[draft.pk, "budget"])
    assert f'<a href="{budget_step}">Add at least one budget line.</a>' in english
    problem_step = reverse("proposals:edit", args=[draft.pk, "problem"])
    assert f'<a href="{problem_step}">“What is the problem?” is empty.</a>' in english


def test_submitting_an_incomplete_proposal_leads_to_the_list_of_what_is_missing(
    client,
):
    draft = make_draft(make_round(), complete=False)
    client.force_login(draft.proposer)

    response = client.post(reverse("proposals:submit", args=[draft.pk]))

    assert response.url == reverse("proposals:edit", args=[draft.pk, "review"])
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def _named_as_proposer(community):
    person = make_member(community, display_name="王小明")
    return make_proposal(make_round(community), proposer=person), person


def _named_as_commenter(community):
    proposal = make_proposal(make_round(community))
    person = make_member(community, display_name="王小明")
    services.comment_add(proposal=proposal, actor=person, body="好")
    return proposal, person


@pytest.mark.parametrize("naming", [_named_as_proposer, _named_as_commenter])
def test_an_erased_persons_name_leaves_the_cached_proposal_page_at_once(naming):
    """The page's parts are cached for every reader under the proposal's
    updated_at: an erasure moves it, or the name stays on for ten minutes."""
    community = make_community()
    proposal, person = naming(community)
    reader = Client()
    reader.force_login(make_member(community))
    assert "王小明" in reader.get(proposal.get_absolute_url()).text

    personal_data_erase(user=person)

    page = reader.get(proposal.get_absolute_url()).text
    assert "王小明" not in page
    assert f"已注销 {person.pk}" in page


@pytest.mark.parametrize(
    "names",
    [
        {"display_name": "王小明"},
        {"display_name": "", "first_name": "Ann", "last_name": "Lee"},
        {"display_name": "", "first_name": "", "last_name": "Lee"},
        {"display_name": "", "username": "bare"},
    ],
)
def test_a_list_names_a_person_as_the_person_is_named_everywhere(names):
    """The long lists read names as columns (selectors.person_name)."""
    person = make_user(**names)

    named = person_name(*(getattr(person, field) for field in NAME_FIELDS))

    assert named == str(person)
