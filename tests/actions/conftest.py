"""Action tests: real actions run on tracker fixtures (JSON, as Rasa sends them) and a real database."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.db.migrate import migrate
from bot.db.seed import seed_demo
from bot.db.session import session_scope

FIXTURES = Path(__file__).parent / "fixtures"
# The domain as Rasa sends it to the action server (forms and their slots matter to validation).
DOMAIN: dict[str, Any] = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text())


@pytest.fixture(autouse=True)
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh demo shop per test; actions find it through DATABASE_URL like in production."""
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "evidence"))
    migrate(url)
    with session_scope(url) as session:
        seed_demo(session)
    return url


def tracker(
    name: str,
    *,
    slots: dict[str, Any] | None = None,
    text: str | None = None,
    intent: str | None = None,
    entities: list[dict] | None = None,
) -> Tracker:
    """The fixture `name`, with its slots and latest message changed as given."""
    state = copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text()))
    state["slots"].update(slots or {})
    if text is not None or intent is not None or entities is not None:
        message = state["latest_message"]
        message["text"] = text if text is not None else message["text"]
        message["intent"] = {"name": intent or message["intent"]["name"], "confidence": 0.9}
        message["entities"] = entities if entities is not None else message["entities"]
        requested = state["slots"].get("requested_slot")
        if text is not None and requested:
            # The form's from_text mapping put the message into the requested slot.
            state["slots"][requested] = text
            state["events"][-1] = {"event": "slot", "name": requested, "value": text}
    return Tracker.from_dict(state)


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


def slots(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
