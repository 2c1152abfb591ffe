"""Tester commands: ``waflow test``, ``record``, ``mock-graph`` and ``replay``.

This module owns only the command-line surface of the tester tooling (options, terminal output,
exit codes); :mod:`webhooks.fixtures`, :mod:`webhooks.mockgraph` and :mod:`webhooks._replay` do
the work, and the ``waflow`` group registers the commands. ``waflow test`` is
``run_fixtures_command`` in Python: a name starting with ``test`` would look like a test to pytest.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Config, mask
from bot.errors import PayloadError, WaflowError
from storage.db import make_engine
from webhooks._replay import ReplayResult, load_webhooks, restamp
from webhooks._replay import replay as replay_webhooks
from webhooks._serve import ServerHandle, serve_in_thread
from webhooks.bootstrap import flow_paths
from webhooks.fixtures import (
    EXIT_INVALID,
    CoverageRecorder,
    FixtureError,
    FixtureResult,
    dump_fixture,
    record_fixture,
    run_paths,
)
from webhooks.mockgraph import create_mock_graph_app

_ANY_ADDRESS = {"0.0.0.0", "::", ""}  # noqa: S104 - names, not a bind
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
    config = Config.from_env()
    try:
        engine = make_engine(config.database_url)
        doc = record_fixture(
            engine, contact, name=name, bot=_bot_section(config, output) if output else None
        )
    except WaflowError as exc:
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
    extra = config.extra

    def rel(path: str | Path) -> str | None:
        return os.path.relpath(Path(path).resolve(), base) if str(path).strip() else None

    section = {
        "flows": [rel(p) for p in flow_paths(config)],
        "hooks": rel(extra.get("WAFLOW_HOOKS", "")),
        "business": rel(extra.get("WAFLOW_BUSINESS", "")),
        "main_menu": extra.get("WAFLOW_MAIN_MENU"),
        "default_flow": extra.get("WAFLOW_DEFAULT_FLOW"),
    }
    return {key: value for key, value in section.items() if value}


def _wait_for_shutdown(handle: ServerHandle) -> None:
    """Block until Ctrl-C (tests replace this to return at once)."""
    handle.wait()


@click.command("mock-graph", context_settings={"show_default": True})
@click.option("--host", default="127.0.0.1", help="Interface to listen on.")
@click.option(
    "--port",
    default=8081,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--access-token",
    default=None,
    help="Require 'Authorization: Bearer <token>' (others get error 190). Default: accept any.",
)
def mock_graph(host: str, port: int, access_token: str | None) -> None:
    """Run a local mock of the WhatsApp Cloud API until Ctrl-C.

    It answers sends like Meta does and records them; tests control it under /_mock/
    (messages, fail, wait).
    """
    app = create_mock_graph_app(access_token=access_token)
    try:
        handle = serve_in_thread(app, host, port, poll_interval=0.5)
    except OSError as exc:
        raise click.ClickException(f"{exc}: is the port already in use?") from exc
    local = handle.url if host not in _ANY_ADDRESS else f"http://127.0.0.1:{handle.port}"
    click.echo(f"Mock Graph API listening on {handle.url}")
    click.echo("Point the bot at it with:")
    click.echo(f"  WHATSAPP_API_BASE_URL={local}")
    if access_token:
        click.echo(f"Requests must carry the access token {mask(access_token)}.")
    click.echo(
        "Control: GET/DELETE /_mock/messages, POST /_mock/fail, POST /_mock/wait. "
        "Press Ctrl-C to stop."
    )
    try:
        _wait_for_shutdown(handle)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        handle.stop()


@click.command("replay", context_settings={"show_default": True})
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--url",
    required=True,
    help="The bot's webhook URL, for example http://127.0.0.1:8000/webhook.",
)
@click.option(
    "--secret",
    envvar="WHATSAPP_APP_SECRET",
    show_envvar=True,
    default=None,
    help="App secret that signs each body (X-Hub-Signature-256). Default: unsigned.",
)
@click.option(
    "--pace",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="Minimum time between two requests.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=1,
    help="Parallel requests; order is still kept per contact.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    metavar="SECONDS",
    help="Per-request timeout.",
)
@click.option(
    "--keep-timestamps",
    is_flag=True,
    help="Send the recorded timestamps. Default: move them so that the latest is now.",
)
def replay(
    files: tuple[Path, ...],
    url: str,
    secret: str | None,
    pace: float,
    concurrency: int,
    timeout: float,
    keep_timestamps: bool,
) -> None:
    """Send recorded webhook bodies (FILES: .json files or directories) to a bot, signed.

    Each body goes out as stored, except that its timestamps are moved by one offset so that
    the latest is now (the bot then answers inside the customer's 24-hour window); with
    --keep-timestamps, byte for byte. Exits with 1 when any request failed (non-2xx answer or
    no answer), 0 otherwise.
    """
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="--url")
    try:
        bodies = load_webhooks(files)
    except PayloadError as exc:
        raise click.BadParameter(str(exc), param_hint="FILES") from exc
    if not keep_timestamps:
        bodies = restamp(bodies, time.time())
    if not secret:
        click.echo(
            "Warning: no --secret and no WHATSAPP_APP_SECRET; sending unsigned requests "
            "(a bot that checks signatures will refuse them).",
            err=True,
        )
    with click.progressbar(length=len(bodies), label="Replaying") as bar:

        def advance(_result: ReplayResult) -> None:
            bar.update(1)

        summary = replay_webhooks(
            bodies,
            url,
            app_secret=secret or None,
            pace=pace,
            concurrency=concurrency,
            timeout=timeout,
            progress=advance,
        )
    for line in summary.lines():
        click.echo(line)
    if not summary.ok:
        raise click.exceptions.Exit(1)
