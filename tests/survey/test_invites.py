"""Survey invitations after a delivered order: once per order, never after an answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.sending import outbox_rows
from flows.features.business import BusinessConfig, Templates
from flows.features.surveys import models as store
from flows.features.surveys.definitions import SurveyDef
from flows.features.surveys.invites import after_delivery, answered, surveys_of
from storage.db import transaction
from storage.models import Contact

NOW = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
CUSTOMER = "34600000001"


def _contact(engine: Engine, wrote_ago: timedelta | None) -> None:
    with transaction(engine) as session:
        last = None if wrote_ago is None else NOW - wrote_ago
        session.add(Contact(wa_id=CUSTOMER, name="Ana", last_inbound_at=last))


def _delivered(engine: Engine, shop: BusinessConfig, order: str) -> list[str]:
    with transaction(engine) as session:
        return after_delivery(session, shop, CUSTOMER, order, NOW)


def test_the_business_file_gives_typed_surveys(shop: BusinessConfig) -> None:
    surveys = surveys_of(shop)
    assert [s.name for s in surveys] == ["feedback", "quick"]
    assert all(isinstance(s, SurveyDef) for s in surveys)
    assert surveys[0].after_delivery
    assert not surveys[1].after_delivery


def test_a_delivered_order_invites_once_with_a_start_button(
    engine: Engine, shop: BusinessConfig
) -> None:
    _contact(engine, wrote_ago=timedelta(hours=1))
    assert _delivered(engine, shop, "OR-1") == ["feedback"]
    assert _delivered(engine, shop, "OR-1") == []
    [invite] = outbox_rows(engine, CUSTOMER)
    buttons = invite.payload["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["survey:feedback", "survey_later"]
    assert invite.payload["interactive"]["body"]["text"] == "Two minutes of your time?"


def test_outside_the_window_the_invite_template_is_sent(
    engine: Engine, shop: BusinessConfig
) -> None:
    _contact(engine, wrote_ago=timedelta(days=3))
    assert _delivered(engine, shop, "OR-1") == ["feedback"]
    [invite] = outbox_rows(engine, CUSTOMER)
    assert invite.payload["template"]["name"] == "feedback_invite"
    params = [p["text"] for p in invite.payload["template"]["components"][0]["parameters"]]
    assert params == ["Ana", "Bella Bakery"]


def test_without_template_a_closed_window_invites_nobody_and_records_nothing(
    engine: Engine, shop: BusinessConfig
) -> None:
    _contact(engine, wrote_ago=None)
    plain = replace(shop, templates=Templates())
    assert _delivered(engine, plain, "OR-1") == []
    _contact_writes(engine)
    assert _delivered(engine, plain, "OR-1") == ["feedback"]  # not recorded the first time


def _contact_writes(engine: Engine) -> None:
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        contact.last_inbound_at = NOW - timedelta(minutes=1)


def test_a_customer_who_answered_is_not_invited_again(engine: Engine, shop: BusinessConfig) -> None:
    _contact(engine, wrote_ago=timedelta(hours=1))
    with transaction(engine) as session:
        store.record_response(session, "feedback", CUSTOMER, [], once_per_contact=True, now=NOW)
    assert _delivered(engine, shop, "OR-2") == []
    assert outbox_rows(engine, CUSTOMER) == []


def test_only_a_once_per_contact_survey_counts_as_answered(
    engine: Engine, shop: BusinessConfig
) -> None:
    feedback = surveys_of(shop)[0]
    with transaction(engine) as session:
        assert not answered(session, feedback, CUSTOMER)
        store.record_response(session, "feedback", CUSTOMER, [], once_per_contact=True, now=NOW)
        assert answered(session, feedback, CUSTOMER)
        assert not answered(
            session, feedback.model_copy(update={"once_per_contact": False}), CUSTOMER
        )
