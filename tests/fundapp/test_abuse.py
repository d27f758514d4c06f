"""Abuse is refused politely: logins pause after too many wrong passwords (by
account, whichever way it is typed, and by address) until the cool-off ends or
a social worker unlocks the account; registration, comments, supports and the
API answer 429 past their limits, in the reader's language, saving nothing."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse

from fundapp.environment import rate_limits_from
from fundapp.models import Role, User
from proposals.models import Comment
from tests.factories import make_community, make_member, make_proposal

pytestmark = pytest.mark.django_db

PASSWORD = "linli-test-pass"


def _log_in(client, login, password, address="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": login, "password": password},
        REMOTE_ADDR=address,
    )


def _in_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 5
    return 5


def test_after_too_many_wrong_passwords_the_right_one_is_refused(client, limit):
    resident = make_member(make_community())

    answers = [_log_in(client, resident.username, "wrong") for _ in range(limit)]
    response = _log_in(client, resident.username, PASSWORD)

    assert [answer.status_code for answer in answers] == [200] * (limit - 1) + [429]
    assert response.status_code == 429
    assert "Logins paused" in response.text
    assert "_auth_user_id" not in client.session
    failures = AccessFailureLog.objects.filter(username=resident.username)
    assert failures.count() == limit + 1
    assert failures.filter(locked_out=True).count() == 2


def test_wrong_passwords_by_phone_and_by_username_count_against_one_account(
    client, limit
):
    resident = make_member(make_community())

    for attempt in range(limit):
        login = resident.phone if attempt % 2 else resident.username
        _log_in(client, login, "wrong", address=f"10.0.1.{attempt}")
    response = _log_in(client, resident.phone, PASSWORD, address="10.0.2.1")

    assert response.status_code == 429


def test_too_many_wrong_passwords_from_one_address_pause_its_logins(client, limit):
    resident = make_member(make_community())

    for number in range(limit):
        _log_in(client, f"guess{number}", "wrong", address="10.0.3.3")
    from_there = _log_in(client, resident.username, PASSWORD, address="10.0.3.3")
    from_home = _log_in(client, resident.username, PASSWORD, address="10.0.4.4")

    assert from_there.status_code == 429
    assert from_home.status_code == 302


def test_the_pause_speaks_chinese(client, limit):
    resident = make_member(make_community())
    _in_chinese(client)
    for _ in range(limit):
        _log_in(client, resident.username, "wrong")

    response = _log_in(client, resident.username, PASSWORD)

    assert response.status_code == 429
    assert "登录已暂停" in response.text


def test_a_login_is_recorded_and_a_success_forgets_earlier_failures(client, limit):
    resident = make_member(make_community())
    _log_in(client, resident.username, "wrong")

    response = _log_in(client, resident.username, PASSWORD)

    assert response.status_code == 302
    assert AccessLog.objects.filter(username=resident.username).count() == 1
    assert not AccessAttempt.objects.filter(username=resident.username).exists()


def test_a_social_worker_sees_the_paused_resident_and_unlocks_them(client, limit):
    community = make_community()
    resident = make_member(community, display_name="黄阿姨")
    worker = make_member(community, role=Role.SOCIAL_WORKER)
    for _ in range(limit):
        _log_in(client, resident.username, "wrong")

    client.force_login(worker)
    page = client.get(reverse("fund:residents", args=[community.code])).text
    response = client.post(reverse("fund:unlock", args=[community.code, resident.pk]))
    client.logout()

    assert "Logins paused" in page and "黄阿姨" in page
    assert "5 wrong passwords" in page
    assert response.status_code == 302
    assert _log_in(client, resident.username, PASSWORD).status_code == 302


def test_a_social_worker_of_another_community_cannot_unlock(client, limit):
    community = make_community()
    resident = make_member(community)
    stranger = make_member(make_community(), role=Role.SOCIAL_WORKER)
    for _ in range(limit):
        _log_in(client, resident.username, "wrong")

    client.force_login(stranger)
    response = client.post(reverse("fund:unlock", args=[community.code, resident.pk]))

    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username=resident.username).exists()


def test_a_resident_cannot_unlock_anyone(client, limit):
    community = make_community()
    resident = make_member(community)
    neighbour = make_member(community)

    client.force_login(neighbour)
    response = client.post(reverse("fund:unlock", args=[community.code, resident.pk]))

    assert response.status_code == 403


def test_comments_past_the_limit_answer_429_and_save_nothing(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (2, 600)}
    proposal = make_proposal()
    client.force_login(make_member(proposal.community))
    url = reverse("proposals:comment", args=[proposal.pk])
    _in_chinese(client)

    answers = [client.post(url, {"body": f"第{n}条"}) for n in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert "请稍等" in answers[2].text
    assert answers[2]["Retry-After"].isdigit()
    assert Comment.objects.filter(proposal=proposal).count() == 2


def test_one_persons_limit_is_not_anothers(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "support": (1, 600)}
    proposal = make_proposal()
    first, second = make_member(proposal.community), make_member(proposal.community)
    url = reverse("proposals:support", args=[proposal.pk])

    client.force_login(first)
    client.post(url)
    again = client.post(url)
    client.force_login(second)
    other = client.post(url)

    assert again.status_code == 429
    assert other.status_code == 302
    proposal.refresh_from_db()
    assert proposal.support_count == 2


def test_registrations_from_one_address_are_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": (1, 3600)}
    community = make_community()

    def register(phone):
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client.post(
            reverse("fund:register"),
            {
                "community": community.pk,
                "display_name": "黄阿姨",
                "phone": phone,
                "address": "5栋1单元101",
                "password": "hongmei-1958",
            },
            REMOTE_ADDR="10.0.5.5",
        )

    first, second = register("13712345678"), register("13712345679")

    assert first.status_code == 302
    assert second.status_code == 429
    assert "Please wait a moment" in second.text
    assert not User.objects.filter(phone="13712345679").exists()


def test_the_api_answers_429_past_its_limit_in_the_readers_language(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (2, 60)}
    community = make_community()
    url = f"/api/ledger/?community={community.code}"
    _in_chinese(client)

    answers = [client.get(url) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()["detail"].startswith("请求已被限流")
    assert answers[2]["Retry-After"].isdigit()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("comment=ten/600", "is not scope=requests/seconds"),
        ("comments=10/600", "is not scope=requests/seconds"),
        ("comment=10/0", "is not scope=requests/seconds"),
        ("comment=10", "is not scope=requests/seconds"),
    ],
)
def test_a_rate_limit_setting_that_means_nothing_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        rate_limits_from(text)


def test_rate_limit_settings_change_only_the_scopes_they_name():
    limits = rate_limits_from("comment=10/60, api=0/60")

    assert limits["comment"] == (10, 60)
    assert limits["api"] == (0, 60)
    assert limits["register"] == (5, 3600)
