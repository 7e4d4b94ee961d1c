"""A handoff ticket as Markdown, HTML and JSON, and its delivery to an external helpdesk.

JSON shape (`to_json`; `"schema": "handoff-ticket/1"`, also the webhook's body):

    {
      "schema": "handoff-ticket/1",
      "id": 12,                          # our ticket number
      "conversation_id": "...", "channel": "telegram",
      "language": "zh",                  # the customer's
      "agent_language": "en",
      "reason": "above_limit",           # what handed the conversation over
      "status": "open",                  # open, assigned or closed
      "assigned_to": null,
      "created_at": "2026-11-25T08:00:00+00:00", "closed_at": null,   # ISO 8601, UTC
      "summary": {
        "case_number": "C-000001", "claim_type": "damaged_item", "order_number": "SO-100231",
        "customer_tier": "member",
        "items": [{"sku": "MUG-BLUE", "name": "Ceramic mug, blue", "quantity": 1}],
        "evidence": [{"id": "3f2a...", "path": "var/evidence/3f2a.jpg", "content_type": "image/jpeg"}],
        "offer": {"kind": "refund", "amount": "12.90", "currency": "EUR", "state": "proposed",
                  "needs_approval": true, "items": [...]},          # or null
        "policy_reason": "above_auto_limit",                        # or null
        "note": null
      },
      "transcript": [
        {"role": "customer",             # customer, bot or agent
         "text": "杯子碎了",              # as written
         "language": "zh",               # of text, or null
         "translated_text": "The mug is broken",   # null when the translation failed
         "translated_language": "en",    # the other side's language
         "translated": true,
         "at": "2026-11-25T08:00:00+00:00"}
      ]
    }

Amounts are strings (no float rounding).  Customer, bot and agent texts are data, never markup:
the HTML escapes every one of them, and the Markdown writes <, > and & as entities because
Markdown renderers pass inline HTML through.

`post_to_helpdesk` POSTs that JSON with `X-Handoff-Signature: sha256=<hex>` (HMAC-SHA256 of the
exact body with the shared secret) and `X-Handoff-Delivery` (one id for all retries of a
delivery, so the helpdesk can drop duplicates); it retries on 429, 5xx, timeouts and connection
errors with exponential backoff and reports the outcome instead of raising.
"""

from __future__ import annotations

import html
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from bot.channels import meta
from bot.config import Settings, get_settings
from bot.handoff.tickets import TicketView

log = logging.getLogger(__name__)

SCHEMA = "handoff-ticket/1"
SIGNATURE_HEADER = "X-Handoff-Signature"
DELIVERY_HEADER = "X-Handoff-Delivery"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def to_json(ticket: TicketView) -> dict[str, Any]:
    """The ticket as JSON-ready data (shape in the module docstring)."""
    return {
        "schema": SCHEMA,
        "id": ticket.id,
        "conversation_id": ticket.conversation_id,
        "channel": ticket.channel,
        "language": ticket.language,
        "agent_language": ticket.agent_language,
        "reason": ticket.reason,
        "status": ticket.status,
        "assigned_to": ticket.assigned_to,
        "created_at": _iso(ticket.created_at),
        "closed_at": _iso(ticket.closed_at),
        "summary": {
            "case_number": ticket.case_number,
            "claim_type": ticket.claim_type,
            "order_number": ticket.order_number,
            "customer_tier": ticket.customer_tier,
            "items": list(ticket.items),
            "evidence": list(ticket.evidence),
            "offer": ticket.offer,
            "policy_reason": ticket.policy_reason,
            "note": ticket.note,
        },
        "transcript": [
            {
                "role": e.role,
                "text": e.text,
                "language": e.language,
                "translated_text": e.translated_text,
                "translated_language": e.translated_language,
                "translated": e.translated,
                "at": _iso(e.at),
            }
            for e in ticket.entries
        ],
    }


def to_json_text(ticket: TicketView) -> str:
    return json.dumps(to_json(ticket), ensure_ascii=False, indent=2)


def _summary_rows(ticket: TicketView) -> list[tuple[str, str]]:
    offer = ticket.offer
    items = ", ".join(f"{i.get('quantity')} × {i.get('name')} ({i.get('sku')})" for i in ticket.items)
    return [
        ("Reason", ticket.reason),
        ("Status", ticket.status + (f" ({ticket.assigned_to})" if ticket.assigned_to else "")),
        ("Conversation", ticket.conversation_id),
        ("Channel", ticket.channel),
        ("Customer language", ticket.language),
        ("Agent language", ticket.agent_language),
        ("Customer tier", ticket.customer_tier or "—"),
        ("Case", ticket.case_number or "—"),
        ("Claim type", ticket.claim_type or "—"),
        ("Order", ticket.order_number or "—"),
        ("Items", items or "—"),
        ("Evidence", ", ".join(str(e.get("path") or e.get("id")) for e in ticket.evidence) or "—"),
        (
            "Offer",
            f"{offer['kind']} {offer['amount']} {offer['currency']} ({offer['state']})" if offer else "—",
        ),
        ("Policy reason", ticket.policy_reason or "—"),
        ("Opened", _iso(ticket.created_at) or ""),
    ] + ([("Note", ticket.note)] if ticket.note else [])


