"""NLU components for the customer's language.

`LanguageDetector` runs first: it names the message's language (entity `language`, with its
confidence) and an explicit request to switch (entity `language_request`: "English please",
"请说中文").  Which language the conversation continues in is decided per conversation by an
action (`actions/language.py`), because a single message cannot know the conversation's history.

`TranslateIn` runs next: a message in a language without training data is translated to English
before the tokenizer sees it; the original text stays in the tracker and in `original_text`.

`LanguageSwitch` runs last: a message that is nothing but a request to switch language becomes
the intent `change_language`, whatever the classifier guessed.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.codes import SUPPORTED
from bot.language.detection import detect, warm_up
from bot.language.requests import is_language_request_only, requested_language

logger = logging.getLogger(__name__)

LANGUAGE, REQUEST = "language", "language_request"
REQUEST_ONLY = "language_request_only"
ORIGINAL_TEXT, TRANSLATED_FROM = "original_text", "translated_from"
CHANGE_LANGUAGE = "change_language"


class _PredictOnly(GraphComponent):
    """A component with nothing to train and nothing to store."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _PredictOnly:
        return cls(config)


def _entity(name: str, value: str, confidence: float, text: str) -> dict[str, Any]:
    return {
        "entity": name,
        "value": value,
        "start": 0,
        "end": len(text),
        "confidence_entity": round(confidence, 3),
        "extractor": "LanguageDetector",
    }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(_PredictOnly, EntityExtractorMixin):
    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        warm_up()  # langdetect's profiles take seconds to load: once, when the model loads

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip():
                continue
            detection = detect(text)
            entities = list(message.get(ENTITIES) or [])
            entities.append(_entity(LANGUAGE, detection.language, detection.confidence, text))
            requested = requested_language(text)
            if requested:
                entities.append(_entity(REQUEST, requested, 1.0, text))
                message.set(REQUEST_ONLY, is_language_request_only(text))
            message.set(ENTITIES, entities, add_to_output=True)
        return messages


def _language_entity(message: Message) -> dict[str, Any] | None:
    return next((e for e in message.get(ENTITIES) or [] if e.get("entity") == LANGUAGE), None)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TranslateIn(_PredictOnly, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Languages the classifier was trained on; anything else is translated to English first.
        return {"nlu_languages": list(SUPPORTED), "pivot": "en"}

    def process(self, messages: list[Message]) -> list[Message]:
        from bot.translation.service import get_translator  # the translator is only built when needed

        for message in messages:
            found = _language_entity(message)
            if not found or found["value"] in self.config["nlu_languages"]:
                continue
            original = message.get(TEXT)
            translator = get_translator()
            english = None
            if translator is not None:
                english = translator.translate(original, found["value"], self.config["pivot"])
            if not english:
                # Classified as it is: the reply still comes, in English or the fallback's words.
                logger.info("could not translate a %s message for understanding", found["value"])
                continue
            message.set(TEXT, english, add_to_output=True)
            message.set(ORIGINAL_TEXT, original, add_to_output=True)
            message.set(TRANSLATED_FROM, found["value"], add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageSwitch(_PredictOnly):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(REQUEST_ONLY):
                intent = {"name": CHANGE_LANGUAGE, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
