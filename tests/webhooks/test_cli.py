"""The `waflow` command line: configuration errors, sending, database commands, the chat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot import messages
from bot.client import SandboxClient
from bot.config import Config
from bot.sending import outbox_rows
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
    for name in (
        "WHATSAPP_ACCESS_TOKEN",
        "WHATSAPP_APP_SECRET",
        "WAFLOW_FLOWS",
        "WAFLOW_HOOKS",
        "WAFLOW_BUSINESS",
    ):
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
    args = ["send", "15550001111", "--template", "follow_up", "--param", "name=Ana"]
    args += ["--param", "message=Your cake is ready"]
    result = CliRunner().invoke(cli, args, env={**env, **setup})
    assert result.exit_code == 0, result.output
    assert "sent: wamid.sandbox.1" in result.output


def test_send_needs_something_to_send(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["send", "15550001111"], env=env)
    assert result.exit_code == 2
    assert "give a TEXT" in result.output


SHOP = Path(__file__).parents[2] / "examples" / "shop_bot"


@pytest.fixture
def live_shop(env: dict[str, str], config: Config) -> dict[str, str]:
    """The example shop's setup, live against the mocked Graph API (``sent`` answers it)."""
    return {
        **env,
        "WAFLOW_BUSINESS": str(SHOP / "business.yaml"),
        "WAFLOW_FLOWS": str(SHOP / "flows"),
        "WAFLOW_HOOKS": str(SHOP / "hooks.py"),
        "WHATSAPP_ACCESS_TOKEN": config.access_token,
        "WHATSAPP_APP_SECRET": config.app_secret,
        "WHATSAPP_VERIFY_TOKEN": config.verify_token,
        "WHATSAPP_PHONE_NUMBER_ID": config.phone_number_id,
        "WHATSAPP_API_VERSION": config.api_version,
        "WHATSAPP_API_BASE_URL": config.api_base_url,
    }


SPRING_SALE = ["--template", "spring_sale", "--param", "code=SPRING10", "--param", "name=Ana"]


def test_send_a_declared_template_with_its_language_and_parameters(
    live_shop: dict[str, str], sent: list[dict[str, Any]]
) -> None:
    # The shop declares spring_sale (marketing, params [name, code]) in en_GB: given by name in
    # any order, the parameters reach the Cloud API in the declared order.
    result = CliRunner().invoke(cli, ["send", "+34 688 000 001", *SPRING_SALE], env=live_shop)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("sent: wamid.OUT0001\n")
    (body,) = sent
    assert body["to"] == "34688000001"
    assert body["template"] == {
        "name": "spring_sale",
        "language": {"code": "en_GB"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Ana"},
                    {"type": "text", "text": "SPRING10"},
                ],
            }
        ],
    }
    engine = make_engine(live_shop["DATABASE_URL"])
    (row,) = outbox_rows(engine, "34688000001")
    assert row.category == "marketing"


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        pytest.param(["--param", "name=Ana"], "missing parameter 'code'", id="missing"),
        pytest.param(
            ["--param", "name=Ana", "--param", "code=X", "--param", "coupon=Y"],
            "unknown parameter 'coupon'",
            id="unknown",
        ),
        pytest.param(["--param", "Ana"], "--param expects NAME=VALUE, got 'Ana'", id="no-name"),
    ],
)
def test_send_a_declared_template_with_wrong_parameters_is_refused(
    live_shop: dict[str, str], sent: list[dict[str, Any]], params: list[str], problem: str
) -> None:
    args = ["send", "34688000001", "--template", "spring_sale", *params]
    result = CliRunner().invoke(cli, args, env=live_shop)
    assert result.exit_code == 2
    assert problem in result.output
    if "NAME=VALUE" not in problem:
        assert "expected, in order: name, code" in result.output
    assert "Traceback" not in result.output
    assert sent == []


def test_send_an_undeclared_template_names_the_declared_ones(
    live_shop: dict[str, str], sent: list[dict[str, Any]]
) -> None:
    args = ["send", "34688000001", "--template", "spring_sal"]
    result = CliRunner().invoke(cli, args, env=live_shop)
    assert result.exit_code == 2
    assert "template 'spring_sal' is not declared" in result.output
    assert (
        "declared: booking_reminder, booking_update, feedback_invite, follow_up," in result.output
    )
    assert "Did you mean 'spring_sale'?" in result.output
    assert sent == []


