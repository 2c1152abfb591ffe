"""The survey invitation fills every parameter ``TEMPLATE_PARAMS`` lists for ``survey_invite``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bot.sending import outbox_rows
from flows.features.business import TEMPLATE_PARAMS, BusinessConfig, TemplateRef, Templates
from flows.features.surveys.invites import after_delivery
from storage.db import transaction
from storage.models import Contact

NOW = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
CUSTOMER = "34600000001"


def test_an_invite_template_may_use_every_listed_parameter(
    engine: Engine, shop: BusinessConfig
) -> None:
    names = sorted(TEMPLATE_PARAMS["survey_invite"] or ())
    template = TemplateRef("feedback_invite", params=tuple(names))
    config = replace(shop, templates=Templates(survey_invite=template))
    with transaction(engine) as session:
        session.add(Contact(wa_id=CUSTOMER, name="Ana", last_inbound_at=NOW - timedelta(days=3)))
    with transaction(engine) as session:
        assert after_delivery(session, config, CUSTOMER, "OR-1", NOW) == ["feedback"]
    [row] = outbox_rows(engine, CUSTOMER)
    sent = [p["text"] for p in row.payload["template"]["components"][0]["parameters"]]
    assert dict(zip(names, sent, strict=True)) == {
        "business": "Bella Bakery",
        "name": "Ana",
        "survey": config.surveys["feedback"].title,
    }
