"""Real, small photos for upload tests, made with Pillow."""

from io import BytesIO

from PIL import Image

# EXIF tags: GPSInfo, and in it latitude and longitude (Nanjing).
GPS_INFO = 0x8825
GPS = {1: "N", 2: (32.0, 3.0, 0.0), 3: "E", 4: (118.0, 47.0, 0.0)}


def png_bytes(size=(40, 30), color=(200, 40, 40)) -> bytes:
    output = BytesIO()
    Image.new("RGB", size, color).save(output, "PNG")
    return output.getvalue()


def jpeg_bytes(size=(40, 30), color=(40, 120, 200), *, gps=False) -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[GPS_INFO] = GPS
    output = BytesIO()
    image.save(output, "JPEG", exif=exif.tobytes())
    return output.getvalue()


def exif_of(content: bytes) -> dict:
    with Image.open(BytesIO(content)) as image:
        return dict(image.getexif())
