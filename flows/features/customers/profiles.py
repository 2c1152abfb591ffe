"""Customer profiles: find contacts by name or number; one contact with their orders and more.

A profile gathers what the other features know of one contact: their orders (the shop), their
bookings and their survey answers, each read through the owning feature's public functions or
tables, newest first and capped at :data:`RECENT` each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from flows.features.booking.models import Booking
from flows.features.business import BusinessConfig
from flows.features.consent.models import ConsentEvent, history
from flows.features.shop import customer_orders
from flows.features.shop.models import Order
from flows.features.surveys import SurveyDef
from flows.features.surveys.models import SurveyAnswer, SurveyResponse
from flows.features.surveys.results import answer_text
from storage.models import Contact, OutboxMessage

PER_PAGE = 50
"""Contacts per page of the customer list."""
RECENT = 50
"""At most this many orders, bookings and survey responses on a profile."""


def find_contacts(session: Session, typed: str, page: int = 1) -> tuple[list[Contact], bool]:
    """One page of contacts whose name holds ``typed`` (any case) or whose number holds its digits.

    The most recently heard from come first (see :meth:`~storage.models.Contact.matching`).
    Returns the page and whether a next one exists.
    """
    query = select(Contact)
    if typed.strip():
        query = query.where(Contact.matching(typed))
    query = (
        query.order_by(
            col(Contact.last_inbound_at).is_(None),
            col(Contact.last_inbound_at).desc(),
            col(Contact.id).desc(),
        )
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
    )
    rows = list(session.exec(query))
    return rows[:PER_PAGE], len(rows) > PER_PAGE


@dataclass(frozen=True)
class SurveyAnswers:
    """One completed survey response: the survey's title, when, and (question, answer) pairs."""

    survey: str
    completed_at: datetime
    answers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Profile:
    """What the console shows of one customer.

    Attributes:
        contact: Their contact row (name, number, consent, bot paused).
        last_outbound_at: When a message to them was last queued (bot or staff), if ever.
        orders: Their orders, newest first.
        bookings: Their bookings (any status), latest start first.
        surveys: Their survey responses, newest first.
        consents: Their opt-outs and opt-ins (the consent ledger), newest first.
    """

    contact: Contact
    last_outbound_at: datetime | None
    orders: list[Order]
    bookings: list[Booking]
    surveys: list[SurveyAnswers]
    consents: list[ConsentEvent]


def _survey_answers(session: Session, business: BusinessConfig, wa_id: str) -> list[SurveyAnswers]:
    responses = list(
        session.exec(
            select(SurveyResponse)
            .where(SurveyResponse.wa_id == wa_id)
            .order_by(col(SurveyResponse.completed_at).desc(), col(SurveyResponse.id).desc())
            .limit(RECENT)
        )
    )
    if not responses:
        return []
    by_response: dict[int, dict[str, SurveyAnswer]] = {int(r.id or 0): {} for r in responses}
    query = select(SurveyAnswer).where(col(SurveyAnswer.response_id).in_(by_response))
    for answer in session.exec(query):
        by_response[answer.response_id][answer.question] = answer
    found: list[SurveyAnswers] = []
    for response in responses:
        answers = by_response[int(response.id or 0)]
        survey = business.surveys.get(response.survey)
        if isinstance(survey, SurveyDef):
            pairs = tuple(
                (q.text, answer_text(q, answers.get(q.id)))
                for q in survey.questions
                if q.id in answers
            )
            title = survey.title
        else:  # a survey since removed from the business file: its raw answers
            pairs = tuple(
                (a.question, a.value_text or ("" if a.value_int is None else str(a.value_int)))
                for a in answers.values()
            )
            title = response.survey
        found.append(SurveyAnswers(title, response.completed_at, pairs))
    return found


def profile(session: Session, business: BusinessConfig, contact_id: int) -> Profile | None:
    """The profile of the contact with this id, or ``None`` when there is none."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return None
    wa_id = contact.wa_id
    last_outbound = session.exec(
        select(func.max(OutboxMessage.created_at)).where(OutboxMessage.wa_id == wa_id)
    ).one()
    bookings = session.exec(
        select(Booking)
        .where(Booking.wa_id == wa_id)
        .order_by(col(Booking.start_at).desc(), col(Booking.id).desc())
        .limit(RECENT)
    )
    return Profile(
        contact=contact,
        last_outbound_at=last_outbound,
        orders=customer_orders(session, wa_id, limit=RECENT),
        bookings=list(bookings),
        surveys=_survey_answers(session, business, wa_id),
        consents=history(session, wa_id)[::-1][:RECENT],
    )


__all__ = ["PER_PAGE", "RECENT", "Profile", "SurveyAnswers", "find_contacts", "profile"]
