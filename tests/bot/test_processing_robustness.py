"""Processing survives what the database refuses: oversized identifiers and poison updates."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from bot import simulate
from bot.processing import MAX_STORAGE_ATTEMPTS, Processor
from bot.starter import StarterHandler
from storage import inbox
from storage.models import InboundUpdate
from tests.helpers import PostWebhook


def test_oversized_identifiers_from_garbage_are_stored(
    post_webhook: PostWebhook, engine: Engine
) -> None:
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "f" * 300, "value": {"x": 1}}]}],
    }
    response = post_webhook(json.dumps(body).encode())
    assert response.status_code == 200
    with Session(engine) as session:
        row = session.exec(select(InboundUpdate)).one()
    assert row.field == "f" * 64
    assert row.kind == "unknown"
    assert row.value == {"x": 1}


def test_a_poison_update_is_failed_after_a_few_tries_and_unblocks_its_contact(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    processor = Processor(engine, StarterHandler())
    processor.ingest(simulate.text("15550001111", "first", msg_id="wamid.P1"))
    processor.ingest(simulate.text("15550001111", "second", msg_id="wamid.P2"))
    real_lock = inbox.lock_contact
    calls = {"n": 0}

    def broken_lock(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] <= MAX_STORAGE_ATTEMPTS:
            raise OperationalError("SELECT", {}, Exception("disk I/O error"))
        return real_lock(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(inbox, "lock_contact", broken_lock)
    for _ in range(MAX_STORAGE_ATTEMPTS):
        with pytest.raises(OperationalError):
            processor.process_one("15550001111")

    done = processor.process_contact("15550001111")

    with Session(engine) as session:
        rows = {r.dedupe_key: r for r in session.exec(select(InboundUpdate))}
    assert rows["message:wamid.P1"].state == "failed"
    assert rows["message:wamid.P1"].attempts == MAX_STORAGE_ATTEMPTS
    assert "disk I/O error" in (rows["message:wamid.P1"].error or "")
    assert rows["message:wamid.P2"].state == "done"
    assert [d.ok for d in done] == [True]
