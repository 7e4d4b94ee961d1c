"""SQLAlchemy models of everything the seller owns: customers, orders, shipments, cases, evidence.

Conventions:
- money is `Numeric(12, 2)` next to an ISO 4217 currency code (amounts are never converted in the DB);
- timestamps are stored as naive UTC and come back as timezone-aware UTC (`UTCDateTime`), so SQLite
  and PostgreSQL behave the same;
- enumerations are plain strings checked in Python (`@validates`), so adding a status needs no
  database migration.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship, validates
from sqlalchemy.types import TypeDecorator

# Named constraints, so that migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

TIERS = ("standard", "member", "vip")
ORDER_STATUSES = ("paid", "shipped", "partially_shipped", "delivered", "cancelled")
SHIPMENT_STATUSES = ("label_created", "in_transit", "out_for_delivery", "delivered", "exception")
CLAIM_TYPES = ("missing_items", "damaged_item", "delivery_delay", "item_mismatch", "refund_request")
CASE_STATUSES = ("open", "evidence", "offered", "accepted", "resolved", "feedback", "cancelled", "escalated")
RESOLUTION_KINDS = (
    "reship",
    "refund",
    "partial_refund",
    "coupon",
    "exchange",
    "return_refund",
    "status_update",
)
RESOLUTION_STATES = ("proposed", "accepted", "pending_approval", "done", "withdrawn")
# Refunds already paid (or promised) on an order: they reduce what can still be refunded.
REFUND_KINDS = ("refund", "partial_refund", "return_refund")
COMMITTED_STATES = ("accepted", "pending_approval", "done")

MONEY_SCALE = 2


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Money(TypeDecorator):
    """NUMERIC(12, 2) as `Decimal` on every database.

    SQLite has no decimal type and keeps the value as a float; a float read back and rounded to the
    column's two decimals is exact for amounts of up to 12 digits, so we do that ourselves (instead
    of SQLAlchemy's generic float-to-Decimal path, which warns on every query)."""

    impl = Numeric(12, MONEY_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(12, MONEY_SCALE, asdecimal=False))
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-MONEY_SCALE))
        return float(amount) if dialect.name == "sqlite" else amount

    def process_result_value(self, value, dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-MONEY_SCALE))


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC; a naive value given to it is taken as UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


def _check(allowed: tuple[str, ...], name: str, value: str | None, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return value
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    phone = Column(String(32))  # E.164, e.g. +4915123456789
    name = Column(String(200), nullable=False)
    country = Column(String(2), nullable=False)  # ISO 3166-1 alpha-2
    tier = Column(String(16), nullable=False, default="standard")
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)

    orders = relationship("Order", back_populates="customer", order_by="Order.id")

    @validates("tier")
    def _tier(self, key: str, value: str) -> str:
        return _check(TIERS, key, value)


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    number = Column(String(32), nullable=False, unique=True)  # "SO-100231"
    customer_id = Column(ForeignKey("customers.id"), nullable=False, index=True)
    placed_at = Column(UTCDateTime(), nullable=False)
    currency = Column(String(3), nullable=False)
    status = Column(String(24), nullable=False, default="paid")
    shipping_country = Column(String(2), nullable=False)

    customer = relationship("Customer", back_populates="orders")
    items = relationship(
        "OrderItem", back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan"
    )
    shipments = relationship(
        "Shipment", back_populates="order", order_by="Shipment.id", cascade="all, delete-orphan"
    )
    cases = relationship("Case", back_populates="order", order_by="Case.id")

    @validates("status")
    def _status(self, key: str, value: str) -> str:
        return _check(ORDER_STATUSES, key, value)


class OrderItem(Base):
    __tablename__ = "order_items"

    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id"), nullable=False, index=True)
    sku = Column(String(64), nullable=False)
    name = Column(String(200), nullable=False)
    quantity = Column(Integer, nullable=False)
    quantity_shipped = Column(Integer, nullable=False, default=0)
    unit_price = Column(Money(), nullable=False)
    currency = Column(String(3), nullable=False)

    order = relationship("Order", back_populates="items")


class Shipment(Base):
    __tablename__ = "shipments"

    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id"), nullable=False, index=True)
    carrier = Column(String(64), nullable=False)
    tracking_number = Column(String(64), nullable=False)
    status = Column(String(24), nullable=False, default="label_created")
    shipped_at = Column(UTCDateTime(), nullable=False)
    promised_delivery = Column(Date, nullable=False)
    delivered_at = Column(UTCDateTime())

    order = relationship("Order", back_populates="shipments")
    events = relationship(
        "TrackingEvent",
        back_populates="shipment",
        order_by="(TrackingEvent.at, TrackingEvent.id)",
        cascade="all, delete-orphan",
    )

    @validates("status")
    def _status(self, key: str, value: str) -> str:
        return _check(SHIPMENT_STATUSES, key, value)


