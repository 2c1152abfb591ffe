"""Exactly once across a crash: a marketing send cut off mid-flight is in doubt, reconciled by
its status webhook's callback data, and sent again only without one; replies keep at-least-once;
a stop word answering a broadcast is recorded as ``broadcast_reply``."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import messages
from bot.runtime import Runtime
from flows.features.broadcasts.broadcasts import create, run
from flows.features.broadcasts.segments import Segment
from flows.features.business import BusinessConfig
from flows.features.consent.models import ConsentEvent
from storage import outbox
from storage.db import read_session, transaction
from storage.models import OutboxMessage
from storage.statuses import record_status
from tests.broadcasts.kit import NOW, add_customer
from tests.helpers import Clock, PostWebhook, load_payload

ANA = "16505551234"  # the customer of tests/payloads/inbound/*.json
LEASE = timedelta(seconds=60)
DOUBT = timedelta(minutes=5)


def queue(engine: Engine, category: outbox.Category | None) -> int:
    with transaction(engine) as session:
        payload = messages.template(ANA, "spring_sale", "en_GB")
        (row,) = outbox.enqueue(session, ANA, [payload], now=NOW, category=category)
        session.flush()
        return row.id or 0


def claim_at(engine: Engine, at: Any) -> list[int]:
    with transaction(engine) as session:
        taken = outbox.claim(session, at, limit=10, lease=LEASE, doubt=DOUBT)
    return [r.id for r in taken.rows]


def row(engine: Engine, row_id: int) -> OutboxMessage:
    with read_session(engine) as session:
        found = session.get(OutboxMessage, row_id)
    assert found is not None
    return found


def test_a_cut_off_marketing_send_waits_in_doubt_and_its_status_marks_it_sent(
    engine: Engine,
) -> None:
    row_id = queue(engine, "marketing")
    assert claim_at(engine, NOW) == [row_id]  # then the sender dies: nothing is recorded
    after_lease = NOW + LEASE + timedelta(seconds=1)
    assert claim_at(engine, after_lease) == []  # in doubt: not sent again yet
    doubtful = row(engine, row_id)
    assert (doubtful.state, doubtful.lease) == ("pending", outbox.IN_DOUBT)
    assert doubtful.next_attempt_at == after_lease + DOUBT
    with transaction(engine) as session:  # Meta's status, carrying the callback data
        record_status(
            session,
            "wamid.took-it",
            "delivered",
            at=after_lease,
            callback_data=outbox.callback_data(row_id),
        )
    sent = row(engine, row_id)
    assert (sent.state, sent.wamid) == ("sent", "wamid.took-it")
    assert claim_at(engine, after_lease + DOUBT * 2) == []  # never sent again


def test_without_a_status_the_doubtful_send_goes_again_after_the_doubt_period(
    engine: Engine,
) -> None:
    row_id = queue(engine, "marketing")
    claim_at(engine, NOW)
    after_lease = NOW + LEASE + timedelta(seconds=1)
    claim_at(engine, after_lease)
    assert claim_at(engine, after_lease + DOUBT - timedelta(seconds=1)) == []
    assert claim_at(engine, after_lease + DOUBT) == [row_id]


def test_a_reply_in_a_conversation_keeps_at_least_once(engine: Engine) -> None:
    row_id = queue(engine, None)
    claim_at(engine, NOW)
    assert claim_at(engine, NOW + LEASE + timedelta(seconds=1)) == [row_id]  # at once


def test_a_status_during_the_send_leaves_the_senders_outcome_recordable(engine: Engine) -> None:
    row_id = queue(engine, "marketing")
    with transaction(engine) as session:
        (job,) = outbox.claim(session, NOW, limit=1, lease=LEASE).rows
    with transaction(engine) as session:  # the status comes before the sender records
        assert outbox.reconcile(session, outbox.callback_data(row_id), "wamid.X", NOW)
    with transaction(engine) as session:
        done = outbox.Outcome(job.id, job.lease, "sent", wamid="wamid.X", sent_at=NOW)
        assert outbox.record_outcomes(session, [done]) == 1
    assert (row(engine, row_id).state, row(engine, row_id).lease) == ("sent", None)


def test_a_late_sender_reporting_meta_took_it_settles_the_doubt(engine: Engine) -> None:
    row_id = queue(engine, "marketing")
    with transaction(engine) as session:
        (job,) = outbox.claim(session, NOW, limit=1, lease=LEASE).rows
    claim_at(engine, NOW + LEASE + timedelta(seconds=1))  # the send outlived its lease: in doubt
    with transaction(engine) as session:
        failed = outbox.Outcome(job.id, job.lease, "pending", error="timeout")
        assert outbox.record_outcomes(session, [failed]) == 0  # only a success settles it
        done = outbox.Outcome(job.id, job.lease, "sent", wamid="wamid.late", sent_at=NOW)
        assert outbox.record_outcomes(session, [done]) == 1
    assert (row(engine, row_id).state, row(engine, row_id).wamid) == ("sent", "wamid.late")


def test_callback_data_of_another_kind_reconciles_nothing(engine: Engine) -> None:
    row_id = queue(engine, "marketing")
    with transaction(engine) as session:
        assert not outbox.reconcile(session, "order-4711", "wamid.Y", NOW)
        assert not outbox.reconcile(session, "waflow-outbox:x1", "wamid.Y", NOW)
    assert row(engine, row_id).state == "pending"


@pytest.mark.parametrize(
    "number",
    ["\u00b9", "\u0661", "\uff11", "1" * 19, "99999999999999999999", "", "-1", " 1"],
    ids=[
        "superscript",
        "arabic-indic",
        "fullwidth",
        "19-digits",
        "20-digits",
        "empty",
        "negative",
        "space",
    ],
)
def test_callback_data_without_ascii_digits_reconciles_nothing(engine: Engine, number: str) -> None:
    row_id = queue(engine, "marketing")
    assert row_id == 1  # what the non-ASCII ones would read as
    with transaction(engine) as session:
        assert not outbox.reconcile(session, f"{outbox.CALLBACK_PREFIX}{number}", "wamid.Y", NOW)
    assert row(engine, row_id).state == "pending"


def test_a_status_for_another_recipient_reconciles_nothing(engine: Engine) -> None:
    row_id = queue(engine, "marketing")
    data = outbox.callback_data(row_id)
    with transaction(engine) as session:
        record_status(
            session,
            "wamid.other",
            "delivered",
            at=NOW,
            recipient_id="34600000009",
            callback_data=data,
        )
    assert row(engine, row_id).state == "pending"
    with transaction(engine) as session:
        record_status(
            session, "wamid.ana", "delivered", at=NOW, recipient_id=ANA, callback_data=data
        )
    assert (row(engine, row_id).state, row(engine, row_id).wamid) == ("sent", "wamid.ana")


def test_a_failed_status_records_an_in_doubt_row_failed_with_its_code_and_never_resends(
    engine: Engine,
) -> None:
    row_id = queue(engine, "marketing")
    claim_at(engine, NOW)  # then the sender dies
    after_lease = NOW + LEASE + timedelta(seconds=1)
    claim_at(engine, after_lease)  # in doubt
    error = {
        "code": 131049,
        "title": "This message was not delivered to maintain healthy ecosystem engagement.",
    }
    with transaction(engine) as session:
        record_status(
            session,
            "wamid.refused",
            "failed",
            at=after_lease,
            recipient_id=ANA,
            errors=[error],
            callback_data=outbox.callback_data(row_id),
        )
    failed = row(engine, row_id)
    assert (failed.state, failed.wamid, failed.sent_at, failed.lease) == (
        "failed",
        "wamid.refused",
        None,
        None,
    )
    assert failed.last_error is not None
    assert failed.last_error.startswith("[131049] This message was not delivered")
    assert claim_at(engine, after_lease + DOUBT * 2) == []  # not sent again


def test_a_failed_status_during_the_send_is_not_overwritten_by_the_sender(
    engine: Engine,
) -> None:
    row_id = queue(engine, "marketing")
    with transaction(engine) as session:
        (job,) = outbox.claim(session, NOW, limit=1, lease=LEASE).rows
    with transaction(engine) as session:  # the failed status comes before the sender records
        assert outbox.reconcile(
            session,
            outbox.callback_data(row_id),
            "wamid.X",
            NOW,
            recipient_id=ANA,
            failure="[131026] Message undeliverable",
        )
    with transaction(engine) as session:
        done = outbox.Outcome(job.id, job.lease, "sent", wamid="wamid.X", sent_at=NOW)
        assert outbox.record_outcomes(session, [done]) == 0
    assert (row(engine, row_id).state, row(engine, row_id).last_error) == (
        "failed",
        "[131026] Message undeliverable",
    )


def _status_body(wamid: str, data: str) -> dict[str, Any]:
    body = copy.deepcopy(load_payload("inbound", "status_sent.json"))
    status = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    status.update(id=wamid, biz_opaque_callback_data=data)
    return body


def test_a_status_webhook_reconciles_the_row_it_names(
    engine: Engine, runtime: Runtime, post_webhook: PostWebhook
) -> None:
    row_id = queue(engine, "marketing")
    claim_at(engine, NOW)
    assert (
        post_webhook(_status_body("wamid.came-back", outbox.callback_data(row_id))).status_code
        == 200
    )
    assert (row(engine, row_id).state, row(engine, row_id).wamid) == ("sent", "wamid.came-back")


def _text(body: str, quoting: str | None) -> dict[str, Any]:
    payload = copy.deepcopy(load_payload("inbound", "text_quoted_reply.json"))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["text"]["body"] = body
    message["id"] = f"wamid.in-{body}-{quoting}"
    if quoting is None:
        del message["context"]
    else:
        message["context"]["id"] = quoting
    return payload


def _broadcast_to_ana(
    engine: Engine, business: BusinessConfig, runtime: Runtime, clock: Clock
) -> str:
    with transaction(engine) as session:
        add_customer(session, ANA, "Ana")
        made = create(
            session,
            business,
            title="Spring",
            template="spring_sale",
            params={"code": "X"},
            segment=Segment(),
            created_by="test",
            now=NOW,
        )
        broadcast_id = made.id or 0

    def sleep(seconds: float) -> None:
        clock.now += timedelta(seconds=seconds)

    assert run(engine, business, broadcast_id, runtime.client, clock=clock, sleep=sleep) == "done"
    with read_session(engine) as session:
        wamid = session.exec(select(OutboxMessage.wamid)).one()
    assert wamid is not None
    return wamid


@pytest.mark.parametrize("business", [{"reply_window": "1h"}], indirect=True)
def test_stop_quoting_a_broadcast_is_recorded_as_a_broadcast_reply(
    engine: Engine,
    business: BusinessConfig,
    runtime: Runtime,
    post_webhook: PostWebhook,
    clock: Clock,
    sent: list[dict[str, Any]],
) -> None:
    wamid = _broadcast_to_ana(engine, business, runtime, clock)
    clock.now += timedelta(hours=2)  # after the reply window: only the quote ties it
    post_webhook(_text("Stop", quoting=wamid))
    with read_session(engine) as session:
        events = session.exec(select(ConsentEvent)).all()
    assert [(e.opted, e.source, e.detail.get("broadcast")) for e in events] == [
        ("out", "broadcast_reply", 1)
    ]
    assert "START" in sent[-1]["text"]["body"]  # confirmed once, by the consent feature


def test_stop_soon_after_a_broadcast_is_its_reply_and_later_a_keyword(
    engine: Engine,
    business: BusinessConfig,
    runtime: Runtime,
    post_webhook: PostWebhook,
    clock: Clock,
) -> None:
    _broadcast_to_ana(engine, business, runtime, clock)
    clock.now += timedelta(hours=2)
    post_webhook(_text("STOP", quoting=None))
    clock.now += timedelta(minutes=1)
    post_webhook(_text("START", quoting=None))
    clock.now += timedelta(days=2)  # outside the reply window
    post_webhook(_text("unsubscribe", quoting=None))
    with read_session(engine) as session:
        events = session.exec(select(ConsentEvent).order_by(ConsentEvent.id)).all()  # type: ignore[arg-type]
    assert [(e.opted, e.source) for e in events] == [
        ("out", "broadcast_reply"),
        ("in", "keyword"),
        ("out", "keyword"),
    ]


def test_a_failed_status_131050_records_meta_opt_out(
    engine: Engine, runtime: Runtime, post_webhook: PostWebhook
) -> None:
    with transaction(engine) as session:
        add_customer(session, ANA)
    body = copy.deepcopy(load_payload("inbound", "status_failed.json"))
    status = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    status["recipient_id"] = ANA
    status["errors"][0]["code"] = 131050
    post_webhook(body)
    with read_session(engine) as session:
        events = session.exec(select(ConsentEvent)).all()
    assert [(e.wa_id, e.opted, e.source) for e in events] == [(ANA, "out", "meta")]
