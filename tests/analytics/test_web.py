"""The analytics dashboard's routes: owners only, dates checked, tables, chart data, safe CSV.

They run the example shop's console app (``tests/console/consolekit.py``) on each database, with
the seeded week (``seed.py``) in it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.analytics.reports import REPORTS
from flows.features.business import BusinessConfig
from flows.features.console import AuditEvent
from storage.db import read_session
from storage.models import utcnow
from tests.analytics.seed import AD_HEADLINE, seed
from tests.console.consolekit import Login

WEEK = "start=2025-03-03&end=2025-03-09"


@pytest.fixture
def owner(logged_in: Login, shop_engine: Engine) -> FlaskClient:
    """The owner, logged in, on the seeded shop."""
    seed(shop_engine)
    return logged_in("owner")


def test_the_dashboard_shows_every_report_as_a_table_with_a_chart_and_an_export(
    owner: FlaskClient,
) -> None:
    answer = owner.get(f"/console/analytics?{WEEK}")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    for name in REPORTS:
        assert f'id="report-{name}"' in page
        assert f"/console/analytics/{name}.csv?start=2025-03-03&amp;end=2025-03-09" in page
    assert '<canvas data-chart="revenue"' in page
    assert '<td class="num">€25.00</td>' in page  # Ana's Monday order, in the shop's format
    assert 'data-source="/console/analytics/data.json?start=2025-03-03&amp;end=2025-03-09"' in page
    assert 'name="start" value="2025-03-03"' in page
    assert 'name="end" value="2025-03-09"' in page


def test_the_page_runs_no_inline_script_and_escapes_customer_text(owner: FlaskClient) -> None:
    page = owner.get(f"/console/analytics?{WEEK}").get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", page)
    assert len(scripts) == 2
    assert all("src=" in tag for tag in scripts)
    assert "/console/static/waflow_analytics/vendor/chartjs/chart.umd.js" in page
    assert "=HYPERLINK(&#34;http://evil.test&#34;,&#34;Cakes&#34;)" in page
    assert AD_HEADLINE not in page


def test_without_dates_it_shows_the_last_30_days(
    owner: FlaskClient, business: BusinessConfig
) -> None:
    page = owner.get("/console/analytics").get_data(as_text=True)
    today = business.local(utcnow()).date()  # the example shop is in Madrid too
    assert f'name="end" value="{today.isoformat()}"' in page
    assert f'name="start" value="{(today - timedelta(days=29)).isoformat()}"' in page


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        pytest.param("start=2025-03-09&end=2025-03-03", "ends before it starts", id="reversed"),
        pytest.param("start=03/03/2025&end=2025-03-09", "YYYY-MM-DD", id="not-iso"),
        pytest.param("start=2025-03-03", "both dates", id="one-date"),
        pytest.param("start=2020-01-01&end=2025-03-09", "at most", id="too-long"),
        pytest.param("start=9999-12-31&end=9999-12-31", "within 100 years", id="last-date"),
    ],
)
def test_bad_dates_get_a_400_saying_why(owner: FlaskClient, query: str, problem: str) -> None:
    page = owner.get(f"/console/analytics?{query}")
    assert page.status_code == 400
    assert problem in page.get_data(as_text=True)
    data = owner.get(f"/console/analytics/data.json?{query}")
    assert data.status_code == 400
    assert problem in data.get_json()["error"]
    export = owner.get(f"/console/analytics/revenue.csv?{query}")
    assert export.status_code == 400
    assert problem in export.get_data(as_text=True)


def test_chart_data_is_json_for_the_same_days(owner: FlaskClient) -> None:
    answer = owner.get(f"/console/analytics/data.json?{WEEK}")
    assert answer.status_code == 200
    data = answer.get_json()
    assert (data["start"], data["end"]) == ("2025-03-03", "2025-03-09")
    charts = {chart["id"]: chart for chart in data["charts"]}
    assert {"messages", "customers", "revenue", "ads", "nps", "delivery"} <= set(charts)
    revenue = charts["revenue"]
    assert revenue["labels"][0] == "2025-03-03"
    assert len(revenue["labels"]) == 7
    assert revenue["series"][0]["data"][:2] == [25.0, 10.0]


def test_a_csv_export_cannot_run_as_a_formula(owner: FlaskClient) -> None:
    answer = owner.get(f"/console/analytics/ads.csv?{WEEK}")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    disposition = answer.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="ads-2025-03-03-to-2025-03-09.csv"'
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True), newline="")))
    assert rows[0] == ["Ad", "Link", "Headline", "Customers", "Orders", "Paid orders", "Revenue"]
    assert rows[2] == ["ad-2", "https://fb.me/ad-2", "'" + AD_HEADLINE, "1", "2", "1", "10.00"]


def test_a_csv_export_is_audited_with_its_days(owner: FlaskClient, shop_engine: Engine) -> None:
    assert owner.get(f"/console/analytics/revenue.csv?{WEEK}").status_code == 200
    with read_session(shop_engine) as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "analytics.export"))
    assert (event.staff_email, event.target) == ("owner@bakery.test", "revenue")
    assert event.detail == {"from": "2025-03-03", "to": "2025-03-09"}


def test_an_unknown_report_is_not_found(owner: FlaskClient) -> None:
    assert owner.get(f"/console/analytics/passwords.csv?{WEEK}").status_code == 404


def test_agents_are_refused_and_strangers_sent_to_the_login(
    logged_in: Login, shop_app: Flask
) -> None:
    agent = logged_in("agent")
    stranger = shop_app.test_client()
    for path in (
        "/console/analytics",
        "/console/analytics/data.json",
        "/console/analytics/ads.csv",
    ):
        assert agent.get(path).status_code == 403
        refused = stranger.get(path)
        assert refused.status_code == 302
        assert "/console/login" in refused.headers["Location"]
    assert "/console/analytics" not in agent.get("/console/").get_data(as_text=True)


def test_the_owners_menu_links_to_analytics(owner: FlaskClient) -> None:
    menu = owner.get("/console/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/console/analytics"' in menu


def test_chart_js_is_served_by_the_app_with_its_licence(owner: FlaskClient) -> None:
    script = owner.get("/console/static/waflow_analytics/vendor/chartjs/chart.umd.js")
    assert script.status_code == 200
    assert b"Chart.js v4" in script.get_data()[:200]
    licence = owner.get("/console/static/waflow_analytics/vendor/chartjs/LICENSE.md")
    assert b"MIT" in licence.get_data()
