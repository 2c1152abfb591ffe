"""The metrics as reports: the same figures as a table, a CSV file and chart data.

Each :class:`Report` has typed columns and raw rows (amounts in minor units, rates from 0 to
1, waits in seconds); :meth:`Report.display_rows` formats them for people (the business's
money format, percentages, minutes) and :meth:`Report.csv_rows` for spreadsheets (amounts as
plain decimals). Its :class:`Chart` entries are what the dashboard's script hands to Chart.js.
:data:`REPORTS` names every report; the dashboard, its JSON data and the CSV exports all come
from it, so a figure cannot differ between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from sqlmodel import Session

from flows.features.analytics import metrics as m
from flows.features.business import BusinessConfig
from flows.features.business.csv_export import Cell
from flows.features.business.money import exponent
from storage.models import FlowStep

Kind = Literal["text", "count", "money", "rate", "seconds"]
"""How a column's values read: text, a whole number, minor units, a share 0-1, seconds."""
OUTCOME_LABELS = {
    FlowStep.COMPLETED: "completed",
    FlowStep.ABORTED: "gave up",
    FlowStep.HANDED_OFF: "handed to a person",
}
"""How a funnel's outcome steps read."""


@dataclass(frozen=True)
class Column:
    """One column of a report: its title and how its values read."""

    title: str
    kind: Kind = "count"


@dataclass(frozen=True)
class Series:
    """One line or set of bars of a chart."""

    label: str
    data: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """What Chart.js draws: ``kind`` is ``line`` or ``bar``; ``percent`` scales 0-100."""

    id: str
    kind: Literal["line", "bar"]
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False

    def data(self) -> dict[str, Any]:
        """The chart as plain JSON data."""
        return {
            "id": self.id,
            "kind": self.kind,
            "labels": list(self.labels),
            "series": [{"label": s.label, "data": list(s.data)} for s in self.series],
            "percent": self.percent,
        }


@dataclass(frozen=True)
class Report:
    """One metric over a period: a table with typed columns, and its charts.

    Attributes:
        name: Its name in URLs (``messages`` → ``messages.csv``).
        title: Its heading.
        about: One sentence saying what it counts.
        columns: The table's columns.
        rows: Raw values, one tuple per row (amounts in minor units of ``currency``).
        currency: The currency of the money columns.
        charts: What the dashboard draws.
    """

    name: str
    title: str
    about: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]]
    currency: str
    charts: tuple[Chart, ...] = field(default=())

    def display_rows(self, business: BusinessConfig) -> list[tuple[str, ...]]:
        """The rows as people read them."""
        return [
            tuple(
                _display(v, c.kind, business, self.currency)
                for v, c in zip(row, self.columns, strict=True)
            )
            for row in self.rows
        ]

    def csv_rows(self) -> list[tuple[Cell, ...]]:
        """The rows for a spreadsheet: amounts as decimals, rates as 0-1, waits in seconds."""
        return [
            tuple(
                _decimal(v, self.currency) if c.kind == "money" and isinstance(v, int) else v
                for v, c in zip(row, self.columns, strict=True)
            )
            for row in self.rows
        ]

    @property
    def header(self) -> tuple[str, ...]:
        """The column titles."""
        return tuple(c.title for c in self.columns)


def _decimal(minor: int, currency: str) -> str:
    return str(Decimal(minor).scaleb(-exponent(currency)))


def _major(minor: int, currency: str) -> float:
    return float(Decimal(minor).scaleb(-exponent(currency)))


def _display(value: Cell, kind: Kind, business: BusinessConfig, currency: str) -> str:
    if value is None:
        return "–"
    if kind == "money" and isinstance(value, int):
        return business.money(value, currency)
    if kind == "rate" and isinstance(value, int | float):
        return f"{100 * value:.1f}%"
    if kind == "seconds" and isinstance(value, int | float):
        return f"{value / 60:.1f} min"
    return str(value)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _step_label(state: str) -> str:
    return OUTCOME_LABELS.get(state, state)


# -- the reports -------------------------------------------------------------------------------


