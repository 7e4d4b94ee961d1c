"""Language detection of chat messages, as a customer would notice it."""

from __future__ import annotations

import dataclasses

import pytest

from bot.language.codes import SUPPORTED
from bot.language.detection import Detection, count_words, detect, strip_non_words, warm_up


@pytest.fixture(scope="module", autouse=True)
def _profiles_loaded() -> None:
    warm_up()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("退款", "zh"),  # raw langdetect: Korean
        ("我想退掉这双鞋，太小了", "zh"),  # raw langdetect: Korean
        ("物流一个星期没更新了", "zh"),
        ("Добрый день, посылка до сих пор не пришла", "ru"),  # no ы э ё: raw langdetect says Bulgarian
        ("Здравствуйте, где мой заказ", "ru"),
        ("hola", "es"),  # raw langdetect: Welsh
        ("hola!!", "es"),
    ],
)
def test_raw_langdetects_known_chat_failures_are_fixed(text: str, language: str) -> None:
    assert detect(text).language == language


def test_hallo_is_german_or_dutch_and_the_conversation_decides() -> None:
    assert detect("hallo").language in ("de", "nl")  # raw langdetect: Finnish
    assert detect("hallo", prior="de").language == "de"
    assert detect("hallo", prior="nl").language == "nl"


ONE_WORD = [
    ("thanks", "en"),
    ("hello", "en"),
    ("refund", "en"),
    ("谢谢", "zh"),
    ("你好", "zh"),
    ("gracias", "es"),
    ("devolución", "es"),
    ("merci", "fr"),
    ("bonjour", "fr"),
    ("danke", "de"),
    ("Rückerstattung", "de"),
    ("obrigado", "pt"),
    ("grazie", "it"),
    ("rimborso", "it"),
    ("спасибо", "ru"),
    ("возврат", "ru"),
    ("ありがとう", "ja"),
    ("返金", "ja"),  # kanji only, but Japanese: Chinese says 退款
    ("감사합니다", "ko"),
    ("환불", "ko"),
    ("شكرا", "ar"),
    ("teşekkürler", "tr"),
    ("tesekkurler", "tr"),
    ("bedankt", "nl"),
    ("dziękuję", "pl"),
    ("dziekuje", "pl"),
]


@pytest.mark.parametrize(("text", "language"), ONE_WORD)
def test_one_word_messages_in_each_language(text: str, language: str) -> None:
    # Without a prior, and with the conversation already in that language.
    detection = detect(text)
    assert detection.language == language
    assert detect(text, prior=language).language == language
    assert 0.0 < detection.confidence <= 1.0 and detection.supported


def test_every_supported_language_has_a_one_word_case() -> None:
    assert {language for _, language in ONE_WORD} == set(SUPPORTED)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Thank you so much for your help", "en"),
        ("我的包裹还没到，能帮我查一下吗", "zh"),
        ("mi paquete no ha llegado todavía", "es"),
        ("Merci beaucoup pour votre aide", "fr"),
        ("Vielen Dank für die schnelle Hilfe", "de"),
        ("Muito obrigado pela ajuda", "pt"),
        ("Grazie mille per l'aiuto", "it"),
        ("Когда мне вернут деньги за заказ?", "ru"),
        ("荷物がまだ届いていません", "ja"),
        ("배송이 아직 안 왔어요", "ko"),
        ("لم يصلني الطلب حتى الآن", "ar"),
        ("Yardımınız için çok teşekkürler", "tr"),
        ("Hartelijk dank voor de hulp", "nl"),
        ("Dziękuję bardzo za pomoc", "pl"),
    ],
)
def test_sentences_are_confident_and_never_taken_for_another_language(text: str, language: str) -> None:
    detection = detect(text, prior="en" if language != "en" else "es")
    assert detection.language == language and detection.supported
    assert detection.confidence >= 0.9


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hola, my order SO-100231 no llego", "es"),
        ("los AirPods llegaron rotos", "es"),
        ("el tracking number no funciona", "es"),
        ("iPhone壳子收到是裂的", "zh"),
        ("наушники Xiaomi не заряжаются", "ru"),
        ("das Samsung Handy lädt nicht", "de"),
    ],
)
def test_mixed_messages_are_the_customers_language_not_the_product_names(text: str, language: str) -> None:
    assert detect(text).language == language


