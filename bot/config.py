"""Settings from the environment, in one place.

Built on every call (it is cheap) so that tests and tools that change the environment
always see the current values; nothing here is cached.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

TRANSLATORS = ("google", "libretranslate", "deepl", "microsoft", "none")
# What the translator is built from: bot.translation rebuilds its translator when one changes.
TRANSLATION_VARIABLES = (
    "DATABASE_URL",
    "TRANSLATOR",
    "TRANSLATOR_URL",
    "TRANSLATOR_API_KEY",
    "TRANSLATOR_REGION",
    "TRANSLATOR_TIMEOUT",
    "TRANSLATOR_BUDGET",
    "TRANSLATOR_RETRIES",
    "TRANSLATOR_BREAKER_THRESHOLD",
    "TRANSLATOR_BREAKER_COOLDOWN",
)


# Messaging platforms' real API hosts; tests and local development point them at
# bot.channels.stub_platforms on loopback.
TELEGRAM_API_URL = "https://api.telegram.org"
META_GRAPH_URL = "https://graph.facebook.com"
META_GRAPH_VERSION = "v19.0"
TWILIO_API_URL = "https://api.twilio.com"


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


@dataclass(frozen=True)
class _ChannelSettings:
    """Base of one platform's settings: `secrets` names the fields a webhook cannot work without."""

    secrets = ()  # (field name, environment variable)

    def missing(self) -> list[str]:
        """The environment variables still to set before the channel can serve (empty: ready)."""
        return [variable for name, variable in self.secrets if not getattr(self, name)]


@dataclass(frozen=True)
class TelegramSettings(_ChannelSettings):
    token: str | None = field(default=None, repr=False)  # the bot's token from @BotFather
    # Given to setWebhook; Telegram sends it back in a header.  Secrets stay out of repr (logs).
    secret_token: str | None = field(default=None, repr=False)
    api_url: str = TELEGRAM_API_URL
    secrets = (("token", "TELEGRAM_TOKEN"), ("secret_token", "TELEGRAM_SECRET_TOKEN"))


@dataclass(frozen=True)
class WhatsAppCloudSettings(_ChannelSettings):
    token: str | None = field(default=None, repr=False)  # a system user's access token
    phone_number_id: str | None = None  # the business number messages are sent from
    app_secret: str | None = field(default=None, repr=False)  # signs the webhooks (X-Hub-Signature-256)
    verify_token: str | None = field(default=None, repr=False)  # our word for Meta's subscription handshake
    template: str | None = None  # approved template for messages outside the 24-hour window
    template_language: str = "en"  # its language when the caller names none
    graph_url: str = META_GRAPH_URL
    graph_version: str = META_GRAPH_VERSION
    secrets = (
        ("token", "WHATSAPP_TOKEN"),
        ("phone_number_id", "WHATSAPP_PHONE_NUMBER_ID"),
        ("app_secret", "WHATSAPP_APP_SECRET"),
        ("verify_token", "WHATSAPP_VERIFY_TOKEN"),
    )


@dataclass(frozen=True)
class MessengerSettings(_ChannelSettings):
    page_token: str | None = field(default=None, repr=False)  # the Facebook page's access token
    app_secret: str | None = field(default=None, repr=False)
    verify_token: str | None = field(default=None, repr=False)
    tag: str | None = None  # message tag for messages outside the 24-hour window (e.g. HUMAN_AGENT)
    graph_url: str = META_GRAPH_URL
    graph_version: str = META_GRAPH_VERSION
    secrets = (
        ("page_token", "MESSENGER_PAGE_TOKEN"),
        ("app_secret", "MESSENGER_APP_SECRET"),
        ("verify_token", "MESSENGER_VERIFY_TOKEN"),
    )


@dataclass(frozen=True)
class TwilioSettings(_ChannelSettings):
    account_sid: str | None = None
    # Signs the webhooks (X-Twilio-Signature) and authenticates our calls.
    auth_token: str | None = field(default=None, repr=False)
    whatsapp_number: str | None = None  # our sender, e.g. "whatsapp:+14155238886"
    webhook_url: str | None = None  # the URL Twilio calls, as in its console (signed as such)
    template_sid: str | None = None  # Content SID (HX...) of the template used outside the window
    api_url: str = TWILIO_API_URL
    secrets = (
        ("account_sid", "TWILIO_ACCOUNT_SID"),
        ("auth_token", "TWILIO_AUTH_TOKEN"),
        ("whatsapp_number", "TWILIO_WHATSAPP_NUMBER"),
    )


