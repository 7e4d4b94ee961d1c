"""What WhatsApp's Cloud API and Messenger share: Meta's webhook signature and the subscription
handshake, and the Graph API's address."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Hub-Signature-256"


def signature(app_secret: str, body: bytes) -> str:
    """The header value Meta sends: "sha256=" + HMAC-SHA256 of the raw body with the app secret."""
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` signs `body` (compared in constant time)."""
    return bool(header) and hmac.compare_digest(signature(app_secret, body), header.strip().lower())


def subscription_challenge(params: Mapping[str, str], verify_token: str) -> str | None:
    """Meta's GET handshake when a webhook is set up: the challenge to echo back, or None when the
    request does not carry our verify token."""
    if params.get("hub.mode") != "subscribe" or params.get("hub.challenge") is None:
        return None
    if not hmac.compare_digest(params.get("hub.verify_token", ""), verify_token):
        return None
    return params["hub.challenge"]


def graph_url(base: str, version: str, *path: str) -> str:
    return "/".join([base.rstrip("/"), version, *path])
