"""The live fragment's poll: an unchanged meeting answers from its version, with no
query and no template; any change renders the fragment afresh (issue 13)."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils import services
from councils.live_version import live_version_bump, live_versions_current
from tests.factories import action_key

pytestmark = pytest.mark.django_db


def _poll(client, url, etag=None, **headers):
    if etag is not None:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(url, HTTP_HX_REQUEST="true", **headers)


def test_an_unchanged_poll_costs_no_query_and_no_template(
    client, in_session, django_assert_num_queries
):
    meeting, chair, members = in_session
    client.force_login(members[0])
    url = reverse("councils:live", args=[meeting.pk])
    first = _poll(client, url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert f'data-version="{etag.replace(chr(34), "&quot;")}"' in first.text

    with django_assert_num_queries(0):
        again = _poll(client, url, etag)

    assert again.status_code == 204
    assert again.content == b""
    assert not again.templates
    assert again["ETag"] == etag


def test_a_client_without_htmx_gets_304_not_modified(client, in_session):
    meeting, _chair, _members = in_session
    url = reverse("councils:live", args=[meeting.pk])
    etag = client.get(url)["ETag"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again["ETag"] == etag


def _signed_in(client, person):
    """Another browser (its own session), signed in as `person`, in English."""
    other = client.__class__()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    other.force_login(person)
    return other


def test_a_vote_renders_again_for_the_voter_and_the_chair_alone(
    client, in_session, key, move_and_state, django_capture_on_commit_callbacks
):
    """A vote changes the voter's fragment ("You voted") on every device they
    have, and the chair's (whose own vote may now decide); the room's other
    members and observers keep theirs, with no render (issue 13)."""
    meeting, chair, members = in_session
    move_and_state(meeting, chair, members[0], members[1], motion="main", text="Kiln")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_put(
            meeting=meeting, chair=chair, method="counted", idempotency_key=key()
        )
    url = reverse("councils:live", args=[meeting.pk])
    readers = {
        "member": _signed_in(client, members[0]),
        "chair": _signed_in(client, chair),
        "voter's other device": _signed_in(client, members[2]),
        "observer": client,
    }
    etags = {name: _poll(reader, url)["ETag"] for name, reader in readers.items()}
    assert all(
        _poll(reader, url, etags[name]).status_code == 204
        for name, reader in readers.items()
    )

    # A member votes from their phone (another client and session).
    phone = _signed_in(client, members[2])
    voted = phone.post(
        reverse("councils:act", args=[meeting.pk]),
        {
            "action": "vote",
            "choice": "yes",
            "idempotency_key": action_key(members[2], meeting) + "-v",
        },
        HTTP_HX_REQUEST="true",
    )
    assert voted.status_code == 200
    assert "You voted yes." in voted.text
    assert meeting.events.filter(type="vote").count() == 1

    polled = {name: _poll(reader, url, etags[name]) for name, reader in readers.items()}

    assert polled["member"].status_code == 204
    assert polled["observer"].status_code == 204
    assert polled["chair"].status_code == 200
    assert polled["chair"]["ETag"] != etags["chair"]
    other_device = polled["voter's other device"]
    assert other_device.status_code == 200
    assert "You voted yes." in other_device.text
    assert _poll(readers["chair"], url, polled["chair"]["ETag"]).status_code == 204


def test_an_etag_naming_another_member_is_rendered_afresh(client, in_session):
    """The tag names the member whose own version it carries; a session
    sending a tag made for another member (or edited) never gets a 204."""
    meeting, chair, members = in_session
    url = reverse("councils:live", args=[meeting.pk])
    mine = _signed_in(client, members[0])
    theirs = _poll(_signed_in(client, members[1]), url)["ETag"]
    forged = theirs.replace(f".{members[1].pk}.", f".{members[0].pk}.")

    assert _poll(mine, url, theirs).status_code == 200
    assert _poll(mine, url, forged).status_code == 200
    assert _poll(mine, url, '"x.y"').status_code == 200


def test_a_member_joining_the_speakers_queue_changes_the_version(
    client, in_session, django_capture_on_commit_callbacks
):
    meeting, chair, members = in_session
    url = reverse("councils:live", args=[meeting.pk])
    etag = _poll(client, url)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        services.floor_seek(meeting=meeting, member=members[3])

    changed = _poll(client, url, etag)
    assert changed.status_code == 200
    assert str(members[3]) in changed.text


def test_a_refused_action_leaves_the_version_alone(
    client, in_session, key, django_capture_on_commit_callbacks
):
    meeting, chair, members = in_session
    url = reverse("councils:live", args=[meeting.pk])
    etag = _poll(client, url)["ETag"]

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="."),
    ):
        services.vote_cast(
            meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
        )

    assert _poll(client, url, etag).status_code == 204


def test_the_etag_is_the_readers_own(client, in_session):
    """The fragment is rendered for one session in one language: another
    reader's tag, or the same reader in another language, renders afresh."""
    meeting, chair, members = in_session
    url = reverse("councils:live", args=[meeting.pk])
    client.force_login(members[0])
    mine = _poll(client, url)["ETag"]
    observer = client.__class__()
    observer.cookies["django_language"] = "en"

    assert _poll(observer, url, mine).status_code == 200
    client.cookies["django_language"] = "zh-hans"
    assert _poll(client, url, mine).status_code == 200


