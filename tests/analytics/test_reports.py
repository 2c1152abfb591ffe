"""The reports: the metrics as tables for people, rows for spreadsheets and chart data."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from flows.features.analytics import metrics as m
from flows.features.analytics.reports import REPORTS, Report, all_reports
from flows.features.business import BusinessConfig
from tests.analytics.seed import AD_HEADLINE


@pytest.fixture
def reports(seeded: Engine, business: BusinessConfig, week: m.Period) -> dict[str, Report]:
    """Every report of the seeded week, by name."""
    with Session(seeded) as session:
        return {r.name: r for r in all_reports(session, business, week)}


def test_every_report_is_built_once_in_the_dashboard_order(reports: dict[str, Report]) -> None:
    assert list(reports) == list(REPORTS)


def test_rows_fit_the_columns_and_charts_fit_their_labels(reports: dict[str, Report]) -> None:
    for report in reports.values():
        width = len(report.columns)
        assert all(len(row) == width for row in report.rows)
        for chart in report.charts:
            data = json.loads(json.dumps(chart.data()))
            assert all(len(s["data"]) == len(data["labels"]) for s in data["series"])


def test_money_reads_in_the_shops_format_and_exports_as_a_decimal(
    reports: dict[str, Report], business: BusinessConfig
) -> None:
    revenue = reports["revenue"]
    monday = revenue.display_rows(business)[0]
    assert monday == ("2025-03-03", "1", "€25.00")
    assert revenue.csv_rows()[0] == ("2025-03-03", 1, "25.00")
    chart = revenue.charts[0].data()
    assert chart["series"][0]["data"][:2] == [25.0, 10.0]


def test_rates_read_as_percentages_and_missing_values_as_a_dash(
    reports: dict[str, Report], business: BusinessConfig
) -> None:
    delivery = reports["delivery"]
    shown = delivery.display_rows(business)
    assert shown[0][-2:] == ("66.7%", "33.3%")
    assert shown[1][-2:] == ("–", "–")  # nothing sent on Tuesday
    response = reports["response"].display_rows(business)
    assert ("2025-03-06", "2", "1", "7.0 min") in response
    assert ("2025-03-07", "1", "1", "15.0 min") in response


def test_funnel_outcomes_read_in_words(
    reports: dict[str, Report], business: BusinessConfig
) -> None:
    rows = reports["funnels"].display_rows(business)
    assert ("purchase", "completed", "1", "33.3%", "0") in rows
    assert ("purchase", "gave up", "1", "33.3%", "0") in rows
    # Ana, Ben and Cai entered the menu; Ben and Cai were handed to a person
    assert ("main_menu", "handed to a person", "2", "66.7%", "0") in rows


def test_ad_headlines_are_kept_as_written(reports: dict[str, Report]) -> None:
    rows = reports["ads"].csv_rows()
    assert rows[1][:3] == ("ad-2", "https://fb.me/ad-2", AD_HEADLINE)
