"""The open data API of funded projects: what it shows, filters, and never shows."""

import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from fundapp.models import Role
from projects import services
from tests.factories import make_approved_proposal, make_member, make_project
from tests.projects.steps import file_report, pay, spend

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_api_lists_projects_with_their_grant(client, crew):
    response = client.get("/api/projects/")

    (row,) = results(response)
    proposal = crew.proposal
    assert row["id"] == crew.project.pk
    assert row["proposal"] == proposal.pk
    assert row["community"] == proposal.community.code
    assert row["title"] == proposal.title
    assert row["reference"] == proposal.decision_reference
    assert row["status"] == "approved"
    assert row["approved_amount"] == f"{proposal.approved_amount:.2f}"
    assert row["grantee_name"] == crew.project.grantee_name
    assert row["starts_on"] == "2026-01-01"


def test_installments_show_what_was_paid_and_when_but_not_how(client, crew):
    first, second, third = crew.project.installments.all()
    pay(crew, first)

    rows = results(client.get("/api/installments/", {"project": crew.project.pk}))

    assert [row["position"] for row in rows] == [1, 2, 3]
    assert [row["state"] for row in rows] == ["paid", "scheduled", "scheduled"]
    assert rows[0]["paid_amount"] == f"{first.amount:.2f}"
    assert rows[0]["paid_on"] is not None
    assert sum(Decimal(row["amount"]) for row in rows) == crew.proposal.approved_amount


def test_an_installment_on_hold_and_a_requested_one_are_told_apart(client, crew):
    first, second, _third = crew.project.installments.all()
    services.installment_request(installment=first, actor=crew.worker)
    requested = results(client.get("/api/installments/", {"state": "requested"}))

    services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="inactive", reasons="无活动"
    )
    held = results(client.get("/api/installments/", {"state": "on_hold"}))

    assert [row["id"] for row in requested] == [first.pk]
    assert len(held) == 3
    assert results(client.get("/api/installments/", {"state": "requested"})) == []


def test_no_bank_reference_receipt_phone_or_signer_leaks(client, crew):
    first = crew.project.installments.first()
    pay(crew, first)
    spend(crew, "100.00")
    file_report(crew)
    everything = "".join(
        client.get(path).content.decode()
        for path in [
            "/api/projects/",
            f"/api/projects/{crew.project.pk}/",
            "/api/installments/",
            f"/api/installments/{first.pk}/",
            "/api/progress-reports/",
            "/api/evaluation-summaries/",
            f"/api/evaluation-summaries/{crew.project.pk}/",
        ]
    )

    assert "BANK-001" not in everything
    assert "bank" not in everything.lower()
    assert "receipt" not in everything.lower()
    assert "projects/" not in everything  # no stored file's path
    assert crew.project.contact_phone not in everything
    for person in [crew.worker, *crew.signers, crew.team]:
        assert person.username not in everything


def test_progress_reports_are_listed_with_their_photo_count(client, crew):
    file_report(crew, participants=42)
    file_report(crew, accept=False, participants=7)

    accepted = results(client.get("/api/progress-reports/", {"status": "accepted"}))
    everything = results(client.get("/api/progress-reports/"))

    assert [row["participants"] for row in accepted] == [42]
    assert accepted[0]["photos"] == 1
    assert accepted[0]["kind"] == "progress"
    assert sorted(row["participants"] for row in everything) == [7, 42]


