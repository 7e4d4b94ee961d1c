"""Photo evidence: real images made with Pillow; metadata must not survive storage."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace

import pytest
from PIL import ExifTags, Image, PngImagePlugin
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db.models import Evidence
from bot.evidence import EvidenceError, evidence_for_conversation, get_evidence, store_photo
from bot.policy import Policy, UploadPolicy

GPS_LATITUDE = (52.0, 31.0, 12.0)


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12 Pro"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 0.0)
    return exif


def jpeg_with_gps(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(
        buffer, "JPEG", exif=exif_with_gps(orientation).tobytes(), comment=b"taken at home"
    )
    return buffer.getvalue()


def png_with_gps() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "my address is 1 Main Street")
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 128, 255, 100)).save(
        buffer, "PNG", exif=exif_with_gps().tobytes(), pnginfo=info
    )
    return buffer.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (20, 10), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 90).save(buffer, fmt)
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert len(image.getexif()) == 0
    assert not {"exif", "icc_profile", "comment", "xmp", "Comment"} & set(image.info)
    for secret in (b"PhoneMaker", b"Phone 12", b"taken at home", b"Main Street", b"Exif"):
        assert secret not in data
    return image


def test_jpeg_is_stored_without_exif_or_gps(session: Session, settings: Settings, policy: Policy) -> None:
    original = jpeg_with_gps()
    assert (
        Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude]
        == GPS_LATITUDE
    )  # the test photo really carries a position
    evidence_id = store_photo(
        session, original, conversation_id="conv-1", filename="IMG_0001.jpg", settings=settings, policy=policy
    )
    view = get_evidence(session, evidence_id)
    assert view is not None and len(evidence_id) == 32
    assert view.path == settings.evidence_dir.resolve() / f"{evidence_id}.jpg"
    stored = view.path.read_bytes()
    assert (view.content_type, view.kind, view.width, view.height) == ("image/jpeg", "photo", 64, 48)
    assert (view.size_bytes, view.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())
    assert view.conversation_id == "conv-1" and view.case_number is None
    image = assert_no_metadata(stored)
    assert image.format == "JPEG" and image.getpixel((10, 10))[0] > 150  # still the red photo
    assert [e.id for e in evidence_for_conversation(session, "conv-1")] == [evidence_id]
    assert evidence_for_conversation(session, "someone-else") == []
    assert get_evidence(session, "0" * 32) is None


def test_exif_orientation_is_applied_before_stripping(
    session: Session, settings: Settings, policy: Policy
) -> None:
    evidence_id = store_photo(
        session, jpeg_with_gps((64, 48), orientation=6), conversation_id="c", settings=settings, policy=policy
    )
    view = get_evidence(session, evidence_id)
    assert (view.width, view.height) == (48, 64)  # turned upright: no orientation tag needed any more
    assert_no_metadata(view.path.read_bytes())


def test_png_keeps_transparency_and_loses_text_and_exif(
    session: Session, settings: Settings, policy: Policy
) -> None:
    original = png_with_gps()
    assert "Comment" in Image.open(io.BytesIO(original)).info
    view = get_evidence(
        session, store_photo(session, original, conversation_id="c", settings=settings, policy=policy)
    )
    image = assert_no_metadata(view.path.read_bytes())
    assert (image.format, image.mode, view.content_type) == ("PNG", "RGBA", "image/png")
    assert image.getpixel((0, 0))[3] == 100


@pytest.mark.parametrize(
    ("fmt", "extension", "content_type"),
    [("WEBP", "webp", "image/webp"), ("GIF", "png", "image/png"), ("PNG", "png", "image/png")],
)
def test_other_accepted_formats(
    session: Session, settings: Settings, policy: Policy, fmt: str, extension: str, content_type: str
) -> None:
    view = get_evidence(
        session, store_photo(session, image_bytes(fmt), conversation_id="c", settings=settings, policy=policy)
    )
    assert view.path.suffix == f".{extension}" and view.content_type == content_type
    assert Image.open(view.path).size == (20, 10)


def rejected(
    session: Session, settings: Settings, policy: Policy, data: bytes, filename: str = "photo.jpg"
) -> str:
    with pytest.raises(EvidenceError) as error:
        store_photo(session, data, conversation_id="c", filename=filename, settings=settings, policy=policy)
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
    assert not settings.evidence_dir.exists() or not any(settings.evidence_dir.iterdir())
    return error.value.code


def test_empty_file(session: Session, settings: Settings, policy: Policy) -> None:
    assert rejected(session, settings, policy, b"") == "empty"


def test_text_renamed_to_jpg_is_not_an_image(session: Session, settings: Settings, policy: Policy) -> None:
    assert (
        rejected(session, settings, policy, b"Dear seller, this is not a photo.\n" * 20, "photo.jpg")
        == "not_image"
    )


def test_truncated_jpeg_is_not_an_image(session: Session, settings: Settings, policy: Policy) -> None:
    data = image_bytes("JPEG", (400, 300))
    assert rejected(session, settings, policy, data[: len(data) // 3]) == "not_image"


def test_eleven_megabytes_is_too_large(session: Session, settings: Settings, policy: Policy) -> None:
    data = jpeg_with_gps() + b"\0" * (11 * 1024 * 1024)
    assert rejected(session, settings, policy, data) == "too_large"


def test_other_image_formats_are_unsupported(session: Session, settings: Settings, policy: Policy) -> None:
    assert rejected(session, settings, policy, image_bytes("BMP"), "photo.bmp") == "unsupported_format"
    assert rejected(session, settings, policy, image_bytes("TIFF"), "photo.tif") == "unsupported_format"


def test_pixel_limit_stops_decompression_bombs(session: Session, settings: Settings, policy: Policy) -> None:
    small_limit = replace(policy, upload=UploadPolicy(max_photo_mb=10, max_pixels=1000))
    assert rejected(session, settings, small_limit, image_bytes("PNG", (100, 100))) == "too_many_pixels"


def test_huge_dimensions_in_a_small_file(session: Session, settings: Settings, policy: Policy) -> None:
    # 20000 x 20000 pixels of one colour compress to a few hundred kilobytes.
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 1024 * 1024
    assert rejected(session, settings, policy, buffer.getvalue(), "bomb.png") == "too_many_pixels"


def test_error_codes_are_the_documented_ones() -> None:
    error = EvidenceError("too_large", "the file is larger than 10 MB")
    assert (error.code, str(error)) == ("too_large", "the file is larger than 10 MB")
