"""How the shop is doing: pure queries over a range of days in the shop's own time zone.

Every function takes an open session and a :class:`Period` (local days ``[start, end)`` of the
business's time zone) and returns plain dataclasses; nothing here writes. The queries select
the few columns they need, bounded by the period's UTC instants, and the rows are put in the
shop's local days in Python (:meth:`Period.day`): SQLite keeps no time zone, so bucketing in
SQL would be two different queries for the two databases, and a small shop's month is a few
thousand rows.

Where each figure comes from: messages from the inbox (``waflow_inbound``, kind ``message``)
and the outbox (sent rows); customers from the contacts (``created_at``) and their inbound
messages; funnels from :class:`~storage.models.FlowStep`; orders and revenue from the shop's
orders (paid means paid, preparing, shipped or delivered: a cancelled order is refunded); ads
from the ``referral`` of Click-to-WhatsApp messages, kept in the stored inbound ``value``; NPS
from the surveys' NPS answers; staff response times from the handoff events and the messages
staff sent; delivery and read rates from the statuses of sent messages.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, cast

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from flows.features.business import BusinessConfig
from flows.features.handoff import HandoffEvent
from flows.features.shop.models import Order, OrderLine
from flows.features.surveys.models import SurveyAnswer, SurveyResponse
from flows.features.surveys.results import net_promoter_score
from storage.models import Contact, FlowStep, InboundUpdate, MessageStatus, OutboxMessage, as_utc
from storage.statuses import RANKS

PAID_STATUSES = ("paid", "preparing", "shipped", "delivered")
"""The order statuses that count as paid (a cancelled order is refunded, an expired one unpaid)."""
OUTCOMES = (FlowStep.COMPLETED, FlowStep.ABORTED, FlowStep.HANDED_OFF)
"""The steps that say how a conversation left a flow, in the order a funnel shows them."""
MAX_DAYS = 366
"""The longest period a query covers."""


class PeriodError(ValueError):
    """A period that is empty, reversed or too long."""


@dataclass(frozen=True)
class Period:
    """The local days ``[start, end)`` in a time zone.

    Attributes:
        start: The first day.
        end: The day after the last one.
        tz: The shop's time zone.
    """

    start: date
    end: date
    tz: tzinfo

    @classmethod
    def of(cls, business: BusinessConfig, start: date, end: date) -> Period:
        """The days ``[start, end)`` in ``business``'s time zone.

        Raises:
            PeriodError: ``end`` is not after ``start``, the period is over :data:`MAX_DAYS`,
                or its instants fall outside the calendar.
        """
        if end <= start:
            raise PeriodError("the end date must be after the start date")
        if (end - start).days > MAX_DAYS:
            raise PeriodError(f"a period is at most {MAX_DAYS} days")
        period = cls(start, end, business.tz)
        try:
            period.since, period.until  # noqa: B018 (checks both can be computed)
        except OverflowError:
            raise PeriodError("the dates are out of range") from None
        return period

    @classmethod
    def last_days(cls, business: BusinessConfig, days: int, now: datetime) -> Period:
        """The ``days`` local days up to and including today (``now`` in the shop's zone)."""
        today = as_utc(now).astimezone(business.tz).date()
        return cls.of(business, today - timedelta(days=days - 1), today + timedelta(days=1))

    @property
    def since(self) -> datetime:
        """The first instant of the period (aware UTC)."""
        return datetime.combine(self.start, time(), self.tz).astimezone(UTC)

    @property
    def until(self) -> datetime:
        """The first instant after the period (aware UTC)."""
        return datetime.combine(self.end, time(), self.tz).astimezone(UTC)

    def days(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days)]

    def day(self, moment: datetime) -> date:
        """The local day of ``moment``."""
        return as_utc(moment).astimezone(self.tz).date()

    def week(self, moment: datetime) -> date:
        """The Monday of ``moment``'s local week."""
        day = self.day(moment)
        return day - timedelta(days=day.weekday())

    def weeks(self) -> list[date]:
        """The Mondays of the weeks the period touches, in order."""
        first = self.start - timedelta(days=self.start.weekday())
        last = self.end - timedelta(days=1)
        return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def _within(column: Any, period: Period) -> Any:
    return and_(column >= period.since, column < period.until)


def _count_days(session: Session, period: Period, moment: Any, *where: Any) -> Counter[date]:
    """How many rows whose timestamp ``moment`` is in the period fall on each day."""
    moments = session.exec(select(moment).where(_within(moment, period), *where))
    return Counter(period.day(at) for at in moments)


