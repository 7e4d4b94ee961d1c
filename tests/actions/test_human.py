"""The handoff triggers that end in a person: the customer is told when, the ticket holds the
conversation, and the conversation is paused so that the assistant stays silent."""

from __future__ import annotations

import asyncio
import copy
from datetime import datetime, timedelta

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.human import ActionFallback, ActionHumanRequest
from bot.db.models import HandoffTicket
from bot.db.session import session_scope
from bot.handoff.hours import DAYS
from tests.actions.conftest import DOMAIN, responses, tracker


@pytest.fixture(autouse=True)
def agents_at_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_HOURS", "Mon-Sun 00:00-24:00")
    monkeypatch.setenv("HANDOFF_TIMEZONE", "UTC")
    monkeypatch.setenv("TRANSLATOR", "none")  # the transcript keeps the originals


def run(action, state: Tracker) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, state, DOMAIN))
    return dispatcher, events


def tickets(conversation_id: str) -> list[HandoffTicket]:
    with session_scope() as session:
        found = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id))
        return [(t.reason, t.status, t.language, [e.text for e in t.entries]) for t in found]


def test_asking_for_a_person_opens_a_ticket_and_pauses_the_conversation() -> None:
    state = tracker("claim_form_order_number", text="I want to talk to a human", intent="human_handoff")
    dispatcher, events = run(ActionHumanRequest(), state)

    assert responses(dispatcher) == ["utter_handoff_now"]
    assert dispatcher.messages[0]["ticket"].startswith("H-")
    assert events[-1] == {"event": "pause", "timestamp": None}
    # The form was active: it stops, so nothing asks for the order while the person is in charge.
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    [(reason, status, language, texts)] = tickets(state.sender_id)
    assert (reason, status, language) == ("customer_asked", "open", "en")
    assert "one of my mugs is missing" in texts  # the transcript so far, for the agent


def test_outside_business_hours_the_customer_is_told_when_a_person_continues(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    later = datetime.now().astimezone().date() + timedelta(days=2)
    monkeypatch.setenv("HANDOFF_HOURS", f"{DAYS[later.weekday()].title()} 09:00-17:00")
    monkeypatch.setenv("HANDOFF_TIMEZONE", "Asia/Shanghai")
    state = tracker("claim_form_order_number", text="human please", intent="human_handoff")
    dispatcher, events = run(ActionHumanRequest(), state)

    [message] = dispatcher.messages
    assert message["response"] == "utter_handoff_later"
    opens = datetime.fromisoformat(message["opens_at"])
    assert (opens.weekday(), opens.hour, opens.utcoffset()) == (later.weekday(), 9, timedelta(hours=8))
    assert message["timezone"] == "Asia/Shanghai"
    assert events[-1]["event"] == "pause"


@pytest.mark.parametrize("reason", ["legal", "angry"])
def test_an_escalated_message_goes_to_a_person_with_an_apology(reason: str) -> None:
    escalation = [{"entity": "escalation", "value": reason, "start": 0, "end": 5}]
    state = tracker("claim_form_order_number", text="...", intent="missing_items", entities=escalation)
    dispatcher, events = run(ActionHumanRequest(), state)

    assert responses(dispatcher) == ["utter_escalation_handoff", "utter_handoff_now"]
    assert tickets(state.sender_id)[0][0] == reason


def test_a_second_trigger_keeps_the_same_ticket() -> None:
    state = tracker("claim_form_order_number", text="a person!", intent="human_handoff")
    first, _ = run(ActionHumanRequest(), state)
    again, _ = run(ActionHumanRequest(), state)
    assert first.messages[0]["ticket"] == again.messages[0]["ticket"]
    assert len(tickets(state.sender_id)) == 1


def _misunderstood(times: int) -> Tracker:
    """A conversation whose last `times` customer messages were not understood."""
    state = tracker("claim_form_order_number").current_state()
    state["active_loop"] = {}
    miss = {"event": "user", "text": "blorp", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    for _ in range(times):
        state["events"] += [copy.deepcopy(miss), {"event": "action", "name": "action_fallback"}]
    state["latest_message"] = miss["parse_data"] | {"text": "blorp"}
    return Tracker.from_dict(state)


def test_misunderstood_messages_first_rephrase_then_offer_then_hand_over() -> None:
    assert responses(run(ActionFallback(), _misunderstood(1))[0]) == ["utter_default"]
    assert responses(run(ActionFallback(), _misunderstood(2))[0]) == ["utter_still_not_understood"]
    state = _misunderstood(3)  # policy.yml: handoff.after_misunderstood
    dispatcher, events = run(ActionFallback(), state)
    assert responses(dispatcher) == ["utter_not_understood_handoff", "utter_handoff_now"]
    assert events[-1]["event"] == "pause"
    assert tickets(state.sender_id)[0][0] == "not_understood"


def test_a_form_answer_taken_from_the_escalated_message_is_cleared() -> None:
    escalation = [{"entity": "escalation", "value": "angry", "start": 0, "end": 5}]
    state = tracker("claim_form_order_number", text="YOU THIEVES!!!", intent="inform", entities=escalation)
    assert state.get_slot(state.get_slot("requested_slot")) == "YOU THIEVES!!!"  # the form's from_text
    _, events = run(ActionHumanRequest(), state)
    cleared = {"event": "slot", "name": state.get_slot("requested_slot"), "value": None, "timestamp": None}
    assert cleared in events
