"""``waflow consent show | set | import`` against SQLite and PostgreSQL.

The import files are what shops export from spreadsheets and mailing tools: a byte order mark,
semicolons, Windows line ends, numbers written with spaces, a ``+`` or as a float.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import messages
from flows.features import cli as staff_cli
from flows.features.consent.models import ConsentEvent, history, record
from flows.features.console import AuditEvent
from storage.db import read_session, transaction
from storage.models import Contact, OutboxMessage, wa_id_from
from storage.outbox import enqueue
from tests.shop.shopkit import SHOP_FILE
from webhooks.cli import cli

NOW = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
ANA, BO = "34600111222", "447700900123"
Invoke = Callable[..., Result]


@pytest.fixture
def run(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Invoke ``waflow consent …`` with the test bakery's file, this database, a fixed clock."""
    monkeypatch.setattr(staff_cli, "clock", lambda: NOW)
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": str(SHOP_FILE)}

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["consent", *args], env=env, catch_exceptions=False)

    return invoke


def add_contact(engine: Engine, wa_id: str, name: str | None = None) -> None:
    with transaction(engine) as session:
        session.add(Contact(wa_id=wa_id, name=name, created_at=NOW - timedelta(days=30)))


def ledger(engine: Engine, wa_id: str) -> list[tuple[str, str, dict[str, object]]]:
    with read_session(engine) as session:
        return [(e.opted, e.source, e.detail) for e in history(session, wa_id)]


def contact(engine: Engine, wa_id: str) -> Contact | None:
    with read_session(engine) as session:
        return session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()


def audits(engine: Engine) -> list[tuple[str, str, dict[str, object]]]:
    with read_session(engine) as session:
        rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))
        return [(a.action, a.target, a.detail) for a in rows]


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "list.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


# -- show and set ---------------------------------------------------------------------------------


def test_set_out_then_in_is_recorded_audited_and_shown(run: Invoke, engine: Engine) -> None:
    add_contact(engine, ANA, "Ana")

    out = run("set", "+34 600 11 12 22", "out", "--note", "asked by phone")
    assert out.exit_code == 0, out.output
    assert out.output == f"+{ANA} is now opted out of marketing\n"
    again = run("set", ANA, "out")
    assert again.output == f"+{ANA} is already opted out of marketing: nothing changed\n"
    assert run("set", ANA, "in").exit_code == 0

    assert ledger(engine, ANA) == [
        ("out", "staff", {"by": "cli", "note": "asked by phone"}),
        ("in", "staff", {"by": "cli"}),
    ]
    found = contact(engine, ANA)
    assert found is not None
    assert not found.marketing_opt_out
    target = f"contact #{found.id}"
    assert audits(engine) == [
        ("consent.out", target, {"note": "asked by phone"}),
        ("consent.in", target, {}),
    ]
    shown = run("show", ANA)
    assert shown.exit_code == 0
    assert shown.output.splitlines() == [
        f"+{ANA} (Ana): opted in to marketing",
        "2 change(s) (Europe/Madrid)",
        "  2026-03-14 10:00  opted out  a member of staff (cli): asked by phone",
        "  2026-03-14 10:00  opted in   a member of staff (cli)",
    ]


def test_set_for_a_number_not_known_yet_adds_the_contact(run: Invoke, engine: Engine) -> None:
    result = run("set", BO, "out")
    assert result.output.splitlines() == [
        f"+{BO} was not a customer yet: added",
        f"+{BO} is now opted out of marketing",
    ]
    found = contact(engine, BO)
    assert found is not None
    assert (found.marketing_opt_out, found.last_inbound_at) == (True, None)


def test_a_staff_opt_out_suppresses_marketing_at_the_outbox_until_the_opt_in(
    run: Invoke, engine: Engine
) -> None:
    add_contact(engine, ANA)
    offer = messages.template(ANA, "spring_offer", "en_US")

    def queue() -> str:
        with transaction(engine) as session:
            row = enqueue(session, ANA, [offer], category="marketing", now=NOW)[0]
            session.flush()
            return row.state

    run("set", ANA, "out")
    assert queue() == "suppressed"
    run("set", ANA, "in")
    assert queue() == "pending"
    with read_session(engine) as session:
        assert len(session.exec(select(OutboxMessage)).all()) == 2


