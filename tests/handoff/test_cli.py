"""``waflow handoff list | release``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.sending import outbox_rows
from flows.features import cli as staff_cli
from flows.features.handoff.cli import handoff
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import SALON_YAML
from tests.handoff.conftest import CUSTOMER, NOW, add_contact

Invoke = Callable[..., Result]


@pytest.fixture
def run(engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Invoke ``waflow handoff …`` with the salon's file, this database and a fixed clock."""
    business = tmp_path / "salon.yaml"
    business.write_text(SALON_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(staff_cli, "clock", lambda: NOW)
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": str(business)}
    return lambda *args: CliRunner().invoke(handoff, list(args), env=env, catch_exceptions=False)


def test_list_shows_paused_customers_masked(run: Invoke, engine: Engine) -> None:
    contact_id = add_contact(
        engine, CUSTOMER, wrote_ago=timedelta(minutes=3), name="Ana", paused=True
    )
    add_contact(engine, "34600555666", wrote_ago=timedelta(minutes=5))
    result = run("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1 customer(s) with a person"
    assert lines[1].startswith(f"#{contact_id:<5} …1222")
    assert "Ana" in lines[1]
    assert "2025-03-03 09:57" in lines[1]  # Madrid time
    assert CUSTOMER not in result.output


@pytest.mark.parametrize(
    "by_id", [pytest.param(False, id="by-number"), pytest.param(True, id="by-id")]
)
def test_release_resumes_the_bot(run: Invoke, engine: Engine, by_id: bool) -> None:
    contact_id = add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=3), paused=True)
    result = run("release", f"#{contact_id}" if by_id else f"+{CUSTOMER}")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "the bot answers …1222 again (they were told)"
    with transaction(engine) as session:
        assert not session.exec(select(Contact)).one().paused
    assert len(outbox_rows(engine, CUSTOMER)) == 1


@pytest.mark.parametrize(
    ("paused", "who", "error"),
    [
        pytest.param(False, CUSTOMER, "not paused", id="not-paused"),
        pytest.param(True, "34699999999", "no customer", id="unknown-number"),
        pytest.param(True, "#99", "no customer #99", id="unknown-id"),
    ],
)
def test_release_errors(run: Invoke, engine: Engine, paused: bool, who: str, error: str) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=3), paused=paused)
    result = run("release", who)
    assert result.exit_code == 2
    assert error in result.output


def test_sweep_gives_idle_customers_back_to_the_bot(
    run: Invoke, engine: Engine, tmp_path: Path
) -> None:
    business = tmp_path / "salon.yaml"
    business.write_text(
        SALON_YAML.replace("handoff: {notify", "handoff: {release_after_minutes: 45, notify"),
        encoding="utf-8",
    )
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=50), paused=True)
    add_contact(engine, "34600555666", wrote_ago=timedelta(minutes=40), paused=True)
    result = run("sweep")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "1 customer(s) idle for 45 min given back to the bot",
        "  …1222 (they were told)",
    ]
    assert len(outbox_rows(engine, CUSTOMER)) == 1
    assert outbox_rows(engine, "34600555666") == []


def test_sweep_without_the_setting_releases_nobody(run: Invoke, engine: Engine) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(days=2), paused=True)
    result = run("sweep")
    assert result.exit_code == 0, result.output
    assert "release_after_minutes is not set" in result.output
    with transaction(engine) as session:
        assert session.exec(select(Contact)).one().paused
