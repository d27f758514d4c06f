"""What an uploaded file really is, judged by its first bytes, not its name.

Photos are decoded and encoded again before they are stored: that drops
their EXIF (a phone's photo carries where it was taken, which is personal
data), anything hidden after the image, and files that only look like images.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

MAGIC_NUMBERS = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
ALLOWED_DESCRIPTION = gettext_lazy("a photo (JPEG or PNG) or a PDF")
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# A 40-megapixel photo is more than any phone takes; a larger one is more
# likely a decompression bomb than a picture of the community.
MAX_PIXELS = 40_000_000
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
                        "file": _(
                            "This photo is %(width)s × %(height)s pixels; the "
                            "limit is 40 megapixels. Send a smaller copy."
                        )
                        % {"width": probe.width, "height": probe.height}
                    },
                    code="too_many_pixels",
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
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
            "file": _(
                "This photo is damaged or incomplete and cannot be opened; take "
                "or save it again and upload the new file."
            )
        },
        code="damaged_image",
    )
