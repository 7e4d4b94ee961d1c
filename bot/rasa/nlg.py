"""Natural language generation: every bot message comes from a response in domain.yml, in the
conversation's language.

Actions pass values, never text.  This generator picks the wording in the `language` slot's
language (curated translation, else machine translation through the cache, else English: see
`bot.translation.localizer`), formats money and dates for that locale, and turns
`options=[...]` into buttons whose labels are themselves responses (`utter_option_<name>`), so
that every word the customer sees is in the domain and can be translated.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.language.formatting import format_values
from bot.translation.localizer import Localized, curated, localize

logger = logging.getLogger(__name__)

_FIXED_PAYLOADS = {"accept": "/affirm", "other": "/deny", "human": "/human_handoff"}
# Beyond the translator's own budget, the most a reply may wait before it goes out in English.
_GRACE_SECONDS = 0.5
# Values that are English free text from elsewhere (a carrier's scan description), translated
# like a reply; every other value is a name, number or date and is left alone or formatted.
FREE_TEXT_VALUES = frozenset({"status_text"})


def option_payload(option: str) -> str:
    """The message a button sends: an intent for fixed choices, a remedy choice otherwise."""
    if option in _FIXED_PAYLOADS:
        return _FIXED_PAYLOADS[option]
    return "/choose_remedy" + json.dumps({"remedy": option})


def _translate_text(text: str, language: str, translator: Any) -> str | None:
    return translator.translate(text, "en", language) if translator is not None else None


def _translator() -> Any:
    from bot.translation.service import get_translator

    return get_translator()


class ShopNLG(TemplatedNaturalLanguageGenerator):
    """Templated responses in the conversation's language, with locale formatting and
    translatable option buttons.

    A subclass of Rasa's templated generator because the agent refreshes the `responses`
    of such generators whenever a model is loaded.
    """

    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__(domain.responses if domain else {})

    async def _off_loop(self, job: Any, *args: Any) -> Any:
        """Run a blocking translation in the executor, for at most the translator's budget."""
        translator = _translator()
        budget = getattr(translator, "budget", 2.0) + _GRACE_SECONDS
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(None, job, *args, translator), timeout=budget)

    async def _free_text(self, values: dict[str, Any], language: str) -> dict[str, Any]:
        """`values` with its free-text values in `language`; a value that cannot be translated
        now is kept in English rather than holding the reply back."""
        if language == "en":
            return values
        out = dict(values)
        for key in FREE_TEXT_VALUES & values.keys():
            text = str(values[key] or "")
            if not text.strip():
                continue
            try:
                out[key] = await self._off_loop(_translate_text, text, language) or text
            except Exception:
                logger.warning("value %s not translated to %s; kept in English", key, language, exc_info=True)
        return out

    async def _localized(self, name: str, response: dict[str, Any], language: str) -> Localized:
        english = response.get("text") or ""
        buttons = tuple(str(b.get("title", "")) for b in response.get("buttons") or [])
        found = curated(name, buttons, language) if language != "en" else None
        if found is not None or language == "en":
            return found or Localized(english, buttons, "english")
        # Machine translation blocks on the network: off the event loop, and never for long.
        try:
            return await self._off_loop(localize, name, english, buttons, language)
        except Exception:  # a failed or slow translation must not cost the customer the reply
            logger.warning("reply %s not translated to %s; sent in English", name, language, exc_info=True)
            return Localized(english, buttons, "english")

    async def _render(
        self, name: str, tracker: DialogueStateTracker, output_channel: str, language: str, values: dict
    ) -> dict[str, Any] | None:
        filled = tracker.current_slot_values()
        response = copy.deepcopy(self._random_response_for(name, output_channel, filled))
        if response is None:
            return None
        localized = await self._localized(name, response, language)
        if "text" in response:
            response["text"] = localized.text
        for button, title in zip(response.get("buttons") or [], localized.buttons):
            button["title"] = title
        return self._fill_response(response, filled, **values)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        language = tracker.get_slot("language") or "en"
        options = kwargs.pop("options", None) or []
        values = await self._free_text(format_values(kwargs, language), language)
        message = await self._render(utter_action, tracker, output_channel, language, values)
        if message is None or not options:
            return message
        buttons = list(message.get("buttons") or [])
        for option in options:
            label = await self._render(f"utter_option_{option}", tracker, output_channel, language, {})
            title = label["text"] if label else option
            buttons.append({"title": title, "payload": option_payload(option)})
        message["buttons"] = buttons
        return message