def test_show_a_customer_who_never_chose(run: Invoke, engine: Engine) -> None:
    add_contact(engine, ANA)
    assert run("show", ANA).output.splitlines() == [
        f"+{ANA}: may receive marketing (never chose)",
        "no changes recorded",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", ANA], f"no customer has the number '{ANA}'"),
        (["show", "600 11 12 22x"], "is not a phone number in international form"),
        (["set", "0600111222", "out"], "is not a phone number in international form"),
        (["set", ANA, "out", "--note", "x" * 201], "the note is 201 characters long; at most 200"),
    ],
    ids=["unknown", "not-a-number", "national-number", "long-note"],
)
def test_mistakes_are_one_line_and_status_2(
    run: Invoke, engine: Engine, args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert ledger(engine, ANA) == []


def test_set_in_or_out_only(run: Invoke) -> None:
    result = run("set", ANA, "maybe")
    assert result.exit_code == 2
    assert "'maybe' is not one of 'in', 'out'" in result.output


# -- import ---------------------------------------------------------------------------------------

GOOD = (
    "phone,status,at,note,email\n"
    "+34 600 111 222,unsubscribed,2026-03-01 10:00,asked at the counter,ana@example.com\n"
    "447700900123,Subscribed,2026-03-02T09:00:00Z,,bo@example.com\n"
    "\n"
)


def test_import_records_each_choice_with_its_time_file_and_line(
    run: Invoke, engine: Engine, tmp_path: Path
) -> None:
    add_contact(engine, ANA, "Ana")
    result = run("import", write(tmp_path, GOOD))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "columns not read: email",
        "imported list.csv: 1 opted out, 1 opted in, 0 unchanged, 1 new contact(s)",
    ]
    assert ledger(engine, ANA) == [
        ("out", "import", {"file": "list.csv", "line": 2, "note": "asked at the counter"})
    ]
    assert ledger(engine, BO) == [("in", "import", {"file": "list.csv", "line": 3})]
    with read_session(engine) as session:
        events = {e.wa_id: e.at for e in session.exec(select(ConsentEvent))}
    assert events == {
        ANA: datetime(2026, 3, 1, 9, 0, tzinfo=UTC),  # 10:00 in Madrid
        BO: datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    }
    ana, bo = contact(engine, ANA), contact(engine, BO)
    assert ana is not None
    assert bo is not None
    assert (ana.marketing_opt_out, bo.marketing_opt_out, bo.name) == (True, False, None)
    assert [(a[0], a[1]) for a in audits(engine)] == [("consent.import", "list.csv")]


def test_importing_the_same_file_again_writes_nothing(
    run: Invoke, engine: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path, GOOD)
    run("import", path)
    again = run("import", path)
    assert (
        again.output.splitlines()[-1] == "imported list.csv: 0 opted out, 0 opted in, 2 unchanged"
    )
    with read_session(engine) as session:
        assert len(session.exec(select(ConsentEvent)).all()) == 2


def test_a_later_choice_of_the_customer_stands(run: Invoke, engine: Engine, tmp_path: Path) -> None:
    add_contact(engine, ANA)
    with transaction(engine) as session:
        ana = session.exec(select(Contact).where(Contact.wa_id == ANA)).one()
        record(session, ana, "in", "keyword", datetime(2026, 3, 10, tzinfo=UTC))
    result = run("import", write(tmp_path, f"phone,status,at\n{ANA},out,2026-03-01\n"))
    assert "kept a later choice of the customer's" in result.output
    assert [(o, s) for o, s, _ in ledger(engine, ANA)] == [("in", "keyword")]


BAD = (
    "phone,status,at\n"
    f"{ANA},out,\n"
    "12ab,out,\n"
    f"{BO},maybe,\n"
    f"{BO},in,yesterday\n"
    f"{BO},in,2027-01-01\n"
    "3.46001E+10,out,\n"
    ",in,\n"
    f"{BO},in,0001-01-01T00:00+01:00\n"
    f"{BO},in,9999-12-31T23:59-05:00\n"
)
BAD_LINES = [
    "  line 3: '12ab' is not a phone number in international form (country code first)",
    "  line 4: status 'maybe' is neither in nor out (in, out, yes, no...)",
    "  line 5: time 'yesterday' is not ISO 8601 (2026-03-14 or 2026-03-14T09:30:00+01:00)",
    "  line 6: time '2027-01-01' is in the future",
    "  line 7: '3.46001E+10' is a number the spreadsheet shortened: format the column as text"
    " and export it again",
    "  line 8: no phone number",
    "  line 9: time '0001-01-01T00:00+01:00' is more than 100 years from now",
    "  line 10: time '9999-12-31T23:59-05:00' is more than 100 years from now",
]


def test_bad_lines_are_reported_with_their_numbers_and_nothing_is_written(
    run: Invoke, engine: Engine, tmp_path: Path
) -> None:
    result = run("import", write(tmp_path, BAD))
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        *BAD_LINES,
        "Error: 8 line(s) cannot be imported: nothing was written (fix them, or import the rest"
        " with --skip-errors)",
    ]
    assert contact(engine, ANA) is None
    assert audits(engine) == []


