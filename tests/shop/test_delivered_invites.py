"""A delivered order invites its customer to the business file's ``after_delivery`` surveys."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.sending import outbox_rows
from flows.features.business import BusinessConfig, TemplateRef, parse_business
from flows.features.shop.order_status import mark_paid, update_order_status
from flows.features.surveys.models import SurveyInvite
from storage import outbox
from storage.db import transaction
from storage.models import Contact
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import ANA, NOW, outbox_payloads, reload, visible
from tests.survey.conftest import SHOP_YAML

LATER = NOW + timedelta(hours=2)
DAYS_LATER = NOW + timedelta(days=3)


@pytest.fixture
def surveyed(business: BusinessConfig) -> BusinessConfig:
    """The test bakery with two surveys: ``feedback`` (after delivery) and ``quick`` (not)."""
    other = parse_business(SHOP_YAML, "surveys.yaml")
    survey_invite = other.templates.survey_invite
    templates = business.templates.model_copy(update={"survey_invite": survey_invite})
    return dataclasses.replace(business, surveys=other.surveys, templates=templates)


def _paid(engine: Engine, business: BusinessConfig, place_order: PlaceOrder) -> str:
    number = place_order(config=business).number
    with transaction(engine) as session:
        assert mark_paid(session, business, number, now=NOW).changed
    return number


def _set(
    engine: Engine, business: BusinessConfig, number: str, status: str, now: datetime = LATER
) -> None:
    with transaction(engine) as session:
        assert update_order_status(session, business, number, status, now=now).changed


def test_delivered_queues_the_update_then_the_invitation(
    engine: Engine, surveyed: BusinessConfig, place_order: PlaceOrder
) -> None:
    number = _paid(engine, surveyed, place_order)
    _set(engine, surveyed, number, "shipped")
    before = len(outbox_payloads(engine, ANA))
    _set(engine, surveyed, number, "delivered")
    update, invite = outbox_payloads(engine, ANA)[before:]
    assert visible(update) == f"Your order {number} is collected."
    buttons = invite["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["survey:feedback", "survey_later"]


def test_other_statuses_invite_nobody(
    engine: Engine, surveyed: BusinessConfig, place_order: PlaceOrder
) -> None:
    number = _paid(engine, surveyed, place_order)
    for status in ("preparing", "shipped"):
        _set(engine, surveyed, number, status)
    assert not any(p["type"] == "interactive" for p in outbox_payloads(engine, ANA))


def test_outside_the_window_the_invitation_is_the_template(
    engine: Engine, surveyed: BusinessConfig, place_order: PlaceOrder
) -> None:
    number = _paid(engine, surveyed, place_order)
    _set(engine, surveyed, number, "delivered", now=DAYS_LATER)
    *_, update, invite = outbox_payloads(engine, ANA)
    assert update["template"]["name"] == "order_update"
    assert invite["template"]["name"] == "feedback_invite"


def test_without_after_delivery_surveys_only_the_update_is_sent(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    number = _paid(engine, business, place_order)
    _set(engine, business, number, "delivered")
    assert visible(outbox_payloads(engine, ANA)[-1]) == f"Your order {number} is collected."


def test_a_broken_invite_template_does_not_undo_the_delivery(
    engine: Engine,
    surveyed: BusinessConfig,
    place_order: PlaceOrder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bad = TemplateRef("feedback_invite", params=("order_total",))
    broken = dataclasses.replace(
        surveyed, templates=surveyed.templates.model_copy(update={"survey_invite": bad})
    )
    number = _paid(engine, broken, place_order)
    with caplog.at_level(logging.ERROR, logger="flows.features.shop.order_status"):
        _set(engine, broken, number, "delivered", now=DAYS_LATER)
    assert reload(engine, number).status == "delivered"
    assert "survey invitation not sent" in caplog.text
    assert outbox_payloads(engine, ANA)[-1]["template"]["name"] == "order_update"


@pytest.mark.parametrize("now", [LATER, DAYS_LATER], ids=["in-window", "template"])
def test_an_opted_out_customer_gets_the_update_and_a_suppressed_recorded_invitation(
    engine: Engine, surveyed: BusinessConfig, place_order: PlaceOrder, now: datetime
) -> None:
    number = _paid(engine, surveyed, place_order)
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == ANA)).one()
        contact.marketing_opt_out = True
    _set(engine, surveyed, number, "delivered", now=now)
    *_, update, invite = outbox_rows(engine, ANA)
    assert (update.state, update.category) == ("pending", "utility")
    assert (invite.state, invite.category) == ("suppressed", "marketing")
    assert invite.last_error == outbox.SUPPRESSED
    with Session(engine) as session:  # recorded: the order is not asked about again
        assert len(session.exec(select(SurveyInvite)).all()) == 1
