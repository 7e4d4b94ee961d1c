"""Photos that arrive outside a question, and files that were not accepted as photos."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import claims

_RESPONSES = {
    "empty": "utter_photo_empty",
    "too_large": "utter_photo_too_large",
    "too_many_pixels": "utter_photo_too_large",
    # A messaging platform did not hand the file over (bot.channels.media): "please send it again".
    "download_failed": "utter_photo_empty",
}


class ActionPhotoRejected(Action):
    def name(self) -> str:
        return "action_photo_rejected"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reason = next(tracker.get_latest_entity_values("reason"), "not_image")
        response = _RESPONSES.get(reason, "utter_photo_not_image")
        dispatcher.utter_message(response=response, max_mb=str(claims.policy().upload.max_photo_mb))
        return []


class ActionPhotoOutsideClaim(Action):
    """Kept with the conversation; it is attached to the claim once the customer starts one."""

    def name(self) -> str:
        return "action_photo_outside_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_photo_outside_claim")
        return []
