"""The conversation's language is sticky: only a request or clear evidence changes it."""

from __future__ import annotations

from bot.language.conversation import conversation_language, is_confident
from bot.language.detection import detect


def turn(current: str | None, text: str, hint: str | None = None, requested: str | None = None) -> str:
    return conversation_language(current, detect(text, prior=current or hint), requested, hint)


def test_a_request_or_a_language_button_always_wins() -> None:
    assert turn("es", "¿dónde está mi pedido?", requested="en") == "en"
    assert turn(None, "hola", hint="de-DE", requested="fr") == "fr"
    assert turn("en", "ok", requested="zh-CN") == "zh"
    assert turn("en", "hello", requested="sv") == "sv"  # served by machine translation


def test_first_turn_a_short_message_keeps_the_channel_locale() -> None:
    assert turn(None, "hola", hint="en-US") == "en"
    assert turn(None, "ok", hint="es-ES,es;q=0.9") == "es"
    assert turn(None, "SO-100231", hint="pt_BR") == "pt"


def test_first_turn_a_confident_message_overrides_the_locale() -> None:
    assert turn(None, "hola, mi paquete no ha llegado todavía", hint="en-US") == "es"
    assert turn(None, "Das Paket ist leider immer noch nicht angekommen", hint="en") == "de"
    assert turn(None, "我的包裹还没到", hint="en-US") == "zh"


def test_first_turn_without_a_hint_uses_what_the_message_says() -> None:
    assert turn(None, "hola") == "es"
    assert turn(None, "merci") == "fr"
    assert turn(None, "👍") == "en"


def test_short_or_unsure_messages_do_not_switch() -> None:
    assert turn("es", "ok") == "es"
    assert turn("es", "thanks") == "es"
    assert turn("fr", "merci, SO-100231") == "fr"
    assert turn("de", "AirPods Pro") == "de"
    assert turn("pt", "gracias") == "pt"
    assert turn("it", "ok thank you!") == "it"


def test_a_confident_message_switches() -> None:
    assert turn("es", "sorry, can we continue in another way, my package never arrived") == "en"
    assert turn("en", "mi paquete no ha llegado y necesito el reembolso") == "es"
    assert turn("de", "het pakket is nog steeds niet bezorgd") == "nl"


def test_a_message_in_a_script_of_its_own_switches_even_when_short() -> None:
    assert turn("en", "谢谢") == "zh"
    assert turn("en", "감사합니다") == "ko"
    assert turn("es", "спасибо") == "ru"
    assert turn("fr", "شكرا") == "ar"


def test_han_text_that_could_be_japanese_does_not_switch_a_japanese_conversation() -> None:
    assert turn("ja", "交換希望") == "ja"
    assert turn("zh", "交換希望") == "zh"


def test_mixed_language_messages_stay_in_the_customers_language() -> None:
    assert turn("es", "hola, my order SO-100231 no llego") == "es"
    assert turn("es", "los AirPods llegaron rotos") == "es"


def test_another_language_can_become_the_conversation_language() -> None:
    assert turn("en", "Hej, jag har inte fått mitt paket än och det har gått två veckor") == "sv"
    assert turn(None, "Tôi muốn trả lại đôi giày", hint="en") == "vi"
    # ...and stays for short replies.
    assert turn("sv", "tack") == "sv"
    assert turn("uk", "добре") == "uk"


def test_confidence_rules() -> None:
    assert not is_confident(detect("SO-100231"))
    assert not is_confident(detect("hola"))  # one word
    assert is_confident(detect("hola, mi paquete no ha llegado"))
    assert is_confident(detect("谢谢"))
