"""Placeholders: what is protected, what a translation must give back, and the round trip."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from deep_translator import LibreTranslator

from bot.language.codes import SUPPORTED, to_babel
from bot.translation.placeholders import protect


@pytest.mark.parametrize(
    ("text", "sent", "values"),
    [
        ("Order {order_number} ships by {date}.", "Order ⟦0⟧ ships by ⟦1⟧.", ("{order_number}", "{date}")),
        ("Mitt ordernummer är SO-100231", "Mitt ordernummer är ⟦0⟧", ("SO-100231",)),
        ("skriv till so100231 eller C-000042", "skriv till ⟦0⟧ eller ⟦1⟧", ("so100231", "C-000042")),
        ("Spårning LX123456789CN", "Spårning ⟦0⟧", ("LX123456789CN",)),
        ("Mejla anna.s+shop@example.se!", "Mejla ⟦0⟧!", ("anna.s+shop@example.se",)),
        ("Se https://shop.example/r?id=7.", "Se ⟦0⟧.", ("https://shop.example/r?id=7",)),
        ("Pris 199,00\u00a0kr och €12.50", "Pris ⟦0⟧ och ⟦1⟧", ("199,00\u00a0kr", "€12.50")),
        (
            "SEK 1299 eller US$12.50 eller 9800円",
            "⟦0⟧ eller ⟦1⟧ eller ⟦2⟧",
            ("SEK 1299", "US$12.50", "9800円"),
        ),
        ("den 2026-11-30 kl 14:30", "den ⟦0⟧ kl ⟦1⟧", ("2026-11-30", "14:30")),
        ("Nov 30, 2026 / 30 nov. 2026", "⟦0⟧ / ⟦1⟧", ("Nov 30, 2026", "30 nov. 2026")),
        ("2026年11月30日までに", "⟦0⟧までに", ("2026年11月30日",)),
        ("Ring +46 70 123 45 67", "Ring ⟦0⟧", ("+46 70 123 45 67",)),
        ("Jag fick 2 av 3", "Jag fick ⟦0⟧ av ⟦1⟧", ("2", "3")),
        ("konstig ⟦0⟧ text", "konstig ⟦0⟧⟦1⟧⟦2⟧ text", ("⟦", "0", "⟧")),
        ("Inga siffror alls", "Inga siffror alls", ()),
    ],
)
def test_protects(text: str, sent: str, values: tuple[str, ...]) -> None:
    protected = protect(text)
    assert (protected.text, protected.values) == (sent, values)
    assert protected.restore(protected.text) == text


@pytest.mark.parametrize("language", SUPPORTED)
def test_babel_amounts_and_dates_are_one_value_in_every_supported_language(language: str) -> None:
    locale = to_babel(language)
    for currency in ("EUR", "USD", "GBP", "JPY", "CNY"):
        amount = format_currency(1299.5, currency, locale=locale)
        assert len(protect(f"Total {amount} ok").values) == 1, amount
    for style in ("medium", "long"):
        day = format_date(date(2026, 11, 30), format=style, locale=locale)
        assert len(protect(f"by {day} ok").values) == 1, day


def test_restore_refuses_lost_duplicated_or_invented_tokens() -> None:
    protected = protect("Order SO-100231 costs €12.50")
    assert protected.text == "Order ⟦0⟧ costs ⟦1⟧"
    assert protected.restore("Bestellung ⟦1⟧ kostet ⟦0⟧") == "Bestellung €12.50 kostet SO-100231"  # reordered
    assert protected.restore("Bestellung ⟦ 0 ⟧ kostet ⟦1 ⟧") == "Bestellung SO-100231 kostet €12.50"  # spaced
    assert protected.restore("Bestellung ⟦0⟧ kostet") is None
    assert protected.restore("Bestellung ⟦0⟧ ⟦0⟧ kostet ⟦1⟧") is None
    assert protected.restore("Bestellung ⟦0⟧ kostet ⟦1⟧ ⟦2⟧") is None


def test_nothing_left_to_translate() -> None:
    assert not protect("SO-100231").translatable
    assert not protect("2026-11-30, 14:30!").translatable
    assert protect("SO-100231 saknas").translatable


@pytest.mark.parametrize("token", ["⟦0⟧", "⟦ 0 ⟧"])
def test_tokens_survive_libretranslate_round_trips_through_the_peer(peer: str, token: str) -> None:
    """What reaches the peer and comes back through deep-translator keeps every token, and the
    phrasebook matches sentences whose tokens an engine spaced out."""
    translator = LibreTranslator(source="auto", target="en", api_key="-", custom_url=peer)
    translator.source, translator.target = "sv", "en"
    assert translator.translate(f"Mitt ordernummer är {token}") == "My order number is ⟦0⟧"
    protected = protect("Återbetala €12.50 till anna@example.se för SO-100231 senast 2026-11-30")
    answer = translator.translate(protected.text)
    assert protected.restore(answer) == (
        "[en] Återbetala €12.50 till anna@example.se för SO-100231 senast 2026-11-30"
    )
