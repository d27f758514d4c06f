"""The minutes as PDF (issue 4, point 6): made by a task, stored per version and
language, sent by a view with the minutes page's permissions."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from councils import services
from councils.models import MinutesPdf
from tests.factories import make_meeting, make_member

pytestmark = pytest.mark.django_db

MOTION = "拨款三千元为社区老人购买十二把折叠椅"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def adjourned(in_session, key, move_and_state):
    """A meeting that adopted a motion worded in Chinese, by a counted vote."""
    meeting, chair, members = in_session
    move_and_state(meeting, chair, members[0], members[1], motion="main", text=MOTION)
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=key()
    )
    for voter in members[:3]:
        services.vote_cast(
            meeting=meeting, member=voter, choice="yes", idempotency_key=key()
        )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
    move_and_state(meeting, chair, members[0], members[1], motion="adjourn")
    services.question_put(
        meeting=meeting, chair=chair, method="voice", idempotency_key=key()
    )
    services.vote_cast(
        meeting=meeting, member=members[0], choice="yes", idempotency_key=key()
    )
    services.vote_announce(meeting=meeting, chair=chair, idempotency_key=key())
    meeting.refresh_from_db()
    return meeting, chair, members


def _download(client, meeting, capture):
    """Ask for the PDF: prepared by the task on commit, then sent."""
    url = reverse("councils:minutes_pdf", args=[meeting.pk])
    with capture(execute=True):
        waiting = client.get(url)
    assert waiting.status_code == 202
    assert "being prepared" in waiting.text or "正在" in waiting.text
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_minutes_pdf_is_made_in_the_readers_language(
    client, settings, adjourned, language, django_capture_on_commit_callbacks
):
    meeting, chair, members = adjourned
    client.force_login(members[0])
    if language == "zh-hans":
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]

    pdf = _download(client, meeting, django_capture_on_commit_callbacks)

    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert meeting.council.name in text
    assert MOTION in text
    assert str(members[0]) in text
    if language == "zh-hans":
        assert "会议纪要" in text
    else:
        assert "Minutes" in text and "3 in favour, 0 against" in text
        assert "Page 1 of 1" in text
    fonts = _fonts(pdf)
    assert any("Noto-Sans-CJK-SC" in name for name in fonts), fonts
    assert not any("JP" in name for name in fonts), fonts
    stored = MinutesPdf.objects.get(minutes=meeting.minutes, language=language)
    assert stored.size == len(pdf)


def test_draft_minutes_pdf_is_403_to_the_public(client, adjourned):
    meeting, chair, members = adjourned
    url = reverse("councils:minutes_pdf", args=[meeting.pk])

    anonymous = client.get(url)
    client.force_login(make_member(meeting.council.community))
    resident = client.get(url)

    assert anonymous.status_code == 403
    assert resident.status_code == 403
    assert not MinutesPdf.objects.exists()


def test_once_approved_the_public_gets_a_new_pdf_and_the_drafts_is_removed(
    client, adjourned, key, django_capture_on_commit_callbacks
):
    meeting, chair, members = adjourned
    client.force_login(members[0])
    draft_text = _text(_download(client, meeting, django_capture_on_commit_callbacks))
    draft_file = MinutesPdf.objects.get().file.name
    later = make_meeting(meeting.council, chair=chair)
    for person in [chair, *members]:
        services.meeting_check_in(meeting=later, member=person, idempotency_key=key())
    services.meeting_call_to_order(meeting=later, chair=chair, idempotency_key=key())
    later.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(minutes=meeting.minutes, actor=chair, at_meeting=later)

    client.force_login(make_member(meeting.council.community))
    with django_capture_on_commit_callbacks(execute=True):
        approved_text = _text(
            _download(client, meeting, django_capture_on_commit_callbacks)
        )

    assert "Draft" in draft_text and "Draft" not in approved_text
    assert "Approved on" in approved_text
    stored = MinutesPdf.objects.get()
    assert stored.file.name != draft_file
    assert not stored.file.storage.exists(draft_file)


def test_making_the_pdf_twice_renders_and_stores_it_once(adjourned, monkeypatch):
    meeting, chair, members = adjourned
    first = services.minutes_pdf_make(minutes_id=meeting.minutes.pk, language="en")
    monkeypatch.setattr(
        "councils.services.minutes.minutes_pdf_render",
        lambda html: pytest.fail("rendered again"),
    )

    again = services.minutes_pdf_make(minutes_id=meeting.minutes.pk, language="en")

    assert again.pk == first.pk
    assert MinutesPdf.objects.count() == 1


def test_the_waiting_page_polls_until_the_pdf_is_ready(
    client, adjourned, django_capture_on_commit_callbacks
):
    meeting, chair, members = adjourned
    client.force_login(members[0])
    url = reverse("councils:minutes_pdf", args=[meeting.pk])

    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url)
        poll = client.get(url, headers={"HX-Request": "true"})
    ready = client.get(url, headers={"HX-Request": "true"})

    assert 'hx-trigger="every 3s"' in waiting.text
    assert 'hx-trigger="every 3s"' in poll.text
    assert "hx-trigger" not in ready.text and "Download as PDF" in ready.text


def test_the_minutes_page_links_to_the_pdf(client, adjourned):
    meeting, chair, members = adjourned
    client.force_login(members[0])

    page = client.get(reverse("councils:minutes", args=[meeting.pk])).text

    assert reverse("councils:minutes_pdf", args=[meeting.pk]) in page
    assert "Download as PDF" in page