def test_the_evaluation_summary_adds_up_ratings_hours_money_and_flags(client, crew):
    first = crew.project.installments.first()
    pay(crew, first)
    spend(crew, "100.00")
    file_report(crew, participants=30)
    for resident, score in zip(crew.residents, [5, 4, 4], strict=True):
        services.rating_set(project=crew.project, actor=resident, score=score)
    for hours in ["3", "2.5"]:
        services.volunteer_shift_record(
            project=crew.project,
            actor=crew.worker,
            activity="夜间巡逻",
            served_on=crew.project.starts_on,
            hours=Decimal(hours),
            volunteer_name="张三",
        )
    services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="off_plan", reasons="偏离"
    )

    listed = results(client.get("/api/evaluation-summaries/"))
    one = client.get(f"/api/evaluation-summaries/{crew.project.pk}/").json()

    assert listed == [one]
    assert one["project"] == crew.project.pk
    assert one["satisfaction"] == {
        "mean": "4.3",
        "count": 3,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1},
    }
    assert one["participants"] == 30
    assert one["volunteer_count"] == 1
    assert one["volunteer_hours"] == "5.5"
    assert one["paid_amount"] == f"{first.amount:.2f}"
    assert one["spent_amount"] == "100.00"
    assert one["returned_amount"] == "0.00"
    assert one["flags"] == [{"kind": "off_plan", "state": "open"}]


def test_projects_filter_by_community_status_and_year(client, crew):
    pay(crew, crew.project.installments.first())
    other = make_project(make_approved_proposal())

    active = results(client.get("/api/projects/", {"status": "active"}))
    theirs = results(client.get("/api/projects/", {"community": other.community.code}))
    this_year = results(client.get("/api/projects/", {"year": 2026}))
    next_year = results(client.get("/api/projects/", {"year": 2027}))
    summaries = results(
        client.get("/api/evaluation-summaries/", {"status": "approved"})
    )

    assert [row["id"] for row in active] == [crew.project.pk]
    assert [row["id"] for row in theirs] == [other.pk]
    assert len(this_year) == 2
    assert next_year == []
    assert [row["project"] for row in summaries] == [other.pk]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/projects/", {"status": "draft"}),
        ("/api/projects/", {"year": "soon"}),
        ("/api/installments/", {"state": "stolen"}),
        ("/api/installments/", {"project": "x"}),
        ("/api/progress-reports/", {"kind": "novel"}),
        ("/api/evaluation-summaries/", {"category": "weapons"}),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_filter(client, crew, path, query):
    response = client.get(path, query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/{}/",
        "/api/installments/{}/",
        "/api/progress-reports/{}/",
        "/api/evaluation-summaries/{}/",
    ],
)
def test_an_unknown_id_is_a_404(client, crew, path):
    response = client.get(path.format(987654))

    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_schema_documents_the_endpoints_their_filters_400_and_404(client):
    response = client.get("/api/schema/")

    schema = yaml.safe_load(response.content)
    validate(schema)
    paths = schema["paths"]
    for name in ["projects", "installments", "progress-reports"]:
        listing = paths[f"/api/{name}/"]["get"]
        assert {"200", "400"} <= set(listing["responses"])
        assert "community" in {p["name"] for p in listing["parameters"]}
        assert {"200", "404"} <= set(paths[f"/api/{name}/{{id}}/"]["get"]["responses"])
    summary = paths["/api/evaluation-summaries/{id}/"]["get"]["responses"]["200"]
    ref = summary["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    fields = schema["components"]["schemas"][ref]["properties"]
    assert {"satisfaction", "volunteer_hours", "flags", "spent_amount"} <= set(fields)
    assert "bank_reference" not in json.dumps(schema)


def test_the_lists_take_as_many_queries_for_one_project_as_for_many(client, crew):
    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    paths = [
        "/api/projects/",
        "/api/installments/",
        "/api/progress-reports/",
        "/api/evaluation-summaries/",
    ]
    file_report(crew)
    few = [queries(path) for path in paths]
    for _ in range(3):
        proposal = make_approved_proposal()
        worker = make_member(proposal.community, Role.SOCIAL_WORKER)
        project = make_project(proposal, worker=worker)
        file_report(
            SimpleNamespace(project=project, team=proposal.proposer, worker=worker)
        )
    many = [queries(path) for path in paths]

    assert len(results(client.get("/api/progress-reports/"))) == 4
    assert many == few
