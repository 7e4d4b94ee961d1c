import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa.tokenizer import MultilingualTokenizer


def tokens(text: str) -> list[str]:
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    return [t.text for t in tokenizer.tokenize(Message(data={"text": text}), "text")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的订单SO100231少了两个", ["我", "的", "订", "单", "SO100231", "少", "了", "两", "个"]),
        ("荷物が届きません", ["荷", "物", "が", "届", "き", "ま", "せ", "ん"]),
        ("mi pedido SO-100231 llegó roto", ["mi", "pedido", "SO-100231", "llegó", "roto"]),
        ("anna.schmidt@example.de, #100231", ["anna.schmidt@example.de", "100231"]),
        ("I don't have it 😡", ["I", "don't", "have", "it", "😡"]),
    ],
)
def test_words_stay_whole_and_cjk_is_split_per_character(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_token_offsets_point_into_the_text() -> None:
    text = "订单SO-100231坏了"
    tokenizer = MultilingualTokenizer(MultilingualTokenizer.get_default_config())
    for token in tokenizer.tokenize(Message(data={"text": text}), "text"):
        assert text[token.start : token.end] == token.text


def test_punctuation_only_still_gives_one_token() -> None:
    assert tokens("???") == ["???"]
