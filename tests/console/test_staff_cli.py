"""``waflow staff``: accounts from the command line, passwords from standard input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.console import AuditEvent, StaffUser
from storage.db import transaction
from webhooks.cli import cli

BUSINESS = Path(__file__).resolve().parents[2] / "examples" / "shop_bot" / "business.yaml"


@pytest.fixture
def run(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("WAFLOW_BUSINESS", str(BUSINESS))
    return CliRunner()


def test_add_reads_the_password_from_standard_input(run: CliRunner, engine: Engine) -> None:
    result = run.invoke(
        cli, ["staff", "add", "Ana@Bakery.test", "--role", "owner"], input="pw of ana 1\n"
    )
    assert result.exit_code == 0, result.output
    assert "ana@bakery.test can log in to /console/ as owner" in result.output
    with transaction(engine) as session:
        user = session.exec(select(StaffUser)).one()
        event = session.exec(select(AuditEvent)).one()
    assert (user.email, user.role) == ("ana@bakery.test", "owner")
    assert (event.action, event.target, event.staff_id) == ("staff.add", "ana@bakery.test", None)


def test_list_remove_passwd_and_role(run: CliRunner, engine: Engine) -> None:
    run.invoke(cli, ["staff", "add", "ana@bakery.test", "--role", "owner"], input="pw of ana 1\n")
    run.invoke(cli, ["staff", "add", "bo@bakery.test", "--role", "agent"], input="pw of bo 12\n")

    listed = run.invoke(cli, ["staff", "list"])
    assert listed.output.splitlines() == [
        "2 staff account(s)",
        "owner  ana@bakery.test",
        "agent  bo@bakery.test",
    ]
    assert run.invoke(cli, ["staff", "role", "bo@bakery.test", "owner"]).exit_code == 0
    changed = run.invoke(cli, ["staff", "passwd", "bo@bakery.test"], input="new pw of bo\n")
    assert "their sessions have ended" in changed.output
    assert run.invoke(cli, ["staff", "remove", "ana@bakery.test"]).exit_code == 0
    assert run.invoke(cli, ["staff", "list"]).output.splitlines()[1:] == ["owner  bo@bakery.test"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "x@bakery.test", "--role", "agent"], "short\n", "at least 10 characters"),
        (["add", "nonsense", "--role", "agent"], "long enough pw\n", "is not an e-mail address"),
        (["remove", "nobody@bakery.test"], "", "no staff member 'nobody@bakery.test'"),
        (["passwd", "nobody@bakery.test"], "long enough pw\n", "no staff member"),
    ],
)
def test_mistakes_are_one_clear_line_and_status_2(
    run: CliRunner, args: list[str], stdin: str, message: str
) -> None:
    result = run.invoke(cli, ["staff", *args], input=stdin)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
