"""Every reply exists in every supported language, with its placeholders and buttons intact."""

from pathlib import Path

import pytest
import yaml

from bot.language.codes import SUPPORTED
from bot.translation import catalog

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[3] / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = {name: variants[0] for name, variants in DOMAIN["responses"].items()}
TRANSLATED = [lang for lang in SUPPORTED if lang != "en"]


def _word_buttons(response: dict) -> list[str]:
    return [b["title"] for b in response.get("buttons") or [] if not str(b["title"]).isdigit()]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_response_has_a_curated_translation(language: str) -> None:
    missing = sorted(set(RESPONSES) - set(catalog.load(language)))
    assert missing == [], f"{language} lacks {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: str) -> None:
    lost = {
        name: (catalog.placeholders(RESPONSES[name]["text"]), catalog.placeholders(entry.text))
        for name, entry in catalog.load(language).items()
        if name in RESPONSES
        and catalog.placeholders(RESPONSES[name]["text"]) != catalog.placeholders(entry.text)
    }
    assert lost == {}, f"{language}: placeholders differ (english, translation): {lost}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translated_buttons_match_the_domain(language: str) -> None:
    wrong = [
        name
        for name, response in RESPONSES.items()
        if _word_buttons(response)
        and len(getattr(catalog.curated(name, language), "buttons", ())) != len(_word_buttons(response))
    ]
    assert wrong == [], f"{language}: button labels missing or miscounted in {wrong}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_for_a_response_that_does_not_exist(language: str) -> None:
    stale = sorted(set(catalog.load(language)) - set(RESPONSES))
    assert stale == [], f"{language} translates responses that are not in domain.yml: {stale}"


def test_a_lost_placeholder_is_detected(tmp_path: Path) -> None:
    (tmp_path / "xx.yml").write_text('utter_case_recorded: "Fertig! Ihre Fallnummer ist {case}."\n')
    entry = catalog.load("xx", tmp_path)["utter_case_recorded"]
    assert catalog.placeholders(entry.text) != catalog.placeholders(RESPONSES["utter_case_recorded"]["text"])