@dataclass(frozen=True)
class Settings:
    project_root: Path
    database_url: str
    evidence_dir: Path
    policy_path: Path
    # Machine translation (bot.translation): provider, where and how long to wait.
    translator: str = "google"
    translator_url: str | None = None  # LibreTranslate's base URL (self-hosted or the local peer)
    translator_api_key: str | None = None
    translator_region: str | None = None  # Microsoft only, e.g. "westeurope"
    translator_timeout: float = 2.0  # seconds one provider call may take
    translator_budget: float = 3.0  # seconds one translation may take, retries and backoff included
    translator_retries: int = 2  # further attempts after a 429, 5xx, timeout or connection error
    translator_breaker_threshold: int = 5  # consecutive failed calls that open the circuit (0: never)
    translator_breaker_cooldown: float = 30.0  # seconds without calls once it is open
    # Messaging channels (bot.channels): one group per channel, named as the channel, and how long
    # one API call may take.
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    whatsapp_cloud: WhatsAppCloudSettings = field(default_factory=WhatsAppCloudSettings)
    messenger: MessengerSettings = field(default_factory=MessengerSettings)
    twilio_whatsapp: TwilioSettings = field(default_factory=TwilioSettings)
    channel_timeout: float = 10.0  # seconds for one call to a platform (send, media download)
    # Human handoff (bot.handoff): the agents' language, when they work, and the helpdesk webhook.
    handoff_agent_language: str = "en"  # customer messages are translated into it for the agent
    handoff_hours: str = "Mon-Fri 09:00-18:00"  # see bot.handoff.hours for the format
    handoff_timezone: str = "Europe/Berlin"
    handoff_holidays: tuple[str, ...] = ()  # ISO dates without agents, e.g. ("2026-12-25",)
    handoff_webhook_url: str | None = None  # an external helpdesk's endpoint (optional)
    handoff_webhook_secret: str | None = field(default=None, repr=False)  # signs its requests
    # The agent console's agents: "alice:<token>[:<lang>],bob:<token>" (parsed by console_agents()).
    console_agents: str | None = field(default=None, repr=False)


def _number(name: str, default: float, kind: type = float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number; got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative; got {raw!r}")
    return value


def _url(name: str, default: str) -> str:
    return (_env(name) or default).rstrip("/")


def _channel_settings() -> dict:
    """The messaging platforms' settings.  Secrets come only from here (the environment): Rasa
    refuses to start when credentials.yml names a `${VARIABLE}` that is unset, and a channel
    without its secrets must not stop the others."""
    graph = {
        "graph_url": _url("META_GRAPH_URL", META_GRAPH_URL),
        "graph_version": _env("META_GRAPH_VERSION") or META_GRAPH_VERSION,
    }
    return {
        "telegram": TelegramSettings(
            token=_env("TELEGRAM_TOKEN"),
            secret_token=_env("TELEGRAM_SECRET_TOKEN"),
            api_url=_url("TELEGRAM_API_URL", TELEGRAM_API_URL),
        ),
        "whatsapp_cloud": WhatsAppCloudSettings(
            token=_env("WHATSAPP_TOKEN"),
            phone_number_id=_env("WHATSAPP_PHONE_NUMBER_ID"),
            app_secret=_env("WHATSAPP_APP_SECRET"),
            verify_token=_env("WHATSAPP_VERIFY_TOKEN"),
            template=_env("WHATSAPP_TEMPLATE"),
            template_language=_env("WHATSAPP_TEMPLATE_LANGUAGE") or "en",
            **graph,
        ),
        "messenger": MessengerSettings(
            page_token=_env("MESSENGER_PAGE_TOKEN"),
            app_secret=_env("MESSENGER_APP_SECRET"),
            verify_token=_env("MESSENGER_VERIFY_TOKEN"),
            tag=_env("MESSENGER_TAG"),
            **graph,
        ),
        "twilio_whatsapp": TwilioSettings(
            account_sid=_env("TWILIO_ACCOUNT_SID"),
            auth_token=_env("TWILIO_AUTH_TOKEN"),
            whatsapp_number=_env("TWILIO_WHATSAPP_NUMBER"),
            webhook_url=_env("TWILIO_WEBHOOK_URL"),
            template_sid=_env("TWILIO_TEMPLATE_SID"),
            api_url=_url("TWILIO_API_URL", TWILIO_API_URL),
        ),
        "channel_timeout": _number("CHANNEL_TIMEOUT", 10.0),
    }


def _handoff_settings() -> dict:
    """The human handoff's settings (README, "Human handoff")."""
    holidays = tuple(d.strip() for d in (_env("HANDOFF_HOLIDAYS") or "").split(",") if d.strip())
    return {
        "handoff_agent_language": (_env("HANDOFF_AGENT_LANGUAGE") or "en").lower(),
        "handoff_hours": _env("HANDOFF_HOURS") or "Mon-Fri 09:00-18:00",
        "handoff_timezone": _env("HANDOFF_TIMEZONE") or "Europe/Berlin",
        "handoff_holidays": holidays,
        "handoff_webhook_url": _env("HANDOFF_WEBHOOK_URL"),
        "handoff_webhook_secret": _env("HANDOFF_WEBHOOK_SECRET"),
        "console_agents": _env("CONSOLE_AGENTS"),
    }


@dataclass(frozen=True)
class ConsoleAgent:
    """One person who may use the agent console, and the language they read and write."""

    name: str
    token: str = field(repr=False)
    language: str = "en"


_AGENT_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,100}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
MIN_TOKEN_LENGTH = 16  # a guessable token would open every conversation handed to a person


