"""The same schema and flows on the real PostgreSQL server (127.0.0.1:5432, trust authentication).

Each run creates a throw-away database `bot_test_<random>` and drops it at the end.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from bot import cases
from bot.db.migrate import migrate
from bot.db.models import Base, Resolution
from bot.db.seed import seed_demo
from bot.db.session import get_engine, session_scope
from bot.orders import claim_from_order, get_order, verify_order
from bot.policy import Policy, propose

pytestmark = pytest.mark.postgres



def test_migrate_seed_verify_and_accept_on_postgresql(pg_url: str, policy: Policy) -> None:
    today = date(2026, 11, 25)
    migrate(pg_url)
    migrate(pg_url)  # repeatable
    with get_engine(pg_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []

    with session_scope(pg_url) as session:
        demo = seed_demo(session, today=today)
        assert len(demo) == 14 and seed_demo(session, today=today) == demo

    with session_scope(pg_url) as session:
        assert verify_order(session, "SO-100238", "+81 90 1234 5678") is not None
        assert verify_order(session, "SO-100238", "anna.schmidt@example.de") is None
        order = verify_order(session, "so100238", "YUKI.SATO@example.jp")
        assert order.items[0].unit_price == Decimal("9800.00") and order.currency == "JPY"
        claim = claim_from_order(order, "damaged_item", item_sku="MUG-BLUE", photos=1)
        offer = propose(policy, claim, today)
        assert (offer.kind, offer.amount) == ("refund", Decimal("4400"))
        first = cases.open_case(
            session,
            conversation_id="pg-1",
            order_number=order.number,
            claim_type="damaged_item",
            language="ja",
        )
        second = cases.open_case(
            session, conversation_id="pg-2", order_number=order.number, claim_type="damaged_item"
        )
        assert (first.number, second.number) == ("C-000001", "C-000002")
        cases.record_offer(session, first.number, offer)

    for _ in range(2):  # two separate accepts, as two customer turns
        with session_scope(pg_url) as session:
            resolution = cases.accept_offer(session, first.number)
            assert (resolution.kind, resolution.amount, resolution.state) == (
                "refund",
                Decimal("4400.00"),
                "accepted",
            )

    with session_scope(pg_url) as session:
        assert session.scalar(select(func.count()).select_from(Resolution)) == 1
        assert get_order(session, "SO-100238").already_refunded == Decimal("4400.00")
        assert cases.record_feedback(session, first.number, 5, policy=policy) is True
        assert cases.feedback_already_requested_for_order(session, "SO-100238") is True
