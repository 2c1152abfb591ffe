"""``waflow survey …``: survey results for the shop owner, on screen or as CSV.

Reads the business file from ``--business FILE`` (or ``WAFLOW_BUSINESS``) for the survey
definitions and the database from ``DATABASE_URL``.
"""

from __future__ import annotations

import click

from flows.builtin.survey_invites import surveys_of
from flows.builtin.survey_results import format_results, survey_results, write_csv
from storage.db import transaction
from webhooks._cli_booking import business_option, fail, open_business


@click.group("survey")
def survey() -> None:
    """Survey results."""


@survey.command("results")
@business_option
@click.argument("name")
@click.option(
    "--csv", "csv_file", type=click.Path(dir_okay=False), help="Write one row per response here."
)
@click.option("--full-numbers", is_flag=True, help="Put customers' full numbers in the CSV.")
def results(business_file: str, name: str, csv_file: str | None, full_numbers: bool) -> None:
    """Show the results of survey NAME: counts per option, averages, NPS, responses."""
    shop = open_business(business_file)
    known = {s.name: s for s in surveys_of(shop.business)}
    definition = known.get(name)
    if definition is None:
        fail(
            f"no survey named {name!r} in the business file (surveys: {', '.join(known) or 'none'})"
        )
    with transaction(shop.engine) as session:
        click.echo(format_results(survey_results(session, definition)))
        if csv_file is not None:
            with open(csv_file, "w", newline="", encoding="utf-8") as out:
                written = write_csv(session, definition, out, full_numbers=full_numbers)
            click.echo(f"\n{written} response(s) written to {csv_file}")


__all__ = ["survey"]