def test_send_an_undeclared_template_with_its_category(
    live_shop: dict[str, str], sent: list[dict[str, Any]]
) -> None:
    # Given its --category, a template the file does not declare goes out in the file's language.
    args = ["send", "34688000001", "--template", "new_hours", "--category", "utility"]
    args += ["--param", "a=Monday"]
    result = CliRunner().invoke(cli, args, env=live_shop)
    assert result.exit_code == 0, result.output
    (body,) = sent
    assert body["template"]["language"] == {"code": "en_GB"}
    assert body["template"]["components"][0]["parameters"] == [{"type": "text", "text": "Monday"}]


def test_send_a_declared_template_in_an_undeclared_language_is_refused(
    live_shop: dict[str, str], sent: list[dict[str, Any]]
) -> None:
    args = ["send", "34688000001", *SPRING_SALE, "--language", "es_ES"]
    result = CliRunner().invoke(cli, args, env=live_shop)
    assert result.exit_code == 2
    assert "not declared in es_ES (declared in: en_GB)" in result.output
    assert sent == []


def _opt_out(env: dict[str, str], number: str) -> None:
    result = CliRunner().invoke(cli, ["consent", "set", number, "out"], env=env)
    assert result.exit_code == 0, result.output


def test_send_marketing_to_a_customer_who_opted_out_is_suppressed(
    live_shop: dict[str, str], sent: list[dict[str, Any]]
) -> None:
    _opt_out(live_shop, "34688000001")
    result = CliRunner().invoke(cli, ["send", "34688000001", *SPRING_SALE], env=live_shop)
    assert result.exit_code == 1
    assert "not sent: the customer opted out of marketing (recorded as suppressed)" in (
        result.output
    )
    assert sent == []
    (row,) = outbox_rows(make_engine(live_shop["DATABASE_URL"]), "34688000001")
    assert (row.state, row.category) == ("suppressed", "marketing")


def test_send_utility_to_a_customer_who_opted_out_goes_out(
    live_shop: dict[str, str], sent: list[dict[str, Any]]
) -> None:
    _opt_out(live_shop, "34688000001")
    args = ["send", "34688000001", "--template", "follow_up"]
    args += ["--param", "name=Ana", "--param", "message=Your order is ready"]
    result = CliRunner().invoke(cli, args, env=live_shop)
    assert result.exit_code == 0, result.output
    (body,) = sent
    assert body["template"]["name"] == "follow_up"


def test_send_without_a_business_file_marketing_en_us_parameters_in_order(
    env: dict[str, str],
) -> None:
    _opt_out_without_business(env, "15550001111")
    args = ["send", "15550001111", "--template", "promo", "--param", "b=first"]
    result = CliRunner().invoke(cli, [*args, "--param", "a=second"], env=env)
    assert result.exit_code == 1, result.output
    assert "recorded as suppressed" in result.output
    (row,) = outbox_rows(make_engine(env["DATABASE_URL"]), "15550001111")
    assert row.category == "marketing"
    assert row.payload["template"] == {
        "name": "promo",
        "language": {"code": "en_US"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "first"},
                    {"type": "text", "text": "second"},
                ],
            }
        ],
    }


def _opt_out_without_business(env: dict[str, str], wa_id: str) -> None:
    engine = make_engine(env["DATABASE_URL"])
    create_schema(engine)
    with transaction(engine) as session:
        session.add(Contact(wa_id=wa_id, marketing_opt_out=True))


def test_send_without_a_business_file_utility_goes_out(env: dict[str, str]) -> None:
    _opt_out_without_business(env, "15550001111")
    args = ["send", "15550001111", "--template", "order_ready", "--category", "utility"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert "sent: wamid.sandbox.1" in result.output


def test_send_refuses_a_number_it_cannot_read(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["send", "600 112 233x", "Hello"], env=env)
    assert result.exit_code == 2
    assert "TO must be a WhatsApp number with its country code" in result.output


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