# -- messages and customers --------------------------------------------------------------------


@dataclass(frozen=True)
class DayMessages:
    """Messages of one day: received from customers, and sent to them."""

    day: date
    received: int
    sent: int


def messages_per_day(session: Session, period: Period) -> list[DayMessages]:
    """Customer messages received (the inbox) and messages sent (the outbox), per day."""
    received = _count_days(
        session, period, InboundUpdate.received_at, InboundUpdate.kind == "message"
    )
    sent = _count_days(session, period, OutboxMessage.sent_at, OutboxMessage.state == "sent")
    return [DayMessages(day, received[day], sent[day]) for day in period.days()]


@dataclass(frozen=True)
class DayCustomers:
    """Customers of one day: who wrote (active) and who wrote for the first time (new)."""

    day: date
    active: int
    new: int


def customers_per_day(session: Session, period: Period) -> list[DayCustomers]:
    """Active customers (at least one message that day) and new contacts, per day."""
    writers: defaultdict[date, set[str]] = defaultdict(set)
    rows = session.exec(
        select(InboundUpdate.wa_id, InboundUpdate.received_at).where(
            InboundUpdate.kind == "message", _within(InboundUpdate.received_at, period)
        )
    )
    for wa_id, at in rows:
        writers[period.day(at)].add(str(wa_id))
    new = _count_days(session, period, Contact.created_at)
    return [DayCustomers(day, len(writers[day]), new[day]) for day in period.days()]


