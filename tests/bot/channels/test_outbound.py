"""API calls: long texts split where a reader expects, platform errors reported without secrets."""

from __future__ import annotations

import pytest

from bot.channels.outbound import Outbound, PlatformError, deliver, split_text


def test_split_text_cuts_at_spaces_and_keeps_every_word() -> None:
    text = " ".join(f"word{n}" for n in range(500))
    pieces = split_text(text, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == text.split()
    assert split_text("short", 100) == ["short"]
    assert all(len(p) <= 10 for p in split_text("x" * 35, 10))  # no space: cut anyway


def test_a_refused_call_names_its_label_not_its_url(stub) -> None:
    call = Outbound(
        label="telegram sendMessage", method="POST", url=f"{stub.url}/botSECRET-TOKEN/sendMessage", json={}
    )
    with pytest.raises(PlatformError) as refused:
        deliver(call, timeout=5)
    assert refused.value.status == 401
    assert "telegram sendMessage" in str(refused.value) and "SECRET-TOKEN" not in str(refused.value)
    with pytest.raises(PlatformError) as down:
        deliver(Outbound("x", "POST", "http://127.0.0.1:9/"), timeout=2)
    assert down.value.status is None
