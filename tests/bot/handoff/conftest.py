"""Fixtures for bot.handoff: the process's translator on a LibreTranslate peer on loopback, and
tracker JSON shaped as Rasa 3.6 returns it (GET /conversations/<id>/tracker)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot import cases
from bot.db.models import Evidence
from bot.db.session import session_scope
from bot.policy import ItemLine, Offer
from bot.translation.libretranslate_peer import running_peer
from bot.translation.service import reset_translator

T0 = 1795600000.0  # 2026-11-25 ~07:46 UTC


@pytest.fixture
def peer_translator(monkeypatch: pytest.MonkeyPatch, db_url: str) -> Iterator[str]:
    """get_translator() pointed at the peer, as in production with TRANSLATOR=libretranslate."""
    with running_peer() as url:
        monkeypatch.setenv("TRANSLATOR", "libretranslate")
        monkeypatch.setenv("TRANSLATOR_URL", url)
        monkeypatch.setenv("TRANSLATOR_TIMEOUT", "0.5")
        monkeypatch.setenv("TRANSLATOR_RETRIES", "0")
        monkeypatch.setenv("DATABASE_URL", db_url)
        reset_translator()
        yield url
        reset_translator()


def user(text: str, at: float, language: str, intent: str = "claim_missing", **parse: Any) -> dict:
    entity = {"entity": "language", "value": language, "start": 0, "end": len(text)}
    entity.update(confidence_entity=0.99, extractor="LanguageDetector")
    return {
        "event": "user",
        "timestamp": at,
        "text": text,
        "parse_data": {
            "text": parse.pop("understood", text),
            "intent": {"name": intent, "confidence": 0.93},
            "entities": [entity],
            **parse,
        },
        "input_channel": "telegram",
        "message_id": f"m{at}",
        "metadata": {},
    }


def bot(text: str | None, at: float, **data: Any) -> dict:
    return {"event": "bot", "timestamp": at, "text": text, "data": {"elements": None, **data}, "metadata": {}}


def slot(name: str, value: Any, at: float) -> dict:
    return {"event": "slot", "timestamp": at, "name": name, "value": value}


def zh_conversation() -> list[dict]:
    return [
        {"event": "action", "timestamp": T0, "name": "action_session_start"},
        {"event": "session_started", "timestamp": T0},
        user("你好，我的包裹少了一件东西", T0 + 1, "zh"),
        slot("language", "zh", T0 + 1.5),
        {"event": "action", "timestamp": T0 + 2, "name": "utter_ask_order_number"},
        bot("请告诉我您的订单号。", T0 + 2.1),
        user("订单号是 SO-100231", T0 + 30, "zh", intent="inform"),
        bot("谢谢。我为您转接一位同事。", T0 + 31),
        user("我要找人工客服！", T0 + 40, "zh", intent="request_human"),
    ]


def ar_conversation() -> list[dict]:
    return [
        {"event": "session_started", "timestamp": T0},
        slot("language", "ar", T0),
        user("وصل الكوب مكسورا", T0 + 5, "ar", intent="claim_damaged"),
        bot("آسف لسماع ذلك. هل يمكنك إرسال صورة؟", T0 + 6),
        bot(None, T0 + 6.5, image="https://shop.example/help/photo-guide.png"),
        user("<script>alert(1)</script> سأتصل بمحامي", T0 + 60, "ar", intent="legal_threat"),
    ]


def damaged_mug_case(
    conversation: str,
    *,
    channel: str,
    url: str | None = None,
    photo_dir: Path | None = None,
    accepted: bool = False,
) -> str:
    """A damaged-mug case of SO-100231 with a photo and a refund above the approval limit, as the
    claim flow leaves it: offered, or accepted and waiting for a person's approval.  The photo is
    a file in `photo_dir` when given, else only a path."""
    with session_scope(url) as session:
        number = cases.open_case(
            session,
            conversation_id=conversation,
            order_number="SO-100231",
            claim_type="damaged_item",
            language="zh",
            channel=channel,
        ).number
        path = "var/evidence/abc.jpg"
        if photo_dir is not None:
            photo_dir.mkdir(parents=True, exist_ok=True)
            (photo_dir / "mug.jpg").write_bytes(b"\xff\xd8 a jpeg")
            path = str((photo_dir / "mug.jpg").resolve())
        photo = Evidence(
            conversation_id=conversation,
            path=path,
            content_type="image/jpeg",
            size_bytes=9,
            width=1,
            height=1,
            sha256="0" * 64,
        )
        session.add(photo)
        session.flush()
        cases.attach_evidence(session, number, [photo.id])
        mug = ItemLine("MUG-BLUE", "Ceramic mug, blue", 1, Decimal("12.90"))
        offer = Offer(
            "refund", Decimal("12.90"), "EUR", (mug,), date(2026, 12, 2), (), True, "above_auto_limit"
        )
        cases.record_offer(session, number, offer)
        if accepted:
            cases.accept_offer(session, number)
        return number
