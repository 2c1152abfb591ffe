"""A customer answering a broadcast in their language: the stop is recorded as its reply and
confirmed in their words (the consent feature's catalog)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.runtime import Runtime
from flows.features.business import BusinessConfig
from flows.features.consent.models import ConsentEvent
from storage.db import read_session, transaction
from storage.models import Contact
from tests.broadcasts.test_exactly_once import ANA, _broadcast_to_ana, _text
from tests.helpers import Clock, PostWebhook


def test_a_spanish_stop_answering_a_broadcast_is_confirmed_in_spanish(
    engine: Engine,
    business: BusinessConfig,
    runtime: Runtime,
    post_webhook: PostWebhook,
    clock: Clock,
    sent: list[dict[str, Any]],
) -> None:
    wamid = _broadcast_to_ana(engine, business, runtime, clock)
    with transaction(engine) as session:
        ana = session.exec(select(Contact).where(Contact.wa_id == ANA)).one()
        ana.language = "es"
        session.add(ana)
    clock.now += timedelta(minutes=5)
    post_webhook(_text("Baja", quoting=wamid))
    with read_session(engine) as session:
        events = session.exec(select(ConsentEvent)).all()
    assert [(e.opted, e.source) for e in events] == [("out", "broadcast_reply")]
    name = business.business.name
    assert sent[-1]["text"]["body"] == (
        f"Ya no recibirás ofertas de {name}. Envía ALTA para volver a recibirlas."
    )
