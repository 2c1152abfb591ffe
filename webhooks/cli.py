"""The ``waflow`` command line: run the bot, chat with it, send messages, manage the database.

Every command reads the same configuration (environment and ``.env``, see ``.env.example``)
and reports problems as one clear line with a non-zero exit code, never a stack trace.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any, get_args

import click
from dotenv import load_dotenv
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from bot import messages
from bot.config import Config, mask
from bot.sending import outbox_rows
from flows.features import BUILTIN
from flows.features.cli import fail, reporting
from storage import migrations, outbox, quarantine
from storage.db import create_schema, make_engine, read_connection, reset_schema, transaction
from storage.inbox import count_by_state
from storage.models import OutboxMessage, QuarantinedBody, wa_id_from
from webhooks._chat import chat
from webhooks._cli_flows import graph, validate
from webhooks._cli_i18n import i18n
from webhooks._cli_send import DEFAULT_CATEGORY, DEFAULT_LANGUAGE, Outgoing, template_message
from webhooks._cli_testing import mock_graph, record_command, replay, run_fixtures_command
from webhooks.bootstrap import STOP_TIMEOUT, load_business_config, make_app, make_runtime
from webhooks.logs import configure_logging


@click.group(name="waflow", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
def cli(verbose: int) -> None:
    """waflow: WhatsApp Cloud API chatbots from YAML flows.

    Configuration comes from the environment and a .env file in the current directory
    (WHATSAPP_ACCESS_TOKEN, WHATSAPP_APP_SECRET, DATABASE_URL, WAFLOW_FLOWS...). Without an
    access token the bot runs in sandbox mode: nothing is sent to Meta.
    """
    # Every command, option default and secret (WAFLOW_BUSINESS, WAFLOW_SHOP_API_TOKEN, Stripe
    # keys...) then sees .env the same way; variables already set in the environment win.
    load_dotenv(Path(".env"), override=False)
    level = logging.WARNING - 10 * min(verbose, 2)
    configure_logging(Config.from_env(dotenv=None).log_format, level)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processing threads [default: 1 on SQLite, whose writes are serial; 4 on PostgreSQL].",
)
def run(host: str, port: int, workers: int | None) -> None:
    """Serve the webhook (POST/GET /webhook, GET /healthz) and process in the background.

    SIGTERM stops it gracefully, like Ctrl-C. For production use a WSGI server, for example:
    gunicorn -c python:webhooks.gunicorn_conf -w 2 --threads 8 'webhooks.bootstrap:app_from_env()'
    """
    config = Config.from_env()
    with reporting():
        business = load_business_config(config)
        echo = _echo if config.sandbox else None
        runtime = make_runtime(config, echo=echo, workers=workers, business=business)
    app = make_app(runtime, config, business)
    mode = "SANDBOX (nothing is sent to Meta)" if config.sandbox else "LIVE"
    click.echo(f"waflow {mode}: webhook on http://{host}:{port}/webhook")
    if config.sandbox:
        click.echo("Outbound messages are printed here. Try `waflow chat` to talk to the bot.")
    runtime.start()
    # SIGTERM (docker stop, systemd) ends the server like Ctrl-C: the runtime then stops gracefully.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        runtime.stop(STOP_TIMEOUT)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _echo(payload: dict[str, Any]) -> None:
    click.secho(f"→ {mask(str(payload.get('to', '')))}: {messages.describe(payload)}", fg="cyan")


@cli.command()
@click.argument("to")
@click.argument("text", required=False)
@click.option("--template", help="Send this approved template instead of text.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A template parameter (repeat for each). With a business file, the declared "
    "parameters by name; without one, the body's {{1}}, {{2}}... in the order given.",
)
@click.option(
    "--language",
    help="Template language code [default: the declared template's; without a business file "
    f"{DEFAULT_LANGUAGE}].",
)
@click.option(
    "--category",
    type=click.Choice(get_args(outbox.Category)),
    help="Category of a template the business file does not declare [default: "
    f"{DEFAULT_CATEGORY}: never sent to a customer who opted out].",
)
def send(
    to: str,
    text: str | None,
    template: str | None,
    params: tuple[str, ...],
    language: str | None,
    category: outbox.Category | None,
) -> None:
    """Send TEXT (or --template NAME) to the WhatsApp number TO, through the outbox.

    Free-form text is only allowed within 24 hours of the customer's last message; outside
    that window send an approved template. With a business file (WAFLOW_BUSINESS) a template
    is the one it declares: its language, its category and its parameters, given as
    --param NAME=VALUE. A marketing template to a customer who opted out is not sent: it is
    recorded as suppressed and the command exits with status 1.
    """
    if not text and not template:
        fail("give a TEXT to send, or --template NAME")
    if text and template:
        fail("give a TEXT to send or --template NAME, not both")
    if not template and (params or language or category):
        fail("--param, --language and --category go with --template NAME")
    wa_id = wa_id_from(to)
    if wa_id is None:
        fail("TO must be a WhatsApp number with its country code, such as +34 600 112 233")
    config = Config.from_env()
    with reporting():
        # The application's flows may call the features' flows (flow:purchase): with a business
        # file the runtime must be built with them, as `waflow run` builds it.
        business = load_business_config(config)
        if template:
            message = template_message(
                wa_id, template, business, language=language, category=category, params=params
            )
        else:  # free text is a reply in a conversation: no category
            message = Outgoing(messages.text(wa_id, text or ""), None)
        runtime = make_runtime(config, inline=True, echo=_echo, business=business)
    with transaction(runtime.engine) as session:
        (row,) = outbox.enqueue(session, wa_id, [message.payload], category=message.category)
    if row.state == "suppressed":
        click.echo("not sent: the customer opted out of marketing (recorded as suppressed)")
        sys.exit(1)
    runtime.sender.drain([wa_id])
    sent = next(r for r in outbox_rows(runtime.engine, wa_id) if r.id == row.id)
    if sent.state == "sent":
        click.echo(f"sent: {sent.wamid}")
    elif sent.state == "failed":
        fail(sent.last_error or "failed")
    else:
        click.echo(f"queued, will retry: {sent.last_error}")


@cli.group()
def db() -> None:
    """Create, inspect or reset the database named by DATABASE_URL."""


def _engine() -> Engine:
    """The engine of DATABASE_URL; a bad URL ends the command with its one-line reason."""
    with reporting():
        engine = make_engine(Config.from_env().database_url)
    return engine


@db.command("create")
def db_create() -> None:
    """Create the tables that do not exist yet and run the schema revisions due (safe to repeat)."""
    engine = _engine()
    with reporting():
        create_schema(engine)
    click.echo("schema ready")


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to this waflow's schema revision (safe to repeat).

    Runs the revisions the database lacks (a database made before revisions existed is taken as
    the first one), re-creates missing indexes, then lists what else differs from the models,
    if anything. Every start
    does the same; run it on its own to upgrade before starting the new version. Take a
    backup first.
    """
    engine = _engine()
    before = _revision(engine)
    with reporting():
        create_schema(engine)
    after = _revision(engine)
    was = f" (was {before or 'none'})" if before != after else ""
    click.echo(f"schema at revision {after}{was}")
    with engine.begin() as conn:
        restored = migrations.restore_indexes(conn, SQLModel.metadata)
    for name in restored:
        click.echo(f"re-created the missing index {name}")
    _report_differences(engine)


