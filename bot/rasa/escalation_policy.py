"""Hands a conversation to a person as soon as a message carries the `escalation` entity.

`EscalationDetector` (NLU) marks angry and legal messages; this policy then predicts, with
confidence 1 and a priority above RulePolicy's:

    no form active:   action_human_request, then action_listen
    a form active:    action_deactivate_loop, action_human_request, then action_listen

(the same steps as the "human mid-form" rules, so the form does not read the angry message as
its answer).  It abstains on every other turn and while the conversation is paused (a person
has it).  `action_human_request` reads the reason from the latest message's entity.

While a form is active RulePolicy predicts the form as a "no user" prediction, which the
ensemble prefers to any other regardless of priority; this policy's predictions are marked the
same way, so its higher priority decides.
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.escalation_detector import ESCALATION

HUMAN_REQUEST = "action_human_request"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class EscalationPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": RULE_POLICY_PRIORITY + 1}

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn: the NLU component decides

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = None if tracker.is_paused() else _next_action(tracker)
        probabilities = self._default_predictions(domain)
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)


def _next_action(tracker: DialogueStateTracker) -> str | None:
    """The next step of the handover, or None when this turn is not one to hand over."""
    message = tracker.latest_message
    if message is None or not any(e.get("entity") == ESCALATION for e in message.entities or []):
        return None
    done = _actions_since_user_message(tracker)
    if not done:
        return ACTION_DEACTIVATE_LOOP_NAME if tracker.active_loop_name else HUMAN_REQUEST
    if done == [ACTION_DEACTIVATE_LOOP_NAME]:
        return HUMAN_REQUEST
    if done[-1] == HUMAN_REQUEST:
        return ACTION_LISTEN_NAME
    return None  # something else ran first (a rule's own handover, a restart): leave it be


def _actions_since_user_message(tracker: DialogueStateTracker) -> list[str]:
    names: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            names.append(event.action_name)
    return names[::-1]
