"""Rasa adapter for `bot.language.phrases`: entities by the phrases annotated in training data."""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.phrases import PhraseMatcher

_FILE = "phrases.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class PhraseEntityExtractor(GraphComponent, EntityExtractorMixin):
    def __init__(self, model_storage: ModelStorage, resource: Resource, matcher: PhraseMatcher) -> None:
        self._storage, self._resource, self.matcher = model_storage, resource, matcher

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PhraseEntityExtractor:
        return cls(model_storage, resource, PhraseMatcher())

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            (e["entity"], message.get(TEXT)[e["start"] : e["end"]], str(e.get("value", "")))
            for message in training_data.entity_examples
            for e in message.get(ENTITIES) or []
            if "start" in e and "end" in e
        ]
        self.matcher = PhraseMatcher.learn(examples)
        rows = [[entity, phrase, value] for (entity, phrase), value in self.matcher.phrases.items()]
        with self._storage.write_to(self._resource) as directory:
            (directory / _FILE).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> PhraseEntityExtractor:
        try:
            with model_storage.read_from(resource) as directory:
                rows = json.loads((directory / _FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            rows = []
        return cls(model_storage, resource, PhraseMatcher({(e, p): v for e, p, v in rows}))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            found = self.matcher.find(message.get(TEXT) or "")
            if not found:
                continue
            entities = list(message.get(ENTITIES) or [])
            taken: list[tuple[int, int]] = []
            for match in found:
                if any(match.start < end and start < match.end for start, end in taken):
                    continue  # a longer phrase already covers this one
                taken.append((match.start, match.end))
                entities.append(
                    {
                        "entity": match.entity,
                        "value": match.value,
                        "start": match.start,
                        "end": match.end,
                        "confidence_entity": 1.0,
                        "extractor": "PhraseEntityExtractor",
                    }
                )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
