"""Helpers shared by the actions: who is talking, and how replies are sent."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.replies import Reply


def language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "en"


def channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def say(dispatcher: CollectingDispatcher, replies: Iterable[Reply]) -> None:
    """Sends each reply as a domain response with its values (never free text)."""
    for reply in replies:
        kwargs: dict[str, Any] = dict(reply.values)
        if reply.options:
            kwargs["options"] = list(reply.options)
        dispatcher.utter_message(response=reply.response, **kwargs)