@db.command("current")
def db_current() -> None:
    """Print the database's schema revision and this waflow's newest one (changes nothing)."""
    state = _schema_state(_existing_engine())
    click.echo(f"database: {state.describe()}")
    click.echo(f"waflow:   {state.newest}")


@db.command("check")
def db_check() -> None:
    """List what the database lacks or has differently from the models (exit 1 if anything).

    A revision other than this waflow's newest, a dropped index, a missing column or table, a
    column of another type: what the revisions did not make (or someone changed by hand).
    Changes nothing.
    """
    engine = _existing_engine()
    state = _schema_state(engine)
    if state.kind != "current":
        click.secho(f"schema revision: {state.describe()}", fg="yellow")
        sys.exit(1)
    if _report_differences(engine):
        sys.exit(1)
    click.echo("the schema matches the models")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the revision changes.")
def db_revision(message: str) -> None:
    """For waflow's developers: write the revision for the models' changes since the newest one.

    Compares the models (every built-in feature's tables) with a scratch database built by
    running every revision, and writes the difference under storage/migrations/versions/ to
    review (no DATABASE_URL needed).
    """
    path = migrations.write_revision(message, SQLModel.metadata)
    click.echo(f"wrote {path}; review it, then run the migration tests")


def _existing_engine() -> Engine:
    """The engine of DATABASE_URL, refusing a SQLite file that does not exist (a command that
    only reads must not create an empty database)."""
    engine = _engine()
    path = engine.url.database
    on_file = engine.dialect.name == "sqlite" and path not in (None, "", ":memory:")
    if on_file and not Path(str(path)).exists():
        fail(f"no database file {path} (DATABASE_URL); `waflow db upgrade` creates it")
    return engine


def _schema_state(engine: Engine) -> migrations.SchemaState:
    with reporting(), read_connection(engine) as conn:
        return migrations.schema_state(conn, SQLModel.metadata)


def _revision(engine: Engine) -> str | None:
    with read_connection(engine) as conn:
        return migrations.current_revision(conn)


