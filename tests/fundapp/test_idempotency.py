"""One idempotency key means one request (issue 8)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fundapp import services
from fundapp.idempotency import (
    derived_key,
    form_key_check,
    form_key_issue,
    request_digest,
)
from fundapp.models import Category, Commitment, LedgerTransaction, Role
from fundapp.selectors import fund_balances
from tests.factories import issued_key, key, make_funded_community, make_member

pytestmark = pytest.mark.django_db


def commit(fund, actor, amount="10.00", **fields):
    return services.commitment_create(
        fund=fund,
        purpose=fields.pop("purpose", "Night 110 patrol"),
        category=fields.pop("category", Category.SECURITY),
        amount=Decimal(amount),
        actor=actor,
        idempotency_key=fields.pop("idempotency_key", key()),
        **fields,
    )


def test_a_retry_with_the_same_key_and_request_returns_the_first_commitment():
    community, keeper, _tranche = make_funded_community("100.00")

    first = commit(community.fund, keeper, idempotency_key="retry-1")
    second = commit(community.fund, keeper, idempotency_key="retry-1")

    assert second == first
    assert fund_balances(fund=community.fund).committed == Decimal("10.00")


@pytest.mark.parametrize(
    "changed",
    [
        {"amount": "10.01"},
        {"purpose": "Knitting"},
        {"category": Category.CULTURE},
        {"decision": "C-1#1"},
    ],
)
def test_the_same_key_with_other_parameters_is_refused_and_changes_nothing(changed):
    community, keeper, _tranche = make_funded_community("100.00")
    if "decision" in changed:
        keeper = make_member(community, Role.COORDINATOR)
    commit(
        community.fund, make_member(community, Role.FUND_COMMITTEE), idempotency_key="k"
    )

    with pytest.raises(
        ValidationError, match="already used for another request"
    ) as error:
        commit(community.fund, keeper, idempotency_key="k", **changed)

    assert error.value.code == "idempotency_key_reused"
    assert Commitment.objects.filter(fund=community.fund).count() == 1
    assert fund_balances(fund=community.fund).committed == Decimal("10.00")


def test_the_same_key_by_another_person_is_refused():
    community, keeper, _tranche = make_funded_community("100.00")
    other_keeper = make_member(community, Role.FUND_COMMITTEE)
    commit(community.fund, keeper, idempotency_key="k")

    with pytest.raises(ValidationError, match="already used") as error:
        commit(community.fund, other_keeper, idempotency_key="k")

    assert error.value.code == "idempotency_key_reused"


def test_another_communitys_key_never_returns_its_commitment():
    """The attack of issue 8: XWJ's committee replays a key JMJY used."""
    jmjy, jmjy_keeper, _tranche = make_funded_community("5000.00")
    xwj, xwj_keeper, _other = make_funded_community("5000.00")
    jmjy_commitment = commit(jmjy.fund, jmjy_keeper, "2820.00", idempotency_key="k")

    with pytest.raises(ValidationError, match="already used") as error:
        commit(xwj.fund, xwj_keeper, "0.01", idempotency_key="k")

    assert error.value.code == "idempotency_key_reused"
    assert jmjy_commitment.fund == jmjy.fund
    assert fund_balances(fund=xwj.fund).committed == 0
    assert fund_balances(fund=jmjy.fund).committed == Decimal("2820.00")


def test_a_release_key_reused_for_another_release_is_refused():
    community, keeper, _tranche = make_funded_community("100.00")
    first = commit(community.fund, keeper, "50.00")
    second = commit(community.fund, keeper, "20.00")
    services.commitment_release(
        commitment=first, actor=keeper, idempotency_key="undo", reason="cancelled"
    )

    with pytest.raises(ValidationError, match="already used") as error:
        services.commitment_release(
            commitment=second, actor=keeper, idempotency_key="undo", reason="cancelled"
        )

    assert error.value.code == "idempotency_key_reused"
    assert services.commitment_outstanding(second) == Decimal("20.00")