# -- funnels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    """One state of a flow's funnel.

    Attributes:
        state: The state's name (or an outcome: :data:`OUTCOMES`).
        reached: Customers who entered it.
        stopped: Customers whose last step in the flow it is: they dropped off here.
    """

    state: str
    reached: int
    stopped: int


@dataclass(frozen=True)
class Funnel:
    """How customers went through one flow in the period.

    Attributes:
        flow: The flow's id.
        entered: Customers with at least one step in the flow.
        steps: The flow's states in the order customers usually reach them, then its outcomes.
        completed: Customers who reached the flow's end.
    """

    flow: str
    entered: int
    steps: tuple[FunnelStep, ...]
    completed: int

    @property
    def completion(self) -> float:
        """The share of customers who entered and completed (0 to 1)."""
        return self.completed / self.entered if self.entered else 0.0


def funnels(session: Session, period: Period) -> list[Funnel]:
    """Each flow's funnel, from the recorded :class:`~storage.models.FlowStep` rows.

    A customer counts once per state however often they entered it. States are ordered by
    where they come, on average, in each customer's path through the flow; the outcomes
    (completed, aborted, handed off) come last.
    """
    rows = session.exec(
        select(FlowStep.flow, FlowStep.wa_id, FlowStep.state)
        .where(_within(FlowStep.at, period))
        .order_by(col(FlowStep.id))
    )
    paths: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for flow, wa_id, state in rows:
        paths[flow][wa_id].append(state)
    return [_funnel(flow, paths[flow]) for flow in sorted(paths)]


def _funnel(flow: str, paths: dict[str, list[str]]) -> Funnel:
    reached: Counter[str] = Counter()
    stopped: Counter[str] = Counter()
    ranks: defaultdict[str, list[int]] = defaultdict(list)
    for path in paths.values():
        first: dict[str, int] = {}
        for index, state in enumerate(path):
            first.setdefault(state, index)
        reached.update(first.keys())
        for state, index in first.items():
            ranks[state].append(index)
        if path[-1] not in OUTCOMES:
            stopped[path[-1]] += 1
    states = sorted(
        (s for s in reached if s not in OUTCOMES), key=lambda s: (statistics.mean(ranks[s]), s)
    )
    states += [s for s in OUTCOMES if s in reached]
    steps = tuple(FunnelStep(s, reached[s], stopped[s]) for s in states)
    return Funnel(flow, len(paths), steps, reached[FlowStep.COMPLETED])


# -- orders and revenue ------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversion:
    """Customers who wrote in the period, and how many of them ordered and paid in it."""

    customers: int
    ordered: int
    paid: int

    @property
    def rate(self) -> float:
        """The share of customers who paid for an order (0 to 1)."""
        return self.paid / self.customers if self.customers else 0.0


def conversion(session: Session, period: Period) -> Conversion:
    """Conversion to a paid order: of the customers who wrote, who ordered and who paid."""
    customers = set(
        session.exec(
            select(InboundUpdate.wa_id)
            .where(InboundUpdate.kind == "message", _within(InboundUpdate.received_at, period))
            .distinct()
        )
    )
    orders = session.exec(
        select(Order.wa_id, Order.status, Order.paid_at).where(_within(Order.created_at, period))
    ).all()
    ordered = {wa_id for wa_id, _, _ in orders} & customers
    paid = {
        wa_id
        for wa_id, status, paid_at in orders
        if status in PAID_STATUSES and paid_at is not None and as_utc(paid_at) < period.until
    } & customers
    return Conversion(len(customers), len(ordered), len(paid))


@dataclass(frozen=True)
class DayRevenue:
    """Paid orders of one day in one currency (minor units)."""

    day: date
    currency: str
    orders: int
    revenue: int


def _paid(period: Period) -> Any:
    return and_(col(Order.status).in_(PAID_STATUSES), _within(Order.paid_at, period))


def revenue_per_day(session: Session, period: Period, currency: str) -> list[DayRevenue]:
    """Orders paid and their totals per day of payment, in ``currency``."""
    orders: Counter[date] = Counter()
    revenue: Counter[date] = Counter()
    rows = session.exec(
        select(col(Order.paid_at), Order.total).where(_paid(period), Order.currency == currency)
    )
    for paid_at, total in rows:
        assert paid_at is not None  # _paid filters on it
        day = period.day(paid_at)
        orders[day] += 1
        revenue[day] += total
    return [DayRevenue(day, currency, orders[day], revenue[day]) for day in period.days()]


@dataclass(frozen=True)
class ProductRevenue:
    """What one product sold in paid orders (amounts in minor units of ``currency``)."""

    product_id: str
    title: str
    currency: str
    quantity: int
    revenue: int


def revenue_per_product(session: Session, period: Period, currency: str) -> list[ProductRevenue]:
    """Units and revenue per product in the orders paid in the period, best sellers first."""
    rows = session.exec(
        select(
            OrderLine.product_id,
            func.max(OrderLine.title),
            func.sum(OrderLine.quantity),
            func.sum(OrderLine.line_total),
        )
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(_paid(period), Order.currency == currency)
        .group_by(col(OrderLine.product_id))
    )
    found = [ProductRevenue(p, str(t), currency, int(q), int(r)) for p, t, q, r in rows]
    return sorted(found, key=lambda p: (-p.revenue, p.product_id))


# -- Click-to-WhatsApp ads ---------------------------------------------------------------------


@dataclass(frozen=True)
class AdResult:
    """What one Click-to-WhatsApp ad (or post) brought in the period.

    Attributes:
        source_id: The ad's id (``referral.source_id``).
        source_url: The ad's link.
        headline: The ad's headline.
        customers: Customers who wrote through it in the period.
        orders: Orders placed in the period whose customer last came through it.
        paid: Of those, the paid ones.
        currency: The currency of ``revenue``.
        revenue: The paid orders' totals (minor units).
    """

    source_id: str
    source_url: str
    headline: str
    customers: int
    orders: int
    paid: int
    currency: str
    revenue: int


_REFERRAL: Any = cast("Any", InboundUpdate.value)[("messages", 0, "referral")]
"""The referral of a stored message (a JSON path, on both databases)."""


def _referrals(
    session: Session, before: datetime
) -> dict[str, list[tuple[datetime, dict[str, Any]]]]:
    """Each customer's referrals received before ``before``, oldest first."""
    found: defaultdict[str, list[tuple[datetime, dict[str, Any]]]] = defaultdict(list)
    rows = session.exec(
        select(InboundUpdate.wa_id, InboundUpdate.received_at, _REFERRAL)
        .where(
            InboundUpdate.kind == "message",
            InboundUpdate.received_at < before,
            _REFERRAL.is_not(None),
        )
        .order_by(col(InboundUpdate.id))
    )
    for wa_id, at, referral in rows:
        if isinstance(referral, dict) and wa_id is not None:
            found[wa_id].append((as_utc(at), referral))
    return found


