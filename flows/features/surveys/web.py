"""Survey results in the console: ``/console/surveys``, one survey's page and its CSV export.

Owners only. The overview lists the business file's surveys with their response counts; a
survey's page shows, for a range of the shop's days, each question's distribution (a bar per
answer, drawn by CSS), averages and the Net Promoter Score, and every response; the CSV export
(:func:`flows.features.surveys.results.write_csv`) holds no cell a spreadsheet would run.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from flask import Blueprint, flash, request, url_for
from flask.typing import ResponseReturnValue

from flows.features._feature import WebContext
from flows.features.console import audit
from flows.features.console.forms import FormError, parse_days
from flows.features.console.web import (
    acting_staff,
    console_blueprint,
    csv_download,
    error_page,
    owner_only,
    render,
)
from flows.features.surveys import models as store
from flows.features.surveys.invites import surveys_of
from flows.features.surveys.models import Period
from flows.features.surveys.results import answer_text, survey_results, write_csv
from storage.db import read_session, transaction
from storage.models import utcnow

BAR_STEP = 5
"""Bars are drawn in steps of this many percent (one CSS class each: ``bar-0`` … ``bar-100``)."""


def bar(count: int, total: int) -> str:
    """The CSS class of the bar of ``count`` out of ``total`` (``bar-0`` … ``bar-100``).

    Only a count of 0 has no bar: any other is at least one step wide.
    """
    if not count:
        return "bar-0"
    return f"bar-{max(1, round(count / total * 100 / BAR_STEP)) * BAR_STEP}"


def console_pages(ctx: WebContext) -> Blueprint:
    """The survey results' blueprint (the surveys feature's ``console_factory``)."""
    config = ctx.business
    surveys = {s.name: s for s in surveys_of(config)}
    blueprint = console_blueprint("waflow_surveys_console", __name__)

    def dates() -> tuple[date | None, date | None]:
        return parse_days(
            request.args.get("from"), request.args.get("to"), config.local(utcnow()).date()
        )

    def period(first: date | None, last: date | None) -> Period:
        """The responses of the shop's days ``first`` to ``last`` (``None``: open-ended)."""

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(), tzinfo=config.tz)

        return Period(
            None if first is None else midnight(first),
            None if last is None else midnight(last + timedelta(days=1)),
        )

    def query(first: date | None, last: date | None) -> dict[str, str]:
        """The range as the pages' query parameters."""
        return {key: str(day) for key, day in (("from", first), ("to", last)) if day}

    def missing(name: str) -> ResponseReturnValue:
        return error_page(
            "No such survey", 404, f"There is no survey named {name!r} in the business file."
        )

    @blueprint.get("/surveys")
    @owner_only
    def overview() -> ResponseReturnValue:
        """Every survey of the business file, with its response count."""
        with read_session(ctx.engine) as session:
            counts = {name: store.response_count(session, name) for name in surveys}
        return render("surveys/overview.html", surveys=surveys.values(), counts=counts)

    @blueprint.get("/surveys/<name>")
    @owner_only
    def results(name: str) -> ResponseReturnValue:
        """One survey's results and responses (``?from=YYYY-MM-DD&to=YYYY-MM-DD``)."""
        survey = surveys.get(name)
        if survey is None:
            return missing(name)
        status = 200
        try:
            first, last = dates()
        except FormError as exc:
            flash(str(exc), "error")
            (first, last), status = (None, None), 400
        chosen = period(first, last)
        with read_session(ctx.engine) as session:
            found = survey_results(session, survey, chosen)
            responses = [
                (
                    response,
                    config.local(response.completed_at),
                    [answer_text(q, answers.get(q.id)) for q in survey.questions],
                )
                for response, answers in store.responses(session, name, chosen)
            ]
        export_args: dict[str, Any] = {"name": name, **query(first, last)}
        page = render(
            "surveys/results.html",
            results=found,
            responses=responses,
            first=first,
            last=last,
            csv_url=url_for(".export", **export_args),
            bar=bar,
        )
        return page, status

    @blueprint.get("/surveys/<name>.csv")
    @owner_only
    def export(name: str) -> ResponseReturnValue:
        """One row per response of the range (numbers masked unless ``?numbers=full``)."""
        survey = surveys.get(name)
        if survey is None:
            return missing(name)
        try:
            first, last = dates()
        except FormError as exc:
            return error_page("Not a date range", 400, str(exc))
        full = request.args.get("numbers") == "full"

        def write(out: TextIO) -> None:
            with transaction(ctx.engine) as session:
                chosen = period(first, last)
                written = write_csv(session, survey, out, full_numbers=full, period=chosen)
                detail = {**query(first, last), "rows": written, "full_numbers": full}
                audit(session, acting_staff(session), "survey.export", name, detail)

        filename = "-".join(["survey", name, *query(first, last).values()]) + ".csv"
        return csv_download(filename, write)

    return blueprint


__all__ = ["BAR_STEP", "bar", "console_pages"]