class TrackingEvent(Base):
    __tablename__ = "tracking_events"

    id = Column(Integer, primary_key=True)
    shipment_id = Column(ForeignKey("shipments.id"), nullable=False, index=True)
    at = Column(UTCDateTime(), nullable=False)
    location = Column(String(200))
    status = Column(String(24), nullable=False)
    description = Column(String(300), nullable=False)

    shipment = relationship("Shipment", back_populates="events")


class Case(Base):
    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    # "C-000042", derived from the id once it is known (see bot.cases.open_case); a unique
    # placeholder fills it for the instant between INSERT and UPDATE.
    number = Column(String(40), nullable=False, unique=True, default=lambda: f"tmp-{uuid.uuid4().hex}")
    order_id = Column(ForeignKey("orders.id"), nullable=False, index=True)
    claim_type = Column(String(24), nullable=False)
    status = Column(String(16), nullable=False, default="open")
    language = Column(String(16), nullable=False, default="en")
    channel = Column(String(32), nullable=False, default="rest")
    conversation_id = Column(String(255), nullable=False, index=True)
    details = Column(JSON)  # received counts, item sku, mismatch detail, photo count
    # When the customer was asked for feedback: a review invitation goes out at most once per order.
    feedback_requested_at = Column(UTCDateTime())
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)

    order = relationship("Order", back_populates="cases")
    evidence = relationship("Evidence", back_populates="case", order_by="Evidence.created_at")
    resolutions = relationship("Resolution", back_populates="case", order_by="Resolution.id")
    feedback = relationship("Feedback", back_populates="case", uselist=False)

    @validates("claim_type")
    def _claim_type(self, key: str, value: str) -> str:
        return _check(CLAIM_TYPES, key, value)

    @validates("status")
    def _status(self, key: str, value: str) -> str:
        return _check(CASE_STATUSES, key, value)


class Evidence(Base):
    __tablename__ = "evidence"

    id = Column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    case_id = Column(ForeignKey("cases.id"), index=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    kind = Column(String(16), nullable=False, default="photo")
    path = Column(String(1024), nullable=False)
    content_type = Column(String(64), nullable=False)
    size_bytes = Column(Integer, nullable=False)
    width = Column(Integer, nullable=False)
    height = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)

    case = relationship("Case", back_populates="evidence")


class Resolution(Base):
    __tablename__ = "resolutions"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, index=True)
    kind = Column(String(24), nullable=False)
    items = Column(JSON, nullable=False, default=list)  # [{"sku", "name", "quantity"}]
    amount = Column(Money(), nullable=False, default=0)
    currency = Column(String(3), nullable=False)
    promised_date = Column(Date)  # ship-by, refund-by or coupon-valid-until, depending on kind
    eta = Column(Date)  # new delivery estimate (delays)
    requires_return = Column(Boolean, nullable=False, default=False)
    needs_approval = Column(Boolean, nullable=False, default=False)
    state = Column(String(24), nullable=False, default="proposed")
    reason = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    accepted_at = Column(UTCDateTime())
    decided_by = Column(String(100))  # the agent who approved or changed it; null: the customer chose

    case = relationship("Case", back_populates="resolutions")

    @validates("kind")
    def _kind(self, key: str, value: str) -> str:
        return _check(RESOLUTION_KINDS, key, value)

    @validates("state")
    def _state(self, key: str, value: str) -> str:
        return _check(RESOLUTION_STATES, key, value)


class Feedback(Base):
    __tablename__ = "feedback"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id"), nullable=False, unique=True)
    score = Column(Integer, nullable=False)
    comment = Column(Text)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)

    case = relationship("Case", back_populates="feedback")


class HumanRequest(Base):
    """A request for a person; the live handoff system will pick these up."""

    __tablename__ = "human_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    case_id = Column(ForeignKey("cases.id"), index=True)
    # customer_asked, verification_failed, custom_remedy, above_limit, ... (open list)
    reason = Column(String(32), nullable=False)
    language = Column(String(16), nullable=False, default="en")
    channel = Column(String(32), nullable=False, default="rest")
    note = Column(Text)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)

    case = relationship("Case")


