"""Files from a platform: downloaded within the policy's size limit, then stored as evidence like
a widget upload, or refused with the reason the customer is answered with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from bot.channels import media
from bot.channels.inbound import Media
from bot.config import Settings
from bot.db.models import Evidence
from bot.db.session import session_scope
from bot.evidence import EvidenceError

PHOTOS = Path(__file__).resolve().parents[2] / "scenarios" / "photos"


def fetch_from(data: bytes):
    def fetch(_: Media, limit: int) -> bytes:
        if len(data) > limit:
            raise EvidenceError("too_large", "too large")
        return data

    return fetch


def test_a_photo_is_stored_as_evidence_without_its_metadata(platforms: Settings) -> None:
    photo = (PHOTOS / "parcel_contents.jpg").read_bytes()
    text = media.evidence_message(Media("file-1", "image/jpeg"), "telegram:42", fetch_from(photo))
    assert text.startswith("/upload_photo")
    photo_id = json.loads(text.removeprefix("/upload_photo"))["photo_id"]
    with session_scope() as session:
        stored = session.scalars(select(Evidence).where(Evidence.conversation_id == "telegram:42")).one()
    assert stored.id == photo_id and stored.content_type == "image/jpeg"
    with Image.open(stored.path) as image:
        assert not image.getexif()


def test_a_pdf_a_huge_file_and_a_failed_download_get_their_reasons(platforms: Settings) -> None:
    pdf = media.evidence_message(Media("f", "application/pdf", "receipt.pdf"), "c", fetch_from(b"%PDF-1.4"))
    assert pdf == '/upload_failed{"reason": "not_image"}'
    declared = Media("f", "image/jpeg", None, size=media.max_bytes() + 1)
    untouched = media.evidence_message(
        declared, "c", lambda *_: pytest.fail("downloaded a file known too large")
    )
    assert untouched == '/upload_failed{"reason": "too_large"}'

    def unreachable(_: Media, limit: int) -> bytes:
        raise EvidenceError(media.DOWNLOAD_FAILED, "connection refused")

    assert (
        media.evidence_message(Media("f"), "c", unreachable) == '/upload_failed{"reason": "download_failed"}'
    )
    with session_scope() as session:
        assert session.scalars(select(Evidence)).all() == []


def test_download_stops_at_the_limit_and_reports_refusals(platforms: Settings, stub) -> None:
    key = stub.add_media(b"x" * 5000)
    url = stub.messenger_url(key)
    assert media.download(url, timeout=5, limit=5000) == b"x" * 5000
    with pytest.raises(EvidenceError) as large:
        media.download(url, timeout=5, limit=4999)
    assert large.value.code == "too_large"
    with pytest.raises(EvidenceError) as missing:
        media.download(stub.messenger_url("nothing"), timeout=5, limit=5000)
    assert missing.value.code == media.DOWNLOAD_FAILED
    with pytest.raises(EvidenceError) as refused:
        media.download(stub.twilio_media_url(key), timeout=5, limit=5000)  # no basic auth
    assert refused.value.code == media.DOWNLOAD_FAILED
    with pytest.raises(EvidenceError) as down:
        media.download("http://127.0.0.1:9/nothing-listens-here", timeout=2, limit=10)
    assert down.value.code == media.DOWNLOAD_FAILED
