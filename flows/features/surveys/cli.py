"""``waflow survey …``: survey results for the shop owner (on screen or CSV), generated flows."""

from __future__ import annotations

from pathlib import Path

import click

from flows.features.cli import Shop, fail, pass_shop, staff_group
from flows.features.surveys.generated import flow_id, survey_flow_yaml
from flows.features.surveys.invites import surveys_of
from flows.features.surveys.results import format_results, survey_results, write_csv
from storage.db import transaction

survey = staff_group("survey", "Survey results, and the flows generated for the surveys.")


@survey.command("results")
@click.argument("name")
@click.option(
    "--csv", "csv_file", type=click.Path(dir_okay=False), help="Write one row per response here."
)
@click.option("--full-numbers", is_flag=True, help="Put customers' full numbers in the CSV.")
@pass_shop
def results(shop: Shop, name: str, csv_file: str | None, full_numbers: bool) -> None:
    """Show the results of survey NAME: counts per option, averages, NPS, responses."""
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


@survey.command("flows")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write survey_<name>.yaml files here (to read them, or to run waflow validate on).",
)
@pass_shop
def flows(shop: Shop, out_dir: Path | None) -> None:
    """Print (or write) the conversation flow generated for each survey of the business file."""
    for definition in surveys_of(shop.business):
        text = survey_flow_yaml(definition)
        if out_dir is None:
            click.echo(text)
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{flow_id(definition)}.yaml"
        target.write_text(text, encoding="utf-8")
        click.echo(f"wrote {target}")


__all__ = ["survey"]
