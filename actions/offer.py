"""The customer's answer to an offer: accept, see other options, pick one, or propose their own."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_intent, say
from actions.human import hand_to_person
from bot import claims


class ActionAcceptOffer(Action):
    def name(self) -> str:
        return "action_accept_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case_number = tracker.get_slot("case_number")
        if not case_number:
            dispatcher.utter_message(response="utter_no_offer_pending")
            return [SlotSet("awaiting", None), SlotSet("feedback_wanted", False)]
        outcome = claims.accept(case_number)
        say(dispatcher, outcome.replies)
        if outcome.handoff:  # above the auto-approval limit: an agent approves or changes it
            return [
                SlotSet("feedback_wanted", False),
                *await hand_to_person(dispatcher, tracker, outcome.handoff),
            ]
        return [SlotSet("awaiting", None), SlotSet("feedback_wanted", claims.feedback_wanted(case_number))]


class ActionOfferAlternatives(Action):
    def name(self) -> str:
        return "action_offer_alternatives"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        outcome = claims.alternatives(tracker.get_slot("case_number"))
        say(dispatcher, outcome.replies)
        return [SlotSet("awaiting", outcome.awaiting)]


class ActionChooseRemedy(Action):
    def name(self) -> str:
        return "action_choose_remedy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case_number = tracker.get_slot("case_number")
        kind = next(tracker.get_latest_entity_values("remedy"), None)
        if kind is None and latest_intent(tracker) == "refund_request":
            kind = "refund"
        if not case_number or tracker.get_slot("awaiting") != "offer":
            dispatcher.utter_message(response="utter_no_offer_pending")
            return [SlotSet("remedy", None)]
        if kind is None:
            outcome = claims.alternatives(case_number)
        else:
            outcome = claims.choose_remedy(case_number, kind)
        say(dispatcher, outcome.replies)
        return [SlotSet("awaiting", outcome.awaiting), SlotSet("remedy", None)]


class ActionCustomRemedy(Action):
    """A remedy outside the policy needs a person: hand over with the customer's words."""

    def name(self) -> str:
        return "action_custom_remedy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case_number = tracker.get_slot("case_number")
        if case_number:
            dispatcher.utter_message(response="utter_custom_remedy", case_number=case_number)
        return await hand_to_person(
            dispatcher, tracker, "custom_remedy", note=tracker.latest_message.get("text")
        )
