"""The staff alert fills every parameter ``TEMPLATE_PARAMS`` lists for ``handoff``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.sending import outbox_rows
from flows.features.business import TEMPLATE_PARAMS, BusinessConfig, TemplateRef, Templates
from flows.features.handoff.handoff import request_handoff
from storage.db import transaction
from storage.models import Contact
from tests.handoff.conftest import CUSTOMER, NOW, STAFF, add_contact


def test_a_handoff_template_may_use_every_listed_parameter(
    engine: Engine, salon: BusinessConfig
) -> None:
    names = sorted(TEMPLATE_PARAMS["handoff"] or ())
    config = replace(salon, templates=Templates(handoff=TemplateRef("alert", params=tuple(names))))
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=1), name="Ana")
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        assert request_handoff(session, config, contact, NOW, message="Hi") == "template"
    [alert] = outbox_rows(engine, STAFF)
    sent = [p["text"] for p in alert.payload["template"]["components"][0]["parameters"]]
    values = dict(zip(names, sent, strict=True))
    assert (values["name"], values["number"], values["message"]) == ("Ana", f"+{CUSTOMER}", "Hi")
