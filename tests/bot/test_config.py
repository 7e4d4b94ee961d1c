"""Settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, TRANSLATION_VARIABLES, get_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "EVIDENCE_DIR", "POLICY_FILE", *TRANSLATION_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    settings = get_settings()
    assert settings.project_root == PROJECT_ROOT == Path(__file__).resolve().parents[2]
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'shop.db'}"
    assert settings.evidence_dir == PROJECT_ROOT / "var" / "evidence"
    assert settings.policy_path == PROJECT_ROOT / "policy.yml"
    assert (settings.translator, settings.translator_url, settings.translator_api_key) == (
        "google",
        None,
        None,
    )
    assert (settings.translator_timeout, settings.translator_budget, settings.translator_retries) == (
        2.0,
        3.0,
        2,
    )
    assert (settings.translator_breaker_threshold, settings.translator_breaker_cooldown) == (5, 30.0)


def test_environment_wins_and_is_read_every_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop@db/shop")
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "photos"))
    monkeypatch.setenv("POLICY_FILE", str(tmp_path / "policy.yml"))
    settings = get_settings()
    assert (settings.database_url, settings.evidence_dir, settings.policy_path) == (
        "postgresql://shop@db/shop",
        tmp_path / "photos",
        tmp_path / "policy.yml",
    )
    monkeypatch.setenv("DATABASE_URL", "sqlite:///other.db")
    assert get_settings().database_url == "sqlite:///other.db"


def test_translator_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "TRANSLATOR": " LibreTranslate ",
        "TRANSLATOR_URL": "http://127.0.0.1:5000/",
        "TRANSLATOR_API_KEY": "k",
        "TRANSLATOR_TIMEOUT": "0.5",
        "TRANSLATOR_RETRIES": "0",
        "TRANSLATOR_BREAKER_THRESHOLD": "3",
        "TRANSLATOR_BREAKER_COOLDOWN": "10",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TRANSLATOR_BUDGET", raising=False)
    settings = get_settings()
    assert (settings.translator, settings.translator_url, settings.translator_api_key) == (
        "libretranslate",
        "http://127.0.0.1:5000/",
        "k",
    )
    # Without TRANSLATOR_BUDGET a translation may take half as long again as one call.
    assert (settings.translator_timeout, settings.translator_budget, settings.translator_retries) == (
        0.5,
        0.75,
        0,
    )
    assert (settings.translator_breaker_threshold, settings.translator_breaker_cooldown) == (3, 10.0)
    monkeypatch.setenv("TRANSLATOR_BUDGET", "4")
    assert get_settings().translator_budget == 4.0


@pytest.mark.parametrize(
    ("name", "value"),
    [("TRANSLATOR", "babelfish"), ("TRANSLATOR_TIMEOUT", "soon"), ("TRANSLATOR_RETRIES", "-1")],
)
def test_a_misspelt_translator_setting_is_an_error(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        get_settings()


CHANNEL_VARIABLES = (
    "TELEGRAM_TOKEN",
    "TELEGRAM_SECRET_TOKEN",
    "TELEGRAM_API_URL",
    "META_GRAPH_URL",
    "WHATSAPP_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_WHATSAPP_NUMBER",
    "TWILIO_API_URL",
    "MESSENGER_PAGE_TOKEN",
    "MESSENGER_APP_SECRET",
    "MESSENGER_VERIFY_TOKEN",
)


def test_channels_default_to_the_real_hosts_and_name_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CHANNEL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    settings = get_settings()
    assert settings.telegram.api_url == "https://api.telegram.org"
    assert settings.whatsapp_cloud.graph_url == settings.messenger.graph_url == "https://graph.facebook.com"
    assert settings.twilio_whatsapp.api_url == "https://api.twilio.com"
    assert settings.telegram.missing() == ["TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN"]
    assert settings.messenger.missing() == [
        "MESSENGER_PAGE_TOKEN",
        "MESSENGER_APP_SECRET",
        "MESSENGER_VERIFY_TOKEN",
    ]
    assert settings.channel_timeout == 10.0


def test_channel_settings_from_the_environment_keep_secrets_out_of_logs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456:very-secret")
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", "  hook-secret  ")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    settings = get_settings()
    assert (settings.telegram.token, settings.telegram.secret_token) == ("123456:very-secret", "hook-secret")
    assert settings.telegram.api_url == "http://127.0.0.1:8081" and settings.telegram.missing() == []
    assert "very-secret" not in repr(settings) and "hook-secret" not in repr(settings)


def test_handoff_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HANDOFF_AGENT_LANGUAGE", "HANDOFF_HOURS", "HANDOFF_TIMEZONE", "HANDOFF_HOLIDAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)
    settings = get_settings()
    assert (settings.handoff_agent_language, settings.handoff_hours, settings.handoff_timezone) == (
        "en",
        "Mon-Fri 09:00-18:00",
        "Europe/Berlin",
    )
    assert settings.handoff_holidays == () and settings.handoff_webhook_url is None
    monkeypatch.setenv("HANDOFF_AGENT_LANGUAGE", "ZH")
    monkeypatch.setenv("HANDOFF_HOLIDAYS", "2026-12-25, 2026-12-26,")
    monkeypatch.setenv("HANDOFF_WEBHOOK_SECRET", "hmac-secret")
    settings = get_settings()
    assert settings.handoff_agent_language == "zh"
    assert settings.handoff_holidays == ("2026-12-25", "2026-12-26")
    assert "hmac-secret" not in repr(settings)


def test_console_agents(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import ConsoleAgent, console_agents

    monkeypatch.delenv("CONSOLE_AGENTS", raising=False)
    assert console_agents(get_settings()) == ()
    monkeypatch.setenv("HANDOFF_AGENT_LANGUAGE", "de")
    monkeypatch.setenv("CONSOLE_AGENTS", " alice:" + "a" * 16 + ", bob:" + "b" * 20 + ":ZH ,")
    agents = console_agents(get_settings())
    assert agents == (ConsoleAgent("alice", "a" * 16, "de"), ConsoleAgent("bob", "b" * 20, "zh"))
    assert "a" * 16 not in repr(agents) and "a" * 16 not in repr(get_settings())  # tokens stay out of logs


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("alice", "name:token"),
        ("al ice:" + "a" * 16, "name:token"),
        ("alice:short", "shorter than 16"),
        ("alice:" + "a" * 16 + ":english!", "not a language code"),
        ("alice:" + "a" * 16 + ",alice:" + "b" * 16, "twice"),
    ],
)
def test_console_agents_malformed(monkeypatch: pytest.MonkeyPatch, value: str, message: str) -> None:
    from bot.config import console_agents

    monkeypatch.setenv("CONSOLE_AGENTS", value)
    with pytest.raises(ValueError, match=message):
        console_agents(get_settings())
