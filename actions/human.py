"""Handing the conversation to a person, cancelling, and messages the assistant did not understand."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claim_start import EVIDENCE_SLOTS
from actions.common import channel, language
from bot import claims
from bot.handoff.handover import hand_over

# Said before "a colleague continues...", by reason: why the assistant stops here.
LEAD_IN = {
    "not_understood": "utter_not_understood_handoff",
    "verification_failed": "utter_verification_locked",
    "angry": "utter_escalation_handoff",
    "legal": "utter_escalation_handoff",
}


def _note(tracker: Tracker) -> str:
    """What the colleague needs first: the claim (if any) and the customer's last words."""
    claim_type = tracker.get_slot("claim_type")
    text = tracker.latest_message.get("text") or ""
    return f"[{claim_type}] {text}" if claim_type else text


def escalation(tracker: Tracker) -> str | None:
    """ "angry" or "legal" when the NLU flagged the latest message (bot.rasa.escalation_detector)."""
    for entity in tracker.latest_message.get("entities") or ():
        if entity.get("entity") == "escalation" and entity.get("value") in ("angry", "legal"):
            return str(entity["value"])
    return None


async def hand_to_person(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, *, note: str | None = None
) -> list[dict[str, Any]]:
    """Opens the ticket, tells the customer when a person continues, and pauses the conversation:
    Rasa logs the customer's next messages for the agent but answers none until the hand-back."""
    result = await asyncio.to_thread(  # translating the transcript must not block other turns
        hand_over,
        conversation_id=tracker.sender_id,
        reason=reason,
        language=language(tracker),
        channel=channel(tracker),
        events=tracker.events,
        case_number=tracker.get_slot("case_number"),
        note=note if note is not None else _note(tracker),
    )
    dispatcher.utter_message(response=result.response, **result.values)
    events: list[dict[str, Any]] = [SlotSet("awaiting", None)]
    if tracker.active_loop.get("name"):
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    # A form that was waiting for an answer took this message as one ("you thieves" as the order
    # number) before the handoff closed it: the agent and a resumed claim must not see it there.
    text = tracker.latest_message.get("text")
    events += [SlotSet(name, None) for name, value in tracker.slots.items() if text and value == text]
    return [*events, ConversationPaused()]


class ActionHumanRequest(Action):
    """Every trigger that ends with a person: asked for, not understood, identity not verified,
    angry or legal (the escalation policy predicts this action on such a message)."""

    def name(self) -> str:
        return "action_human_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reason = escalation(tracker) or (
            "verification_failed"
            if int(tracker.get_slot("verify_attempts") or 0) >= claims.policy().verification.max_attempts
            else "customer_asked"
        )
        if reason in LEAD_IN:
            dispatcher.utter_message(response=LEAD_IN[reason])
        return await hand_to_person(dispatcher, tracker, reason)


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


def misunderstood_in_a_row(tracker: Tracker) -> int:
    """How many of the latest customer messages, counting back, the assistant could not place."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


class ActionFallback(Action):
    """Ask to rephrase; after a few misses in a row offer a colleague, then hand over (policy.yml)."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rules = claims.policy().handoff
        misses = misunderstood_in_a_row(tracker)
        if misses >= rules.after_misunderstood:
            dispatcher.utter_message(response=LEAD_IN["not_understood"])
            return await hand_to_person(dispatcher, tracker, "not_understood")
        if misses >= rules.offer_after_misunderstood:
            dispatcher.utter_message(response="utter_still_not_understood")
            return [SlotSet("awaiting", "human_offer")]
        dispatcher.utter_message(response="utter_default")
        return []
