"""Rasa adapter for `bot.handoff.escalation`: marks an angry or legal message with an entity.

Placed after the classifier, it adds the entity `escalation` (value `legal` or `angry`, the cues
in `cues`) and leaves the intent alone: "you thieves, where is my parcel" is still a
`delivery_delay`, which the colleague who takes over wants to know.  `EscalationPolicy` hands
such a message to a person.  The thresholds come from policy.yml (`handoff:`), read when the
model loads, so a wrong value stops the server with a message naming it.

A message TranslateIn translated is read with the English words, in its English translation.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.handoff.escalation import PIVOT, EscalationRules, detect
from bot.rasa.language_detector import LANGUAGE, TRANSLATED_FROM

ESCALATION = "escalation"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EscalationDetector(GraphComponent, EntityExtractorMixin):
    def __init__(self, rules: EscalationRules) -> None:
        self.rules = rules

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EscalationDetector:
        from bot.policy import load_policy  # POLICY_FILE from the settings, as the actions read it

        return cls(load_policy().handoff)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = detect(text, _language(message), self.rules)
            if found is None:
                continue
            entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != ESCALATION]
            entities.append(
                {
                    "entity": ESCALATION,
                    "value": found.reason,
                    "start": 0,
                    "end": len(text),
                    "confidence_entity": 1.0,
                    "score": found.score,
                    "cues": list(found.cues),
                    "extractor": "EscalationDetector",
                }
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages


def _language(message: Message) -> str | None:
    if message.get(TRANSLATED_FROM):
        return PIVOT  # the text is now the English translation
    found = next((e for e in message.get(ENTITIES) or [] if e.get("entity") == LANGUAGE), None)
    return found["value"] if found else None