def ads(session: Session, period: Period, currency: str) -> list[AdResult]:
    """Customers, orders and revenue per Click-to-WhatsApp ad (``referral.source_id``).

    An order (in ``currency``) belongs to the ad of its customer's last referral before the
    order was placed; revenue counts the paid ones.
    """
    referrals = _referrals(session, period.until)
    customers: defaultdict[str, set[str]] = defaultdict(set)
    details: dict[str, dict[str, Any]] = {}
    for wa_id, items in referrals.items():
        for at, referral in items:
            source = str(referral.get("source_id") or referral.get("source_url") or "")
            details[source] = referral
            if at >= period.since:
                customers[source].add(wa_id)
    orders: Counter[str] = Counter()
    paid: Counter[str] = Counter()
    revenue: Counter[str] = Counter()
    rows = session.exec(
        select(Order.wa_id, Order.created_at, Order.status, Order.total).where(
            _within(Order.created_at, period),
            Order.currency == currency,
            col(Order.wa_id).in_(list(referrals)),
        )
    )
    for wa_id, created_at, status, total in rows:
        before = [r for at, r in referrals[wa_id] if at <= as_utc(created_at)]
        if not before:
            continue
        last = before[-1]
        source = str(last.get("source_id") or last.get("source_url") or "")
        orders[source] += 1
        if status in PAID_STATUSES:
            paid[source] += 1
            revenue[source] += total
    results = [
        AdResult(
            source,
            str(details[source].get("source_url") or ""),
            str(details[source].get("headline") or ""),
            len(customers[source]),
            orders[source],
            paid[source],
            currency,
            revenue[source],
        )
        for source in set(customers) | set(orders)
    ]
    return sorted(results, key=lambda a: (-a.revenue, -a.orders, -a.customers, a.source_id))


# -- NPS ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekNps:
    """The Net Promoter Score of the NPS answers given in one week (starting on Monday)."""

    week: date
    answers: int
    nps: float | None


def nps_per_week(session: Session, period: Period) -> list[WeekNps]:
    """NPS per week from every survey's NPS answers (skipped ones left out)."""
    scores: defaultdict[date, Counter[int]] = defaultdict(Counter)
    rows = session.exec(
        select(SurveyResponse.completed_at, SurveyAnswer.value_int)
        .join(SurveyResponse, col(SurveyResponse.id) == col(SurveyAnswer.response_id))
        .where(
            SurveyAnswer.kind == "nps",
            col(SurveyAnswer.skipped).is_(False),
            col(SurveyAnswer.value_int).is_not(None),
            _within(SurveyResponse.completed_at, period),
        )
    )
    for at, score in rows:
        if score is not None:  # the query leaves out skipped answers already
            scores[period.week(at)][score] += 1
    return [
        WeekNps(week, sum(scores[week].values()), net_promoter_score(scores[week]))
        for week in period.weeks()
    ]


# -- handoffs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstResponse:
    """One request for a person and how long staff took to answer it.

    Attributes:
        wa_id: The customer.
        requested_at: When the customer asked for a person.
        waited: Until staff's first answer, or ``None`` when nobody answered before the
            conversation went back to the bot (or has not yet).
    """

    wa_id: str
    requested_at: datetime
    waited: timedelta | None


def first_responses(
    requests: Iterable[tuple[str, datetime]],
    answers: Iterable[tuple[str, datetime]],
    ends: Iterable[tuple[str, datetime]] = (),
) -> list[FirstResponse]:
    """Pair each handoff request with staff's first answer to that customer after it.

    Args:
        requests: ``(wa_id, requested_at)`` of each request for a person.
        answers: ``(wa_id, at)`` of what staff wrote to customers.
        ends: ``(wa_id, at)`` of each time a customer was given back to the bot: an answer
            from then on (such as the note telling them so) answers no earlier request.

    Returns:
        One entry per request, in the order of ``requests``. A request is open until the
        customer's next request or next end, whichever comes first.
    """
    answered: defaultdict[str, list[datetime]] = defaultdict(list)
    for wa_id, at in answers:
        answered[wa_id].append(as_utc(at))
    closes: defaultdict[str, list[datetime]] = defaultdict(list)
    listed = [(wa_id, as_utc(at)) for wa_id, at in requests]
    for wa_id, at in [*listed, *((w, as_utc(a)) for w, a in ends)]:
        closes[wa_id].append(at)
    found = []
    for wa_id, at in listed:
        limit = min((c for c in closes[wa_id] if c > at), default=None)
        replies = [a for a in answered[wa_id] if a >= at and (limit is None or a < limit)]
        found.append(FirstResponse(wa_id, at, min(replies) - at if replies else None))
    return found


@dataclass(frozen=True)
class DayResponse:
    """Handoffs requested on one day and staff's first-response time to them."""

    day: date
    requests: int
    answered: int
    median_seconds: float | None