def test_a_tranche_key_reused_for_another_tranche_is_refused():
    community, keeper, tranche = make_funded_community("100.00")
    movement = tranche.transactions.get()

    with pytest.raises(ValidationError, match="already used"):
        services.tranche_receive(
            fund=community.fund,
            source=tranche.source,
            fiscal_year=2026,
            reference="OTHER",
            amount=Decimal("1.00"),
            received_on=tranche.received_on,
            actor=keeper,
            idempotency_key=movement.idempotency_key,
        )

    assert LedgerTransaction.objects.filter(fund=community.fund).count() == 1


def test_a_form_key_is_accepted_only_from_the_person_and_form_it_was_issued_for():
    community, keeper, _tranche = make_funded_community("100.00")
    other = make_member(community, Role.FUND_COMMITTEE)
    issued = form_key_issue(user=keeper, form="commit:JMJY")

    assert form_key_check(issued, user=keeper, form="commit:JMJY") == issued
    assert form_key_check(issued + "-v", user=keeper, form="commit:JMJY")
    assert len(issued + "-remove_from_calendar-123456") <= 80
    for user, form in [(other, "commit:JMJY"), (keeper, "commit:XWJ")]:
        with pytest.raises(ValidationError, match="expired") as error:
            form_key_check(issued, user=user, form=form)
        assert error.value.code == "expired_form"


@pytest.mark.parametrize(
    "made_up",
    [
        "councils:4:30:86:approved",
        derived_key("councils.decision", 4, 30, 86, "approved"),
        "f" + "0" * 16 + "." + "0" * 24,
        "",
        "f" * 200,
    ],
)
def test_a_key_the_server_did_not_issue_is_refused(made_up):
    community, keeper, _tranche = make_funded_community("100.00")

    with pytest.raises(ValidationError, match="expired") as error:
        form_key_check(made_up, user=keeper, form="commit:JMJY")

    assert error.value.code == "expired_form"


def test_derived_keys_depend_on_every_part_and_never_look_like_a_form_key():
    key_a = derived_key("councils.decision", 4, 30, 86, "approved")

    assert key_a == derived_key("councils.decision", 4, 30, 86, "approved")
    assert key_a != derived_key("councils.decision", 4, 30, 86, "rejected")
    assert key_a.startswith("d") and len(key_a) <= 80


def test_the_request_digest_names_rows_and_amounts_by_value():
    community, keeper, _tranche = make_funded_community("100.00")

    assert request_digest("commit", fund=community.fund, amount=Decimal("1.50")) == (
        request_digest("commit", fund=community.fund, amount=Decimal("1.50"))
    )
    assert request_digest("commit", amount=Decimal("1.50")) != request_digest(
        "commit", amount=Decimal("1.51")
    )


def test_a_commit_form_with_a_key_from_elsewhere_is_refused_and_moves_nothing(client):
    community, keeper, _tranche = make_funded_community("100.00")
    client.force_login(keeper)

    response = client.post(
        reverse("fund:commit", args=[community.code]),
        {
            "idempotency_key": "councils:4:30:86:approved",
            "purpose": "Night 110",
            "category": "security",
            "amount": "0.01",
        },
    )

    assert response.status_code == 200
    assert "expired" in response.context["form"].non_field_errors()[0]
    assert fund_balances(fund=community.fund).committed == 0


def test_a_commit_form_resent_with_another_amount_is_refused(client):
    community, keeper, _tranche = make_funded_community("100.00")
    client.force_login(keeper)
    url = reverse("fund:commit", args=[community.code])
    data = {
        "idempotency_key": issued_key(client, url),
        "purpose": "Night 110",
        "category": "security",
        "amount": "10.00",
    }
    client.post(url, data)

    response = client.post(url, {**data, "amount": "90.00"})

    assert "already used" in response.context["form"].non_field_errors()[0]
    assert fund_balances(fund=community.fund).committed == Decimal("10.00")
