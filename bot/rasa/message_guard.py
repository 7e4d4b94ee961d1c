"""Catches messages no classifier should guess at: empty ones and absurdly long ones.

A trained classifier happily labels an empty message "affirm" (seen: 0.88 confidence), which
could accept an offer the customer never agreed to.  Placed last in the pipeline, this
component replaces the intent of such messages with `empty_message` or `message_too_long`;
the text itself stays in the tracker untouched, so nothing the customer wrote is lost.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

EMPTY, TOO_LONG = "empty_message", "message_too_long"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageGuard(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Chat messages longer than this are pasted documents, not questions.
        return {"max_chars": 2000}

    def __init__(self, config: dict[str, Any]) -> None:
        self.max_chars = int(config["max_chars"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageGuard:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = EMPTY if not text.strip() else TOO_LONG if len(text) > self.max_chars else None
            if intent:
                message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}], add_to_output=True)
                message.set("entities", [], add_to_output=True)
        return messages
