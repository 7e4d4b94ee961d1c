"""Requests for a person, cancelling, and messages the assistant did not understand."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claim_start import EVIDENCE_SLOTS
from actions.common import channel, language
from bot import claims


def _note(tracker: Tracker) -> str:
    """What the colleague needs first: the claim (if any) and the customer's last words."""
    claim_type = tracker.get_slot("claim_type")
    text = tracker.latest_message.get("text") or ""
    return f"[{claim_type}] {text}" if claim_type else text


class ActionHumanRequest(Action):
    """Records the request honestly: a colleague follows up; live takeover comes later."""

    def name(self) -> str:
        return "action_human_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reason = (
            "verification_failed"
            if int(tracker.get_slot("verify_attempts") or 0) >= claims.policy().verification.max_attempts
            else "customer_asked"
        )
        request_id = claims.request_human(
            tracker.sender_id,
            reason,
            language(tracker),
            channel(tracker),
            case_number=tracker.get_slot("case_number"),
            note=_note(tracker),
        )
        dispatcher.utter_message(response="utter_human_requested", request_id=str(request_id))
        return [SlotSet("awaiting", None)]


class ActionCancelClaim(Action):
    def name(self) -> str:
        return "action_cancel_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        claims.cancel(tracker.get_slot("case_number"))
        dispatcher.utter_message(response="utter_cancelled")
        return [
            SlotSet("awaiting", None),
            SlotSet("claim_type", None),
            SlotSet("case_number", None),
            *(SlotSet(slot, None) for slot in EVIDENCE_SLOTS),
        ]


class ActionDecline(Action):
    """A "no" with no open offer: stop offering and ask what else we can do."""

    def name(self) -> str:
        return "action_decline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet("awaiting", None)]


class ActionFallback(Action):
    """First miss: ask to rephrase.  Second miss in a row: offer a colleague."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intents = [
            e.get("parse_data", {}).get("intent", {}).get("name")
            for e in tracker.events
            if e.get("event") == "user"
        ]
        if len(intents) >= 2 and intents[-2] == "nlu_fallback":
            dispatcher.utter_message(response="utter_still_not_understood")
            return [SlotSet("awaiting", "human_offer")]
        dispatcher.utter_message(response="utter_default")
        return []
