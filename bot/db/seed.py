"""The demo shop: one homeware seller shipping worldwide, 14 orders in every state a claim needs.

Dates are relative to `today`, so the demo stays realistic whenever it is loaded: a parcel
"delivered three days ago" is always three days old, the late one is always late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.db.models import Customer, Order, OrderItem, Shipment, TrackingEvent
from bot.policy import money


@dataclass(frozen=True)
class DemoOrder:
    number: str
    email: str
    summary: str


@dataclass(frozen=True)
class _Line:
    sku: str
    name: str
    quantity: int
    unit_price: str
    shipped: int | None = None  # None: all units shipped


@dataclass(frozen=True)
class _Parcel:
    carrier: str
    tracking: str
    origin: str
    destination: str
    shipped: int  # days before today
    promised: int  # days from today (negative: in the past)
    delivered: int | None = None  # days before today
    last_scan: int | None = None  # days before today, for parcels still travelling
    status: str | None = None  # default: delivered or in_transit


@dataclass(frozen=True)
class _Demo:
    number: str
    name: str
    email: str
    phone: str
    country: str
    tier: str
    currency: str
    placed: int  # days before today
    lines: tuple[_Line, ...]
    parcel: _Parcel | None
    status: str
    story: str  # what to try with it


# number, name, e-mail, phone, country, tier, currency, placed (days ago), lines, parcel, status, story
DEMO: tuple[_Demo, ...] = (
    _Demo(
        "SO-100231",
        "Anna Schmidt",
        "anna.schmidt@example.de",
        "+4915123456789",
        "DE",
        "member",
        "EUR",
        8,
        (
            _Line("MUG-BLUE", "Ceramic mug, blue", 2, "12.90"),
            _Line("TOWEL-LIN", "Linen tea towel", 1, "9.50"),
        ),
        _Parcel("DHL", "JD014600003812345678", "Leipzig, DE", "Berlin, DE", 6, -3, delivered=3),
        "delivered",
        "delivered 3 days ago, low value: try a missing or damaged mug",
    ),
    _Demo(
        "SO-100232",
        "Camille Dubois",
        "camille.dubois@example.fr",
        "+33612345678",
        "FR",
        "standard",
        "EUR",
        9,
        (_Line("TEAPOT-CAST", "Cast-iron teapot", 1, "64.00"), _Line("CANDLE-SOY", "Soy candle", 1, "14.00")),
        _Parcel("La Poste", "6A12345678901", "Roissy, FR", "Lyon, FR", 6, -2, delivered=3),
        "delivered",
        "delivered 3 days ago: a damaged teapot is above the low-value limit (replacement on return)",
    ),
    _Demo(
        "SO-100233",
        "Lucía García",
        "lucia.garcia@example.es",
        "+34612345678",
        "ES",
        "standard",
        "EUR",
        11,
        (_Line("LAMP-BRASS", "Brass desk lamp", 1, "189.00"),),
        _Parcel("Correos", "PQ4F6P0712345670", "Madrid, ES", "Valencia, ES", 8, -3, delivered=4),
        "delivered",
        "delivered 4 days ago, 189 EUR: any remedy needs an agent's approval (wrong or damaged lamp)",
    ),
    _Demo(
        "SO-100234",
        "Diego Hernández",
        "diego.hernandez@example.com.mx",
        "+525512345678",
        "MX",
        "standard",
        "MXN",
        6,
        (
            _Line("VASE-GLASS", "Hand-blown glass vase", 1, "950.00"),
            _Line("CANDLE-SOY", "Soy candle", 2, "280.00"),
        ),
        _Parcel("DHL", "1234567890", "Leipzig, DE", "Ciudad de México, MX", 4, 4, last_scan=1),
        "shipped",
        "in transit, on time (due in 4 days): a delay question gets the tracking status",
    ),
    _Demo(
        "SO-100235",
        "Emily Johnson",
        "emily.johnson@example.com",
        "+12025550143",
        "US",
        "vip",
        "USD",
        16,
        (_Line("ESPRESSO-M1", "Espresso machine", 1, "349.00"),),
        _Parcel("UPS", "1Z999AA10123456784", "Louisville, KY, US", "Austin, TX, US", 13, -5, last_scan=1),
        "shipped",
        "late: promised 5 days ago, scanned yesterday (VIP coupon and new ETA)",
    ),
    _Demo(
        "SO-100236",
        "Oliver Smith",
        "oliver.smith@example.co.uk",
        "+447700900123",
        "GB",
        "member",
        "GBP",
        30,
        (
            _Line("RUG-WOOL", "Wool rug 120x180", 1, "199.00"),
            _Line("CUSHION-LIN", "Linen cushion cover", 2, "16.50"),
        ),
        _Parcel("Royal Mail", "RM123456785GB", "Coventry, GB", "Manchester, GB", 27, -16, last_scan=20),
        "shipped",
        "lost: no tracking update for 20 days (reship or refund, above the approval limit)",
    ),
    _Demo(
        "SO-100237",
        "Wang Fang",
        "wang.fang@example.cn",
        "+8613812345678",
        "CN",
        "member",
        "CNY",
        10,
        (
            _Line("MUG-BLUE", "Ceramic mug, blue", 2, "98.00"),
            _Line("TOWEL-LIN", "Linen tea towel", 1, "69.00"),
            _Line("TEAPOT-CAST", "Cast-iron teapot", 1, "468.00", shipped=0),
        ),
        _Parcel("Cainiao", "LP00612345678901", "Shenzhen, CN", "Shanghai, CN", 7, -2, delivered=2),
        "partially_shipped",
        "partially shipped: mugs and towel delivered, the teapot follows (not missing)",
    ),
    _Demo(
        "SO-100238",
        "Sato Yuki",
        "yuki.sato@example.jp",
        "+819012345678",
        "JP",
        "standard",
        "JPY",
        12,
        (
            _Line("TEAPOT-CAST", "Cast-iron teapot", 1, "9800"),
            _Line("MUG-BLUE", "Ceramic mug, blue", 2, "2200"),
        ),
        _Parcel("Japan Post", "EJ123456789JP", "Shenzhen, CN", "Osaka, JP", 9, -3, delivered=3),
        "delivered",
        "delivered 3 days ago, in yen (whole amounts)",
    ),
    _Demo(
        "SO-100239",
        "Beatriz Souza",
        "beatriz.souza@example.com.br",
        "+5511912345678",
        "BR",
        "standard",
        "BRL",
        9,
        (_Line("LAMP-BRASS", "Brass desk lamp", 1, "1190.00"),),
        _Parcel("YunExpress", "YT2312345678901234", "Shenzhen, CN", "São Paulo, BR", 7, 6, last_scan=2),
        "shipped",
        "in transit, on time (due in 6 days)",
    ),
    _Demo(
        "SO-100240",
        "Marco Rossi",
        "marco.rossi@example.it",
        "+393471234567",
        "IT",
        "standard",
        "EUR",
        52,
        (
            _Line("VASE-GLASS", "Hand-blown glass vase", 1, "48.00"),
            _Line("CANDLE-SOY", "Soy candle", 1, "14.00"),
        ),
        _Parcel("DHL", "JD014600003898765432", "Leipzig, DE", "Milano, IT", 50, -44, delivered=45),
        "delivered",
        "delivered 45 days ago: outside the return window",
    ),
    _Demo(
        "SO-100241",
        "Sanne de Vries",
        "sanne.devries@example.nl",
        "+31612345678",
        "NL",
        "vip",
        "EUR",
        1,
        (
            _Line("CUSHION-LIN", "Linen cushion cover", 2, "19.90", shipped=0),
            _Line("CANDLE-SOY", "Soy candle", 1, "14.00", shipped=0),
        ),
        None,
        "paid",
        "paid, not shipped yet: a refund request cancels it",
    ),
    _Demo(
        "SO-100242",
        "Piotr Kowalski",
        "piotr.kowalski@example.pl",
        "+48501234567",
        "PL",
        "member",
        "PLN",
        14,
        (_Line("CANDLE-SOY", "Soy candle", 1, "59.00"), _Line("TOWEL-LIN", "Linen tea towel", 1, "39.00")),
        _Parcel("DHL", "JD014600003811112222", "Leipzig, DE", "Kraków, PL", 12, -9, delivered=10),
        "delivered",
        "delivered 10 days ago, 98 PLN (about 23 EUR): refund within the EU window",
    ),
    _Demo(
        "SO-100243",
        "Kim Min-jun",
        "minjun.kim@example.kr",
        "+821012345678",
        "KR",
        "standard",
        "KRW",
        15,
        (
            _Line("MUG-BLUE", "Ceramic mug, blue", 2, "18000"),
            _Line("VASE-GLASS", "Hand-blown glass vase", 1, "69000"),
        ),
        _Parcel("YunExpress", "YT2398765432101234", "Shenzhen, CN", "Seoul, KR", 12, -4, last_scan=2),
        "shipped",
        "late: promised 4 days ago, scanned 2 days ago (coupon in won)",
    ),
    _Demo(
        "SO-100244",
        "Fatimah Al-Qahtani",
        "fatimah.alqahtani@example.sa",
        "+966501234567",
        "SA",
        "vip",
        "SAR",
        24,
        (_Line("RUG-WOOL", "Wool rug 120x180", 1, "1090.00"),),
        _Parcel("DHL", "JD014600003833334444", "Leipzig, DE", "Riyadh, SA", 22, -16, delivered=20),
        "delivered",
        "delivered 20 days ago, 1090 SAR: a refund needs approval",
    ),
)


def _at(today: date, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), tzinfo=timezone.utc)


def _events(parcel: _Parcel, today: date) -> list[TrackingEvent]:
    """A believable tracking history: label, hand-over, export, import, then delivery or the last scan."""
    events = [
        TrackingEvent(
            at=_at(today, parcel.shipped, 9, 12),
            location=parcel.origin,
            status="label_created",
            description="Shipping label created",
        ),
        TrackingEvent(
            at=_at(today, parcel.shipped, 17, 40),
            location=parcel.origin,
            status="in_transit",
            description="Parcel handed over to the carrier",
        ),
    ]
    end = parcel.delivered if parcel.delivered is not None else parcel.last_scan
    middle = (parcel.shipped + end) // 2
    if parcel.shipped - end >= 2:
        events.append(
            TrackingEvent(
                at=_at(today, middle, 6, 5),
                location=parcel.origin,
                status="in_transit",
                description="Departed the international sorting centre",
            )
        )
    if parcel.delivered is not None:
        events += [
            TrackingEvent(
                at=_at(today, parcel.delivered, 7, 30),
                location=parcel.destination,
                status="out_for_delivery",
                description="Out for delivery",
            ),
            TrackingEvent(
                at=_at(today, parcel.delivered, 14, 20),
                location=parcel.destination,
                status="delivered",
                description="Delivered",
            ),
        ]
    else:
        events.append(
            TrackingEvent(
                at=_at(today, parcel.last_scan, 11, 45),
                location=parcel.destination.split(", ")[-1],
                status="in_transit",
                description="Arrived in the destination country",
            )
        )
    return events


def _build(demo: _Demo, today: date) -> Order:
    customer = Customer(
        email=demo.email,
        phone=demo.phone,
        name=demo.name,
        country=demo.country,
        tier=demo.tier,
        created_at=_at(today, demo.placed + 200),
    )
    order = Order(
        number=demo.number,
        customer=customer,
        placed_at=_at(today, demo.placed, 19, 25),
        currency=demo.currency,
        status=demo.status,
        shipping_country=demo.country,
    )
    for line in demo.lines:
        order.items.append(
            OrderItem(
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                quantity_shipped=line.quantity if line.shipped is None else line.shipped,
                unit_price=Decimal(line.unit_price),
                currency=demo.currency,
            )
        )
    parcel = demo.parcel
    if parcel is not None:
        delivered = parcel.delivered is not None
        order.shipments.append(
            Shipment(
                carrier=parcel.carrier,
                tracking_number=parcel.tracking,
                status=parcel.status or ("delivered" if delivered else "in_transit"),
                shipped_at=_at(today, parcel.shipped, 9, 12),
                promised_delivery=today + timedelta(days=parcel.promised),
                delivered_at=_at(today, parcel.delivered, 14, 20) if delivered else None,
                events=_events(parcel, today),
            )
        )
    return order


def _summary(order: Order) -> str:
    total = sum((Decimal(i.unit_price) * i.quantity for i in order.items), Decimal(0))
    story = next((d.story for d in DEMO if d.number == order.number), order.status)
    carrier = order.shipments[-1].carrier if order.shipments else "not shipped"
    value = f"{money(total, order.currency)} {order.currency}"
    return f"{order.shipping_country} · {order.customer.tier} · {value} · {carrier} · {story}"


def demo_orders(session: Session) -> list[DemoOrder]:
    """The demo orders present in the database, in demo order."""
    numbers = [d.number for d in DEMO]
    found = {
        o.number: o
        for o in session.scalars(
            select(Order)
            .where(Order.number.in_(numbers))
            .options(selectinload(Order.customer), selectinload(Order.items), selectinload(Order.shipments))
        )
    }
    return [
        DemoOrder(number=n, email=found[n].customer.email, summary=_summary(found[n]))
        for n in numbers
        if n in found
    ]


def seed_demo(session: Session, today: date | None = None) -> list[DemoOrder]:
    """Loads the demo shop into an empty database; a database with orders is left as it is."""
    if session.scalars(select(Order.id).limit(1)).first() is None:
        today = today or datetime.now(timezone.utc).date()
        session.add_all(_build(demo, today) for demo in DEMO)
        session.flush()
    return demo_orders(session)
