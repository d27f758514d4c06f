"""Writing a proposal in steps, and the bad input the issue lists."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fundapp.models import Membership, Role
from proposals import services
from proposals.models import Proposal
from proposals.uploads import sniff_content_type
from tests.factories import (
    make_community,
    make_draft,
    make_member,
    make_proposal,
    make_round,
    make_team,
)
from tests.proposals.images import exif_of, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db

PNG = png_bytes()
JPEG = jpeg_bytes()
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def line(quantity="2", unit_cost="10.00", item="椅子"):
    return {"item": item, "quantity": quantity, "unit": "把", "unit_cost": unit_cost}


def test_a_verified_resident_starts_a_draft_in_an_open_call():
    call = make_round()
    resident = make_member(call.community)

    proposal = services.proposal_create(
        round=call, actor=resident, title="编织 Knitting"
    )

    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.community == call.community


def test_an_unverified_resident_cannot_start_a_draft():
    call = make_round()
    from tests.factories import make_user

    newcomer = make_user()
    Membership.objects.create(
        user=newcomer, community=call.community, role=Role.RESIDENT
    )

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_create(round=call, actor=newcomer, title="x")


def test_a_resident_of_another_community_cannot_start_a_draft():
    call = make_round()
    outsider = make_member(make_community())

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_create(round=call, actor=outsider, title="x")


def test_the_budget_total_is_computed_on_the_server():
    proposal = make_draft(budget=[line("3", "12.50"), line("1", "100.00", item="音箱")])

    assert proposal.requested_amount == Decimal("137.50")
    assert [line.total for line in proposal.budget_lines.all()] == [
        Decimal("37.50"),
        Decimal("100.00"),
    ]


@pytest.mark.parametrize(
    ("quantity", "unit_cost", "message"),
    [
        ("0", "10.00", "at least 1"),
        ("-2", "10.00", "at least 1"),
        ("1.5", "10.00", "whole number"),
        ("2", "10.005", "at most two decimal places"),
        ("2", "0", "more than zero"),
        ("2", "-5", "more than zero"),
        ("two", "10", "must be a number"),
    ],
)
def test_a_bad_budget_line_is_refused_by_line_number_and_changes_nothing(
    quantity, unit_cost, message
):
    proposal = make_draft()

    with pytest.raises(ValidationError, match=f"Line 2: .*{message}"):
        services.proposal_save_budget(
            proposal=proposal,
            actor=proposal.proposer,
            lines=[line(), line(quantity, unit_cost)],
        )

    proposal.refresh_from_db()
    assert proposal.requested_amount == Decimal("1185.00")
    assert proposal.budget_lines.count() == 2


def test_blank_budget_rows_are_skipped():
    proposal = make_draft(
        budget=[line(), {"item": "", "quantity": "", "unit_cost": ""}]
    )

    assert proposal.budget_lines.count() == 1


def test_a_very_long_text_is_refused_with_its_length():
    proposal = make_draft(complete=False)

    with pytest.raises(
        ValidationError, match="Keep this to 4000 characters; it has 4001"
    ):
        services.proposal_save_problem(
            proposal=proposal,
            actor=proposal.proposer,
            title="t",
            category="culture",
            problem="长" * 4001,
            affected="",
            evidence="",
        )


def test_script_tags_are_stored_as_typed_for_escaping_on_output():
    proposal = make_draft(title="<script>alert(1)</script>")

    assert proposal.title == "<script>alert(1)</script>"


def test_a_submitted_proposal_cannot_be_edited_until_it_is_returned():
    proposal = make_proposal(status="submitted")

    with pytest.raises(ValidationError, match="cannot be edited"):
        services.proposal_save_plan(
            proposal=proposal,
            actor=proposal.proposer,
            activities="改",
            schedule="",
            place="",
            volunteers="",
        )


def test_someone_off_the_team_cannot_edit_a_draft():
    proposal = make_draft()
    neighbour = make_member(proposal.community)

    with pytest.raises(PermissionDenied, match="right to do this"):
        services.proposal_save_budget(
            proposal=proposal, actor=neighbour, lines=[line()]
        )


def test_a_co_proposer_may_edit_the_draft():
    proposal = make_draft()
    partner = make_member(proposal.community, phone="13700000002")
    make_team(proposal, partner)

    proposal = services.proposal_save_budget(
        proposal=proposal, actor=partner, lines=[line()]
    )

    assert proposal.requested_amount == Decimal("20.00")


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf")],
)
def test_photos_and_pdfs_are_attached_by_their_content(content, kind):
    proposal = make_draft()

    attachment = services.attachment_add(
        proposal=proposal,
        actor=proposal.proposer,
        upload=SimpleUploadedFile("photo.bin", content),
    )

    assert attachment.content_type == kind
    assert attachment.original_name == "photo.bin"
    assert "photo" not in attachment.file.name


def test_an_executable_renamed_jpg_is_refused():
    proposal = make_draft()

    with pytest.raises(ValidationError, match="not a photo"):
        services.attachment_add(
            proposal=proposal,
            actor=proposal.proposer,
            upload=SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 64),
        )
    assert proposal.attachments.count() == 0


def test_a_50_mb_file_is_refused():
    proposal = make_draft()
    upload = SimpleUploadedFile("big.jpg", JPEG)
    upload.size = 50 * 1024 * 1024

    with pytest.raises(ValidationError, match="50.0 MB; the limit is 10 MB"):
        services.attachment_add(
            proposal=proposal, actor=proposal.proposer, upload=upload
        )


def test_sniffing_knows_only_the_allowed_types():
    assert sniff_content_type(b"GIF89a") is None
    assert sniff_content_type(b"<svg") is None
    assert sniff_content_type(PDF) == "application/pdf"


def test_a_call_with_a_ceiling_over_its_envelope_is_refused():
    with pytest.raises(ValidationError, match="cannot be more than the whole envelope"):
        make_round(budget_amount="1000.00", ceiling_amount="2000.00")


def test_a_councillor_who_is_not_a_social_worker_cannot_open_a_call():
    community = make_community()

    with pytest.raises(PermissionDenied, match="right to do this"):
        make_round(community, opened_by=make_member(community, Role.COUNCILLOR))


def test_a_photo_is_stored_without_its_exif_location():
    proposal = make_draft()
    photo = jpeg_bytes(gps=True)
    assert exif_of(photo)

    attachment = services.attachment_add(
        proposal=proposal,
        actor=proposal.proposer,
        upload=SimpleUploadedFile("IMG_0001.jpg", photo),
    )

    with attachment.file.open("rb") as stored:
        content = stored.read()
    assert exif_of(content) == {}
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == len(content)


def test_a_png_is_encoded_again_as_a_png():
    proposal = make_draft()

    attachment = services.attachment_add(
        proposal=proposal,
        actor=proposal.proposer,
        upload=SimpleUploadedFile("map.png", png_bytes()),
    )

    with attachment.file.open("rb") as stored:
        assert sniff_content_type(stored.read(16)) == "image/png"


@pytest.mark.parametrize(
    "content",
    [
        jpeg_bytes()[:120],  # cut off mid-file
        b"\xff\xd8\xff\xe0" + b"\x00" * 64,  # a JPEG's first bytes, then nothing
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 20,
    ],
)
def test_a_corrupt_photo_is_refused_with_a_clear_message(content):
    proposal = make_draft()

    with pytest.raises(ValidationError, match="damaged or incomplete"):
        services.attachment_add(
            proposal=proposal,
            actor=proposal.proposer,
            upload=SimpleUploadedFile("photo.jpg", content),
        )
    assert proposal.attachments.count() == 0


def test_a_png_that_says_it_is_a_jpeg_inside_is_refused():
    proposal = make_draft()
    content = b"\xff\xd8\xff" + png_bytes()

    with pytest.raises(ValidationError, match="damaged or incomplete"):
        services.attachment_add(
            proposal=proposal,
            actor=proposal.proposer,
            upload=SimpleUploadedFile("photo.jpg", content),
        )


def test_files_over_30_mb_in_all_are_refused_with_what_is_used(monkeypatch):
    proposal = make_draft()
    pdf = PDF + b"\x00" * (9 * 1024 * 1024)
    for number in range(3):
        services.attachment_add(
            proposal=proposal,
            actor=proposal.proposer,
            upload=SimpleUploadedFile(f"quote{number}.pdf", pdf),
        )

    with pytest.raises(ValidationError, match="add up to 30 MB; it has 27.0 MB"):
        services.attachment_add(
            proposal=proposal,
            actor=proposal.proposer,
            upload=SimpleUploadedFile("quote4.pdf", pdf),
        )
    assert proposal.attachments.count() == 3


def test_an_attachment_moves_the_proposals_updated_at():
    proposal = make_draft()
    before = proposal.updated_at

    services.attachment_add(
        proposal=proposal,
        actor=proposal.proposer,
        upload=SimpleUploadedFile("quote.pdf", PDF),
    )

    proposal.refresh_from_db()
    assert proposal.updated_at > before


def test_a_budget_adding_up_past_a_hundred_million_is_refused_in_words():
    proposal = make_draft(complete=False)
    lines = [{"item": "x", "quantity": "100000", "unit_cost": "100000000"}] * 50

    with pytest.raises(ValidationError, match="more than ¥100,000,000") as error:
        services.proposal_save_budget(
            proposal=proposal, actor=proposal.proposer, lines=lines
        )

    assert error.value.error_list[0].code == "budget_too_large"
    assert not proposal.budget_lines.exists()