def console_agents(settings: Settings) -> tuple[ConsoleAgent, ...]:
    """The agents of `CONSOLE_AGENTS` ("alice:<token>[:<lang>],bob:<token>[:<lang>]"; the language
    defaults to HANDOFF_AGENT_LANGUAGE).  Empty when unset; `ValueError` saying what is wrong
    when malformed (the console then refuses everyone rather than guess)."""
    agents: list[ConsoleAgent] = []
    for number, item in enumerate((settings.console_agents or "").split(","), start=1):
        if not item.strip():
            continue
        parts = [part.strip() for part in item.split(":")]
        if len(parts) not in (2, 3) or not _AGENT_NAME.fullmatch(parts[0]):
            raise ValueError(f"CONSOLE_AGENTS entry {number} must be name:token or name:token:language")
        language = parts[2].lower() if len(parts) == 3 and parts[2] else settings.handoff_agent_language
        if len(parts[1]) < MIN_TOKEN_LENGTH:
            raise ValueError(
                f"CONSOLE_AGENTS: {parts[0]}'s token is shorter than {MIN_TOKEN_LENGTH} characters"
                " (e.g. `openssl rand -hex 24`)"
            )
        if not _LANGUAGE.fullmatch(language):
            raise ValueError(f"CONSOLE_AGENTS: {parts[0]}'s language {language!r} is not a language code")
        if any(agent.name == parts[0] for agent in agents):
            raise ValueError(f"CONSOLE_AGENTS names {parts[0]} twice")
        agents.append(ConsoleAgent(parts[0], parts[1], language))
    return tuple(agents)


def get_settings() -> Settings:
    """Current settings: `DATABASE_URL`, `EVIDENCE_DIR`, `POLICY_FILE`, the `TRANSLATOR*`
    variables and the messaging channels' (README, "Channels"), with local defaults.  A misspelt
    translator setting raises `ValueError`."""
    root = PROJECT_ROOT
    translator = (os.environ.get("TRANSLATOR") or "google").strip().lower()
    if translator not in TRANSLATORS:
        raise ValueError(f"TRANSLATOR must be one of {', '.join(TRANSLATORS)}; got {translator!r}")
    timeout = _number("TRANSLATOR_TIMEOUT", 2.0)
    return Settings(
        project_root=root,
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{root / 'var' / 'shop.db'}",
        evidence_dir=Path(os.environ.get("EVIDENCE_DIR") or root / "var" / "evidence"),
        policy_path=Path(os.environ.get("POLICY_FILE") or root / "policy.yml"),
        translator=translator,
        translator_url=os.environ.get("TRANSLATOR_URL") or None,
        translator_api_key=os.environ.get("TRANSLATOR_API_KEY") or None,
        translator_region=os.environ.get("TRANSLATOR_REGION") or None,
        translator_timeout=timeout,
        # Unset: half as long again as one call, so a quick retry still fits.
        translator_budget=_number("TRANSLATOR_BUDGET", timeout * 1.5),
        translator_retries=int(_number("TRANSLATOR_RETRIES", 2, int)),
        translator_breaker_threshold=int(_number("TRANSLATOR_BREAKER_THRESHOLD", 5, int)),
        translator_breaker_cooldown=_number("TRANSLATOR_BREAKER_COOLDOWN", 30.0),
        **_channel_settings(),
        **_handoff_settings(),
    )
