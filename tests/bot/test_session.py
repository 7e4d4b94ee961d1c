"""Engines per URL and the one-unit-of-work session scope."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.db.models import Customer, Order, OrderItem
from bot.db.session import get_engine, session_scope


def test_engine_is_cached_per_url(db_url: str, tmp_path) -> None:
    assert get_engine(db_url) is get_engine(db_url)
    assert get_engine(db_url) is not get_engine(f"sqlite:///{tmp_path / 'other.db'}")


def test_default_url_comes_from_the_environment(settings) -> None:
    assert get_engine() is get_engine(settings.database_url)


def test_commit_on_success_rollback_on_error(db_url: str) -> None:
    with session_scope(db_url) as session:
        session.add(Customer(email="a@example.de", name="A", country="DE", tier="standard"))
    with pytest.raises(RuntimeError), session_scope(db_url) as session:
        session.add(Customer(email="b@example.de", name="B", country="DE", tier="standard"))
        session.flush()
        raise RuntimeError("boom")
    with session_scope(db_url) as session:
        assert list(session.scalars(select(Customer.email))) == ["a@example.de"]


def test_foreign_keys_are_enforced(db_url: str) -> None:
    with pytest.raises(IntegrityError), session_scope(db_url) as session:
        session.add(
            OrderItem(
                order_id=12345,
                sku="X",
                name="X",
                quantity=1,
                quantity_shipped=0,
                unit_price=Decimal("1.00"),
                currency="EUR",
            )
        )


def test_money_and_time_round_trip(db_url: str) -> None:
    cest = timezone(timedelta(hours=2))
    with session_scope(db_url) as session:
        customer = Customer(email="c@example.jp", name="C", country="JP", tier="vip")
        order = Order(
            number="SO-100999",
            customer=customer,
            placed_at=datetime(2026, 5, 1, 12, 0, tzinfo=cest),
            currency="JPY",
            status="paid",
            shipping_country="JP",
        )
        order.items.append(
            OrderItem(
                sku="A",
                name="A",
                quantity=1,
                quantity_shipped=0,
                unit_price=Decimal("1234567890.12"),
                currency="JPY",
            )
        )
        session.add(order)
    with session_scope(db_url) as session:
        order = session.scalars(select(Order)).one()
        assert order.placed_at == datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)
        assert order.items[0].unit_price == Decimal("1234567890.12")
        assert session.scalar(select(func.sum(OrderItem.unit_price))) == Decimal("1234567890.12")


def test_enumerations_are_checked(db_url: str) -> None:
    with pytest.raises(ValueError, match="tier must be one of"):
        Customer(email="d@example.de", name="D", country="DE", tier="gold")