def test_skip_errors_imports_the_good_lines(run: Invoke, engine: Engine, tmp_path: Path) -> None:
    result = run("import", "--skip-errors", write(tmp_path, BAD))
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        *BAD_LINES,
        "imported list.csv: 1 opted out, 0 opted in, 0 unchanged, 1 new contact(s),"
        " 8 line(s) skipped",
    ]
    assert [(o, s) for o, s, _ in ledger(engine, ANA)] == [("out", "import")]


def test_dry_run_says_what_would_change_and_writes_nothing(
    run: Invoke, engine: Engine, tmp_path: Path
) -> None:
    add_contact(engine, ANA)
    result = run("import", "--dry-run", write(tmp_path, GOOD))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "dry run, nothing written: 1 opted out, 1 opted in, 0 unchanged, 1 new contact(s)"
    )
    assert contact(engine, BO) is None
    assert ledger(engine, ANA) == []
    assert audits(engine) == []


def test_known_only_refuses_numbers_that_are_not_customers(
    run: Invoke, engine: Engine, tmp_path: Path
) -> None:
    add_contact(engine, ANA)
    result = run("import", "--known-only", write(tmp_path, GOOD))
    assert result.exit_code == 2
    assert "  line 3: no customer has this number" in result.output
    assert ledger(engine, ANA) == []  # all or nothing


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("\ufeffTelephone;Phone;Status;Note\r\n;34 600 111 222;No;Llamó por teléfono\r\n", "utf-8"),
        ("Phone;Status;Note\r\n34600111222;opted_out;Llamó por teléfono\r\n", "cp1252"),
        ("phone\tstatus\tnote\n'+34600111222\tOPT-OUT\tLlamó por teléfono\n", "utf-8"),
        ('"Phone","Status","Note"\n34600111222.0,"out","Llamó por teléfono"\n', "utf-8"),
    ],
    ids=["bom-semicolons-crlf", "windows-1252", "tabs-quoted-text", "float-number"],
)
def test_spreadsheet_exports_are_read(
    run: Invoke, engine: Engine, tmp_path: Path, text: str, encoding: str
) -> None:
    result = run("import", write(tmp_path, text, encoding=encoding))
    assert result.exit_code == 0, result.output
    assert [(o, s, d.get("note")) for o, s, d in ledger(engine, ANA)] == [
        ("out", "import", "Llamó por teléfono")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty: it needs a header line (phone,status)"),
        ("34600111222,out\n", "the first line must name the columns: phone and status not found"),
        ("phone,note\n34600111222,x\n", "the first line must name the columns: status not found"),
    ],
    ids=["empty", "no-header", "no-status"],
)
def test_a_file_without_its_header_is_refused(
    run: Invoke, engine: Engine, tmp_path: Path, text: str, message: str
) -> None:
    result = run("import", write(tmp_path, text))
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "this is a spreadsheet file, not CSV: save it as CSV first",
        ),
        (b"phone,status\n\x81\x8d\x8f,out\n", "the file is neither UTF-8 nor Windows-1252 text"),
    ],
    ids=["xlsx", "binary"],
)
def test_a_file_that_is_not_csv_text_is_refused(
    run: Invoke, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(data)
    result = run("import", str(path))
    assert result.exit_code == 2
    assert message in result.output


def test_a_long_list_of_errors_is_cut_short(run: Invoke, engine: Engine, tmp_path: Path) -> None:
    text = "phone,status\n" + "".join(f"{ANA},maybe\n" for _ in range(60))
    result = run("import", write(tmp_path, text))
    lines = result.output.splitlines()
    assert len(lines) == 52
    assert lines[-2:] == [
        "  … and 10 more",
        "Error: 60 line(s) cannot be imported: nothing was written (fix them, or import the rest"
        " with --skip-errors)",
    ]


@pytest.mark.parametrize(
    ("typed", "wa_id"),
    [
        ("+34 600 11 12 22", ANA),
        ("(34) 600-111-222", ANA),
        ("34.600.111.222", ANA),
        ("0034600111222", ANA),
        ("\u00a0+34600111222 ", ANA),
        ("600111222x", None),
        ("0600111222", None),
        ("12345", None),
        ("1234567890123456", None),
        ("٣٤٦٠٠١١١٢٢٢", None),
        ("", None),
    ],
    ids=[
        "spaces-plus",
        "brackets-dashes",
        "dots",
        "00-prefix",
        "no-break-space",
        "letter",
        "national",
        "too-short",
        "too-long",
        "non-ascii-digits",
        "empty",
    ],
)
def test_numbers_are_read_as_people_write_them(typed: str, wa_id: str | None) -> None:
    assert wa_id_from(typed) == wa_id
