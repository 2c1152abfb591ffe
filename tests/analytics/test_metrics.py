"""Every metric on the seeded week (``seed.py``), on SQLite and on PostgreSQL.

Days are the shop's (Madrid, UTC+1): Ben's first message at 23:30 UTC on Monday is Tuesday's.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from flows.features.analytics import metrics as m
from flows.features.business import BusinessConfig
from tests.analytics.seed import AD_HEADLINE, ANA, BEN, CAI, START, at


def day(n: int) -> date:
    """The ``n``-th of March 2025."""
    return date(2025, 3, n)


def by_day(rows: list[object], *fields: str) -> dict[date, tuple[object, ...]]:
    """``{day: (field, ...)}`` of the days with anything but zeros."""
    found = {}
    for row in rows:
        values = tuple(getattr(row, f) for f in fields)
        if any(values):
            found[row.day] = values  # type: ignore[attr-defined]
    return found


def test_a_period_is_the_shops_local_days(business: BusinessConfig) -> None:
    period = m.Period.of(business, day(3), day(5))
    assert period.since == datetime(2025, 3, 2, 23, 0, tzinfo=UTC)
    assert period.until == datetime(2025, 3, 4, 23, 0, tzinfo=UTC)
    assert period.days() == [day(3), day(4)]
    assert period.day(at(3, 23, 30)) == day(4)


def test_a_period_across_the_clock_change_keeps_whole_local_days(
    business: BusinessConfig,
) -> None:
    period = m.Period.of(business, day(30), day(31))  # Madrid moves to UTC+2 that night
    assert period.until - period.since == timedelta(hours=23)


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        pytest.param(day(5), day(5), "after the start", id="empty"),
        pytest.param(day(5), day(3), "after the start", id="reversed"),
        pytest.param(date(2024, 1, 1), date(2025, 3, 1), "at most", id="too-long"),
    ],
)
def test_a_bad_period_is_refused(
    business: BusinessConfig, start: date, end: date, problem: str
) -> None:
    with pytest.raises(m.PeriodError, match=problem):
        m.Period.of(business, start, end)


def test_a_period_beyond_the_calendar_in_utc_is_refused(business: BusinessConfig) -> None:
    info = business.business.model_copy(update={"timezone": "Asia/Tokyo"})
    tokyo = dataclasses.replace(business, business=info)
    with pytest.raises(m.PeriodError, match="out of range"):
        m.Period.of(tokyo, date(1, 1, 1), date(1, 1, 2))  # 1 January of year 1, 09:00 earlier


def test_last_days_ends_today_in_the_shop(business: BusinessConfig) -> None:
    period = m.Period.last_days(business, 30, now=at(9, 23, 30))  # already the 10th in Madrid
    assert (period.start, period.end) == (date(2025, 2, 9), day(11))
    assert len(period.days()) == 30


def test_messages_per_day(seeded: Engine, week: m.Period) -> None:
    with Session(seeded) as session:
        rows = m.messages_per_day(session, week)
    assert [r.day for r in rows] == week.days()
    # received: Ana twice on Monday, Ben's late message on Tuesday, Ben and Cai on Wednesday
    # (a status update is not a message; Cai's Sunday-night UTC message is next Monday);
    # sent: the failed message to Ben does not count
    assert by_day(rows, "received", "sent") == {
        day(3): (2, 3),
        day(4): (1, 0),
        day(5): (2, 1),
        day(6): (0, 3),
    }


def test_customers_per_day(seeded: Engine, week: m.Period) -> None:
    with Session(seeded) as session:
        rows = m.customers_per_day(session, week)
    # Ana is new on Monday, Ben on Tuesday (Madrid); Cai is an older customer
    assert by_day(rows, "active", "new") == {day(3): (1, 1), day(4): (1, 1), day(5): (2, 0)}


def test_funnels_count_customers_per_step_and_where_they_stopped(
    seeded: Engine, week: m.Period
) -> None:
    with Session(seeded) as session:
        funnels = {f.flow: f for f in m.funnels(session, week)}
    assert sorted(funnels) == ["main_menu", "purchase"]
    purchase = funnels["purchase"]
    assert (purchase.entered, purchase.completed) == (3, 1)
    assert purchase.completion == pytest.approx(1 / 3)
    assert [(s.state, s.reached, s.stopped) for s in purchase.steps] == [
        ("browse", 3, 0),
        ("cart", 2, 1),  # Ben stopped at the cart
        ("checkout", 1, 0),
        ("__end__", 1, 0),
        ("__abort__", 1, 0),
    ]
    menu = funnels["main_menu"]
    assert [(s.state, s.reached, s.stopped) for s in menu.steps] == [
        ("menu", 1, 1),
        ("__handoff__", 2, 0),
    ]


def test_conversion_to_a_paid_order(seeded: Engine, week: m.Period) -> None:
    with Session(seeded) as session:
        found = m.conversion(session, week)
    # all three wrote and ordered; Ana and Ben paid, Cai's paid order was cancelled
    assert (found.customers, found.ordered, found.paid) == (3, 3, 2)
    assert found.rate == pytest.approx(2 / 3)


def test_revenue_per_day_counts_paid_orders_on_the_day_of_payment(
    seeded: Engine, week: m.Period
) -> None:
    with Session(seeded) as session:
        rows = m.revenue_per_day(session, week, "EUR")
        other = m.revenue_per_day(session, week, "USD")
    assert by_day(rows, "orders", "revenue") == {day(3): (1, 2500), day(4): (1, 1000)}
    assert by_day(other, "orders", "revenue") == {}


def test_revenue_per_product(seeded: Engine, week: m.Period) -> None:
    with Session(seeded) as session:
        rows = m.revenue_per_product(session, week, "EUR")
    assert [(p.product_id, p.title, p.quantity, p.revenue) for p in rows] == [
        ("cake", "Chocolate cake", 2, 3000),
        ("candle", "Candle", 5, 500),
    ]


def test_ads_get_the_orders_of_their_customers_last_referral(
    seeded: Engine, week: m.Period
) -> None:
    with Session(seeded) as session:
        rows = m.ads(session, week, "EUR")
    assert [(a.source_id, a.customers, a.orders, a.paid, a.revenue) for a in rows] == [
        # Ana's paid order; Ben's unpaid one (he last came through ad-1 before it)
        ("ad-1", 2, 2, 1, 2500),
        # Ben's paid order (through ad-2 first); Cai's cancelled one (ad-2, in February)
        ("ad-2", 1, 2, 1, 1000),
    ]
    assert (rows[1].source_url, rows[1].headline) == ("https://fb.me/ad-2", AD_HEADLINE)


def test_nps_per_week(seeded: Engine, week: m.Period) -> None:
    with Session(seeded) as session:
        rows = m.nps_per_week(session, week)
    # 10 and 9 are promoters, 3 a detractor; the skipped answer and the rating do not count
    assert [(w.week, w.answers, w.nps) for w in rows] == [(day(3), 3, 33.3)]


def test_weeks_of_a_period_start_on_monday(business: BusinessConfig) -> None:
    period = m.Period.of(business, day(5), day(18))
    assert period.weeks() == [day(3), day(10), day(17)]


def test_staff_first_response(seeded: Engine, week: m.Period) -> None:
    with Session(seeded) as session:
        rows = m.staff_first_response(session, week)
    # Cai's request at 10:00 UTC was answered at 10:07 (the bot's 10:01 reply does not count);
    # Ben's note that the bot is back is no answer; Ana's echo answers her after 15 minutes
    assert by_day(rows, "requests", "answered", "median_seconds") == {
        day(6): (2, 1, 420.0),
        day(7): (1, 1, 900.0),
    }


def test_first_responses_pair_each_request_with_the_next_answer() -> None:
    requests = [(ANA, at(3, 9)), (BEN, at(3, 9)), (ANA, at(3, 12))]
    answers = [(ANA, at(3, 8)), (ANA, at(3, 9, 5)), (ANA, at(3, 9, 6)), (ANA, at(3, 12, 30))]
    found = m.first_responses(requests, answers)
    assert [(r.wa_id, r.waited) for r in found] == [
        (ANA, timedelta(minutes=5)),
        (BEN, None),
        (ANA, timedelta(minutes=30)),
    ]


def test_an_answer_serves_only_the_latest_request_before_it() -> None:
    found = m.first_responses([(CAI, at(3, 9)), (CAI, at(3, 10))], [(CAI, at(3, 11))])
    assert [r.waited for r in found] == [None, timedelta(hours=1)]


def test_a_release_closes_the_request() -> None:
    found = m.first_responses([(CAI, at(3, 9))], [(CAI, at(3, 10))], ends=[(CAI, at(3, 10))])
    assert [r.waited for r in found] == [None]


def test_delivery_and_read_rates(seeded: Engine, week: m.Period) -> None:
    with Session(seeded) as session:
        rows = m.delivery_per_day(session, week)
    assert by_day(rows, "sent", "delivered", "read", "failed") == {
        day(3): (3, 2, 1, 1),
        day(5): (1, 0, 0, 0),
        day(6): (3, 0, 0, 0),
    }
    monday = next(r for r in rows if r.day == START)
    assert (monday.delivery_rate, monday.read_rate) == (pytest.approx(2 / 3), pytest.approx(1 / 3))


def test_an_empty_database_gives_zeros(engine: Engine, week: m.Period) -> None:
    with Session(engine) as session:
        assert m.funnels(session, week) == []
        assert m.ads(session, week, "EUR") == []
        assert m.conversion(session, week).rate == 0.0
        assert all(r.sent == 0 for r in m.delivery_per_day(session, week))
        assert [w.nps for w in m.nps_per_week(session, week)] == [None]
