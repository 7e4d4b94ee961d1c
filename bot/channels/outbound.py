"""Calls to a platform's API: one `Outbound` per HTTP request, sent with a timeout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests


class PlatformError(Exception):
    """The platform refused a call or could not be reached; `status` is None when unreachable."""

    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status, self.body = status, body


@dataclass(frozen=True)
class Outbound:
    """One API request.  `label` names it in logs and errors: URLs can hold tokens (Telegram)."""

    label: str
    method: str
    url: str
    json: dict[str, Any] | None = None
    form: list[tuple[str, str]] | None = None
    params: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None  # HTTP basic auth


def deliver(request: Outbound, timeout: float) -> dict[str, Any]:
    """Sends `request`; returns the platform's JSON answer, or raises PlatformError."""
    try:
        response = requests.request(
            request.method,
            request.url,
            json=request.json,
            data=request.form,
            params=request.params,
            headers=request.headers,
            auth=request.auth,
            timeout=timeout,
        )
    except requests.RequestException as error:
        raise PlatformError(f"{request.label}: {type(error).__name__}") from error
    if not response.ok:
        raise PlatformError(
            f"{request.label} answered {response.status_code}: {response.text[:300]}",
            response.status_code,
            response.text,
        )
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {"result": answer}


def split_text(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at a line break or space if there is one
    (platforms refuse longer messages rather than cutting them)."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces
