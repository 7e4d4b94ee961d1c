"""Photo evidence: validated with Pillow, stripped of metadata, stored on disk, referenced by id.

Customers' photos carry EXIF data (GPS position, camera serial numbers) we have no reason to keep,
so only the pixels are stored: the image is decoded, turned upright, and encoded again.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings, get_settings
from bot.db.models import Evidence
from bot.policy import Policy, load_policy

ERROR_CODES = ("empty", "too_large", "not_image", "unsupported_format", "too_many_pixels")
# Accepted formats -> (format written, file extension, content type).  GIFs are stored as PNG:
# one still frame without palette loss.
FORMATS = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
    "GIF": ("PNG", "png", "image/png"),
}
JPEG_QUALITY = 90
WEBP_QUALITY = 90


class EvidenceError(Exception):
    """A file that cannot be accepted as a photo; `code` is one of ERROR_CODES."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class EvidenceView:
    id: str
    conversation_id: str
    case_number: str | None
    kind: str
    path: Path
    content_type: str
    size_bytes: int
    width: int
    height: int
    sha256: str
    created_at: datetime


def _view(evidence: Evidence) -> EvidenceView:
    return EvidenceView(
        id=evidence.id,
        conversation_id=evidence.conversation_id,
        case_number=evidence.case.number if evidence.case else None,
        kind=evidence.kind,
        path=Path(evidence.path),
        content_type=evidence.content_type,
        size_bytes=evidence.size_bytes,
        width=evidence.width,
        height=evidence.height,
        sha256=evidence.sha256,
        created_at=evidence.created_at,
    )


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Decodes `data` fully, refusing non-images, other formats and oversized pixel counts."""
    with warnings.catch_warnings():
        # Pillow warns (and later raises) on huge images; our own, lower limit decides instead.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in FORMATS:
                    raise EvidenceError("unsupported_format", f"{kind} images are not accepted")
                if width * height > max_pixels:
                    raise EvidenceError(
                        "too_many_pixels", f"{width}x{height} is more than {max_pixels} pixels"
                    )
                probe.verify()  # structure and checksums, without decoding
            image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable: open again
            image.load()
        except EvidenceError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise EvidenceError("too_many_pixels", str(error)) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise EvidenceError("not_image", f"not a readable image: {error}") from error
    return image


def _pixels_only(image: Image.Image, target: str) -> Image.Image:
    """A new image with the same (upright) pixels and no metadata at all."""
    upright = ImageOps.exif_transpose(image) or image
    if target == "JPEG":
        mode = "L" if upright.mode in ("1", "L", "I;16") else "RGB"
    else:
        has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        mode = "RGBA" if has_alpha else "RGB"
    converted = upright.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def store_photo(
    session: Session,
    data: bytes,
    *,
    conversation_id: str,
    filename: str | None = None,
    settings: Settings | None = None,
    policy: Policy | None = None,
) -> str:
    """Validates and stores a customer photo; returns its evidence id.  Raises EvidenceError.

    `filename` is only the customer's name for the file: the content decides the format, and the
    name is not stored (it can contain personal data)."""
    settings = settings or get_settings()
    limits = (policy or load_policy(settings.policy_path)).upload
    if not data:
        raise EvidenceError("empty", "the file is empty")
    if len(data) > limits.max_photo_mb * 1024 * 1024:
        raise EvidenceError("too_large", f"the file is larger than {limits.max_photo_mb} MB")
    image = _open(data, limits.max_pixels)
    target, extension, content_type = FORMATS[image.format]
    clean = _pixels_only(image, target)
    buffer = io.BytesIO()
    options = {
        "JPEG": {"quality": JPEG_QUALITY, "optimize": True},
        "WEBP": {"quality": WEBP_QUALITY},
        "PNG": {"optimize": True},
    }[target]
    clean.save(buffer, format=target, **options)
    stored = buffer.getvalue()

    evidence_id = uuid.uuid4().hex
    settings.evidence_dir.mkdir(parents=True, exist_ok=True)
    path = settings.evidence_dir / f"{evidence_id}.{extension}"
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(stored)
    os.replace(partial, path)  # readers never see half a file
    session.add(
        Evidence(
            id=evidence_id,
            conversation_id=conversation_id,
            kind="photo",
            path=str(path.resolve()),
            content_type=content_type,
            size_bytes=len(stored),
            width=clean.width,
            height=clean.height,
            sha256=hashlib.sha256(stored).hexdigest(),
        )
    )
    session.flush()
    return evidence_id


def get_evidence(session: Session, evidence_id: str) -> EvidenceView | None:
    evidence = session.get(Evidence, evidence_id)
    return _view(evidence) if evidence else None


def evidence_for_conversation(session: Session, conversation_id: str) -> list[EvidenceView]:
    query = select(Evidence).where(Evidence.conversation_id == conversation_id).order_by(Evidence.created_at)
    return [_view(e) for e in session.scalars(query)]
