"""A conversation as an agent reads it: every message as written and in the agent's language.

Input is Rasa's tracker as JSON (GET /conversations/<id>/tracker), plain dicts, so this works
from the action server, a console or a script alike.  What it reads:

* `{"event": "user", "text", "timestamp", "parse_data": {"intent", "entities", "text",
  "original_text", "translated_from"}}`: `text` is what the customer wrote.  When TranslateIn
  (bot/rasa/language_detector.py) translated the message for understanding, `parse_data.text` is
  the English it understood and `translated_from` the customer's language; otherwise the language
  is the `language` entity of LanguageDetector, else the conversation's `language` slot;
* `{"event": "bot", "text", "timestamp", "data"}`: already in the customer's language (the NLG
  translates replies); an image or attachment without text is kept as its link;
* `{"event": "slot", "name": "language", "value"}`: the conversation's language from then on.

Translation goes through `bot.translation.service.get_translator()`; a failed one keeps the
original with `translated_text=None`, so nothing the customer wrote is ever lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.translation.service import Translator, get_translator

ROLES = ("customer", "bot", "agent")
PIVOT = "en"  # TranslateIn's target: its English can be reused when the agent reads English


@dataclass(frozen=True)
class Entry:
    role: str  # customer, bot or agent
    text: str  # as written (the customer's own words, the bot's reply as sent, the agent's words)
    language: str | None  # of `text`; None when unknown
    translated_text: str | None  # into `translated_language`; None when the translation failed
    translated_language: str
    at: datetime  # aware UTC

    @property
    def translated(self) -> bool:
        """False when the other side must read the original (the translator failed)."""
        return self.translated_text is not None


def _timestamp(value: Any) -> datetime:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    return datetime.now(timezone.utc)  # Rasa always sets one; a hand-built event may not


def _entity(parse_data: Mapping[str, Any], name: str) -> str | None:
    for entity in parse_data.get("entities") or ():
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    return None


def _bot_text(event: Mapping[str, Any]) -> str | None:
    if event.get("text"):
        return str(event["text"])
    data = event.get("data") or {}
    # Media replies carry no text: the agent still sees that something was sent.
    for key in ("image", "attachment"):
        if data.get(key):
            value = data[key]
            return f"[{key}] {value if isinstance(value, str) else value.get('url', '')}".strip()
    return None


PHOTO_PAYLOADS = ("/upload_photo", "/upload_failed")  # bot/rasa/photo_channel.py


def _customer_words(text: str, buttons: list[dict[str, Any]]) -> str | None:
    """What the customer did, as they saw it: a button's title for its payload, "[photo]" for an
    upload, None for payloads they never saw (the widget's opening "/greet")."""
    if not text.startswith("/"):
        return text
    if text.startswith(PHOTO_PAYLOADS):
        return "[photo]"
    return next((str(b["title"]) for b in buttons if b.get("payload") == text and b.get("title")), None)


def translate(text: str, source: str | None, target: str, translator: Translator | None = None) -> str | None:
    """`text` in `target`; the text itself when it already is; None when the translation failed."""
    if source == target:
        return text
    translator = translator or get_translator()
    try:
        return translator.translate(text, source or "auto", target)
    except Exception:  # a transcript must survive whatever the provider does
        return None


def from_tracker_events(
    events: Iterable[Mapping[str, Any]],
    agent_language: str,
    *,
    default_language: str | None = None,
    translator: Translator | None = None,
) -> list[Entry]:
    """Customer and bot messages of a tracker's events, in order, translated for the agent."""
    entries: list[Entry] = []
    conversation_language = default_language
    buttons: list[dict[str, Any]] = []  # of the latest bot message: a payload is shown as its title
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "language" and event.get("value"):
            conversation_language = str(event["value"])
        elif kind == "user":
            written = str(event.get("text") or "")
            text = _customer_words(written, buttons)
            if not text:
                continue
            if text == "[photo]":
                at = _timestamp(event.get("timestamp"))
                entries.append(Entry("customer", text, None, text, agent_language, at))
                continue
            parse_data = event.get("parse_data") or {}
            language = (
                conversation_language  # a button's title is in the language the bot spoke
                if written.startswith("/")
                else parse_data.get("translated_from")
                or _entity(parse_data, "language")
                or conversation_language
            )
            english = parse_data.get("text") if parse_data.get("translated_from") else None
            if english and agent_language == PIVOT and english != text:
                translated: str | None = english  # already paid for by TranslateIn
            else:
                translated = translate(text, language, agent_language, translator)
            entries.append(
                Entry(
                    "customer", text, language, translated, agent_language, _timestamp(event.get("timestamp"))
                )
            )
        elif kind == "bot":
            data = event.get("data") or {}
            buttons = list(data.get("buttons") or data.get("quick_replies") or [])
            text = _bot_text(event)
            if not text:
                continue
            language = conversation_language
            translated = translate(text, language, agent_language, translator)
            entries.append(
                Entry("bot", text, language, translated, agent_language, _timestamp(event.get("timestamp")))
            )
    return entries


def agent_entry(
    text: str,
    agent_language: str,
    customer_language: str,
    *,
    at: datetime | None = None,
    translator: Translator | None = None,
) -> Entry:
    """An agent's message: `translated_text` is what the customer receives (None: the
    translation failed and the caller decides whether to send the original)."""
    translated = translate(text, agent_language, customer_language, translator)
    return Entry(
        "agent", text, agent_language, translated, customer_language, at or datetime.now(timezone.utc)
    )
