"""The project's pages: the grant agreement, the public page, the money page,
and what the fund's and the proposal's pages show of projects."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from fundapp.models import Role
from projects import services
from projects.models import Installment, Project, SubmittedForm
from reports.models import Department, DepartmentViewer
from tests.factories import (
    issued_key,
    make_approved_proposal,
    make_funded_community,
    make_member,
    make_project,
    make_user,
)
from tests.projects.steps import file_report, pay, spend

pytestmark = pytest.mark.django_db


def open_data(key, **changes):
    data = {
        "idempotency_key": key,
        "grantee_kind": "organisation",
        "grantee_name": "阳光社工服务中心",
        "contact_name": "李明",
        "contact_phone": "13900000002",
        "starts_on": "2026-01-05",
        "ends_on": "2026-10-31",
        "parts-TOTAL_FORMS": "4",
        "parts-INITIAL_FORMS": "0",
        "parts-0-percent": "40",
        "parts-0-trigger": "start",
        "parts-1-percent": "33.33",
        "parts-1-trigger": "progress",
        "parts-2-percent": "26.67",
        "parts-2-trigger": "final",
        "parts-3-percent": "",
        "parts-3-trigger": "start",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-title": "第一次活动",
        "milestones-0-due_on": "2026-03-01",
    }
    data.update(changes)
    return data


@pytest.fixture
def approved():
    proposal = make_approved_proposal()
    worker = make_member(proposal.community, Role.SOCIAL_WORKER)
    return proposal, worker


def test_the_social_worker_opens_the_project_with_any_number_of_parts(client, approved):
    proposal, worker = approved
    client.force_login(worker)
    url = reverse("projects:open", args=[proposal.pk])

    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, open_data(issued_key(client, url)))

    project = Project.objects.get(proposal=proposal)
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    amounts = list(project.installments.values_list("amount", flat=True))
    assert sum(amounts) == proposal.approved_amount
    assert len(amounts) == 3
    assert project.grantee_kind == "organisation"
    assert project.milestones.get().title == "第一次活动"


def test_a_schedule_that_does_not_add_up_is_refused_in_words_and_opens_nothing(
    client, approved
):
    proposal, worker = approved
    client.force_login(worker)
    url = reverse("projects:open", args=[proposal.pk])

    response = client.post(
        url, open_data(issued_key(client, url), **{"parts-2-percent": "20"})
    )

    assert response.status_code == 200
    assert "add up to 93.33% of the grant" in response.content.decode()
    assert not Project.objects.filter(proposal=proposal).exists()
    assert not SubmittedForm.objects.exists()


def test_the_refusal_is_in_chinese_for_a_chinese_reader(client, approved, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    proposal, worker = approved
    client.force_login(worker)
    url = reverse("projects:open", args=[proposal.pk])

    response = client.post(
        url,
        open_data(issued_key(client, url), **{"parts-2-percent": "20"}),
    )

    assert "各期合计为资助金额的 93.33%，必须合计为 100%。" in response.content.decode()


def test_adding_an_installment_row_shows_one_more_row_and_opens_nothing(
    client, approved
):
    proposal, worker = approved
    client.force_login(worker)
    url = reverse("projects:open", args=[proposal.pk])

    response = client.post(url, {**open_data(issued_key(client, url)), "add_part": "1"})

    assert response.status_code == 200
    assert 'name="parts-4-percent"' in response.content.decode()
    assert not Project.objects.exists()


def test_the_same_form_sent_twice_opens_one_project(client, approved):
    proposal, worker = approved
    client.force_login(worker)
    url = reverse("projects:open", args=[proposal.pk])
    data = open_data(issued_key(client, url))

    client.post(url, data)
    again = client.post(url, data, follow=True)

    assert Project.objects.filter(proposal=proposal).count() == 1
    assert again.status_code == 200


def test_only_the_social_worker_opens_a_project(client, approved):
    proposal, _worker = approved
    client.force_login(make_member(proposal.community, Role.FUND_COMMITTEE))

    response = client.get(reverse("projects:open", args=[proposal.pk]))

    assert response.status_code == 403


def test_anyone_reads_the_project_page_without_receipts_or_bank_references(
    client, crew
):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "120.00")

    response = client.get(crew.project.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert crew.proposal.title in body
    assert "BANK-001" not in body
    assert "/receipt/" not in body
    assert "¥120.00" in body


def test_the_fund_committee_sees_bank_references_and_receipts(client, crew):
    pay(crew, crew.project.installments.get(position=1))
    expense = spend(crew, "120.00")
    client.force_login(crew.signers[0])

    page = client.get(crew.project.get_absolute_url()).content.decode()
    money = client.get(reverse("projects:money", args=[crew.project.pk]))
    receipt = client.get(
        reverse("projects:receipt", args=[crew.project.pk, expense.pk])
    )

    assert "BANK-001" in page
    assert reverse("projects:receipt", args=[crew.project.pk, expense.pk]) in (
        money.content.decode()
    )
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "image/png"


def test_a_receipt_is_refused_to_the_public(client, crew):
    expense = spend(crew, "120.00")
    client.force_login(crew.residents[0])

    response = client.get(
        reverse("projects:receipt", args=[crew.project.pk, expense.pk])
    )

    assert response.status_code == 403


def test_the_money_page_reconciles_each_budget_line(client, crew):
    pay(crew, crew.project.installments.get(position=1))
    spend(crew, "100.00")
    spend(crew, "30.00", accept=False)

    response = client.get(reverse("projects:money", args=[crew.project.pk]))

    money = response.context["page"].money
    assert money.accepted == 100
    assert money.waiting == 30
    assert money.unspent == money.paid - 100
    assert "¥30.00" in response.content.decode()


def test_the_fund_page_lists_the_communitys_projects_by_state(client, crew):
    pay(crew, crew.project.installments.get(position=1))

    response = client.get(reverse("fund:fund", args=[crew.project.community.code]))

    body = response.content.decode()
    assert crew.project.get_absolute_url() in body
    assert "Running" in body


def _fund_page_queries(client, code):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("fund:fund", args=[code]))
    return response, len(captured)


def test_the_fund_page_shows_the_newest_projects_of_a_state_and_links_to_all(
    client, settings
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    community, _keeper, _tranche = make_funded_community("100000.00")
    titles = [f"项目{n}" for n in range(7)]
    for n, title in enumerate(titles):
        make_project(
            make_approved_proposal(community, title=title),
            starts_on=date(2026, 1, 1 + n),
        )
    lone, _keeper, _tranche = make_funded_community("100000.00")
    make_project(make_approved_proposal(lone, title="独一个"))

    response, many_queries = _fund_page_queries(client, community.code)
    _response, one_queries = _fund_page_queries(client, lone.code)

    body = response.content.decode()
    shown = [title for title in titles if f">{title}</a>" in body]
    assert shown == titles[2:]  # the five that started last
    assert 'Starting <span class="muted">(7)</span>' in body
    assert f"{reverse('proposals:list', args=[community.code])}?status=approved" in body
    assert "All 7 projects: Starting" in body
    assert many_queries == one_queries


def test_the_fund_page_renders_its_projects_once_until_one_of_them_changes(
    client, settings, crew
):
    """The projects section is cached under the projects' own version: a
    cached page does not read the projects, and a payment (the proposal
    becomes active) or a newly opened project shows on the next page."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fund-page-projects",
        }
    }
    community = crew.project.community
    client.get(reverse("fund:fund", args=[community.code]))

    cached = _queries_of(client, community.code)
    # The section's version is read (the newest project and the newest move
    # of their proposals); the projects themselves are not.
    assert any("MAX(proposal.updated_at)" in query for query in cached)
    assert not any(
        "projects_project" in query and "COUNT(" in query for query in cached
    )
    body = client.get(reverse("fund:fund", args=[community.code])).content.decode()
    assert 'Starting <span class="muted">(1)</span>' in body

    pay(crew, Installment.objects.get(project=crew.project, position=1))
    body = client.get(reverse("fund:fund", args=[community.code])).content.decode()
    assert 'Running <span class="muted">(1)</span>' in body
    assert "Starting" not in body

    make_project(make_approved_proposal(community, title="新开的项目"))
    body = client.get(reverse("fund:fund", args=[community.code])).content.decode()
    assert ">新开的项目</a>" in body
    assert 'Starting <span class="muted">(1)</span>' in body


