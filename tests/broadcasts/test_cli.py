"""``waflow broadcast create | preview | start | send | status | list | cancel`` and
``waflow customers tag | untag``."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features import cli as staff_cli
from flows.features.broadcasts.cli import broadcast
from flows.features.broadcasts.models import Broadcast
from flows.features.customers.cli import customers
from flows.features.customers.tags import CustomerTag
from storage.db import read_session, transaction
from storage.models import OutboxMessage
from tests.broadcasts.kit import NOW, add_customer, shop_yaml

Invoke = Callable[..., Result]


def _moving_clock() -> Callable[[], datetime]:
    started = time.monotonic()
    return lambda: NOW + timedelta(seconds=time.monotonic() - started)


@pytest.fixture
def invoke(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[click.Group], Invoke]:
    """Invoke a command group with the bakery's file, this database and a clock from NOW."""
    business = tmp_path / "shop.yaml"
    business.write_text(shop_yaml(rate="50"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(staff_cli, "clock", _moving_clock())
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": str(business), "WHATSAPP_ACCESS_TOKEN": ""}
    with transaction(engine) as session:
        for number, name in (("34600000001", "Ana"), ("34600000002", "Ben"), ("34600000003", None)):
            add_customer(session, number, name)

    def group(commands: click.Group) -> Invoke:
        return lambda *args: CliRunner().invoke(
            commands, list(args), env=env, catch_exceptions=False
        )

    return group


def test_tag_and_untag_a_customer(invoke: Callable[[click.Group], Invoke], engine: Engine) -> None:
    run = invoke(customers)
    assert "tagged 'vip'; tags: vip" in run("tag", "+34 600 000 001", "VIP").output
    assert "already tagged" in run("tag", "34600000001", "vip").output
    refused = run("tag", "34600000001", "no way!")
    assert refused.exit_code == 2
    assert "a tag is made of letters" in refused.output
    assert run("tag", "999", "vip").exit_code == 2  # nobody
    for named in ("#0", "#\u00b2", "#99999999999999999999"):  # not an id; not ASCII; too big
        nobody = run("tag", named, "vip")
        assert nobody.exit_code == 2
        assert f"no customer {named!r}" in nobody.output
        assert "Traceback" not in nobody.output
    assert "untagged 'vip'; tags: none" in run("untag", "34600000001", "vip").output
    with read_session(engine) as session:
        assert session.exec(select(CustomerTag)).all() == []


def test_create_preview_send_and_report(
    invoke: Callable[[click.Group], Invoke], engine: Engine
) -> None:
    run = invoke(broadcast)
    invoke(customers)("tag", "34600000001", "vip")
    made = run(
        "create",
        "--title",
        "VIPs",
        "--template",
        "spring_sale",
        "--param",
        "code=V20",
        "--tag",
        "vip",
    )
    assert made.exit_code == 0, made.output
    assert "broadcast #1 made (draft)" in made.output
    assert "audience: 1 customer(s)" in made.output
    assert "sample:   spring_sale (en_GB): Ana, V20" in made.output
    everyone = run("create", "--title", "All", "--template", "spring_sale", "--param", "code=X")
    assert "audience: 3 customer(s)" in everyone.output
    assert "#2 All (draft)" in run("preview", "2").output
    sent = run("send", "2")
    assert sent.exit_code == 0, sent.output
    assert "broadcast #2 done" in sent.output
    assert "sent:       3" in sent.output
    with read_session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert {r.state for r in rows} == {"sent"}
    assert rows[2].payload["template"]["components"][0]["parameters"][0]["text"] == "there"
    status = run("status", "2")
    assert "#2 All: done" in status.output
    assert "sent:       3" in status.output
    listed = run("list").output
    assert "2 broadcast(s)" in listed
    assert "done" in listed
    assert "draft" in listed


def test_start_schedules_for_the_bot_and_cancel_stops(
    invoke: Callable[[click.Group], Invoke], engine: Engine
) -> None:
    run = invoke(broadcast)
    run("create", "--title", "Later", "--template", "spring_sale", "--param", "code=X")
    started = run("start", "1", "--at", "2026-03-20 10:00")
    assert "scheduled for 2026-03-20 10:00 (Europe/Madrid)" in started.output
    with read_session(engine) as session:
        made = session.get(Broadcast, 1)
    assert made is not None
    assert made.state == "scheduled"
    assert made.scheduled_at == datetime.fromisoformat("2026-03-20T09:00:00+00:00")
    assert "cancelled; 0 queued" in run("cancel", "1").output
    again = run("cancel", "1")
    assert again.exit_code == 2
    assert "already cancelled" in again.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["create", "--title", "x", "--template", "ghost"], "unknown template 'ghost'"),
        (["create", "--title", "x", "--template", "spring_sale", "--param", "code"], "NAME=VALUE"),
        (["create", "--title", "x", "--template", "spring_sale", "--param", "code=X", "--bought", "ghost"], "unknown product"),
        (["preview", "42"], "no broadcast #42"),
        (["start", "42"], "no broadcast #42"),
        (["send", "42"], "no broadcast #42"),
        (["status", "42"], "no broadcast #42"),
    ],
    ids=["template", "param", "product", "preview", "start", "send", "status"],
)  # fmt: skip
def test_mistakes_are_one_red_line(
    invoke: Callable[[click.Group], Invoke], args: list[str], error: str
) -> None:
    result = invoke(broadcast)(*args)
    assert result.exit_code == 2
    assert error in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("at", "error"),
    [
        ("tomorrow", "'tomorrow' is not ISO 8601"),
        ("0001-01-01T00:00+01:00", "more than 100 years from now"),
        ("9999-12-31T23:59-05:00", "more than 100 years from now"),
        ("2026-03-01 10:00", "that time has passed"),
    ],
    ids=["text", "year-1", "year-9999", "past"],
)
def test_a_bad_time_is_refused(
    invoke: Callable[[click.Group], Invoke], engine: Engine, at: str, error: str
) -> None:
    run = invoke(broadcast)
    run("create", "--title", "x", "--template", "spring_sale", "--param", "code=X")
    result = run("start", "1", "--at", at)
    assert result.exit_code == 2
    assert error in result.output
    assert "Traceback" not in result.output
    with read_session(engine) as session:
        made = session.get(Broadcast, 1)
    assert made is not None
    assert made.state == "draft"


@pytest.mark.parametrize("command", ["preview", "start", "send", "status", "cancel"])
@pytest.mark.parametrize("typed", ["\u00b2", "#\u00b2", "99999999999999999999", "0", "x"])
def test_a_bad_broadcast_id_is_a_usage_error(
    invoke: Callable[[click.Group], Invoke], command: str, typed: str
) -> None:
    result = invoke(broadcast)(command, typed)
    assert result.exit_code == 2
    assert "is not an id such as 12 or #12" in result.output
    assert "Traceback" not in result.output


def test_a_broadcast_id_may_be_written_as_the_console_shows_it(
    invoke: Callable[[click.Group], Invoke],
) -> None:
    run = invoke(broadcast)
    run("create", "--title", "x", "--template", "spring_sale", "--param", "code=X")
    assert "#1 x: draft" in run("status", "#1").output