def test_a_lost_version_is_made_afresh_and_renders(client, in_session):
    meeting, _chair, _members = in_session
    url = reverse("councils:live", args=[meeting.pk])
    etag = _poll(client, url)["ETag"]

    caches["live"].clear()  # evicted, expired, or a new release

    again = _poll(client, url, etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert live_versions_current(meeting.pk, None)[0] is not None


def test_the_version_is_seen_by_another_process(client, in_session, settings):
    """Another process (its own cache client on the same store) sees a bump:
    the live cache is shared, never one process's memory."""
    meeting, _chair, _members = in_session
    configured = settings.CACHES["live"]
    assert not configured["BACKEND"].endswith("LocMemCache")
    other_process = caches["live"].__class__(
        configured.get("LOCATION", ""),
        {"KEY_PREFIX": configured.get("KEY_PREFIX", "")},
    )
    url = reverse("councils:live", args=[meeting.pk])
    _poll(client, url)
    name = f"councils:live-version:{meeting.pk}"
    before = other_process.get(name)
    assert before is not None

    live_version_bump(meeting.pk)

    assert other_process.get(name) not in (None, before)


def test_the_meeting_page_sends_back_the_version_it_shows(client, in_session):
    meeting, _chair, _members = in_session

    page = client.get(reverse("councils:meeting", args=[meeting.pk]))

    # councils/static/councils/live_version.js sends it as If-None-Match.
    assert "councils/live_version.js" in page.text
    assert 'data-version="&quot;' in page.text


def test_after_a_change_the_room_is_read_once_for_everyone(
    client, in_session, key, django_assert_num_queries
):
    """The meeting, names, queue and agenda are read by the first poll after a
    change and kept under the version: a member's next render reads only
    their session and themselves, an observer's none."""
    meeting, chair, members = in_session
    url = reverse("councils:live", args=[meeting.pk])
    client.force_login(members[0])
    other = client.__class__()
    other.force_login(members[1])
    _poll(other, url)  # its session's first request records when it began
    observer, second_observer = client.__class__(), client.__class__()
    live_version_bump(meeting.pk)  # a change
    assert _poll(client, url).status_code == 200

    with django_assert_num_queries(2):  # the session, the user
        assert _poll(other, url).status_code == 200
    with django_assert_num_queries(0):
        first = _poll(observer, url)
    with django_assert_num_queries(0):
        second = _poll(second_observer, url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert "council-live" in second.text
    assert not second.templates  # rendered once, for the first observer
    assert first.templates


def test_a_fragment_holding_a_csrf_token_is_not_shared(client, in_session):
    meeting, chair, members = in_session
    url = reverse("councils:live", args=[meeting.pk])
    client.force_login(members[0])

    mine = _poll(client, url)

    assert "csrfmiddlewaretoken" in mine.text
    observer = client.__class__()
    assert "csrfmiddlewaretoken" not in _poll(observer, url).text


def test_after_a_vote_the_room_reads_the_meeting_row_alone(
    client,
    in_session,
    key,
    move_and_state,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    """A vote changes only the log: an observer's poll is answered as
    unchanged, and the next render takes the room's parts (names, agenda,
    queue) as kept under the room's version and reads the meeting's row;
    joining the speakers' queue reads them again."""
    meeting, chair, members = in_session
    move_and_state(meeting, chair, members[0], members[1], motion="main", text="Kiln")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_put(
            meeting=meeting, chair=chair, method="counted", idempotency_key=key()
        )
    url = reverse("councils:live", args=[meeting.pk])
    etag = _poll(client, url)["ETag"]  # an observer: the room is read

    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(
            meeting=meeting, member=members[2], choice="yes", idempotency_key=key()
        )
    with django_assert_num_queries(0):  # an observer's fragment is as it was
        assert _poll(client, url, etag).status_code == 204
    with django_assert_num_queries(1):  # the meeting's row
        voted = _poll(client.__class__(), url)  # a new observer

    assert voted.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.floor_seek(meeting=meeting, member=members[3])
    with django_assert_num_queries(4):  # the meeting, names, agenda, queue
        queued = _poll(client, url, voted["ETag"])

    assert queued.status_code == 200
    assert str(members[3]) in queued.text


def test_who_sees_a_vote_is_the_voter_and_the_chair_unless_more_changed():
    """`_seen_only_by` (councils/services/events.py): a vote that changed the
    outcome in more than the votes cast, any other event, or an id that is no
    person's gives everyone a new version (None)."""
    from types import SimpleNamespace

    from councils.services.events import _seen_only_by

    before = {"meeting": {"chair": "7", "state": "IN_SESSION"}, "cast": {}}
    after = {**before, "cast": {"12": "yes"}}
    vote = SimpleNamespace(type="vote", actor_id=12, payload={"member": "12"})

    assert _seen_only_by(vote, before, after) == {12, 7}
    assert _seen_only_by(vote, before, {**after, "pending": []}) is None
    assert (
        _seen_only_by(
            SimpleNamespace(**{**vars(vote), "type": "second"}), before, after
        )
        is None
    )
    odd = SimpleNamespace(**{**vars(vote), "payload": {"member": "X1"}})
    assert _seen_only_by(odd, before, after) is None
    unchaired = {**after, "meeting": {**after["meeting"], "chair": None}}
    assert _seen_only_by(
        vote, {**before, "meeting": unchaired["meeting"]}, unchaired
    ) == {12}
