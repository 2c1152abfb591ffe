"""Issue 13's poison bodies, one named test each, on SQLite and PostgreSQL.

What no column can hold (a lone surrogate, a NUL, ``NaN`` or ``Infinity``) is cleaned at ingest:
the update is stored and processed, and the raw body is kept in the quarantine (``cleaned``). A
body whose data the database refuses is kept there as received (``unstorable``), and so is a
signed body that is not JSON (``unparsable``), both answered 200; a database failure that is not
the data's fault (a read-only replica, a revoked grant, a missing table) answers 500 and the
redelivery is stored once it is fixed. Kept bytes come back exactly. Profile names are clipped
where replies show them, and PostgreSQL's CONTEXT never reaches a log.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    InternalError,
    OperationalError,
    ProgrammingError,
)
from sqlmodel import col, select

from bot import simulate
from bot.config import Config
from bot.runtime import Runtime
from flows.features.privacy.personal import core_data
from storage import inbox, quarantine
from storage.db import create_schema, is_postgres, make_engine, read_session, transaction
from storage.models import Contact, QuarantinedBody
from tests.helpers import DriverError, PostWebhook, load_payload, stored_updates
from webhooks.cli import cli
from webhooks.signature import sign

WA_ID = "491700000228"
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
LONE = "\ud83d"


def kept(engine: Engine) -> list[QuarantinedBody]:
    with read_session(engine) as session:
        return list(session.exec(select(QuarantinedBody).order_by(col(QuarantinedBody.id))))


def status_body(**fields: str) -> dict[str, Any]:
    body = load_payload("inbound", "status_sent.json")
    body["entry"][0]["changes"][0]["value"]["statuses"][0].update(fields)
    return body


def message_body(**fields: Any) -> dict[str, Any]:
    body = simulate.text(WA_ID, "hi", name="Ana")
    body["entry"][0]["changes"][0]["value"]["messages"][0].update(fields)
    return body


def assert_cleaned(engine: Engine, raw: bytes, *found: str) -> None:
    """The original body is kept byte for byte, as the original of a cleaned one."""
    (row,) = kept(engine)
    assert (row.reason, row.detail) == (quarantine.CLEANED, ", ".join(found))
    assert quarantine.raw_body(row.body) == raw


def post_cleaned(post_webhook: PostWebhook, body: dict[str, Any]) -> bytes:
    raw = json.dumps(body).encode()
    answer = post_webhook(raw)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return raw


# -- a lone surrogate in each identifier ---------------------------------------------------------


def test_a_surrogate_in_from_is_stored_cleaned_and_kept(
    engine: Engine, post_webhook: PostWebhook
) -> None:
    raw = post_cleaned(post_webhook, message_body(**{"from": WA_ID + LONE}))
    (update,) = stored_updates(engine)
    assert update.wa_id == WA_ID + "\ufffd"
    assert_cleaned(engine, raw, "lone surrogate")


def test_a_surrogate_in_a_message_id_is_stored_and_answered(
    engine: Engine, post_webhook: PostWebhook, sent: list[dict[str, Any]]
) -> None:
    raw = post_cleaned(post_webhook, message_body(id="wamid.X" + LONE))
    (update,) = stored_updates(engine)
    assert update.state == "done"
    assert update.value["messages"][0]["id"] == "wamid.X\ufffd"
    assert [m["to"] for m in sent if m["type"] == "interactive"] == [WA_ID]  # the menu
    assert_cleaned(engine, raw, "lone surrogate")


def test_a_surrogate_in_the_field_is_stored_cleaned(
    engine: Engine, post_webhook: PostWebhook
) -> None:
    body = message_body()
    body["entry"][0]["changes"][0]["field"] = "messages" + LONE
    raw = post_cleaned(post_webhook, body)
    (update,) = stored_updates(engine)
    assert (update.kind, update.field) == ("unknown", "messages\ufffd")
    assert_cleaned(engine, raw, "lone surrogate")


def test_a_surrogate_in_the_phone_number_id_is_stored_cleaned(
    engine: Engine, post_webhook: PostWebhook
) -> None:
    body = message_body()
    body["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "1065" + LONE
    raw = post_cleaned(post_webhook, body)
    (update,) = stored_updates(engine)
    assert update.phone_number_id == "1065\ufffd"
    assert_cleaned(engine, raw, "lone surrogate")


def test_a_surrogate_in_a_recipient_id_is_stored_cleaned(
    engine: Engine, post_webhook: PostWebhook
) -> None:
    raw = post_cleaned(post_webhook, status_body(recipient_id="1650" + LONE))
    (update,) = stored_updates(engine)
    assert (update.kind, update.wa_id, update.state) == ("status", "1650\ufffd", "done")
    assert_cleaned(engine, raw, "lone surrogate")


def test_a_surrogate_in_a_status_is_stored_cleaned(
    engine: Engine, post_webhook: PostWebhook
) -> None:
    raw = post_cleaned(post_webhook, status_body(status="sent" + LONE))
    (update,) = stored_updates(engine)
    assert update.value["statuses"][0]["status"] == "sent\ufffd"
    assert_cleaned(engine, raw, "lone surrogate")


# -- numbers and characters no column holds ------------------------------------------------------


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_become_null_and_the_customer_is_answered(
    engine: Engine, post_webhook: PostWebhook, sent: list[dict[str, Any]], number: float
) -> None:
    raw = post_cleaned(post_webhook, message_body(score=number))
    assert b"NaN" in raw or b"Infinity" in raw  # as Python's json (and a forger) writes it
    (update,) = stored_updates(engine)
    assert update.value["messages"][0]["score"] is None
    assert update.state == "done"
    assert [m["to"] for m in sent] == [WA_ID]
    assert_cleaned(engine, raw, "non-finite number")


def test_a_number_too_large_for_a_float_becomes_null(
    engine: Engine, post_webhook: PostWebhook
) -> None:
    raw = json.dumps(message_body(score=1)).replace('"score": 1', '"score": 1e400').encode()
    assert post_webhook(raw).status_code == 200
    (update,) = stored_updates(engine)
    assert update.value["messages"][0]["score"] is None
    assert_cleaned(engine, raw, "non-finite number")


def test_a_nul_is_removed_and_the_customer_is_answered(
    engine: Engine, post_webhook: PostWebhook, sent: list[dict[str, Any]]
) -> None:
    body = simulate.text(WA_ID, "what\u0000 do you sell?", name="Ana\u0000")
    raw = post_cleaned(post_webhook, body)
    (update,) = stored_updates(engine)
    assert update.value["messages"][0]["text"]["body"] == "what do you sell?"
    assert update.state == "done"
    assert [m["to"] for m in sent] == [WA_ID]
    assert_cleaned(engine, raw, "NUL character")


# -- profile names ---------------------------------------------------------------------------


def test_a_very_long_profile_name_still_gets_the_menu(
    engine: Engine, post_webhook: PostWebhook, sent: list[dict[str, Any]]
) -> None:
    name = "Ana " + "x" * 2000
    assert post_webhook(simulate.text(WA_ID, "hi", name=name)).status_code == 200
    (reply,) = sent
    assert reply["type"] == "interactive"  # the menu, not the apology
    greeting = reply["interactive"]["body"]["text"]
    assert greeting.startswith("Hi Ana xxx")
    assert "…" in greeting
    assert len(greeting) < 100
    with read_session(engine) as session:
        contact = session.exec(select(Contact)).one()
    assert contact.name == name[:256]  # the column's size
    assert kept(engine) == []


def test_a_surrogate_in_the_profile_name_is_answered_every_turn(
    engine: Engine, post_webhook: PostWebhook, sent: list[dict[str, Any]]
) -> None:
    for word in ("hi", "hello"):
        body = simulate.text(WA_ID, word, name="Ana" + LONE)
        assert post_webhook(body).status_code == 200
    assert [m["type"] for m in sent] == ["interactive", "interactive"]
    assert sent[0]["interactive"]["body"]["text"].startswith("Hi Ana\ufffd!")
    assert [u.state for u in stored_updates(engine)] == ["done", "done"]
    assert len(kept(engine)) == 2  # two bodies, two originals


def test_a_name_stored_before_cleaning_existed_does_not_fail_the_turn(
    engine: Engine, sent: list[dict[str, Any]], runtime: Runtime
) -> None:
    # An update stored by an earlier version holds the raw surrogate in its JSON value.
    body = simulate.text(WA_ID, "hi", name="Ana" + LONE)
    rows = runtime.processor._rows(body)  # as parsed, not cleaned
    with transaction(engine) as session:
        inbox.store_batches(session, [rows])
    runtime.run_inline([WA_ID])
    assert [u.state for u in stored_updates(engine)] == ["done"]
    assert [m["type"] for m in sent] == ["interactive"]


# -- refused for good, or for a while ----------------------------------------------------------


def _refuse_for_good(*_args: Any, **_kw: Any) -> None:
    raise IntegrityError("INSERT …", {}, Exception(f"Key (wa_id)=({WA_ID}) is bad"))


def test_a_body_refused_for_good_is_quarantined_and_answered_200(
    engine: Engine,
    post_webhook: PostWebhook,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    db_url: str,
) -> None:
    monkeypatch.setattr(inbox, "store_batches", _refuse_for_good)
    raw = json.dumps(simulate.text(WA_ID, "hi")).encode()
    with caplog.at_level(logging.WARNING):
        for _ in range(2):  # Meta's redelivery adds nothing
            answer = post_webhook(raw)
            assert answer.status_code == 200
            assert answer.json == {"quarantined": "unstorable"}
    (row,) = kept(engine)
    assert (row.reason, row.detail, row.wa_id) == ("unstorable", "IntegrityError", WA_ID)
    assert quarantine.raw_body(row.body) == raw
    assert stored_updates(engine) == []
    assert "quarantine #" in caplog.text
    assert "IntegrityError" in caplog.text
    assert WA_ID not in caplog.text  # masked, and no row data
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1  # the redelivery is not a new warning
    env = {"DATABASE_URL": db_url}
    status = CliRunner().invoke(cli, ["db", "status"], env=env)
    assert "quarantined: 1 webhook body(ies) not stored" in status.output
    listing = CliRunner().invoke(cli, ["db", "quarantine"], env=env)
    assert f"#{row.id} " in listing.output
    assert "unstorable (IntegrityError)" in listing.output
    assert WA_ID not in listing.output
    shown = CliRunner().invoke(cli, ["db", "quarantine", str(row.id), "--raw"], env=env)
    assert shown.stdout_bytes == raw


def test_a_passing_storage_failure_answers_500_with_one_log_line(
    engine: Engine,
    post_webhook: PostWebhook,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def locked(*_args: Any, **_kw: Any) -> None:
        raise OperationalError("INSERT …", {}, Exception("database is locked"))

    monkeypatch.setattr(inbox, "store_batches", locked)
    with caplog.at_level(logging.WARNING):
        answer = post_webhook(simulate.text(WA_ID, "hi"))
    assert answer.status_code == 500
    assert kept(engine) == []
    (record,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert record.levelno == logging.ERROR
    assert record.exc_info is None
    assert "database is locked" in record.getMessage()
    assert "\n" not in record.getMessage()


def test_a_signed_body_that_is_not_json_is_kept_with_a_warning(
    engine: Engine, post_webhook: PostWebhook, caplog: pytest.LogCaptureFixture, db_url: str
) -> None:
    raw = json.dumps(simulate.text(WA_ID, "hi")).encode()[:-7]  # cut in transit
    with caplog.at_level(logging.WARNING):
        answer = post_webhook(raw)
    assert answer.status_code == 200
    assert answer.json == {"quarantined": "unparsable"}
    (row,) = kept(engine)
    assert (row.reason, row.detail, row.wa_id) == ("unparsable", "JSONDecodeError", None)
    assert quarantine.raw_body(row.body) == raw
    (record,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert record.levelno == logging.WARNING
    assert "not valid JSON" in record.getMessage()
    assert f"quarantine #{row.id}" in record.getMessage()
    assert WA_ID not in caplog.text
    env = {"DATABASE_URL": db_url}
    status = CliRunner().invoke(cli, ["db", "status"], env=env)
    assert "unparsable: 1 webhook body(ies) not JSON" in status.output
    listing = CliRunner().invoke(cli, ["db", "quarantine"], env=env)
    assert f"#{row.id} " in listing.output
    assert "unparsable (JSONDecodeError)" in listing.output


_LASTING = {
    "read-only-replica": InternalError("INSERT …", {}, DriverError("25006")),
    "revoked-grant": ProgrammingError("INSERT …", {}, DriverError("42501")),
    "missing-table": ProgrammingError("INSERT …", {}, DriverError("42P01")),
    "missing-column": ProgrammingError("INSERT …", {}, DriverError("42703")),
}


def assert_answered_500_with_one_error(caplog: pytest.LogCaptureFixture, answer: Any) -> None:
    assert answer.status_code == 500
    (record,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert record.levelno == logging.ERROR
    assert record.exc_info is None
    assert "answering 500" in record.getMessage()
    assert "\n" not in record.getMessage()
    assert WA_ID not in record.getMessage()


@pytest.mark.parametrize("error", list(_LASTING.values()), ids=list(_LASTING))
def test_a_lasting_database_failure_answers_500_and_the_redelivery_is_stored(
    engine: Engine,
    post_webhook: PostWebhook,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
) -> None:
    def refuse(*_args: Any, **_kw: Any) -> None:
        raise error

    raw = json.dumps(simulate.text(WA_ID, "hi")).encode()
    with monkeypatch.context() as patched, caplog.at_level(logging.WARNING):
        patched.setattr(inbox, "store_batches", refuse)
        assert_answered_500_with_one_error(caplog, post_webhook(raw))
    assert kept(engine) == []  # not the body's fault: Meta delivers it again
    answer = post_webhook(raw)  # once the operator fixed the database
    assert answer.json == {"received": 1, "stored": 1}
    assert kept(engine) == []


def _set_on_connect(engine: Engine, statement: str) -> Callable[..., None]:
    """Run ``statement`` on every new connection of ``engine`` (the pool is emptied first)."""

    def run(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(statement)
        cursor.close()
        dbapi_connection.commit()

    event.listen(engine, "connect", run)
    engine.dispose()
    return run


def test_a_read_only_database_answers_500_until_it_is_writable_again(
    engine: Engine, post_webhook: PostWebhook, caplog: pytest.LogCaptureFixture
) -> None:
    # A PostgreSQL replica promoted late after a failover answers 25006 to every write.
    read_only = "SET default_transaction_read_only = on"
    hook = _set_on_connect(engine, read_only if is_postgres(engine) else "PRAGMA query_only = 1")
    raw = json.dumps(simulate.text(WA_ID, "hi")).encode()
    try:
        with caplog.at_level(logging.WARNING):
            assert_answered_500_with_one_error(caplog, post_webhook(raw))
    finally:
        event.remove(engine, "connect", hook)
        engine.dispose()
    assert kept(engine) == []
    assert post_webhook(raw).json == {"received": 1, "stored": 1}


def test_a_missing_table_answers_500_until_the_upgrade_creates_it(
    engine: Engine, post_webhook: PostWebhook, caplog: pytest.LogCaptureFixture
) -> None:
    cascade = " CASCADE" if is_postgres(engine) else ""
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE waflow_inbound{cascade}"))
    raw = json.dumps(simulate.text(WA_ID, "hi")).encode()
    with caplog.at_level(logging.WARNING):
        assert_answered_500_with_one_error(caplog, post_webhook(raw))
    assert kept(engine) == []
    create_schema(engine)  # the upgrade that had not run
    assert post_webhook(raw).json == {"received": 1, "stored": 1}
    assert [u.wa_id for u in stored_updates(engine)] == [WA_ID]


_TRICKY = [
    b"\\",
    b"\\\\",
    b"\\x41",  # a customer typing a path: valid JSON holds it as "\\x41"
    b"\\x5c",
    b"\\x5",
    b"\\xZZ",
    b'"C:\\\\x41\\\\new"',
    b"\\u0000",
    b"\x00",
    b"\xff",
    b"\xfe\xff",
    b"\x80",
    b"\xc3",  # a cut two-byte sequence
    "\u00e9".encode(),
    "😀".encode(),
    "\ud83d".encode("utf-8", "surrogatepass"),  # a surrogate's UTF-8 encoding: invalid
    "\udfff".encode("utf-8", "surrogatepass"),
    b"\xed\xa0\xbd\xed\xb8\x80",  # a surrogate pair encoded separately (CESU-8)
    b"x",
    b'{"a": 1}',
]


def test_kept_bytes_come_back_exactly_for_any_body() -> None:
    rnd = random.Random(13)
    cases = [b"", *_TRICKY, *(bytes([n]) for n in range(256))]
    cases += [b"".join(rnd.choices(_TRICKY, k=rnd.randrange(1, 12))) for _ in range(2000)]
    cases += [rnd.randbytes(rnd.randrange(1, 64)) for _ in range(500)]
    for raw in cases:
        text_form = quarantine.body_text(raw)
        assert "\x00" not in text_form, raw
        text_form.encode("utf-8")  # storable as text: no lone surrogate either
        assert quarantine.raw_body(text_form) == raw, raw


def test_a_kept_body_with_a_backslash_x_sequence_replays_signed(
    engine: Engine, post_webhook: PostWebhook, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = simulate.text(WA_ID, "see C:\\x41\\new")
    raw = json.dumps(body).encode()
    assert b"\\\\x41" in raw  # the JSON text holds a backslash and x41
    with monkeypatch.context() as patched:
        patched.setattr(inbox, "store_batches", _refuse_for_good)
        assert post_webhook(raw).status_code == 200
    (row,) = kept(engine)
    replayed = quarantine.raw_body(row.body)
    assert replayed == raw
    answer = post_webhook(replayed, signature=sign(raw, config.app_secret))
    assert answer.status_code == 200
    assert answer.json == {"received": 1, "stored": 1}


# -- PostgreSQL's CONTEXT ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_postgresql_context_never_quotes_row_data(db_url: str) -> None:
    quoting = make_engine(db_url)
    with pytest.raises(DBAPIError) as caught, quoting.connect() as conn:
        conn.execute(text("SELECT CAST(:v AS json)"), {"v": f'{{"id": "{WA_ID}", "n": NaN}}'})
    quoting.dispose()
    assert caught.value.orig is not None
    assert "JSON data" in str(caught.value.orig.diag.context)  # type: ignore[attr-defined]
    assert WA_ID not in str(caught.value)
    assert WA_ID not in str(caught.value.orig)
    assert "detail hidden" in str(caught.value)


# -- privacy -------------------------------------------------------------------------------------


def test_a_kept_body_naming_a_customer_is_exported_and_erased_with_them(engine: Engine) -> None:
    theirs = json.dumps(simulate.text(WA_ID, "hi")).encode()
    unread = json.dumps({"object": "x", "note": f"call +{WA_ID}"}).encode()  # no customer column
    other = json.dumps(simulate.text("15550001111", "hi")).encode()
    with transaction(engine) as session:
        quarantine.keep(session, theirs, quarantine.UNSTORABLE, "DataError", wa_id=WA_ID)
        quarantine.keep(session, unread, quarantine.UNSTORABLE, "DataError")
        quarantine.keep(session, other, quarantine.UNSTORABLE, "DataError", wa_id="15550001111")
    with read_session(engine) as session:
        exported = core_data.export(session, WA_ID)["waflow_quarantine"]
    assert sorted(quarantine.raw_body(row["body"]) for row in exported) == sorted([theirs, unread])
    with transaction(engine) as session:
        erased = core_data.erase(session, WA_ID, "erased-1", NOW)
    assert erased["waflow_quarantine"] == 2
    assert [quarantine.raw_body(row.body) for row in kept(engine)] == [other]


def test_a_turn_refused_for_good_in_inline_mode_is_not_delivered_again(
    engine: Engine, post_webhook: PostWebhook, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(_wa_id: str | None) -> None:
        raise IntegrityError("UPDATE …", {}, Exception("refused"))

    monkeypatch.setattr(runtime.processor, "process_one", refuse)
    answer = post_webhook(simulate.text(WA_ID, "hi"))
    assert answer.status_code == 200  # stored: the inbox retries or fails the turn
    assert answer.json == {"processing": "refused"}
    assert [u.state for u in stored_updates(engine)] == ["pending"]
    assert kept(engine) == []
