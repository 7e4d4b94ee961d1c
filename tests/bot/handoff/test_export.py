"""Exports of a real ticket (Markdown, HTML, JSON) and the helpdesk webhook against a loopback server."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.db.session import session_scope
from bot.handoff.export import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    post_configured,
    post_to_helpdesk,
    to_html,
    to_json,
    to_json_text,
    to_markdown,
)
from bot.handoff.tickets import TicketView, open_ticket
from bot.handoff.transcript import Entry

AT = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
SECRET = "s3cret"


@pytest.fixture
def ticket(db_url: str) -> TicketView:
    entries = [
        Entry("customer", f"{SCRIPT} الكوب مكسور", "ar", f"[en] {SCRIPT} The mug is broken", "en", AT),
        Entry("bot", "آسف [link](javascript:alert(1)) | x", "ar", None, "en", AT + timedelta(seconds=1)),
        Entry(
            "agent", f"Refund sent {IMG}", "en", f"[ar] Refund sent {IMG}", "ar", AT + timedelta(seconds=60)
        ),
    ]
    with session_scope(db_url) as session:
        return open_ticket(
            session,
            conversation_id="conv-ar",
            reason="legal",
            language="ar",
            channel="whatsapp_cloud",
            agent_language="en",
            note=IMG,
            entries=entries,
        )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def test_html_shows_every_text_as_text(ticket: TicketView) -> None:
    page = to_html(ticket)
    parser = _Tags()
    parser.feed(page)
    # Only our own markup: no script or img element, no event handler attribute.
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not any(a.startswith("on") for a in parser.attributes)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "الكوب مكسور" in page and "not translated into en" in page
    assert "Content-Security-Policy" in page


def test_markdown_keeps_both_versions_and_no_markup(ticket: TicketView) -> None:
    text = to_markdown(ticket)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert "\\[link\\](javascript:alert(1)) \\| x" in text  # no link, no table cell break
    assert "_(not translated into en)_" in text
    assert "_ar:_ \\[ar\\] Refund sent" in text
    assert "| Reason | legal |" in text


def test_json_shape(ticket: TicketView) -> None:
    data = to_json(ticket)
    assert data["schema"] == "handoff-ticket/1" and data["id"] == ticket.id
    assert set(data) >= {"conversation_id", "channel", "language", "agent_language", "reason", "status"}
    assert set(data["summary"]) == {
        "case_number",
        "claim_type",
        "order_number",
        "customer_tier",
        "items",
        "evidence",
        "offer",
        "policy_reason",
        "note",
    }
    first, second = data["transcript"][:2]
    assert first["text"].startswith(SCRIPT) and first["translated"] is True
    assert second["translated_text"] is None and second["translated"] is False
    assert first["at"] == "2026-11-25T08:00:00+00:00"
    assert json.loads(to_json_text(ticket)) == data


class Helpdesk:
    """A tiny helpdesk on loopback: answers with the given statuses in turn (then 200), records
    every request."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: list[tuple[dict, bytes]] = []
        helpdesk = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                helpdesk.requests.append((dict(self.headers), body))
                status = helpdesk.statuses.pop(0) if helpdesk.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/handoff"


@pytest.fixture
def helpdesk() -> Iterator[Helpdesk]:
    desk = Helpdesk([])
    thread = threading.Thread(target=desk.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield desk
    desk.server.shutdown()
    desk.server.server_close()
    thread.join(timeout=5)


def test_webhook_is_signed_and_carries_the_json(ticket: TicketView, helpdesk: Helpdesk) -> None:
    result = post_to_helpdesk(ticket, helpdesk.url, SECRET, sleep=lambda s: None)
    assert result.ok and result.attempts == 1 and result.status == 200
    headers, body = helpdesk.requests[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers[SIGNATURE_HEADER], expected)
    assert json.loads(body) == to_json(ticket)


def test_webhook_retries_on_500_with_backoff(ticket: TicketView, helpdesk: Helpdesk) -> None:
    helpdesk.statuses[:] = [500, 503]
    waits: list[float] = []
    result = post_to_helpdesk(ticket, helpdesk.url, SECRET, backoff=0.1, sleep=waits.append)
    assert result.ok and result.attempts == 3
    assert waits == [0.1, 0.2]
    deliveries = {h[DELIVERY_HEADER] for h, _ in helpdesk.requests}
    assert len(helpdesk.requests) == 3 and len(deliveries) == 1  # one delivery id for all attempts


def test_webhook_gives_up_and_reports_without_raising(ticket: TicketView, helpdesk: Helpdesk) -> None:
    helpdesk.statuses[:] = [500] * 10
    result = post_to_helpdesk(ticket, helpdesk.url, SECRET, retries=2, sleep=lambda s: None)
    assert not result.ok and result.attempts == 3 and result.status == 500 and result.error == "HTTP 500"
    # A 4xx is the helpdesk refusing the request: retrying would not change its mind.
    helpdesk.statuses[:] = [400]
    refused = post_to_helpdesk(ticket, helpdesk.url, SECRET, sleep=lambda s: None)
    assert not refused.ok and refused.attempts == 1 and refused.status == 400


def test_webhook_unreachable_is_reported(ticket: TicketView, helpdesk: Helpdesk) -> None:
    url = helpdesk.url
    helpdesk.server.server_close()  # nothing listens any more
    result = post_to_helpdesk(ticket, url, SECRET, timeout=0.5, retries=1, sleep=lambda s: None)
    assert not result.ok and result.attempts == 2 and result.status is None and result.error
    assert not post_to_helpdesk(ticket, "not a url", SECRET, sleep=lambda s: None).ok


def test_webhook_from_settings(
    ticket: TicketView, helpdesk: Helpdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)
    assert post_configured(ticket) is None  # no HANDOFF_WEBHOOK_URL: no helpdesk
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", helpdesk.url)
    monkeypatch.setenv("HANDOFF_WEBHOOK_SECRET", SECRET)
    result = post_configured(ticket)
    assert result is not None and result.ok
    headers, body = helpdesk.requests[0]
    assert (
        headers[SIGNATURE_HEADER] == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    )
