"""send_proactive: what a human agent's later message does on each platform, and that nothing
goes missing without the caller being told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.channels import window
from bot.channels.proactive import send_proactive
from bot.config import Settings, get_settings


def test_telegram_has_no_window(platforms: Settings, stub) -> None:
    result = send_proactive("telegram", "telegram:382910471", "Your replacement left today.")
    assert (result.status, result.delivered, result.recipient) == ("sent", True, "382910471")
    assert stub.sent("telegram", "382910471")[-1]["body"]["text"] == "Your replacement left today."


def test_whatsapp_within_and_outside_the_window(platforms: Settings, stub, monkeypatch) -> None:
    window.record_inbound("whatsapp_cloud", "4915123456789")
    assert send_proactive("whatsapp_cloud", "4915123456789", "Hello").status == "sent"
    later = window.now() + timedelta(hours=25)
    result = send_proactive("whatsapp_cloud", "4915123456789", "Hello", at=later)
    assert (result.status, result.delivered) == ("not_sent", False) and "WHATSAPP_TEMPLATE" in result.detail
    monkeypatch.setenv("WHATSAPP_TEMPLATE", "agent_reply")
    result = send_proactive("whatsapp_cloud", "4915123456789", "Hello", at=later, settings=get_settings())
    assert result.status == "sent_template"
    assert stub.sent("whatsapp_cloud", "4915123456789")[-1]["body"]["template"]["name"] == "agent_reply"


def test_a_refusal_or_missing_settings_are_reported_not_lost(platforms: Settings, stub, monkeypatch) -> None:
    stub.fail_next(status=403)
    result = send_proactive("telegram", "42", "Hello")
    assert result.status == "failed" and "403" in result.detail
    monkeypatch.delenv("TELEGRAM_TOKEN")
    result = send_proactive("telegram", "42", "Hello")
    assert result.status == "not_sent" and "TELEGRAM_TOKEN" in result.detail
    with pytest.raises(ValueError):
        send_proactive("sms", "42", "Hello")