class TranslationCache(Base):
    """Machine translations already paid for, shared by every process (see bot.translation.cache).

    Texts are stored as sent to the provider, with placeholders as tokens (`⟦0⟧`), so one row
    serves every order number or amount."""

    __tablename__ = "translation_cache"
    __table_args__ = (UniqueConstraint("provider", "source_lang", "target_lang", "source_hash"),)

    id = Column(Integer, primary_key=True)
    provider = Column(String(32), nullable=False)
    source_lang = Column(String(16), nullable=False)
    target_lang = Column(String(16), nullable=False)
    source_hash = Column(String(64), nullable=False)  # sha256 hex of source_text
    source_text = Column(Text, nullable=False)
    translated_text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class ProcessedMessage(Base):
    """A platform message already handed to the assistant.  Platforms deliver a webhook again when
    our answer was slow or lost; the unique pair makes the second delivery a no-op, in any process."""

    __tablename__ = "processed_messages"
    __table_args__ = (UniqueConstraint("channel", "message_id"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    message_id = Column(String(255), nullable=False)
    received_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class ChannelContact(Base):
    """A customer on a messaging platform: when they last wrote to us (WhatsApp's and Messenger's
    24-hour window is counted from it) and the payloads of the choices last offered, in order, so
    that a reply "2" can be mapped back (see bot.channels.choices)."""

    __tablename__ = "channel_contacts"
    __table_args__ = (UniqueConstraint("channel", "recipient_id"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    recipient_id = Column(String(255), nullable=False)  # chat id, phone number or page-scoped id
    last_inbound_at = Column(UTCDateTime())
    choices = Column(JSON)  # ["/affirm", "/deny", ...] or null
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


HANDOFF_STATUSES = ("open", "assigned", "closed")
TRANSCRIPT_ROLES = ("customer", "bot", "agent")


class HandoffTicket(Base):
    """A conversation handed to a person (bot.handoff.tickets): why, the summary an agent reads
    first, and the transcript.  The summary is copied when the ticket opens, so it shows what
    the customer was told then even if the case moves on."""

    __tablename__ = "handoff_tickets"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    case_id = Column(ForeignKey("cases.id"), index=True)
    channel = Column(String(32), nullable=False, default="rest")
    language = Column(String(16), nullable=False, default="en")  # the customer's
    agent_language = Column(String(16), nullable=False, default="en")
    # customer_asked, not_understood, verification_failed, above_limit, custom_remedy, angry, legal
    reason = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default="open")
    assigned_to = Column(String(100))
    claim_type = Column(String(24))
    order_number = Column(String(32))
    customer_tier = Column(String(16))
    items = Column(JSON)  # [{"sku", "name", "quantity"}]
    evidence = Column(JSON)  # [{"id", "path", "content_type"}]
    offer = Column(JSON)  # {"kind", "amount", "currency", "state", "items"} or null
    policy_reason = Column(String(64))  # why the policy made that offer (Resolution.reason)
    note = Column(Text)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)
    closed_at = Column(UTCDateTime())
    # Tracker events already copied into the transcript (bot.handoff.console); null: none read yet.
    tracker_events_read = Column(Integer)

    case = relationship("Case")
    entries = relationship(
        "TranscriptEntry",
        back_populates="ticket",
        order_by="TranscriptEntry.position",
        cascade="all, delete-orphan",
    )

    @validates("status")
    def _status(self, key: str, value: str) -> str:
        return _check(HANDOFF_STATUSES, key, value)


class TranscriptEntry(Base):
    """One message of a handed-off conversation, as written and in the other side's language."""

    __tablename__ = "handoff_transcript_entries"
    __table_args__ = (UniqueConstraint("ticket_id", "position"),)

    id = Column(Integer, primary_key=True)
    ticket_id = Column(ForeignKey("handoff_tickets.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)  # order in the conversation, from 0
    role = Column(String(16), nullable=False)
    text = Column(Text, nullable=False)  # as written
    language = Column(String(16))  # of `text`; null when unknown
    translated_text = Column(Text)  # null: not translated (failed, or nothing to translate)
    translated_language = Column(String(16))
    at = Column(UTCDateTime(), nullable=False)
    author = Column(String(100))  # agent messages: the agent's name
    delivery = Column(String(24))  # agent messages: sent, stored, not_sent, failed (bot.handoff.console)

    ticket = relationship("HandoffTicket", back_populates="entries")

    @validates("role")
    def _role(self, key: str, value: str) -> str:
        return _check(TRANSCRIPT_ROLES, key, value)
