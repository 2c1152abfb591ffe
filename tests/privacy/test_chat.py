"""Customers' requests in the chat: "my data", "delete my data" with its YES or NO, from any
state, in four languages; the erasure runs a minute later, after the confirmation was sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot import messages, simulate
from flows.features.business import BusinessConfig
from flows.features.privacy import PrivacyRequest, PrivacySettings, PurgeRun
from flows.features.privacy.chat import privacy_task
from storage import outbox
from storage.db import read_session, transaction
from storage.models import Contact, Conversation, InboundUpdate, MessageStatus, OutboxMessage
from tests.helpers import Clock, PostWebhook
from tests.privacy.conftest import ANA, BEN, say

BUSINESS = "Miga Bakery"
TEXTS = PrivacySettings()
EXPORT_TEXT = TEXTS.export_text.replace("{business}", BUSINESS)
ERASE_AGAIN = TEXTS.erase_again
ERASE_CANCELLED = TEXTS.erase_cancelled
ERASE_CONFIRMED = TEXTS.erase_confirmed.replace("{business}", BUSINESS)


def texts(sent: list[dict[str, Any]], wa_id: str = ANA.wa_id) -> list[str]:
    """What the bot sent a customer, as text (an interactive message's body)."""
    return [
        p["text"]["body"] if p["type"] == "text" else p["interactive"]["body"]["text"]
        for p in sent
        if p["to"] == wa_id
    ]


def requests(engine: Engine) -> list[tuple[str, str, str]]:
    with read_session(engine) as session:
        rows = session.exec(select(PrivacyRequest).order_by(col(PrivacyRequest.id)))
        return [(r.wa_id, r.kind, r.state) for r in rows]


def known(engine: Engine, wa_id: str) -> bool:
    with read_session(engine) as session:
        return session.exec(select(Contact).where(Contact.wa_id == wa_id)).first() is not None


@pytest.mark.parametrize("words", ["my data", "Mis datos", "meus dados", "DATA SAYA!"])
def test_my_data_records_a_request_and_says_the_shop_will_send_it(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine, words: str
) -> None:
    say(post_webhook, clock, ANA, "hi")
    say(post_webhook, clock, ANA, words)
    say(post_webhook, clock, ANA, words)  # asked twice: one request
    assert texts(sent)[-1] == EXPORT_TEXT
    assert requests(engine) == [(ANA.wa_id, "export", "pending")]


def test_delete_my_data_mid_flow_asks_then_erases_a_minute_later(
    post_webhook: PostWebhook,
    sent: list[dict[str, Any]],
    clock: Clock,
    engine: Engine,
    business: BusinessConfig,
) -> None:
    say(post_webhook, clock, BEN, "hi")
    say(post_webhook, clock, ANA, "hi")
    with read_session(engine) as session:
        place = session.exec(select(Conversation).where(Conversation.wa_id == ANA.wa_id)).one()
        assert place.flow is not None  # in the main menu's flow

    say(post_webhook, clock, ANA, "Delete my data")
    assert "Reply YES to delete or NO to keep it." in texts(sent)[-1]
    say(post_webhook, clock, ANA, "Sí")
    assert texts(sent)[-1] == ERASE_CONFIRMED
    assert requests(engine) == [(ANA.wa_id, "erase", "pending")]

    assert privacy_task(engine, business, clock.now) is False  # not due yet
    assert known(engine, ANA.wa_id)
    privacy_task(engine, business, clock.now + timedelta(seconds=61))

    assert not known(engine, ANA.wa_id)
    assert known(engine, BEN.wa_id)
    with read_session(engine) as session:
        left = session.exec(select(OutboxMessage).where(OutboxMessage.wa_id == ANA.wa_id)).all()
        [request] = session.exec(select(PrivacyRequest)).all()
    assert left == []  # the confirmation's row went too
    assert request.state == "done"
    assert request.wa_id.startswith("erased-")


def test_statuses_arriving_after_the_erasure_are_erased_too(
    post_webhook: PostWebhook,
    sent: list[dict[str, Any]],
    clock: Clock,
    engine: Engine,
    business: BusinessConfig,
) -> None:
    say(post_webhook, clock, BEN, "hi")
    say(post_webhook, clock, ANA, "delete my data")
    say(post_webhook, clock, ANA, "yes")
    privacy_task(engine, business, clock.now + timedelta(seconds=61))
    confirmation = f"wamid.OUT{len(sent):04d}"  # the mock Cloud API's id of the last message
    assert sent[-1]["to"] == ANA.wa_id
    answer = post_webhook(simulate.status(confirmation, ANA.wa_id, "read"))
    assert answer.status_code == 200
    ben = f"wamid.OUT{1:04d}"
    assert post_webhook(simulate.status(ben, BEN.wa_id, "read")).status_code == 200
    assert known(engine, ANA.wa_id)  # the runtime made a contact for the status

    privacy_task(engine, business, clock.now + timedelta(minutes=2))

    assert not known(engine, ANA.wa_id)
    with read_session(engine) as session:
        rows = [
            *session.exec(select(InboundUpdate).where(InboundUpdate.wa_id == ANA.wa_id)),
            *session.exec(select(MessageStatus).where(MessageStatus.recipient_id == ANA.wa_id)),
        ]
        bens = session.exec(select(MessageStatus).where(MessageStatus.recipient_id == BEN.wa_id))
        assert len(bens.all()) == 1
    assert rows == []
    assert known(engine, BEN.wa_id)


def test_the_erasure_waits_for_the_confirmation_to_leave_the_outbox(
    post_webhook: PostWebhook, clock: Clock, engine: Engine, business: BusinessConfig
) -> None:
    say(post_webhook, clock, ANA, "delete my data")
    say(post_webhook, clock, ANA, "yes")
    with transaction(engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.wa_id == ANA.wa_id)).first()
        assert row is not None
        row.state = "pending"
        session.add(row)
    privacy_task(engine, business, clock.now + timedelta(minutes=5))
    assert known(engine, ANA.wa_id)


