from bot.language.phrases import PhraseMatcher

MATCHER = PhraseMatcher.learn(
    [
        ("remedy", "reembolso", "refund"),
        ("remedy", "reembolso parcial", "partial_refund"),
        ("remedy", "退款", "refund"),
        ("remedy", "Geld zurück", "refund"),
        ("remedy", "cupón", "coupon"),
        ("remedy", "cupon", "coupon"),
        ("remedy", "x", "coupon"),  # too short to mean anything
    ]
)


def values(text: str) -> list[str]:
    return [m.value for m in MATCHER.find(text)]


def test_phrases_are_found_whatever_the_case_accents_or_script() -> None:
    assert values("Prefiero el REEMBOLSO") == ["refund"]
    assert values("我要退款") == ["refund"]
    assert values("lieber geld   zuruck bitte") == ["refund"]
    assert values("un cupón esta bien") == ["coupon"]


def test_the_longest_phrase_wins() -> None:
    assert values("un reembolso parcial y me lo quedo") == ["partial_refund"]


def test_parts_of_words_and_single_letters_do_not_count() -> None:
    assert values("reembolsos no, gracias") == []
    assert values("x") == []
