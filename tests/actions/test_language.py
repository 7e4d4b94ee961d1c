"""The conversation's language after each message: sticky, switched on clear evidence."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionDetectLanguage
from tests.actions.conftest import DOMAIN


def turn(
    text: str,
    *,
    language: str | None = None,
    metadata: dict | None = None,
    request: str | None = None,
    parsed_text: str | None = None,
) -> Tracker:
    """A tracker whose latest customer message is `text`, as Rasa sends it to the action server."""
    entities = [{"entity": "language_request", "value": request}] if request else []
    return Tracker.from_dict(
        {
            "sender_id": "language-test",
            "slots": {"language": language, "session_started_metadata": None},
            "latest_message": {
                "text": parsed_text or text,
                "intent": {"name": "greet"},
                "entities": entities,
            },
            "events": [{"event": "user", "text": text, "metadata": metadata or {}}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


async def language_after(tracker: Tracker) -> Any:
    events = await ActionDetectLanguage().run(CollectingDispatcher(), tracker, DOMAIN)
    return events[0]["value"] if events else tracker.get_slot("language")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hola", "es"),
        ("退款", "zh"),
        ("Paket nicht angekommen", "de"),
        ("спасибо", "ru"),
        ("안녕하세요", "ko"),
    ],
)
async def test_the_first_message_sets_the_language_even_when_it_is_one_word(text: str, language: str) -> None:
    assert await language_after(turn(text)) == language


@pytest.mark.parametrize("text", ["ok", "SO-100231", "merci", "👍", "anna.schmidt@example.de"])
async def test_a_short_or_wordless_message_does_not_switch(text: str) -> None:
    assert await language_after(turn(text, language="es")) == "es"


async def test_a_confident_sentence_switches() -> None:
    text = "Bonjour, mon colis est arrivé mais il manque un article dans la boîte"
    assert await language_after(turn(text, language="en")) == "fr"


async def test_an_explicit_request_or_button_switches() -> None:
    assert await language_after(turn("English please", language="es", request="en")) == "en"
    assert await language_after(turn('/change_language{"language_request": "ja"}', request="ja")) == "ja"


async def test_the_channels_locale_is_the_prior_for_the_first_message() -> None:
    assert await language_after(turn("SO-100231", metadata={"locale": "de-DE"})) == "de"
    assert await language_after(turn("ok", metadata={"language_code": "pt-br"})) == "pt"
    # A confident message overrides the hint.
    assert await language_after(turn("Hola, mi paquete llegó roto", metadata={"locale": "en-US"})) == "es"


async def test_a_language_outside_the_fourteen_is_read_from_the_customers_own_words() -> None:
    # The NLU read an English translation; the customer wrote Swedish.
    tracker = turn(
        "Hej, jag har ett problem med min beställning idag", parsed_text="Hi, I have a problem with my order"
    )
    assert await language_after(tracker) == "sv"
