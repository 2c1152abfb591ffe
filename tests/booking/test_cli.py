"""``waflow bookings list | remind | cancel`` against SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine

from bot.sending import outbox_rows
from flows.features import cli as staff_cli
from flows.features.booking.booking import Bookings
from flows.features.booking.cli import bookings as bookings_cli
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import NOW, SALON_YAML, madrid

CUSTOMER = "34600000001"
Invoke = Callable[..., Result]


@pytest.fixture
def run(engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Invoke ``waflow bookings …`` with the salon's file, this database and a fixed clock."""
    business = tmp_path / "salon.yaml"
    business.write_text(SALON_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(staff_cli, "clock", lambda: NOW)
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": str(business)}

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(bookings_cli, list(args), env=env, catch_exceptions=False)

    return invoke


def _book(engine: Engine, bookings: Bookings, hour: int, day: int = 4) -> int:
    with transaction(engine) as session:
        if session.get(Contact, 1) is None:
            session.add(Contact(wa_id=CUSTOMER, name="Ana", last_inbound_at=NOW))
        return int(bookings.book(session, CUSTOMER, "cut", madrid(2025, 3, day, hour), NOW).id or 0)


def test_list_shows_a_days_bookings_on_the_shop_clock(
    run: Invoke, engine: Engine, bookings: Bookings
) -> None:
    first = _book(engine, bookings, 10)
    _book(engine, bookings, 16)
    _book(engine, bookings, 10, day=5)
    result = run("list", "--date", "2025-03-04")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Tuesday 04 March 2025: 2 booking(s)"
    assert lines[1].startswith(f"#{first:<5} 10:00-10:30  Haircut")
    assert "…0001" in lines[1]
    assert CUSTOMER not in result.output
    assert CUSTOMER in run("list", "--date", "2025-03-04", "--full-numbers").output


def test_list_defaults_to_today_and_the_next_7_days(
    run: Invoke, engine: Engine, bookings: Bookings
) -> None:
    _book(engine, bookings, 10)
    _book(engine, bookings, 16, day=5)
    _book(engine, bookings, 10, day=11)  # 8 days on: not listed
    result = run("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Monday 03 March 2025 to Monday 10 March 2025: 2 booking(s)"
    assert lines[1] == "Tuesday 04 March 2025"
    assert "10:00-10:30" in lines[2]
    assert lines[3] == "Wednesday 05 March 2025"
    assert "16:00-16:30" in lines[4]
    assert len(lines) == 5


@pytest.mark.parametrize(
    ("args", "heading", "count"),
    [
        pytest.param(
            ["--from", "2025-03-05", "--days", "7"],
            "Wednesday 05 March 2025 to Tuesday 11 March 2025",
            2,
            id="from-and-days",
        ),
        pytest.param(
            ["--from", "2025-03-04", "--to", "2025-03-05"],
            "Tuesday 04 March 2025 to Wednesday 05 March 2025",
            2,
            id="from-and-to",
        ),
        pytest.param(
            ["--to", "2025-03-04"],
            "Monday 03 March 2025 to Tuesday 04 March 2025",
            1,
            id="today-to",
        ),
        pytest.param(["--days", "1"], "Monday 03 March 2025", 0, id="today-only"),
        pytest.param(["--date", "2025-03-11"], "Tuesday 11 March 2025", 1, id="one-date"),
    ],
)
def test_list_a_range(
    run: Invoke,
    engine: Engine,
    bookings: Bookings,
    args: list[str],
    heading: str,
    count: int,
) -> None:
    _book(engine, bookings, 10)
    _book(engine, bookings, 16, day=5)
    _book(engine, bookings, 10, day=11)
    result = run("list", *args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{heading}: {count} booking(s)"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(["--date", "2025-03-04", "--days", "2"], "--date is one day", id="date-and"),
        pytest.param(["--to", "2025-03-05", "--days", "2"], "not both", id="to-and-days"),
        pytest.param(["--from", "2025-03-05", "--to", "2025-03-04"], "is before", id="backwards"),
        pytest.param(["--days", "0"], "1 to 366 days", id="no-days"),
        pytest.param(["--days", "5000"], "1 to 366 days", id="too-many"),
        pytest.param(["--from", "tomorrow"], "Invalid value", id="not-a-date"),
    ],
)
def test_list_refuses_a_range_it_cannot_show(run: Invoke, args: list[str], error: str) -> None:
    result = run("list", *args)
    assert result.exit_code == 2
    assert error in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args", [["--business", "salon.yaml", "list"], ["list", "--business", "salon.yaml"]]
)
def test_business_before_or_after_the_command(db_url: str, run: Invoke, args: list[str]) -> None:
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": None}
    result = CliRunner().invoke(bookings_cli, args, env=env)  # run() chdir'ed to salon.yaml
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Monday 03 March 2025 to Monday 10 March 2025: 0 booking(s)")


def test_remind_queues_once(
    run: Invoke, engine: Engine, bookings: Bookings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _book(engine, bookings, 10)
    monkeypatch.setattr(staff_cli, "clock", lambda: NOW + timedelta(hours=4))
    first = run("remind", "--hours", "24")
    second = run("remind", "--hours", "24")
    assert first.output.strip() == "reminders queued: 1 (1 text, 0 template)"
    assert second.output.strip() == "reminders queued: 0 (0 text, 0 template)"
    assert len(outbox_rows(engine, CUSTOMER)) == 1


def test_cancel_frees_the_time_and_tells_the_customer(
    run: Invoke, engine: Engine, bookings: Bookings
) -> None:
    booking_id = _book(engine, bookings, 10)
    result = run("cancel", str(booking_id))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("cancelled: Haircut, Tue 4 Mar at 10:00")
    assert "customer told" in result.output
    [told] = outbox_rows(engine, CUSTOMER)
    assert "we had to cancel your booking" in told.payload["text"]["body"]
    again = run("cancel", str(booking_id))
    assert again.exit_code == 2
    assert "already cancelled" in again.output


def test_cancel_unknown_booking(run: Invoke) -> None:
    result = run("cancel", "999")
    assert result.exit_code == 2
    assert "There is no booking #999" in result.output


def test_a_broken_business_file_is_one_error_line(run: Invoke, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("business: {name: X}\n", encoding="utf-8")
    result = run("--business", str(broken), "list")
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
