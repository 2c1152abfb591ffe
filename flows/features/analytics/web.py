"""The owners' analytics dashboard on the staff console: tables, charts and CSV exports.

``GET /console/analytics?start=&end=`` shows every report of :mod:`.reports` for the days
``start`` to ``end`` (both included, ISO dates in the shop's time zone; the last 30 days by
default) as tables, with a canvas beside each for its chart; the page reads fully with
JavaScript off. ``static/analytics.js`` draws the charts with the vendored Chart.js from
``GET /console/analytics/data.json`` (same dates). ``GET /console/analytics/<report>.csv``
exports one report through :func:`~flows.features.business.csv_export.write_csv`, so no cell
runs as a spreadsheet formula, and audits it (``analytics.export``). Every route is for owners only; a bad date gets a 400 page
saying why.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from flask import Blueprint, Response, abort, request, url_for
from flask.typing import ResponseReturnValue

from flows.features._feature import WebContext
from flows.features.analytics.metrics import Period, PeriodError
from flows.features.analytics.reports import REPORTS, all_reports
from flows.features.business.csv_export import write_csv
from flows.features.console import audit
from flows.features.console.forms import FormError, parse_days
from flows.features.console.web import (
    acting_staff,
    console_blueprint,
    csv_download,
    owner_only,
    render,
)
from storage.db import read_session, transaction
from storage.models import utcnow

DEFAULT_DAYS = 30
"""How many days the dashboard shows when no dates are given."""


def analytics_console(ctx: WebContext) -> Blueprint:
    """The dashboard's blueprint (the feature's ``console_factory``)."""
    engine, business = ctx.engine, ctx.business
    blueprint = console_blueprint("waflow_analytics", __name__)

    def period() -> Period:
        """The requested days (``end`` included), or the last :data:`DEFAULT_DAYS`.

        Raises:
            FormError: A date cannot be read, only one is given, or the range is refused.
        """
        today = business.local(utcnow()).date()
        start, end = parse_days(request.args.get("start"), request.args.get("end"), today)
        if start is None and end is None:
            return Period.last_days(business, DEFAULT_DAYS, utcnow())
        if start is None or end is None:
            raise FormError(f"Give both dates, or neither for the last {DEFAULT_DAYS} days.")
        try:
            return Period.of(business, start, end + timedelta(days=1))
        except PeriodError as exc:
            raise FormError(str(exc)) from None

    def shown_dates(chosen: Period) -> dict[str, str]:
        """The period as the form and the links write it (``end`` included)."""
        return {"start": chosen.start.isoformat(), "end": (chosen.end - timedelta(1)).isoformat()}

    def refused(problem: str) -> ResponseReturnValue:
        fallback = Period.last_days(business, DEFAULT_DAYS, utcnow())
        page = render(
            "analytics/dashboard.html",
            title="Analytics",
            problem=problem,
            dates=dict(request.args.items()) or shown_dates(fallback),
            reports=[],
            business=business,
        )
        return page, 400

    @blueprint.get("/analytics")
    @owner_only
    def dashboard() -> ResponseReturnValue:
        try:
            chosen = period()
        except FormError as exc:
            return refused(str(exc))
        with read_session(engine) as session:
            reports = all_reports(session, business, chosen)
        shown = shown_dates(chosen)
        return render(
            "analytics/dashboard.html",
            title="Analytics",
            problem=None,
            dates=shown,
            reports=reports,
            business=business,
            source=url_for(".data", start=shown["start"], end=shown["end"]),
        )

    @blueprint.get("/analytics/data.json")
    @owner_only
    def data() -> ResponseReturnValue:
        try:
            chosen = period()
        except FormError as exc:
            return {"error": str(exc)}, 400
        with read_session(engine) as session:
            reports = all_reports(session, business, chosen)
        return {
            **shown_dates(chosen),
            "charts": [chart.data() for report in reports for chart in report.charts],
        }

    @blueprint.get("/analytics/<name>.csv")
    @owner_only
    def export(name: str) -> ResponseReturnValue:
        make = REPORTS.get(name)
        if make is None:
            abort(404)
        try:
            chosen = period()
        except FormError as exc:
            return Response(str(exc) + "\n", 400, mimetype="text/plain")
        shown = shown_dates(chosen)

        def write(out: TextIO) -> None:
            with transaction(engine) as session:
                report = make(session, business, chosen)
                write_csv(out, report.header, report.csv_rows())
                detail = {"from": shown["start"], "to": shown["end"]}
                audit(session, acting_staff(session), "analytics.export", name, detail)

        return csv_download(f"{name}-{shown['start']}-to-{shown['end']}.csv", write)

    return blueprint


__all__ = ["DEFAULT_DAYS", "analytics_console"]
