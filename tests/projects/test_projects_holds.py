"""A deviation flag holds every unpaid installment until the fund committee
lifts the hold, citing the council decision; a confirmed hold still holds."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import services
from projects.models import DeviationFlag, Disbursement
from projects.selectors import project_on_hold
from proposals.models import Proposal
from tests.projects.steps import codes_of, council_decision, pay

pytestmark = pytest.mark.django_db


def flagged(crew, kind="inactive", reasons="两月无活动"):
    return services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind=kind, reasons=reasons
    )


def test_an_evaluator_flags_a_project_with_the_reasons(crew):
    flag = flagged(crew, kind="over_budget", reasons="  超支 ")

    flag.refresh_from_db()
    assert flag.state == DeviationFlag.State.OPEN
    assert flag.kind == "over_budget"
    assert flag.reasons == "超支"
    assert flag.raised_by == crew.evaluator
    assert flag.raised_at is not None
    assert project_on_hold(crew.project)


def test_only_an_evaluator_flags_a_project(crew):
    with pytest.raises(PermissionDenied, match="right to do this"):
        services.flag_raise(
            project=crew.project, actor=crew.signers[0], kind="other", reasons="r"
        )

    assert not DeviationFlag.objects.exists()


def test_a_flag_says_how_the_project_deviates(crew):
    with pytest.raises(ValidationError, match="how the project deviates") as error:
        flagged(crew, kind="late")

    assert error.value.message_dict == {"kind": ["Choose how the project deviates."]}
    assert not DeviationFlag.objects.exists()


def test_a_flag_gives_its_reasons(crew):
    with pytest.raises(ValidationError, match="reasons for the flag") as error:
        flagged(crew, reasons="   ")

    assert error.value.message_dict == {"reasons": ["Give the reasons for the flag."]}


def test_an_evaluated_project_is_not_flagged(crew):
    Proposal.objects.filter(pk=crew.project.proposal_id).update(status="evaluated")

    with pytest.raises(ValidationError, match="is not flagged") as error:
        flagged(crew)

    assert codes_of(error.value) == {"project_status"}
    assert error.value.messages == ["A project that is evaluated is not flagged."]
    assert not DeviationFlag.objects.exists()


def test_a_hold_blocks_the_second_signature_and_lifting_it_lets_the_payment_through(
    crew,
):
    disbursement = services.installment_request(
        installment=crew.project.installments.get(position=1), actor=crew.worker
    )
    services.disbursement_approve(disbursement=disbursement, actor=crew.signers[0])
    flag = flagged(crew)
    payment = {
        "method": "cash",
        "paid_on": timezone.localdate(),
    }
    with pytest.raises(ValidationError, match="on hold") as error:
        services.disbursement_approve(
            disbursement=disbursement, actor=crew.signers[1], **payment
        )
    assert codes_of(error.value) == {"on_hold"}

    services.flag_resolve(
        flag=flag,
        actor=crew.signers[0],
        lift=True,
        decision_reference=council_decision(crew.project.community),
    )
    paid = services.disbursement_approve(
        disbursement=disbursement, actor=crew.signers[1], **payment
    )

    assert paid.status == Disbursement.Status.PAID


def test_a_hold_lasts_while_any_flag_is_open(crew):
    reference = council_decision(crew.project.community)
    first, _second = flagged(crew), flagged(crew, kind="off_plan")

    services.flag_resolve(
        flag=first, actor=crew.signers[0], lift=True, decision_reference=reference
    )

    assert project_on_hold(crew.project)
    with pytest.raises(
        ValidationError, match="until the fund committee lifts"
    ) as error:
        services.installment_request(
            installment=crew.project.installments.get(position=1), actor=crew.worker
        )
    assert codes_of(error.value) == {"on_hold"}
    assert error.value.messages == [
        "This project is on hold after a deviation flag; nothing can be paid until "
        "the fund committee lifts the hold."
    ]


@pytest.mark.parametrize(("typed", "named"), [("jmjy-99#1", "JMJY-99#1"), ("  ", "—")])
def test_a_citation_that_is_no_decision_of_the_council_is_named_under_its_field(
    crew, typed, named
):
    flag = flagged(crew)

    with pytest.raises(ValidationError, match="not a decision") as error:
        services.flag_resolve(
            flag=flag, actor=crew.signers[0], lift=True, decision_reference=typed
        )

    assert codes_of(error.value) == {"unknown_decision"}
    assert error.value.message_dict == {
        "decision_reference": [
            f"{named} is not a decision of this community's council; cite it as it "
            "appears in the minutes, such as JMJY-5#3."
        ]
    }


def test_a_lifted_hold_cites_the_decision_as_in_the_minutes_and_who_lifted_it(crew):
    reference = council_decision(crew.project.community)
    flag = flagged(crew)

    services.flag_resolve(
        flag=flag,
        actor=crew.signers[0],
        lift=True,
        decision_reference=f"  {reference.lower()} ",
        note="  " + "说明" * 200,
    )

    flag.refresh_from_db()
    assert flag.state == DeviationFlag.State.LIFTED
    assert flag.decision_reference == reference
    assert flag.resolution_note == ("说明" * 200)[:300]
    assert flag.resolved_by == crew.signers[0]
    assert flag.resolved_at is not None
    assert not project_on_hold(crew.project)


def test_a_hold_lifted_without_a_note_records_none(crew):
    flag = flagged(crew)

    services.flag_resolve(
        flag=flag,
        actor=crew.signers[0],
        lift=True,
        decision_reference=council_decision(crew.project.community),
    )

    flag.refresh_from_db()
    assert (flag.state, flag.resolution_note) == (DeviationFlag.State.LIFTED, "")


def test_a_confirmed_hold_is_lifted_later_by_another_decision(crew):
    pay(crew, crew.project.installments.get(position=1))
    reference = council_decision(crew.project.community)
    flag = flagged(crew)
    services.flag_resolve(
        flag=flag, actor=crew.signers[0], lift=False, decision_reference=reference
    )
    flag.refresh_from_db()
    assert flag.state == DeviationFlag.State.CONFIRMED

    services.flag_resolve(
        flag=flag, actor=crew.signers[1], lift=True, decision_reference=reference
    )

    flag.refresh_from_db()
    assert flag.state == DeviationFlag.State.LIFTED
    assert flag.resolved_by == crew.signers[1]


def test_a_lifted_hold_is_not_resolved_again(crew):
    reference = council_decision(crew.project.community)
    flag = flagged(crew)
    services.flag_resolve(
        flag=flag, actor=crew.signers[0], lift=True, decision_reference=reference
    )

    with pytest.raises(ValidationError, match="This flag is hold lifted") as error:
        services.flag_resolve(
            flag=flag, actor=crew.signers[1], lift=False, decision_reference=reference
        )

    assert codes_of(error.value) == {"invalid_transition"}
    assert error.value.messages == ["This flag is hold lifted."]
    flag.refresh_from_db()
    assert flag.state == DeviationFlag.State.LIFTED
    assert flag.resolved_by == crew.signers[0]