def test_the_prior_wins_near_ties_but_not_clear_evidence() -> None:
    assert detect("reembolso", prior="pt").language == "pt"
    assert detect("reembolso", prior="es").language == "es"
    assert detect("si", prior="it").language == "it"
    assert detect("where is my package", prior="es").language == "en"
    assert detect("谢谢", prior="ja").language == "zh"


@pytest.mark.parametrize(
    "text", ["SO-100231", "👍👍", "john.doe@example.com", "https://shop.example/o/1", "123", ""]
)
def test_a_message_without_words_returns_the_prior_with_no_confidence(text: str) -> None:
    assert detect(text) == Detection("en", 0.0, 0, True, "")
    assert detect(text, prior="fr-FR").language == "fr"
    assert detect(text, prior="fr").confidence == 0.0


def test_order_numbers_emails_and_urls_are_not_read_as_words() -> None:
    assert strip_non_words("hola SO-100231 anna@example.de https://x.example/a?b=1 😊!!") == "hola"
    assert strip_non_words("订单号SO-100231什么时候发货") == "订单号 什么时候发货"
    assert strip_non_words("c'est cassé") == "c'est cassé"
    assert detect("ok").confidence == 0.0  # every language says "ok"


def test_word_counts() -> None:
    assert count_words(strip_non_words("where is my order SO-100231")) == 4
    assert count_words("退款") == 1
    assert count_words("我的包裹还没到") == 4
    assert detect("SO-100231 hola").words == 1


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hej, jag har inte fått mitt paket än och det har gått två veckor", "sv"),
        ("Jag vill returnera skorna, de är för små", "sv"),
        ("Tôi muốn trả lại đôi giày", "vi"),
        ("cảm ơn", "vi"),
        ("Hei, tilaukseni ei ole vieläkään saapunut", "fi"),
        ("Halo, pesanan saya belum sampai sampai sekarang", "id"),
        ("Dobrý den, moje objednávka ještě nedorazila", "cs"),
        ("Bună ziua, comanda mea nu a ajuns încă", "ro"),
        ("Я хочу повернути кросівки", "uk"),
        ("Θέλω να επιστρέψω τα παπούτσια", "el"),
        ("אני רוצה להחזיר את הנעליים", "he"),
        ("ฉันต้องการคืนรองเท้า", "th"),
        ("मैं जूते वापस करना चाहता हूँ", "hi"),
        ("سلام، سفارش من هنوز نرسیده است", "fa"),
    ],
)
def test_other_languages_are_named_when_sure(text: str, language: str) -> None:
    detection = detect(text)
    assert detection.language == language
    assert not detection.supported


def test_short_ambiguous_messages_are_not_taken_for_other_languages() -> None:
    for text in ["hallo", "ja", "no", "si", "tak", "nie", "ciao", "hej", "super", "top", "bitte"]:
        assert detect(text).supported, text


def test_detection_is_deterministic_and_immutable() -> None:
    first = detect("il pacco è arrivato rotto")
    assert all(detect("il pacco è arrivato rotto") == first for _ in range(5))
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.language = "en"  # type: ignore[misc]


def test_pasted_html_does_not_decide_the_language() -> None:
    assert detect("<script>alert(1)</script> سأتصل بمحامي", prior="ar").language == "ar"
    only_markup = detect('<script>window.x=1</script><img src=x onerror="window.x=2">', prior="zh")
    assert only_markup.words == 0  # nothing to read: the conversation keeps its language
