"""What an uploaded file really is, judged by its first bytes, not its name."""

from django.utils.translation import gettext_lazy as _

MAGIC_NUMBERS = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
ALLOWED_DESCRIPTION = _("a photo (JPEG or PNG) or a PDF")


def sniff_content_type(head: bytes) -> str | None:
    """The allowed type these leading bytes begin, or None for anything else."""
    for magic, content_type in MAGIC_NUMBERS:
        if head.startswith(magic):
            return content_type
    return None


def sniff_upload(upload) -> str | None:
    """Sniff an uploaded file without consuming it."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return sniff_content_type(head)