@pytest.mark.parametrize("answer", ["no", "NÃO", "tidak"])
def test_a_no_cancels_and_keeps_everything(
    post_webhook: PostWebhook,
    sent: list[dict[str, Any]],
    clock: Clock,
    engine: Engine,
    business: BusinessConfig,
    answer: str,
) -> None:
    say(post_webhook, clock, ANA, "apagar meus dados")
    say(post_webhook, clock, ANA, answer)
    assert texts(sent)[-1] == ERASE_CANCELLED
    assert requests(engine) == [(ANA.wa_id, "erase", "cancelled")]
    privacy_task(engine, business, clock.now + timedelta(hours=1))
    assert known(engine, ANA.wa_id)


def test_nonsense_asks_once_more_then_cancels(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, ANA, "hapus data saya")
    say(post_webhook, clock, ANA, "maybe later?")
    assert texts(sent)[-1] == ERASE_AGAIN
    say(post_webhook, clock, ANA, "what")
    assert texts(sent)[-1] == ERASE_CANCELLED
    assert requests(engine) == [(ANA.wa_id, "erase", "cancelled")]
    say(post_webhook, clock, ANA, "yes")  # too late: an ordinary word for the flow
    assert requests(engine) == [(ANA.wa_id, "erase", "cancelled")]


def test_an_unanswered_question_lapses_after_an_hour(
    post_webhook: PostWebhook, clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, ANA, "borrar mis datos")
    clock.now += timedelta(hours=2)
    say(post_webhook, clock, ANA, "yes")
    assert requests(engine) == [(ANA.wa_id, "erase", "cancelled")]


def test_the_running_bot_purges_once_a_day_with_a_retention(
    post_webhook: PostWebhook, clock: Clock, engine: Engine, business: BusinessConfig
) -> None:
    say(post_webhook, clock, ANA, "hi")
    later = clock.now + timedelta(days=1100)
    privacy_task(engine, business, later)
    privacy_task(engine, business, later + timedelta(hours=23))  # not again the same day
    with read_session(engine) as session:
        [run] = session.exec(select(PurgeRun)).all()
        assert run.counts["waflow_inbound"] == 1
    privacy_task(engine, business, later + timedelta(days=1))
    with read_session(engine) as session:
        assert len(session.exec(select(PurgeRun)).all()) == 2


def test_a_customer_written_to_first_is_no_leftover(
    post_webhook: PostWebhook, clock: Clock, engine: Engine, business: BusinessConfig
) -> None:
    with transaction(engine) as session:
        session.add(Contact(wa_id=BEN.wa_id, created_at=clock.now))
        [row] = outbox.enqueue(
            session, BEN.wa_id, [messages.text(BEN.wa_id, "Hello")], now=clock.now
        )
        row.state, row.wamid = "sent", "wamid.FIRST"
        session.add(row)
    assert post_webhook(simulate.status("wamid.FIRST", BEN.wa_id, "read")).status_code == 200
    privacy_task(engine, business, clock.now + timedelta(minutes=2))
    assert known(engine, BEN.wa_id)


SPANISH = """
  export_text: "Anotado: {business} te enviará una copia de tus datos."
  erase_question: "¿Borramos tus datos? Responde SÍ o NO."
  erase_confirmed: "Borraremos tus datos en un minuto."
"""


@pytest.mark.parametrize("business", [SPANISH], indirect=True)
def test_the_business_file_words_the_answers(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock
) -> None:
    say(post_webhook, clock, ANA, "mis datos")
    assert texts(sent)[-1] == "Anotado: Miga Bakery te enviará una copia de tus datos."
    say(post_webhook, clock, ANA, "borrar mis datos")
    assert texts(sent)[-1] == "¿Borramos tus datos? Responde SÍ o NO."
    say(post_webhook, clock, ANA, "sí")
    assert texts(sent)[-1] == "Borraremos tus datos en un minuto."
