"""Who a broadcast reaches: a :class:`Segment` of customers, its conditions combined with AND.

Conditions: any of some tags (:mod:`flows.features.customers.tags`), explicitly opted in (an
opt-in in the consent ledger), bought a product (a paid order holding it), booked a service (a
booking not cancelled), active in the last N days (wrote to the bot), and arrived from a given
click-to-WhatsApp ad (a stored message whose ``referral.source_id`` is the ad's id). A segment
does not look at marketing consent: a customer who opted out stays in the audience, and the
outbox, the one place the rule is enforced, records their marketing message ``suppressed``
instead of sending it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, func, true
from sqlmodel import Session, col, select

from bot.errors import WaflowError
from flows.features.booking.models import Booking
from flows.features.business import BusinessConfig
from flows.features.consent.models import ConsentEvent
from flows.features.customers.tags import CustomerTag, TagError, clean_tag
from flows.features.shop.models import Order, OrderLine
from storage.models import Contact, InboundUpdate

BOUGHT_STATUSES = ("paid", "preparing", "shipped", "delivered")
"""The order statuses that count as having bought."""
_SOURCE_ID: Any = cast("Any", InboundUpdate.value)[("messages", 0, "referral", "source_id")]


class SegmentError(WaflowError, ValueError):
    """A segment condition that cannot be used (an unknown product, a negative day count...)."""


@dataclass(frozen=True)
class Segment:
    """Which customers a broadcast reaches; every condition given must hold.

    Attributes:
        tags: Customers with any of these tags.
        opted_in: Only customers who explicitly opted in (the consent ledger), not merely
            never opted out.
        bought: Customers with a paid order holding this product id.
        booked: Customers with a booking of this service id that was not cancelled.
        active_days: Customers who wrote to the bot in the last this many days.
        ad: Customers who arrived from the click-to-WhatsApp ad with this ``source_id``.
    """

    tags: tuple[str, ...] = ()
    opted_in: bool = False
    bought: str | None = None
    booked: str | None = None
    active_days: int | None = None
    ad: str | None = None

    def check(self, business: BusinessConfig) -> Segment:
        """This segment, its tags cleaned, once its conditions are known to be usable.

        Raises:
            SegmentError: A tag is not valid, the product or service is unknown, the day count
                is not positive, or the ad id is empty.
        """
        try:
            tags = tuple(sorted({clean_tag(t) for t in self.tags}))
        except TagError as exc:
            raise SegmentError(str(exc)) from exc
        if self.bought is not None and business.catalog.product(self.bought) is None:
            known = ", ".join(p.id for p in business.catalog.products) or "none"
            raise SegmentError(f"unknown product {self.bought!r} (known: {known})")
        if self.booked is not None and business.service(self.booked) is None:
            known = ", ".join(s.id for s in business.services) or "none"
            raise SegmentError(f"unknown service {self.booked!r} (known: {known})")
        if self.active_days is not None and not 0 < self.active_days <= 3650:
            raise SegmentError(f"active days must be 1 to 3650, got {self.active_days}")
        if self.ad is not None and not self.ad.strip():
            raise SegmentError("the ad's source id cannot be empty")
        ad = self.ad.strip() if self.ad is not None else None
        return Segment(tags, self.opted_in, self.bought, self.booked, self.active_days, ad)

    def as_json(self) -> dict[str, Any]:
        """The segment as stored on the broadcast (conditions not given are left out)."""
        return {k: list(v) if k == "tags" else v for k, v in asdict(self).items() if v}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Segment:
        """The segment stored by :meth:`as_json`."""
        return cls(
            tags=tuple(data.get("tags", ())),
            opted_in=bool(data.get("opted_in", False)),
            bought=data.get("bought"),
            booked=data.get("booked"),
            active_days=data.get("active_days"),
            ad=data.get("ad"),
        )

    def describe(self) -> str:
        """The segment in a few words (``tagged vip · bought choc``)."""
        parts = []
        if self.tags:
            parts.append("tagged " + " or ".join(self.tags))
        if self.opted_in:
            parts.append("opted in")
        if self.bought:
            parts.append(f"bought {self.bought}")
        if self.booked:
            parts.append(f"booked {self.booked}")
        if self.active_days:
            parts.append(f"active in the last {self.active_days} days")
        if self.ad:
            parts.append(f"from ad {self.ad}")
        return " · ".join(parts) or "every customer"

    def where(self, now: datetime) -> ColumnElement[bool]:
        """The condition on :class:`~storage.models.Contact` rows."""
        wa_id = col(Contact.wa_id)
        conditions: list[ColumnElement[bool]] = [true()]
        if self.tags:
            tagged = select(CustomerTag.wa_id).where(col(CustomerTag.tag).in_(self.tags))
            conditions.append(wa_id.in_(tagged))
        if self.opted_in:
            opted = select(ConsentEvent.wa_id).where(ConsentEvent.opted == "in")
            conditions.append(wa_id.in_(opted))
        if self.bought:
            bought = (
                select(Order.wa_id)
                .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
                .where(OrderLine.product_id == self.bought)
                .where(col(Order.status).in_(BOUGHT_STATUSES))
            )
            conditions.append(wa_id.in_(bought))
        if self.booked:
            booked = (
                select(Booking.wa_id)
                .where(Booking.service == self.booked)
                .where(Booking.status != "cancelled")
            )
            conditions.append(wa_id.in_(booked))
        if self.active_days:
            since = now - timedelta(days=self.active_days)
            conditions.append(col(Contact.last_inbound_at) >= since)
        if self.ad:
            came = (
                select(InboundUpdate.wa_id)
                .where(InboundUpdate.kind == "message")
                .where(_SOURCE_ID.as_string() == self.ad)
            )
            conditions.append(wa_id.in_(came))
        return and_(*conditions)


def audience_count(session: Session, segment: Segment, now: datetime) -> int:
    """How many customers ``segment`` reaches at ``now``."""
    query = select(func.count(col(Contact.id))).where(segment.where(now))
    return int(session.exec(query).one())


def audience_batch(
    session: Session, segment: Segment, now: datetime, *, after: int, limit: int
) -> list[Contact]:
    """Up to ``limit`` customers of ``segment``, in ``Contact.id`` order, after id ``after``."""
    query = (
        select(Contact)
        .where(segment.where(now))
        .where(col(Contact.id) > after)
        .order_by(col(Contact.id))
        .limit(limit)
    )
    return list(session.exec(query))


__all__ = [
    "BOUGHT_STATUSES",
    "Segment",
    "SegmentError",
    "audience_batch",
    "audience_count",
]
