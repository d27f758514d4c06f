"""Uploads are bounded: a body declared too big is refused before it is read,
a photo over 24 megapixels is refused with that reason, and photos are decoded
a bounded number at a time."""

import io
import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from proposals import uploads

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_request_declaring_50_mb_is_refused_before_it_is_read(client):
    response = client.generic(
        "POST",
        reverse("fund:register"),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 413
    assert "What you sent is 50.0 MB; a file may be at most 10 MB." in response.text


def test_a_request_within_the_limit_goes_on(client):
    response = client.post(reverse("fund:register"), {"phone": "1"})

    assert response.status_code == 200


def _png(width, height) -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("1", (width, height)).save(output, "PNG")
    return SimpleUploadedFile("big.png", output.getvalue(), content_type="image/png")


def test_a_photo_over_24_megapixels_is_refused_with_that_reason():
    with pytest.raises(ValidationError, match="limit is 24 megapixels") as refusal:
        uploads.clean_upload(_png(6000, 4001))

    assert refusal.value.error_dict["file"][0].code == "too_many_pixels"
    assert "6000 × 4001 pixels" in refusal.value.error_dict["file"][0].messages[0]


def test_a_photo_of_24_megapixels_is_taken():
    cleaned = uploads.clean_upload(_png(6000, 4000))

    assert cleaned.content_type == "image/png"


def _jpeg() -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(output, "JPEG")
    return SimpleUploadedFile("p.jpg", output.getvalue(), content_type="image/jpeg")


def test_photos_are_decoded_a_bounded_number_at_a_time():
    at_once, most = 0, 0
    lock = threading.Lock()
    transpose = uploads.ImageOps.exif_transpose

    def slow_transpose(image, **options):
        nonlocal at_once, most
        with lock:
            at_once += 1
            most = max(most, at_once)
        time.sleep(0.05)
        with lock:
            at_once -= 1
        return transpose(image, **options)

    with mock.patch.object(uploads.ImageOps, "exif_transpose", slow_transpose):
        threads = [
            threading.Thread(target=uploads.clean_upload, args=(_jpeg(),))
            for _ in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert most == settings.IMAGE_REENCODING_AT_ONCE == 2
