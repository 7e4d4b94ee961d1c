"""action_submit_claim: the form is complete; present the policy's remedy."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say
from actions.human import hand_to_person
from bot import claims


class ActionSubmitClaim(Action):
    def name(self) -> str:
        return "action_submit_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case_number = tracker.get_slot("case_number")
        if tracker.get_slot("verify_failed") or not case_number:
            # Nothing can be shared or changed without the order: a person checks it with them.
            dispatcher.utter_message(response="utter_verification_locked")
            return [
                SlotSet("verify_failed", None),
                *await hand_to_person(dispatcher, tracker, "verification_failed"),
            ]
        outcome = claims.submit_claim(
            case_number,
            tracker.sender_id,
            received=tracker.get_slot("received_counts"),
            item_sku=tracker.get_slot("claim_item"),
            detail=tracker.get_slot("mismatch_detail"),
            affected=int(tracker.get_slot("affected_count") or 0) or None,
        )
        say(dispatcher, outcome.replies)
        return [SlotSet("awaiting", outcome.awaiting)]