def _queries_of(client, code) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("fund:fund", args=[code]))
    return [query["sql"] for query in captured.captured_queries]


def test_the_proposal_page_links_to_its_project(client, crew):
    response = client.get(crew.proposal.get_absolute_url())

    assert crew.project.get_absolute_url() in response.content.decode()


def test_the_proposal_page_offers_the_social_worker_to_open_the_project(
    client, approved
):
    proposal, worker = approved
    client.force_login(worker)

    response = client.get(proposal.get_absolute_url())

    assert reverse("projects:open", args=[proposal.pk]) in response.content.decode()


def test_the_next_installment_is_offered_to_the_social_worker(client, crew):
    client.force_login(crew.worker)

    response = client.get(crew.project.get_absolute_url())

    first = Installment.objects.get(project=crew.project, position=1)
    second = Installment.objects.get(project=crew.project, position=2)
    body = response.content.decode()
    assert reverse("projects:request", args=[crew.project.pk, first.pk]) in body
    assert reverse("projects:request", args=[crew.project.pk, second.pk]) not in body
    assert date(2026, 1, 1).isoformat() in body


def test_a_viewer_of_a_supervising_department_sees_receipts_and_another_does_not(
    client, crew
):
    expense = spend(crew, "120.00")
    url = reverse("projects:receipt", args=[crew.project.pk, expense.pk])
    supervising = Department.objects.create(
        code="D-SUP", name="民政局", name_en="Civil affairs", kind="civil_affairs"
    )
    supervising.communities.add(crew.project.community)
    elsewhere = Department.objects.create(
        code="D-ELSE", name="别处", name_en="Elsewhere", kind="civil_affairs"
    )
    viewer, stranger = make_user(), make_user()
    DepartmentViewer.objects.create(user=viewer, department=supervising)
    DepartmentViewer.objects.create(user=stranger, department=elsewhere)

    client.force_login(viewer)
    assert client.get(url).status_code == 200
    client.force_login(stranger)
    assert client.get(url).status_code == 403


