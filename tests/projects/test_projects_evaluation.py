"""Co-evaluation: residents rate, evaluators observe and flag, holds are resolved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fundapp.models import Membership, Role
from projects import services
from projects.models import DeviationFlag, Rating
from projects.selectors import project_on_hold, project_satisfaction, project_summary
from tests.factories import make_approved_proposal, make_member, make_user
from tests.projects.steps import codes_of, council_decision, file_report, pay

pytestmark = pytest.mark.django_db


def started(crew):
    pay(crew, crew.project.installments.get(position=1))
    return crew


def completed(crew, days_ago=1):
    started(crew)
    file_report(crew, "final")
    return services.project_complete(
        project=crew.project,
        actor=crew.worker,
        completed_on=timezone.localdate() - timedelta(days=days_ago),
    )


def test_residents_rate_a_running_project_and_change_their_rating(crew):
    started(crew)
    services.rating_set(project=crew.project, actor=crew.residents[0], score=2)

    services.rating_set(
        project=crew.project, actor=crew.residents[0], score=5, comment="晚上安心多了"
    )
    services.rating_set(project=crew.project, actor=crew.residents[1], score=4)

    satisfaction = project_satisfaction(crew.project)
    assert Rating.objects.filter(resident=crew.residents[0]).get().score == 5
    assert (satisfaction.mean, satisfaction.count) == (4.5, 2)
    assert satisfaction.distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}


@pytest.mark.parametrize("score", [0, 6, 4.5, "4", True, None])
def test_a_rating_outside_one_to_five_whole_stars_is_refused(crew, score):
    started(crew)

    with pytest.raises(ValidationError, match="1 to 5") as error:
        services.rating_set(project=crew.project, actor=crew.residents[0], score=score)

    assert codes_of(error.value) == {"bad_score"}
    assert not Rating.objects.exists()


def test_a_team_member_may_not_rate_their_own_project(crew):
    started(crew)
    crew.team.memberships.filter(role=Role.RESIDENT).update(verified_at=timezone.now())

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.rating_set(project=crew.project, actor=crew.team, score=5)


def test_a_resident_of_another_community_may_not_rate(crew):
    started(crew)
    stranger = make_member(make_approved_proposal().community, Role.RESIDENT)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.rating_set(project=crew.project, actor=stranger, score=5)


def test_an_unverified_resident_may_not_rate(crew):
    started(crew)
    newcomer = make_user()
    Membership.objects.create(
        user=newcomer, community=crew.project.community, role=Role.RESIDENT
    )

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.rating_set(project=crew.project, actor=newcomer, score=5)


def test_ratings_open_when_the_project_starts(crew):
    with pytest.raises(ValidationError, match="while the project runs") as error:
        services.rating_set(project=crew.project, actor=crew.residents[0], score=5)

    assert codes_of(error.value) == {"rating_closed"}


def test_ratings_stay_open_for_the_communitys_window_after_completion(crew):
    completed(crew, days_ago=60)

    rating = services.rating_set(project=crew.project, actor=crew.residents[0], score=3)

    assert rating.score == 3


def test_ratings_close_after_the_window(crew):
    completed(crew, days_ago=61)

    with pytest.raises(ValidationError, match="60 days") as error:
        services.rating_set(project=crew.project, actor=crew.residents[0], score=3)

    assert codes_of(error.value) == {"rating_closed"}


def test_only_an_evaluator_marks_a_project_evaluated_after_the_window(crew):
    completed(crew, days_ago=10)

    with pytest.raises(ValidationError, match="may rate this project until") as early:
        services.project_mark_evaluated(project=crew.project, actor=crew.evaluator)
    with pytest.raises(PermissionDenied, match="right to do this"):
        services.project_mark_evaluated(project=crew.project, actor=crew.worker)

    assert codes_of(early.value) == {"rating_window_open"}
    assert crew.proposal.status == "completed"


def test_an_evaluator_evaluates_once_the_window_has_closed(crew):
    completed(crew, days_ago=61)

    services.project_mark_evaluated(project=crew.project, actor=crew.evaluator)

    assert crew.proposal.status == "evaluated"


def test_an_evaluator_records_an_observation(crew):
    observation = services.observation_record(
        project=crew.project,
        actor=crew.evaluator,
        observed_on=timezone.localdate(),
        notes="巡逻队按时出发，居民反映良好",
        score=4,
    )

    assert observation.score == 4
    with pytest.raises(PermissionDenied, match="right to do this"):
        services.observation_record(
            project=crew.project,
            actor=crew.residents[0],
            observed_on=timezone.localdate(),
            notes="x",
        )


def test_a_flag_puts_payments_on_hold_until_the_fund_committee_lifts_it(crew):
    started(crew)
    flag = services.flag_raise(
        project=crew.project,
        actor=crew.evaluator,
        kind="inactive",
        reasons="两月无活动",
    )
    assert project_on_hold(crew.project)
    reference = council_decision(crew.project.community)

    flag = services.flag_resolve(
        flag=flag, actor=crew.signers[0], lift=True, decision_reference=reference
    )

    assert flag.state == DeviationFlag.State.LIFTED
    assert flag.decision_reference == reference
    assert not project_on_hold(crew.project)


def test_a_confirmed_hold_still_holds(crew):
    flag = services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="off_plan", reasons="偏离"
    )

    services.flag_resolve(
        flag=flag,
        actor=crew.signers[0],
        lift=False,
        decision_reference=council_decision(crew.project.community),
    )

    assert project_on_hold(crew.project)


@pytest.mark.parametrize("reference", ["", "JMJY-99#1", "XWJ-1#1", "garbage"])
def test_a_hold_is_resolved_only_citing_a_real_decision_of_the_council(crew, reference):
    council_decision(crew.project.community)
    flag = services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="other", reasons="r"
    )

    with pytest.raises(ValidationError, match="not a decision") as error:
        services.flag_resolve(
            flag=flag, actor=crew.signers[0], lift=True, decision_reference=reference
        )

    assert codes_of(error.value) == {"unknown_decision"}
    assert project_on_hold(crew.project)


def test_only_the_fund_committee_resolves_a_hold(crew):
    flag = services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="other", reasons="r"
    )

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.flag_resolve(
            flag=flag, actor=crew.worker, lift=True, decision_reference="X-1#1"
        )


def test_the_evaluation_summary_gathers_money_delivery_ratings_and_flags(crew):
    started(crew)
    file_report(crew, participants=30)
    services.rating_set(project=crew.project, actor=crew.residents[0], score=5)
    services.volunteer_shift_record(
        project=crew.project,
        actor=crew.team,
        activity="巡逻",
        served_on=date(2026, 4, 1),
        hours=3,
        volunteer_name="张大爷",
    )
    services.flag_raise(
        project=crew.project, actor=crew.evaluator, kind="inactive", reasons="r"
    )

    summary = project_summary(crew.project)

    assert summary.paid_amount == crew.project.installments.get(position=1).amount
    assert (summary.satisfaction_mean, summary.rating_count) == (5, 1)
    assert (summary.participants, summary.volunteer_count) == (30, 1)
    assert summary.volunteer_hours == 3
    assert summary.flags == [("inactive", "open")]