def _report_differences(engine: Engine) -> bool:
    """Print each difference between the database and the models; True if there was one."""
    with read_connection(engine) as conn:
        found = migrations.differences(conn, SQLModel.metadata)
    for difference in found:
        click.secho(f"differs from the models: {migrations.describe(difference)}", fg="yellow")
    return bool(found)


@db.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def db_reset(yes: bool) -> None:
    """Drop and re-create every waflow table. DESTROYS ALL DATA."""
    if not yes:
        click.confirm("Delete all conversations, messages and records?", abort=True)
    reset_schema(_engine())
    click.echo("schema reset")


@db.command("status")
def db_status() -> None:
    """Count inbound updates by state and outbox messages by state (changes nothing).

    ``suppressed`` counts the marketing messages never sent because the customer opted out;
    ``held`` the messages waiting for their customer to write again (the 24-hour window closed);
    ``unparsable`` the signed webhook bodies that are not JSON and ``quarantined`` those whose
    data the database refused, both kept as received, and ``cleaned`` those stored cleaned
    whose originals are kept (see ``waflow db quarantine``).
    """
    engine = _existing_engine()
    state = _schema_state(engine)
    if state.kind != "current":  # counting could fail on a table the revisions add
        fail(f"schema revision: {state.describe()}")
    with Session(engine) as session:
        inbound_states = count_by_state(session)
        query = select(OutboxMessage.state, func.count()).group_by(col(OutboxMessage.state))
        outbound_states = {state: int(n) for state, n in session.exec(query)}
        kept = quarantine.count_by_reason(session)
    click.echo(f"inbound:  {inbound_states or 'empty'}")
    click.echo(f"outbound: {outbound_states or 'empty'}")
    if unparsable := kept.get(quarantine.UNPARSABLE):
        click.echo(f"unparsable: {unparsable} webhook body(ies) not JSON (waflow db quarantine)")
    if unstorable := kept.get(quarantine.UNSTORABLE):
        click.echo(f"quarantined: {unstorable} webhook body(ies) not stored (waflow db quarantine)")
    if cleaned := kept.get(quarantine.CLEANED):
        click.echo(f"cleaned: {cleaned} webhook body(ies) stored cleaned, originals kept")
    if suppressed := outbound_states.get("suppressed"):
        click.echo(f"suppressed: {suppressed} marketing message(s) to customers who opted out")
    if held := outbound_states.get("held"):
        click.echo(f"held: {held} message(s) sent when their customer next writes")


@db.command("quarantine")
@click.argument("row_id", required=False, type=int)
@click.option("--raw", is_flag=True, help="Write the body's exact bytes (to replay them).")
@click.option("--limit", default=20, show_default=True, help="How many bodies to list.")
def db_quarantine(row_id: int | None, raw: bool, limit: int) -> None:
    """List the webhook bodies kept as received, newest first, or show one (ROW_ID).

    ``unparsable`` bodies are not JSON and ``unstorable`` ones hold data the database refused:
    nothing of them reached the inbox; ``cleaned`` ones did, with what no column can hold
    replaced, and this is their original. Once the cause is
    fixed, replay one: ``waflow db quarantine ID --raw > body.json``, then ``waflow replay
    body.json --url … --keep-timestamps``.
    """
    engine = _engine()
    create_schema(engine)
    with Session(engine) as session:
        if row_id is None:
            for row in quarantine.latest(session, limit):
                at = row.received_at.isoformat(timespec="seconds")
                click.echo(f"#{row.id} {at} {row.reason} ({row.detail}) {mask(row.wa_id)}")
            return
        found = session.get(QuarantinedBody, row_id)
    if found is None:
        fail(f"no quarantined body #{row_id}")
    elif raw:
        sys.stdout.buffer.write(quarantine.raw_body(found.body))
    else:
        click.echo(f"#{found.id} {found.reason} ({found.detail}) for {found.wa_id or '-'}")
        click.echo(found.body)


# The commands that live in their own modules, then each feature's command group.
for command in [
    chat,
    validate,
    graph,
    i18n,
    run_fixtures_command,
    record_command,
    mock_graph,
    replay,
]:
    cli.add_command(command)
for feature in BUILTIN:
    if (group := feature.cli()) is not None:
        cli.add_command(group)


def main() -> None:
    """Console-script entry point: storage errors become one clear line, not a traceback."""
    try:
        cli.main(prog_name="waflow", standalone_mode=True)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        click.secho(f"Error: the database is not usable: {reason}", fg="red", err=True)
        click.echo("Check DATABASE_URL (and that the database server is running).", err=True)
        sys.exit(2)


__all__ = ["cli", "main"]

if __name__ == "__main__":
    main()
