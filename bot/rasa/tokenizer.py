"""A tokenizer for chat in languages with and without spaces.

Rasa's WhitespaceTokenizer leaves a Chinese or Japanese sentence as one token, and
JiebaTokenizer only knows Chinese.  Here every Han or Kana character is a token of its
own (word bigrams in the featurizer then see Chinese words), while Latin, Cyrillic,
Hangul or Arabic words, e-mail addresses and order numbers such as ``SO-100231`` stay whole,
so that entity spans line up in every script.
"""

from __future__ import annotations

from typing import Any

import regex
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}ー々〆"
_TOKEN = regex.compile(
    rf"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    rf"|[{_CJK}]"  # one token per ideograph or kana
    rf"|(?:(?![{_CJK}])\w)+(?:['’.\-/](?:(?![{_CJK}])\w)+)*"  # words, SO-100231, don't, 1.5
    r"|\p{Extended_Pictographic}"  # emoji carry meaning in chat (👍, 😡)
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualTokenizer(Tokenizer):
    """Splits CJK text per character and everything else on word boundaries."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        tokens = [Token(m.group(0), m.start()) for m in _TOKEN.finditer(text)]
        if not tokens:
            # Punctuation-only or empty text still needs one token for the featurizers.
            tokens = [Token(text, 0)]
        return self._apply_token_pattern(tokens)