def _md(text: str) -> str:
    """Text safe inside Markdown: no HTML, no links or images, no table or line breaks."""
    escaped = html.escape(text, quote=False)
    for char in "\\[]|":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", "<br>")


def to_markdown(ticket: TicketView) -> str:
    lines = [f"# Handoff ticket {ticket.id}", "", "| | |", "|---|---|"]
    lines += [f"| {name} | {_md(str(value))} |" for name, value in _summary_rows(ticket)]
    lines += ["", "## Transcript", ""]
    for e in ticket.entries:
        lines.append(f"**{e.role}** ({e.language or '?'}) · {_iso(e.at)}")
        lines.append("")
        lines.append(f"> {_md(e.text)}")
        if e.translated_text is None:
            lines.append(f"> _(not translated into {e.translated_language})_")
        elif e.translated_text != e.text:
            lines.append(f"> _{e.translated_language}:_ {_md(e.translated_text)}")
        lines.append("")
    return "\n".join(lines)


def _h(value: object) -> str:
    return html.escape(str(value), quote=True)


def to_html(ticket: TicketView) -> str:
    """A standalone page.  Every text is escaped; the Content-Security-Policy forbids scripts as a
    second line of defence should a future change forget to escape."""
    rows = "\n".join(f"<tr><th>{_h(n)}</th><td>{_h(v)}</td></tr>" for n, v in _summary_rows(ticket))
    messages = []
    for e in ticket.entries:
        if e.translated_text is None:
            translated = f'<p class="untranslated">not translated into {_h(e.translated_language)}</p>'
        elif e.translated_text != e.text:
            translated = (
                f'<p class="translated" lang="{_h(e.translated_language)}" dir="auto">'
                f"{_h(e.translated_text)}</p>"
            )
        else:
            translated = ""
        messages.append(
            f'<div class="entry {_h(e.role)}"><p class="meta">{_h(e.role)} · {_h(e.language or "?")} · '
            f'<time datetime="{_h(_iso(e.at))}">{_h(_iso(e.at))}</time></p>'
            f'<p class="original" lang="{_h(e.language or "")}" dir="auto">{_h(e.text)}</p>{translated}</div>'
        )
    body = "\n".join(messages)
    return f"""<!DOCTYPE html>
<html lang="{_h(ticket.agent_language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Handoff ticket {_h(ticket.id)}</title>
<style>
body {{ font-family: sans-serif; max-width: 50em; margin: 1em auto; }}
th {{ text-align: left; padding-right: 1em; }}
.entry {{ border-left: 3px solid #ccc; margin: .8em 0; padding-left: .6em; white-space: pre-wrap; }}
.customer {{ border-color: #2a7; }} .agent {{ border-color: #27a; }}
.meta {{ color: #666; font-size: .85em; margin: 0; }}
.translated {{ color: #333; font-style: italic; }} .untranslated {{ color: #a22; font-size: .85em; }}
</style>
</head>
<body>
<h1>Handoff ticket {_h(ticket.id)}</h1>
<table>
{rows}
</table>
<h2>Transcript</h2>
{body}
</body>
</html>
"""


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for `body`: "sha256=<hex>", Meta's webhook scheme, so a
    helpdesk that already checks Meta's X-Hub-Signature-256 checks ours the same way."""
    return meta.signature(secret, body)


@dataclass(frozen=True)
class Delivery:
    ok: bool
    attempts: int
    status: int | None = None  # the last HTTP status, None when no answer came
    error: str | None = None


def post_to_helpdesk(
    ticket: TicketView,
    url: str,
    secret: str | None,
    *,
    timeout: float = 5.0,
    retries: int = 3,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POSTs the ticket's JSON to `url`; never raises (a helpdesk outage must not break the
    handoff itself).  `retries` further attempts after a 429, 5xx, timeout or connection error,
    waiting `backoff`, then twice as long each time."""
    body = json.dumps(to_json(ticket), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", DELIVERY_HEADER: uuid.uuid4().hex}
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret)
    else:
        log.warning("helpdesk webhook without HANDOFF_WEBHOOK_SECRET: requests are not signed")
    attempt, status, error = 0, None, None
    while True:
        attempt += 1
        try:
            response = requests.post(url, data=body, headers=headers, timeout=timeout)
            status, error = response.status_code, None
            if 200 <= status < 300:
                return Delivery(True, attempt, status)
            error = f"HTTP {status}"
            retry = status == 429 or status >= 500
        except requests.RequestException as exc:
            status, error, retry = None, f"{type(exc).__name__}: {exc}", True
        except Exception as exc:  # a bad URL or anything else: reported, not raised
            status, error, retry = None, f"{type(exc).__name__}: {exc}", False
        if not retry or attempt > retries:
            log.warning(
                "helpdesk delivery of ticket %s failed after %d attempts: %s", ticket.id, attempt, error
            )
            return Delivery(False, attempt, status, error)
        sleep(backoff * 2 ** (attempt - 1))


def post_configured(ticket: TicketView, settings: Settings | None = None) -> Delivery | None:
    """Delivers to HANDOFF_WEBHOOK_URL when one is set; None when there is no helpdesk."""
    settings = settings or get_settings()
    if not settings.handoff_webhook_url:
        return None
    return post_to_helpdesk(
        ticket,
        settings.handoff_webhook_url,
        settings.handoff_webhook_secret,
        timeout=settings.channel_timeout,
    )