def test_a_long_timeline_shows_its_newest_entries_and_links_to_the_whole(client, crew):
    for day in range(1, 46):
        services.volunteer_shift_record(
            project=crew.project,
            actor=crew.team,
            activity="夜巡",
            served_on=date(2026, 1, 1) + timedelta(days=day),
            hours=Decimal("2"),
            volunteer_name="张大爷",
        )
    url = crew.project.get_absolute_url()

    first = client.get(url)
    whole = client.get(url, {"timeline": "all"})

    assert len(first.context["page"].timeline) == 30
    assert first.context["page"].timeline[0].on == date(2026, 2, 15)
    assert "?timeline=all" in first.content.decode()
    assert len(whole.context["page"].timeline) == 45


def test_the_timeline_shows_each_kind_escaped_with_its_links(client, crew):
    """The timeline is written in Python (projects/templatetags/project_pages.py):
    its links, its sums on every database and its escaping."""
    pay(crew, crew.project.installments.get(position=1))
    expense = spend(crew, "120.00")
    report = file_report(crew)
    for hours in ("1.1", "2.2"):  # SQLite sums them as floats
        services.volunteer_shift_record(
            project=crew.project,
            actor=crew.team,
            activity="夜巡",
            served_on=date(2026, 2, 1),
            hours=Decimal(hours),
            volunteer_name=f"志愿者{hours}",
        )
    services.observation_record(
        project=crew.project,
        actor=crew.evaluator,
        observed_on=date(2026, 2, 1),
        notes="<script>alert(1)</script>",
    )
    client.force_login(crew.signers[0])

    page = client.get(
        crew.project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    photo = report.photos.get()
    photo_url = reverse("projects:photo", args=[crew.project.pk, photo.pk])
    assert f'<a href="{photo_url}"><img src="{photo_url}"' in page
    assert reverse("projects:receipt", args=[crew.project.pk, expense.pk]) in page
    assert "<strong>Volunteers</strong> · 2 volunteers, 3.3 hours" in page
    assert "installment 1 · bank reference BANK-001" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