def messages(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Messages received and sent per day."""
    rows = m.messages_per_day(session, period)
    labels = tuple(r.day.isoformat() for r in rows)
    return Report(
        "messages",
        "Messages",
        "Customer messages received, and messages sent to customers, per day.",
        (Column("Day", "text"), Column("Received"), Column("Sent")),
        [(r.day.isoformat(), r.received, r.sent) for r in rows],
        business.currency,
        (
            Chart(
                "messages",
                "line",
                labels,
                (
                    Series("Received", tuple(float(r.received) for r in rows)),
                    Series("Sent", tuple(float(r.sent) for r in rows)),
                ),
            ),
        ),
    )


def customers(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Active and new customers per day."""
    rows = m.customers_per_day(session, period)
    return Report(
        "customers",
        "Customers",
        "Customers who wrote that day (active), and customers who wrote for the first time (new).",
        (Column("Day", "text"), Column("Active"), Column("New")),
        [(r.day.isoformat(), r.active, r.new) for r in rows],
        business.currency,
        (
            Chart(
                "customers",
                "bar",
                tuple(r.day.isoformat() for r in rows),
                (
                    Series("Active", tuple(float(r.active) for r in rows)),
                    Series("New", tuple(float(r.new) for r in rows)),
                ),
            ),
        ),
    )


def funnels(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Each flow's funnel: customers per step, where they stopped."""
    found = m.funnels(session, period)
    rows: list[tuple[Cell, ...]] = [
        (f.flow, _step_label(s.state), s.reached, _rate(s.reached, f.entered), s.stopped)
        for f in found
        for s in f.steps
    ]
    charts = tuple(
        Chart(
            f"funnel-{n}",
            "bar",
            tuple(_step_label(s.state) for s in f.steps),
            (Series(f"{f.flow}: customers", tuple(float(s.reached) for s in f.steps)),),
        )
        for n, f in enumerate(found)
    )
    return Report(
        "funnels",
        "Flow funnels",
        "Per flow, the customers who reached each step and the customers whose last step it"
        " was (they dropped off there); a customer counts once per step.",
        (
            Column("Flow", "text"),
            Column("Step", "text"),
            Column("Customers"),
            Column("Of those who entered", "rate"),
            Column("Stopped here"),
        ),
        rows,
        business.currency,
        charts,
    )


def conversion(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Conversion to a paid order."""
    found = m.conversion(session, period)
    return Report(
        "conversion",
        "Conversion to a paid order",
        "Of the customers who wrote in the period, those who placed an order and those who paid.",
        (Column("Customers who wrote"), Column("Ordered"), Column("Paid"), Column("Rate", "rate")),
        [(found.customers, found.ordered, found.paid, found.rate)],
        business.currency,
        (
            Chart(
                "conversion",
                "bar",
                ("Wrote", "Ordered", "Paid"),
                (Series("Customers", (found.customers, found.ordered, found.paid)),),
            ),
        ),
    )


def revenue(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Paid orders and revenue per day."""
    currency = business.currency
    rows = m.revenue_per_day(session, period, currency)
    return Report(
        "revenue",
        "Revenue",
        "Orders paid per day of payment and their totals (cancelled orders are refunded and left"
        " out).",
        (Column("Day", "text"), Column("Paid orders"), Column("Revenue", "money")),
        [(r.day.isoformat(), r.orders, r.revenue) for r in rows],
        currency,
        (
            Chart(
                "revenue",
                "bar",
                tuple(r.day.isoformat() for r in rows),
                (
                    Series(
                        f"Revenue ({currency})", tuple(_major(r.revenue, currency) for r in rows)
                    ),
                ),
            ),
        ),
    )


def products(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Units sold and revenue per product."""
    currency = business.currency
    rows = m.revenue_per_product(session, period, currency)
    return Report(
        "products",
        "Revenue per product",
        "Units and revenue per product in the orders paid in the period.",
        (
            Column("Product", "text"),
            Column("Title", "text"),
            Column("Units"),
            Column("Revenue", "money"),
        ),
        [(p.product_id, p.title, p.quantity, p.revenue) for p in rows],
        currency,
        (
            Chart(
                "products",
                "bar",
                tuple(p.title for p in rows),
                (
                    Series(
                        f"Revenue ({currency})", tuple(_major(p.revenue, currency) for p in rows)
                    ),
                ),
            ),
        ),
    )


def ads(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Customers, orders and revenue per Click-to-WhatsApp ad."""
    currency = business.currency
    rows = m.ads(session, period, currency)
    return Report(
        "ads",
        "Click-to-WhatsApp ads",
        "Customers who wrote through each ad, and the orders of customers whose last ad before"
        " ordering it was.",
        (
            Column("Ad", "text"),
            Column("Link", "text"),
            Column("Headline", "text"),
            Column("Customers"),
            Column("Orders"),
            Column("Paid orders"),
            Column("Revenue", "money"),
        ),
        [
            (a.source_id, a.source_url, a.headline, a.customers, a.orders, a.paid, a.revenue)
            for a in rows
        ],
        currency,
        (
            Chart(
                "ads",
                "bar",
                tuple(a.headline or a.source_id for a in rows),
                (
                    Series(
                        f"Revenue ({currency})", tuple(_major(a.revenue, currency) for a in rows)
                    ),
                ),
            ),
        ),
    )


def nps(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """NPS per week."""
    rows = m.nps_per_week(session, period)
    return Report(
        "nps",
        "Net Promoter Score",
        "Per week (from Monday), the NPS of the surveys' 0-10 answers: % promoters (9-10) minus"
        " % detractors (0-6).",
        (Column("Week of", "text"), Column("Answers"), Column("NPS", "text")),
        [(w.week.isoformat(), w.answers, w.nps) for w in rows],
        business.currency,
        (
            Chart(
                "nps",
                "line",
                tuple(w.week.isoformat() for w in rows),
                (Series("NPS", tuple(w.nps for w in rows)),),
            ),
        ),
    )


def response(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Staff first-response time to handoffs."""
    rows = m.staff_first_response(session, period)
    return Report(
        "response",
        "Staff first response",
        "Per day, the conversations handed to a person, how many staff answered, and the median"
        " time until staff's first message.",
        (
            Column("Day", "text"),
            Column("Handoffs"),
            Column("Answered"),
            Column("Median first response", "seconds"),
        ),
        [(r.day.isoformat(), r.requests, r.answered, r.median_seconds) for r in rows],
        business.currency,
        (
            Chart(
                "response",
                "bar",
                tuple(r.day.isoformat() for r in rows),
                (
                    Series(
                        "Median minutes",
                        tuple(
                            None if r.median_seconds is None else r.median_seconds / 60
                            for r in rows
                        ),
                    ),
                ),
            ),
        ),
    )


def delivery(session: Session, business: BusinessConfig, period: m.Period) -> Report:
    """Delivery and read rates per day."""
    rows = m.delivery_per_day(session, period)
    return Report(
        "delivery",
        "Delivery and read rates",
        "Messages sent per day and the share Meta reported delivered and read.",
        (
            Column("Day", "text"),
            Column("Sent"),
            Column("Delivered"),
            Column("Read"),
            Column("Failed"),
            Column("Delivery rate", "rate"),
            Column("Read rate", "rate"),
        ),
        [
            (
                d.day.isoformat(),
                d.sent,
                d.delivered,
                d.read,
                d.failed,
                _rate(d.delivered, d.sent),
                _rate(d.read, d.sent),
            )
            for d in rows
        ],
        business.currency,
        (
            Chart(
                "delivery",
                "line",
                tuple(d.day.isoformat() for d in rows),
                (
                    Series(
                        "Delivered %",
                        tuple(None if not d.sent else 100 * d.delivery_rate for d in rows),
                    ),
                    Series(
                        "Read %", tuple(None if not d.sent else 100 * d.read_rate for d in rows)
                    ),
                ),
                percent=True,
            ),
        ),
    )


ReportFn = Callable[[Session, BusinessConfig, m.Period], Report]
REPORTS: dict[str, ReportFn] = {
    "messages": messages,
    "customers": customers,
    "funnels": funnels,
    "conversion": conversion,
    "revenue": revenue,
    "products": products,
    "ads": ads,
    "nps": nps,
    "response": response,
    "delivery": delivery,
}
"""Every report by name, in the dashboard's order."""


def all_reports(session: Session, business: BusinessConfig, period: m.Period) -> Sequence[Report]:
    """Every report over ``period``."""
    return [make(session, business, period) for make in REPORTS.values()]


__all__ = [
    "OUTCOME_LABELS",
    "REPORTS",
    "Chart",
    "Column",
    "Kind",
    "Report",
    "ReportFn",
    "Series",
    "all_reports",
]
