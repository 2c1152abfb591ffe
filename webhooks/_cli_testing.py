"""Tester commands: ``waflow test`` (play conversation fixtures) and ``waflow record``.

This module owns only the command-line surface of the fixture tooling: option parsing, terminal
output and exit codes (``waflow test``: 0 all passed, 1 a fixture failed, 2 an invalid fixture
file or a usage error). The work is done by :mod:`webhooks.fixtures`. The commands are plain
:func:`click.command` objects named ``test`` and ``record`` (in Python
``run_fixtures_command`` and ``record_command``: a name starting with ``test`` would look like a
test to pytest); the ``waflow`` group registers them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Config
from bot.errors import WaflowError
from webhooks.fixtures import (
    EXIT_INVALID,
    CoverageRecorder,
    FixtureError,
    FixtureResult,
    RecordError,
    dump_fixture,
    record_fixture,
    run_paths,
)

_MARKS = {"passed": ("PASS", "green"), "failed": ("FAIL", "red"), "invalid": ("INVALID", "red")}


@click.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-k",
    "keyword",
    default=None,
    metavar="TEXT",
    help="Only fixtures whose name, file name or a tag contains TEXT.",
)
@click.option("--coverage", is_flag=True, help="Report the states, branches and intents exercised.")
@click.option("-q", "--quiet", is_flag=True, help="Print failures and the summary only.")
def run_fixtures_command(
    paths: tuple[Path, ...], keyword: str | None, coverage: bool, quiet: bool
) -> None:
    """Play conversation fixtures (PATHS: files, or folders of *.fixture.yaml) against the bot.

    A fixture without a `bot:` section talks to the configured bot (WAFLOW_FLOWS, WAFLOW_HOOKS,
    WAFLOW_BUSINESS). Every fixture gets a fresh database and a frozen clock; nothing is sent to
    Meta. Exit code: 0 all passed, 1 a fixture failed, 2 an invalid fixture file.
    """
    recorder = CoverageRecorder() if coverage else None

    def show(result: FixtureResult) -> None:
        if quiet and result.passed:
            return
        mark, colour = _MARKS[result.status]
        click.secho(f"{mark:<8}", fg=colour, nl=False)
        click.echo(f"{result.name}  ({result.file})")

    try:
        suite = run_paths(paths, keyword=keyword, coverage=recorder, progress=show)
    except FixtureError as exc:
        raise click.UsageError(str(exc)) from exc
    if not suite.results:
        where = f" matching -k {keyword!r}" if keyword else ""
        click.secho(
            f"No fixtures{where} found in {', '.join(map(str, paths))}.", fg="red", err=True
        )
        raise click.exceptions.Exit(EXIT_INVALID)
    problems = [r for r in suite.results if not r.passed]
    if problems:
        click.echo("")
        for result in problems:
            click.secho(("FAILED " if result.failure else "INVALID ") + "-" * 60, fg="red")
            click.echo(result.render())
    if recorder is not None:
        click.echo("")
        for line in recorder.lines():
            click.echo(line)
    click.echo("")
    colour = "green" if suite.exit_code == 0 else "red"
    click.secho(suite.summary(), fg=colour, bold=True)
    raise click.exceptions.Exit(suite.exit_code)


@click.command("record")
@click.argument("contact")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the fixture here (paths in its bot: section are made relative to it).",
)
@click.option("--name", default=None, help="The fixture's name.")
def record_command(contact: str, output: Path | None, name: str | None) -> None:
    """Turn the stored conversation of CONTACT (a WhatsApp number) into a fixture file.

    Reads DATABASE_URL. The customer's number and name, other phone numbers and message ids
    are replaced by placeholders. Without --output the fixture is printed and runs against the
    configured bot.
    """
    from storage.db import make_engine

    config = Config.from_env()
    try:
        engine = make_engine(config.database_url)
        doc = record_fixture(
            engine, contact, name=name, bot=_bot_section(config, output) if output else None
        )
    except (RecordError, WaflowError) as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"cannot read the conversation from DATABASE_URL ({type(exc).__name__}); "
            "is it the bot's database?"
        ) from exc
    text = dump_fixture(doc)
    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {output} ({len(doc['steps'])} steps). Check it with: waflow test {output}")


def _bot_section(config: Config, output: Path) -> dict[str, Any]:
    """The configured bot, with paths relative to the fixture file's folder."""
    base = output.resolve().parent

    def rel(raw: str) -> str:
        return os.path.relpath(Path(raw).resolve(), base)

    extra = config.extra
    section: dict[str, Any] = {}
    flows = [p for p in extra.get("WAFLOW_FLOWS", "").split(":") if p.strip()]
    if flows:
        section["flows"] = [rel(p) for p in flows]
    for key, variable in (("hooks", "WAFLOW_HOOKS"), ("business", "WAFLOW_BUSINESS")):
        if extra.get(variable):
            section[key] = rel(extra[variable])
    for key, variable in (
        ("main_menu", "WAFLOW_MAIN_MENU"),
        ("default_flow", "WAFLOW_DEFAULT_FLOW"),
    ):
        if extra.get(variable):
            section[key] = extra[variable]
    return section


__all__ = ["record_command", "run_fixtures_command"]
