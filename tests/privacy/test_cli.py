"""``waflow privacy export | erase | purge`` against SQLite and PostgreSQL, on the example shop."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from flows.features import cli as staff_cli
from flows.features.business import BusinessConfig
from flows.features.privacy import FORMAT_VERSION, PurgeRun
from flows.features.privacy.cli import privacy as privacy_cli
from storage.db import read_session
from storage.models import Contact, FlowStep, InboundUpdate, OutboxMessage, QuarantinedBody
from tests.console.consolekit import SHOP
from tests.helpers import Clock, PostWebhook
from tests.privacy.conftest import ANA, BEN, NOW, fill

Invoke = Callable[..., Result]


@pytest.fixture
def when() -> list[datetime]:
    """The commands' clock: ``when[0]``."""
    return [NOW + timedelta(hours=1)]


@pytest.fixture
def run(
    filled: Engine,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    when: list[datetime],
) -> Invoke:
    """Invoke ``waflow privacy …`` with the example shop's file and this database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(staff_cli, "clock", lambda: when[0])
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": str(SHOP / "business.yaml")}

    def invoke(*args: str, answer: str | None = None) -> Result:
        return CliRunner().invoke(privacy_cli, list(args), env=env, input=answer)

    return invoke


@pytest.fixture
def filled(
    engine: Engine, post_webhook: PostWebhook, clock: Clock, business: BusinessConfig
) -> Engine:
    fill(engine, post_webhook, clock, business, ANA)
    fill(engine, post_webhook, clock, business, BEN)
    return engine


def contacts(engine: Engine) -> list[str]:
    with read_session(engine) as session:
        return sorted(session.exec(select(Contact.wa_id)))


def test_export_writes_one_json_document_to_a_file(run: Invoke, tmp_path: Path) -> None:
    result = run("export", "+34 600 11 12 22", "-o", "ana.json")
    assert result.exit_code == 0, result.output
    assert "…1222" in result.output
    assert ANA.wa_id not in result.output
    document = json.loads((tmp_path / "ana.json").read_text(encoding="utf-8"))
    assert document["version"] == FORMAT_VERSION
    assert document["customer"] == ANA.wa_id
    assert document["tables"]["waflow_contact"][0]["name"] == ANA.name
    assert BEN.wa_id not in json.dumps(document)


def test_export_prints_to_stdout_without_a_file(run: Invoke) -> None:
    result = run("export", ANA.wa_id)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["customer"] == ANA.wa_id


def test_a_customer_may_be_named_by_their_console_id(run: Invoke, filled: Engine) -> None:
    with read_session(filled) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == BEN.wa_id)).one()
    result = run("export", f"#{contact.id}")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["customer"] == BEN.wa_id
    unknown = run("export", "#99999")
    assert unknown.exit_code == 2
    assert "no customer with the id '#99999'" in unknown.output


@pytest.mark.parametrize("typed", ["9" * 30, "#" + "9" * 20, "#" + "9" * 30, "#0", "#2147483648"])
@pytest.mark.parametrize("command", ["export", "erase"])
def test_a_number_or_id_out_of_range_is_an_unknown_customer(
    run: Invoke, command: str, typed: str
) -> None:
    result = run(command, typed, "--yes" if command == "erase" else "-o-")
    assert result.exit_code == 2
    assert "no customer with the" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("typed", ["", "ana", "+", "#", "#x", "#\u00b2", "\u00b2\u00b3", "#\u0661"])
@pytest.mark.parametrize("command", ["export", "erase"])
def test_what_is_not_ascii_digits_is_refused(run: Invoke, command: str, typed: str) -> None:
    result = run(command, typed, "--yes" if command == "erase" else "-o-")
    assert result.exit_code == 2
    assert "digits only" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("command", ["export", "erase"])
def test_an_unknown_customer_is_a_clear_error(run: Invoke, command: str) -> None:
    result = run(command, "+1 555 000 0000", "--yes" if command == "erase" else "-o-")
    assert result.exit_code == 2
    assert "no customer with the number '+1 555 000 0000'" in result.output
    assert "Traceback" not in result.output


def test_erase_asks_first_and_a_no_changes_nothing(run: Invoke, filled: Engine) -> None:
    result = run("erase", ANA.wa_id, answer="n\n")
    assert result.exit_code == 1
    assert "Erase everything stored about …1222?" in result.output
    assert contacts(filled) == sorted([ANA.wa_id, BEN.wa_id])


def test_erase_erases_one_customer_then_says_there_is_nobody(run: Invoke, filled: Engine) -> None:
    result = run("erase", ANA.wa_id, answer="y\n")
    assert result.exit_code == 0, result.output
    assert "kept rows now name erased-" in result.output
    assert "waflow_contact: 1" in result.output
    assert contacts(filled) == [BEN.wa_id]
    again = run("erase", ANA.wa_id, "--yes")
    assert again.exit_code == 2
    assert "already erased" in again.output
    assert contacts(filled) == [BEN.wa_id]


def test_purge_removes_old_message_texts_and_keeps_the_rows(
    run: Invoke, filled: Engine, when: list[datetime]
) -> None:
    with read_session(filled) as session:
        updates = len(list(session.exec(select(InboundUpdate))))
        sent = len(list(session.exec(select(OutboxMessage))))
    when[0] = NOW + timedelta(days=366)
    dry = run("purge", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would purge what is older than 365 day(s):" in dry.output
    with read_session(filled) as session:
        assert "hi" in json.dumps([u.value for u in session.exec(select(InboundUpdate))])
        assert session.exec(select(PurgeRun)).first() is None

    done = run("purge")

    assert done.exit_code == 0, done.output
    assert done.output.replace("purged", "would purge") == dry.output
    assert "message texts received: 8" in done.output  # four messages from each customer
    assert "webhook bodies kept as received, deleted: 2" in done.output  # one each
    with read_session(filled) as session:
        values = [
            u.value for u in session.exec(select(InboundUpdate).order_by(col(InboundUpdate.id)))
        ]
        rows = list(session.exec(select(OutboxMessage)))
        assert len(values) == updates
        assert len(rows) == sent
        payloads = [m.payload for m in rows if m.state != "pending"]  # the staff's: not sent yet
        assert session.exec(select(FlowStep)).first() is None
        assert session.exec(select(QuarantinedBody)).first() is None
        assert session.exec(select(PurgeRun)).one().counts["waflow_inbound"] == 8
    texts = json.dumps([values, payloads])
    assert '"body"' not in texts
    assert "my data" not in texts
    first = values[0]["messages"][0]
    assert first["purged"] is True
    assert first["from"] == ANA.wa_id
    assert {"id", "timestamp", "type"} <= set(first)
    assert "message texts received: 0" in run("purge").output  # nothing left to purge


def test_purge_without_a_retention_is_a_clear_error(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    text = (SHOP / "business.yaml").read_text(encoding="utf-8")
    plain = tmp_path / "plain.yaml"
    plain.write_text(text.split("\nprivacy:")[0], encoding="utf-8")
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": str(plain)}
    result = CliRunner().invoke(privacy_cli, ["purge"], env=env)
    assert result.exit_code == 2
    assert "sets no privacy.retention_days" in result.output
