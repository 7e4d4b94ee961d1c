"""Photos and files customers send on a platform: downloaded, then validated and stored as
evidence exactly like a widget upload (bot.evidence.store_photo)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import requests

from bot.channels.inbound import Media
from bot.db.session import session_scope
from bot.evidence import EvidenceError, store_photo
from bot.policy import load_policy

logger = logging.getLogger(__name__)

# A download that did not come through: the customer is asked to send the photo again.
DOWNLOAD_FAILED = "download_failed"
_CHUNK = 64 * 1024


def max_bytes() -> int:
    """The largest photo the seller accepts (policy.yml upload.max_photo_mb)."""
    return load_policy().upload.max_photo_mb * 1024 * 1024


def download(
    url: str,
    *,
    timeout: float,
    limit: int,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
) -> bytes:
    """The file at `url`, read no further than `limit` bytes.  Raises EvidenceError: `too_large`,
    or `download_failed` when the platform cannot be reached or refuses."""
    try:
        with requests.get(url, headers=headers, auth=auth, timeout=timeout, stream=True) as response:
            if not response.ok:
                raise EvidenceError(DOWNLOAD_FAILED, f"the platform answered {response.status_code}")
            data = bytearray()
            for chunk in response.iter_content(_CHUNK):
                data += chunk
                if len(data) > limit:
                    raise EvidenceError("too_large", f"the file is larger than {limit} bytes")
            return bytes(data)
    except requests.RequestException as error:
        raise EvidenceError(DOWNLOAD_FAILED, f"download failed: {type(error).__name__}") from error


def evidence_message(media: Media, conversation_id: str, fetch: Callable[[Media, int], bytes]) -> str:
    """The message for the assistant: `/upload_photo{"photo_id": ...}` once the file is stored,
    `/upload_failed{"reason": ...}` when it cannot be (the customer then gets a polite reply)."""
    limit = max_bytes()
    try:
        if media.size is not None and media.size > limit:
            raise EvidenceError("too_large", f"the platform says {media.size} bytes")
        data = fetch(media, limit)
        with session_scope() as session:
            photo_id = store_photo(session, data, conversation_id=conversation_id, filename=media.filename)
    except EvidenceError as error:
        logger.info("file from %s refused: %s (%s)", conversation_id, error.code, error)
        return "/upload_failed" + json.dumps({"reason": error.code})
    return "/upload_photo" + json.dumps({"photo_id": photo_id})
