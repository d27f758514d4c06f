"""What an uploaded file really is, judged by its first bytes, not its name.

Photos are decoded and encoded again before they are stored: that drops
their EXIF (a phone's photo carries where it was taken, which is personal
data), anything hidden after the image, and files that only look like images.
"""

import os
import threading
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

MAGIC_NUMBERS = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
ALLOWED_DESCRIPTION = gettext_lazy("a photo (JPEG or PNG) or a PDF")
PHOTO_DESCRIPTION = gettext_lazy("a photo (JPEG or PNG)")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# A 24-megapixel photo is more than a community's report needs; a larger one
# costs a worker hundreds of MB to decode, and may be a decompression bomb.
MAX_PIXELS = 24_000_000
# Photos decoded at once in one process: each 24-megapixel photo takes about
# 150 MB while it is turned upright and encoded again, so eight uploads at
# once wait their turn rather than take the worker past 512 MB.
REENCODING = threading.BoundedSemaphore(settings.IMAGE_REENCODING_AT_ONCE)
JPEG_QUALITY = 85


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


def reencode_image(upload, content_type: str) -> bytes:
    """The photo decoded and encoded again in its own format, without metadata.

    Turns the picture upright first (EXIF orientation), since the EXIF that
    said which way is up goes. Raises ValidationError for a file that does
    not decode as the format its first bytes claim, or is too large in pixels.
    """
    expected = PILLOW_FORMATS[content_type]
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format != expected:
                raise _damaged()
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    {
                        "file": ValidationError(
                            _(
                                "This photo is %(width)s × %(height)s pixels; the "
                                "limit is 24 megapixels. Send a smaller copy."
                            )
                            % {"width": probe.width, "height": probe.height},
                            code="too_many_pixels",
                        )
                    }
                )
            probe.verify()
        upload.seek(0)
        with REENCODING, Image.open(upload) as image:
            image.load()
            # In place: a photo already upright is not copied (72 MB less at
            # 24 megapixels); one that is turned becomes a new image.
            upright = ImageOps.exif_transpose(image, in_place=True) or image
            output = BytesIO()
            if expected == "JPEG":
                if upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                upright.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True)
            else:
                upright.save(output, "PNG", optimize=True)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise _damaged() from None
    finally:
        upload.seek(0)
    return output.getvalue()


def _damaged() -> ValidationError:
    return ValidationError(
        {
            "file": ValidationError(
                _(
                    "This photo is damaged or incomplete and cannot be opened; take "
                    "or save it again and upload the new file."
                ),
                code="damaged_image",
            )
        }
    )


@dataclass(frozen=True)
class CleanFile:
    """An upload as it may be stored: its content, type and the name it came with."""

    content: object  # a File: the cleaned photo, or the PDF as uploaded
    content_type: str
    original_name: str

    @property
    def size(self) -> int:
        return self.content.size


def clean_upload(upload, *, photos_only: bool = False) -> CleanFile:
    """Judge an upload by its content and clean it, or say what is wrong.

    Accepts JPEG, PNG and (unless `photos_only`) PDF, of at most 10 MB, by
    their first bytes whatever the name says; photos are decoded and encoded
    again without metadata (`reencode_image`). Raises ValidationError with
    the field `file`.
    """
    if upload is None:
        raise ValidationError(
            {"file": ValidationError(_("Choose a file."), code="no_file")}
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is %(size)s MB; the limit is 10 MB.")
                    % {"size": round(upload.size / 1024 / 1024, 1)},
                    code="too_big",
                )
            }
        )
    if upload.size == 0:
        raise ValidationError(
            {"file": ValidationError(_("The file is empty."), code="empty")}
        )
    content_type = sniff_upload(upload)
    if content_type is None or (photos_only and content_type not in PILLOW_FORMATS):
        raise ValidationError(
            {
                "file": ValidationError(
                    _("This file is not %(allowed)s, whatever its name says.")
                    % {
                        "allowed": PHOTO_DESCRIPTION
                        if photos_only
                        else ALLOWED_DESCRIPTION
                    },
                    code="wrong_type",
                )
            }
        )
    content = upload
    if content_type in PILLOW_FORMATS:
        content = ContentFile(reencode_image(upload, content_type))
        if content.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                {
                    "file": ValidationError(
                        _("This photo is over 10 MB once cleaned; send a smaller one."),
                        code="too_big",
                    )
                }
            )
    name = os.path.basename(upload.name or "")[-120:] or "file"
    return CleanFile(content=content, content_type=content_type, original_name=name)
