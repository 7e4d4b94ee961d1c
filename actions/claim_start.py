"""Starting a claim (a new claim named in the middle of a question: actions/claim_form.py)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel, language, latest_intent
from bot import claims
from bot.parsing import parse_email, parse_order_number, parse_phone

EVIDENCE_SLOTS = (
    "received_count",
    "received_counts",
    "claim_item",
    "mismatch_detail",
    "photo",
    "current_item",
    "current_ordered",
    "item_list",
    "feedback_score",
    "feedback_wanted",
)


class ActionStartClaim(Action):
    def name(self) -> str:
        return "action_start_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        claim_type = latest_intent(tracker)
        if claim_type not in claims.CLAIM_TYPES:  # reached through a rule with another intent
            claim_type = tracker.get_slot("claim_type") or "missing_items"
        events = [SlotSet("claim_type", claim_type), SlotSet("awaiting", None)]
        events += [SlotSet(slot, None) for slot in EVIDENCE_SLOTS]
        dispatcher.utter_message(response=f"utter_ack_{claim_type}")
        # A claim left without a decision is closed; accepted ones are not touched.
        claims.cancel(tracker.get_slot("case_number"))

        text = tracker.latest_message.get("text") or ""
        number = parse_order_number(text)
        verified_number = tracker.get_slot("order_number") if tracker.get_slot("verified") else None
        if verified_number and number in (None, verified_number):
            # Same customer, same order: no need to verify again, open a case for the new claim.
            case = claims.open_claim(
                tracker.sender_id, verified_number, claim_type, language(tracker), channel(tracker)
            )
            return events + [SlotSet("case_number", case)]

        events += [
            SlotSet("verified", None),
            SlotSet("case_number", None),
            SlotSet("verify_failed", None),
            SlotSet("order_number", number),
            SlotSet("order_contact", None),
        ]
        contact = parse_email(text) or parse_phone(text) if number else None
        if contact:
            events.append(SlotSet("order_contact", contact))
        return events
