"""Natural language generation: every bot message comes from a response in domain.yml.

Actions pass values, never text.  This generator formats money and dates for the
conversation's locale and turns `options=[...]` into buttons whose labels are themselves
responses (`utter_option_<name>`), so that every word the customer sees is in the domain
and can be translated.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.language.formatting import format_values

_FIXED_PAYLOADS = {"accept": "/affirm", "other": "/deny", "human": "/human_handoff"}


def option_payload(option: str) -> str:
    """The message a button sends: an intent for fixed choices, a remedy choice otherwise."""
    if option in _FIXED_PAYLOADS:
        return _FIXED_PAYLOADS[option]
    return "/choose_remedy" + json.dumps({"remedy": option})


class ShopNLG(TemplatedNaturalLanguageGenerator):
    """Templated responses with locale formatting and translatable option buttons.

    A subclass of Rasa's templated generator because the agent refreshes the `responses`
    of such generators whenever a model is loaded.
    """

    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__(domain.responses if domain else {})

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        locale = tracker.get_slot("language") or "en"
        options = kwargs.pop("options", None) or []
        values = format_values(kwargs, locale)
        message = await super().generate(utter_action, tracker, output_channel, **values)
        if message is None or not options:
            return message
        buttons = list(message.get("buttons") or [])
        for option in options:
            label = await super().generate(f"utter_option_{option}", tracker, output_channel)
            title = label["text"] if label else option
            buttons.append({"title": title, "payload": option_payload(option)})
        message["buttons"] = buttons
        return message