def staff_first_response(session: Session, period: Period) -> list[DayResponse]:
    """Per day: requests for a person, how many staff answered, and the median time to answer.

    Requests, releases and echoes are the handoff feature's
    :class:`~flows.features.handoff.HandoffEvent` rows. Staff's answer is the first message
    to the customer that no bot turn wrote (an outbox row without an inbound message) or that a
    person sent from the WhatsApp Business app (an ``echo``), before the customer's next
    request or release.
    """
    events = session.exec(
        select(HandoffEvent.wa_id, HandoffEvent.kind, HandoffEvent.at).where(
            HandoffEvent.at >= period.since
        )
    ).all()
    requests = sorted(
        ((w, at) for w, kind, at in events if kind == "requested" and as_utc(at) < period.until),
        key=lambda item: as_utc(item[1]),
    )
    wa_ids = sorted({wa_id for wa_id, _ in requests})
    written = session.exec(
        select(OutboxMessage.wa_id, OutboxMessage.created_at).where(
            col(OutboxMessage.inbound_id).is_(None),
            col(OutboxMessage.wa_id).in_(wa_ids),
            OutboxMessage.created_at >= period.since,
        )
    ).all()
    echoes = [(w, at) for w, kind, at in events if kind == "echo"]
    ends = [(w, at) for w, kind, at in events if kind in ("released", "idle_released")]
    return response_days(period, first_responses(requests, [*written, *echoes], ends))


def response_days(period: Period, responses: Sequence[FirstResponse]) -> list[DayResponse]:
    """Group first responses by the local day of their request."""
    waits: defaultdict[date, list[float]] = defaultdict(list)
    requests: Counter[date] = Counter()
    for item in responses:
        day = period.day(item.requested_at)
        requests[day] += 1
        if item.waited is not None:
            waits[day].append(item.waited.total_seconds())
    return [
        DayResponse(
            day,
            requests[day],
            len(waits[day]),
            statistics.median(waits[day]) if waits[day] else None,
        )
        for day in period.days()
    ]


# -- delivery ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayDelivery:
    """Messages sent on one day and how far they got (from Meta's status webhooks)."""

    day: date
    sent: int
    delivered: int
    read: int
    failed: int

    @property
    def delivery_rate(self) -> float:
        """The share of sent messages delivered (0 to 1)."""
        return self.delivered / self.sent if self.sent else 0.0

    @property
    def read_rate(self) -> float:
        """The share of sent messages read (0 to 1)."""
        return self.read / self.sent if self.sent else 0.0


def delivery_per_day(session: Session, period: Period) -> list[DayDelivery]:
    """Messages sent per day, and how many were delivered, read, or failed after sending.

    A message read (or played) was delivered too; a status never goes backwards.
    """
    rows = session.exec(
        select(col(OutboxMessage.sent_at), MessageStatus.rank)
        .select_from(OutboxMessage)
        .outerjoin(MessageStatus, col(MessageStatus.wamid) == col(OutboxMessage.wamid))
        .where(OutboxMessage.state == "sent", _within(OutboxMessage.sent_at, period))
    )
    counts: defaultdict[date, Counter[str]] = defaultdict(Counter)
    for sent_at, rank in rows:
        assert sent_at is not None  # _within filters on it
        tally = counts[period.day(sent_at)]
        tally["sent"] += 1
        if rank == RANKS["failed"]:
            tally["failed"] += 1
        elif rank is not None and rank >= RANKS["delivered"]:
            tally["delivered"] += 1
            tally["read"] += rank >= RANKS["read"]
    return [
        DayDelivery(day, c["sent"], c["delivered"], c["read"], c["failed"])
        for day, c in ((day, counts[day]) for day in period.days())
    ]


__all__ = [
    "MAX_DAYS",
    "OUTCOMES",
    "PAID_STATUSES",
    "AdResult",
    "Conversion",
    "DayCustomers",
    "DayDelivery",
    "DayMessages",
    "DayResponse",
    "DayRevenue",
    "FirstResponse",
    "Funnel",
    "FunnelStep",
    "Period",
    "PeriodError",
    "ProductRevenue",
    "WeekNps",
    "ads",
    "conversion",
    "customers_per_day",
    "delivery_per_day",
    "first_responses",
    "funnels",
    "messages_per_day",
    "nps_per_week",
    "response_days",
    "revenue_per_day",
    "revenue_per_product",
    "staff_first_response",
]
