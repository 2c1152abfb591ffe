"""The `waflow` command line: configuration errors, sending, database commands, the chat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import messages
from bot.client import SandboxClient
from bot.config import Config
from storage import outbox
from storage.db import create_schema, make_engine, transaction
from storage.models import Contact
from webhooks._chat import ChatSession, run_chat
from webhooks.bootstrap import make_runtime
from webhooks.cli import cli


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A sandbox environment with its own SQLite file, run from an empty directory."""
    monkeypatch.chdir(tmp_path)
    for name in ("WHATSAPP_ACCESS_TOKEN", "WHATSAPP_APP_SECRET", "WAFLOW_FLOWS", "WAFLOW_HOOKS"):
        monkeypatch.delenv(name, raising=False)
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "chat", "send", "db", "validate", "graph", "mock-graph", "replay"):
        assert command in result.output


def test_run_refuses_a_token_without_app_secret(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli, ["run"], env={**env, "WHATSAPP_ACCESS_TOKEN": "EAAG-secret-token"}
    )
    assert result.exit_code == 2
    assert "WHATSAPP_APP_SECRET" in result.output
    assert "Traceback" not in result.output
    assert "EAAG-secret-token" not in result.output


def test_run_refuses_a_bad_database_url(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["run"], env={**env, "DATABASE_URL": "mysql://x@y/z"})
    assert result.exit_code == 2
    assert "unsupported database 'mysql'" in result.output


def test_chat_reports_a_bad_configuration(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["chat"], env={**env, "WAFLOW_FLOWS": "missing.yaml"})
    assert result.exit_code == 2
    assert "Error: invalid flow: no such flow file or directory: missing.yaml" in result.output


def test_send_text_to_a_customer_who_never_wrote_is_refused(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["send", "+1 555 000 1111", "Your cake is ready"], env=env)
    assert result.exit_code == 2
    assert "24-hour customer service window" in result.output
    assert "15550001111" not in result.output  # numbers are masked


def test_send_template_outside_the_window_goes_out(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["send", "15550001111", "--template", "order_ready"], env=env)
    assert result.exit_code == 0, result.output
    assert "sent: wamid.sandbox.1" in result.output


def test_send_in_the_shop_setup_loads_the_features_flows(env: dict[str, str]) -> None:
    # The shop's own flows call the features' flows (flow:purchase); `send` once built its
    # runtime without the business file and refused them as unknown.
    shop = Path(__file__).parents[2] / "examples" / "shop_bot"
    setup = {
        "WAFLOW_BUSINESS": str(shop / "business.yaml"),
        "WAFLOW_FLOWS": str(shop / "flows"),
        "WAFLOW_HOOKS": str(shop / "hooks.py"),
    }
    args = ["send", "15550001111", "--template", "order_ready"]
    result = CliRunner().invoke(cli, args, env={**env, **setup})
    assert result.exit_code == 0, result.output
    assert "sent: wamid.sandbox.1" in result.output


def test_send_needs_something_to_send(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["send", "15550001111"], env=env)
    assert result.exit_code == 2
    assert "give a TEXT" in result.output


def test_db_create_status_reset(env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "create"], env=env).output == "schema ready\n"
    status = runner.invoke(cli, ["db", "status"], env=env)
    assert status.exit_code == 0
    assert "inbound:  empty" in status.output
    assert "suppressed" not in status.output
    refused = runner.invoke(cli, ["db", "reset"], env=env, input="n\n")
    assert refused.exit_code == 1
    assert runner.invoke(cli, ["db", "reset", "--yes"], env=env).output == "schema reset\n"


def test_db_status_counts_marketing_suppressed_for_customers_who_opted_out(
    env: dict[str, str],
) -> None:
    engine = make_engine(env["DATABASE_URL"])
    create_schema(engine)
    with transaction(engine) as session:
        session.add(Contact(wa_id="15550001111", marketing_opt_out=True))
    with transaction(engine) as session:
        sale = messages.template("15550001111", "spring_sale")
        outbox.enqueue(session, "15550001111", [sale, sale], category="marketing")
        outbox.enqueue(session, "15550001111", [messages.template("15550001111", "receipt")])
    engine.dispose()

    status = CliRunner().invoke(cli, ["db", "status"], env=env)

    assert status.exit_code == 0, status.output
    assert "'pending': 1" in status.output
    assert "'suppressed': 2" in status.output
    assert "suppressed: 2 marketing message(s) to customers who opted out" in status.output


def test_db_status_counts_messages_held_for_the_customers_next_message(
    env: dict[str, str],
) -> None:
    engine = make_engine(env["DATABASE_URL"])
    create_schema(engine)
    with transaction(engine) as session:
        book = messages.text("15550001111", "Your book: https://shop.example/book")
        outbox.enqueue(session, "15550001111", [book], held=True)
    engine.dispose()

    status = CliRunner().invoke(cli, ["db", "status"], env=env)

    assert status.exit_code == 0, status.output
    assert "'held': 1" in status.output
    assert "held: 1 message(s) sent when their customer next writes" in status.output


def test_chat_numbers_choices_and_taps_them(tmp_path: Path) -> None:
    config = Config(database_url=f"sqlite:///{tmp_path / 'chat.db'}")
    client = SandboxClient()
    session = ChatSession(
        make_runtime(config, inline=True, client=client), client, wa_id="15550009999"
    )
    lines = iter(["hello", "2", "/sticker", "/quit"])
    output: list[str] = []

    run_chat(session, read=lambda: next(lines), write=output.append)

    assert (
        output[1]
        == "bot: Hi Tester! How can I help?\n[1] Opening hours  [2] About waflow  [3] Talk to a person"
    )
    assert output[2].startswith("bot: This bot runs on waflow")
    assert output[3] == "bot: Sorry, I can't read stickers yet. Please type your message."
    assert output[-1] == "bye"
    assert [m["to"] for m in client.sent] == ["15550009999"] * 3


def test_an_unusable_database_is_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "webhooks.cli", "db", "create"],
        env={**os.environ, "DATABASE_URL": "sqlite:////nonexistent/dir/x.db"},
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert "the database is not usable: unable to open database file" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_numbers_the_latest_reply_that_offers_choices() -> None:
    client = SandboxClient()

    class ListThenPrompt:
        """A bot that answers every message with a list, then a short text prompt."""

        def accept(self, payload: dict[str, object]) -> None:
            client.send(
                messages.list_message(
                    "1",
                    "Pick a time",
                    "Times",
                    [
                        messages.Section(
                            None, [messages.Row("t10", "10:00"), messages.Row("t11", "11:00")]
                        )
                    ],
                )
            )
            client.send(messages.text("1", "Or type a time like 10:30."))

    session = ChatSession(ListThenPrompt(), client)  # type: ignore[arg-type]
    session.say("hi")
    payload = session._payload("2")
    assert payload["entry"][0]["changes"][0]["value"]["messages"][0]["interactive"][
        "list_reply"
    ] == {"id": "t11", "title": "11:00"}
    session.choices = []
    assert session._payload("2")["entry"][0]["changes"][0]["value"]["messages"][0]["text"] == {
        "body": "2"
    }
