"""Feedback (1-5) after a resolution, asked at most once per order, then a polite close."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot import claims
from bot.parsing import parse_rating


class ValidateFeedbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_feedback_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return ["feedback_score"] if tracker.get_slot("feedback_wanted") else []

    def validate_feedback_score(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        score = parse_rating(str(value or ""))
        if score is None:
            dispatcher.utter_message(response="utter_invalid_feedback")
            return {"feedback_score": None}
        return {"feedback_score": str(score)}


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        score = tracker.get_slot("feedback_score")
        case_number = tracker.get_slot("case_number")
        if score and case_number:
            claims.record_feedback(case_number, int(score))
            dispatcher.utter_message(response="utter_thanks_feedback")
        dispatcher.utter_message(response="utter_closing")
        return [SlotSet("feedback_score", None), SlotSet("feedback_wanted", None)]
