"""The conversation's language, decided after every customer message.

The customer's own words (the tracker keeps them even when the NLU read a translation) are
detected again here with the conversation's language as the prior, which a stateless NLU
component cannot know; an explicit request ("English please", or a language button's
`language_request` entity) comes from the NLU.  The sticky rule lives in
`bot.language.conversation`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.language.codes import normalize
from bot.language.conversation import conversation_language
from bot.language.detection import detect, warm_up

# Where channels put the customer's locale: the web widget sends the browser's language,
# Telegram its `language_code`.
HINT_KEYS = ("locale", "language", "language_code", "lang")

warm_up()  # langdetect's profiles load in seconds: at server start, not in a customer's turn


def _latest_user_event(tracker: Tracker) -> dict[str, Any]:
    return next((e for e in reversed(tracker.events) if e.get("event") == "user"), {})


def _entity(tracker: Tracker, name: str) -> dict[str, Any] | None:
    return next((e for e in tracker.latest_message.get("entities") or [] if e.get("entity") == name), None)


def locale_hint(tracker: Tracker) -> str | None:
    """The channel's locale of the latest customer message (or of the session start), if any."""
    metadata = {
        **(tracker.get_slot("session_started_metadata") or {}),
        **(_latest_user_event(tracker).get("metadata") or {}),
    }
    for key in HINT_KEYS:
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            try:
                return normalize(value) or None
            except ValueError:
                return None
    return None


class ActionDetectLanguage(Action):
    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        current = tracker.get_slot("language")
        request = _entity(tracker, "language_request")
        text = str(_latest_user_event(tracker).get("text") or "")
        hint = locale_hint(tracker) if current is None else None
        if text.startswith("/") and request is None:
            # A button payload or a photo: nothing to read a language from.
            return [SlotSet("language", hint)] if hint else []
        detection = detect(text, prior=current or hint)
        chosen = conversation_language(current, detection, request["value"] if request else None, hint)
        return [SlotSet("language", chosen)] if chosen != current else []
