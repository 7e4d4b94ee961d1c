"""EscalationPolicy in the trained model: an angry or legal message goes to a person before any
rule or form, with the intent the classifier gave it, and nothing else changes.

Uses models/aftersales.tar.gz (`make train`; `make test` trains first) through Rasa's own agent:
the message is parsed by the real pipeline and the next action predicted by the real policy
ensemble, without running the actions.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from scripts.harness import MODEL


@pytest.fixture(scope="module")
def agent() -> Agent:
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` (make test does it first)")
    return Agent.load(str(MODEL))


def parse(agent: Agent, text: str) -> dict[str, Any]:
    return asyncio.run(agent.parse_message(text))


def tracker(agent: Agent, before: list[Event], text: str) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    events += before
    if not before or not isinstance(before[-1], ActionExecuted) or before[-1].action_name != "action_listen":
        events.append(ActionExecuted("action_listen"))
    parsed = parse(agent, text)  # as the processor records a message
    events.append(UserUttered(text, parsed["intent"], parsed["entities"], parse_data=parsed))
    return DialogueStateTracker.from_events("escalation-test", events, slots=agent.domain.slots)


def next_action(agent: Agent, state: DialogueStateTracker) -> tuple[str, str]:
    prediction = agent.processor.predict_next_with_tracker(state)  # the ensemble's choice
    assert prediction is not None
    best = max(prediction["scores"], key=lambda s: s["score"])
    return best["action"], prediction["policy"] or ""


def run(state: DialogueStateTracker, action: str) -> None:
    state.update(ActionExecuted(action, policy="EscalationPolicy", confidence=1.0))


def test_an_angry_claim_goes_to_a_person_and_keeps_its_intent(agent: Agent) -> None:
    text = "WHERE IS MY PARCEL?! You thieves took my money three weeks ago"
    parsed = parse(agent, text)
    assert parsed["intent"]["name"] == "delivery_delay"
    assert [e["value"] for e in parsed["entities"] if e["entity"] == "escalation"] == ["angry"]
    state = tracker(agent, [], text)
    assert next_action(agent, state) == ("action_human_request", "EscalationPolicy")
    run(state, "action_human_request")
    assert next_action(agent, state) == ("action_listen", "EscalationPolicy")


def test_a_legal_threat_in_the_middle_of_a_form_closes_the_form_first(agent: Agent) -> None:
    form = [
        UserUttered("my parcel is late", intent={"name": "delivery_delay", "confidence": 1.0}),
        ActionExecuted("claim_form"),
        ActiveLoop("claim_form"),
        SlotSet("requested_slot", "order_number"),
        ActionExecuted("action_listen"),
    ]
    state = tracker(agent, form, "je vais porter plainte contre vous")
    assert next_action(agent, state) == ("action_deactivate_loop", "EscalationPolicy")
    run(state, "action_deactivate_loop")
    state.update(ActiveLoop(None))
    assert next_action(agent, state) == ("action_human_request", "EscalationPolicy")
    run(state, "action_human_request")
    assert next_action(agent, state) == ("action_listen", "EscalationPolicy")


def test_angry_during_feedback_beats_the_feedback_form(agent: Agent) -> None:
    form = [
        ActionExecuted("feedback_form"),
        ActiveLoop("feedback_form"),
        SlotSet("requested_slot", "feedback_score"),
        ActionExecuted("action_listen"),
    ]
    state = tracker(agent, form, "1, ihr seid Betrüger")
    assert next_action(agent, state) == ("action_deactivate_loop", "EscalationPolicy")


def test_ordinary_messages_are_left_to_the_rules(agent: Agent) -> None:
    state = tracker(agent, [], "my mug arrived broken")
    action, policy = next_action(agent, state)
    assert policy != "EscalationPolicy" and action != "action_human_request"


def test_a_paused_conversation_is_left_alone(agent: Agent) -> None:
    state = tracker(agent, [ConversationPaused()], "you scammers")
    assert state.is_paused()
    assert next_action(agent, state)[1] != "EscalationPolicy"
