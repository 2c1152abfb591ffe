"""Survey tables: one response per completed survey, its answers, and sent invitations.

A response is written with all its answers in the turn's transaction. For a once-per-contact
survey it carries ``once_key = wa_id`` under a unique ``(survey, once_key)`` constraint, so the
*database* refuses a second response even when two turns race; other surveys leave ``once_key``
NULL, which never conflicts. Invitations are unique per ``(survey, wa_id, ref)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Text, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from flows.features.business.timestamps import as_utc, timestamp
from flows.features.surveys.definitions import AnswerValue
from storage.db import insert_ignoring_conflicts
from storage.models import utcnow


class SurveyResponse(SQLModel, table=True):
    """One customer's completed answers to one survey."""

    __tablename__ = "waflow_survey_response"
    __table_args__ = (UniqueConstraint("survey", "once_key", name="uq_waflow_survey_once"),)

    id: int | None = Field(default=None, primary_key=True)
    survey: str = Field(max_length=64, index=True)
    wa_id: str = Field(max_length=64, index=True)
    once_key: str | None = Field(default=None, max_length=64)
    source: str | None = Field(default=None, max_length=64)  # keyword, after_delivery...
    ref: str | None = Field(default=None, max_length=128)  # e.g. the delivered order
    completed_at: datetime = timestamp(default_factory=utcnow)


class SurveyAnswer(SQLModel, table=True):
    """One answer of a response; ``value_int`` for ratings, NPS and yes/no (1/0)."""

    __tablename__ = "waflow_survey_answer"
    __table_args__ = (UniqueConstraint("response_id", "question", name="uq_waflow_survey_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(
        foreign_key="waflow_survey_response.id", ondelete="CASCADE", index=True
    )
    survey: str = Field(max_length=64, index=True)
    question: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    value_int: int | None = None
    value_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    skipped: bool = False


class SurveyInvite(SQLModel, table=True):
    """A survey invitation sent to a customer (for example after an order was delivered)."""

    __tablename__ = "waflow_survey_invite"
    __table_args__ = (UniqueConstraint("survey", "wa_id", "ref", name="uq_waflow_survey_invite"),)

    id: int | None = Field(default=None, primary_key=True)
    survey: str = Field(max_length=64)
    wa_id: str = Field(max_length=64, index=True)
    ref: str = Field(max_length=128)
    sent_at: datetime = timestamp(default_factory=utcnow)


@dataclass(frozen=True)
class StoredAnswer:
    """An answer to write: ``value`` is an int, bool, str or ``None`` (skipped)."""

    question: str
    kind: str
    value: AnswerValue | None


def _insert_new(session: Session, model: Any, row: dict[str, Any], unique: list[str]) -> int | None:
    """Insert ``row`` and return its id, or ``None`` (nothing written) when ``unique`` clashes."""
    table = model.__table__
    statement = insert_ignoring_conflicts(session, table, [row], unique=unique)
    found = session.execute(statement.returning(table.c.id)).scalar_one_or_none()
    return None if found is None else int(found)


def has_responded(session: Session, survey: str, wa_id: str) -> bool:
    """Whether ``wa_id`` already completed ``survey``."""
    query = select(SurveyResponse.id).where(
        SurveyResponse.survey == survey, SurveyResponse.wa_id == wa_id
    )
    return session.exec(query.limit(1)).first() is not None


def record_response(
    session: Session,
    survey: str,
    wa_id: str,
    answers: Sequence[StoredAnswer],
    *,
    once_per_contact: bool,
    now: datetime,
    source: str | None = None,
    ref: str | None = None,
) -> int | None:
    """Store ``wa_id``'s completed response to ``survey`` in the turn's transaction.

    Args:
        answers: The answers, skipped ones with ``value=None``.
        once_per_contact: Let the database refuse a second response from ``wa_id``.
        source: What started the survey (``keyword``, ``after_delivery``...).
        ref: A reference such as the delivered order.

    Returns:
        The response id, or ``None`` when the customer had already answered a
        once-per-contact survey (nothing is written).
    """
    row = {
        "survey": survey,
        "wa_id": wa_id,
        "once_key": wa_id if once_per_contact else None,
        "source": source,
        "ref": ref,
        "completed_at": as_utc(now),
    }
    response_id = _insert_new(session, SurveyResponse, row, ["survey", "once_key"])
    if response_id is None:
        return None
    for answer in answers:
        value = answer.value
        session.add(
            SurveyAnswer(
                response_id=response_id,
                survey=survey,
                question=answer.question,
                kind=answer.kind,
                value_int=int(value) if isinstance(value, bool | int) else None,
                value_text=value if isinstance(value, str) else None,
                skipped=value is None,
            )
        )
    session.flush()
    return response_id


def record_invite(session: Session, survey: str, wa_id: str, ref: str, now: datetime) -> bool:
    """Remember an invitation; ``False`` when this one was already sent (send nothing then)."""
    row = {"survey": survey, "wa_id": wa_id, "ref": ref, "sent_at": as_utc(now)}
    return _insert_new(session, SurveyInvite, row, ["survey", "wa_id", "ref"]) is not None


@dataclass(frozen=True)
class Period:
    """The responses completed in ``[since, until)``; an end left ``None`` is open."""

    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """The ``WHERE`` conditions on :class:`SurveyResponse` that select the period."""
        completed = col(SurveyResponse.completed_at)
        found = []
        if self.since is not None:
            found.append(completed >= as_utc(self.since))
        if self.until is not None:
            found.append(completed < as_utc(self.until))
        return found


ALWAYS = Period()
"""Every response."""
_OF_RESPONSE = col(SurveyAnswer.response_id) == col(SurveyResponse.id)


def response_count(session: Session, survey: str, period: Period = ALWAYS) -> int:
    """How many responses ``survey`` has (in ``period``)."""
    query = (
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey == survey, *period.conditions())
    )
    return int(session.exec(query).one())


def answer_counts(
    session: Session, survey: str, period: Period = ALWAYS
) -> list[tuple[str, int | None, str | None, int]]:
    """Non-skipped answers grouped by value: ``(question, value_int, value_text, count)``.

    Only responses completed in ``period`` count. Free-text answers are left out (each one is
    different); read them with :func:`responses`.
    """
    query = (
        select(
            SurveyAnswer.question,
            SurveyAnswer.value_int,
            SurveyAnswer.value_text,
            func.count(),
        )
        .join(SurveyResponse, _OF_RESPONSE)
        .where(SurveyAnswer.survey == survey, col(SurveyAnswer.skipped).is_(False))
        .where(SurveyAnswer.kind != "text", *period.conditions())
        .group_by(
            col(SurveyAnswer.question), col(SurveyAnswer.value_int), col(SurveyAnswer.value_text)
        )
    )
    return [(q, vi, vt, int(n)) for q, vi, vt, n in session.exec(query)]


def question_counts(
    session: Session, survey: str, *, skipped: bool, period: Period = ALWAYS
) -> dict[str, int]:
    """How often each question of ``survey`` was answered (or, with ``skipped``, skipped)."""
    query = (
        select(SurveyAnswer.question, func.count())
        .join(SurveyResponse, _OF_RESPONSE)
        .where(SurveyAnswer.survey == survey, col(SurveyAnswer.skipped).is_(skipped))
        .where(*period.conditions())
        .group_by(col(SurveyAnswer.question))
    )
    return {q: int(n) for q, n in session.exec(query)}


def responses(
    session: Session, survey: str, period: Period = ALWAYS
) -> list[tuple[SurveyResponse, dict[str, SurveyAnswer]]]:
    """Every response of ``survey`` in ``period``, in completion order, with its answers by id."""
    rows = list(
        session.exec(
            select(SurveyResponse)
            .where(SurveyResponse.survey == survey, *period.conditions())
            .order_by(col(SurveyResponse.completed_at), col(SurveyResponse.id))
        )
    )
    answers: dict[int, dict[str, SurveyAnswer]] = {int(r.id or 0): {} for r in rows}
    if rows:
        query = select(SurveyAnswer).join(SurveyResponse, _OF_RESPONSE)
        query = query.where(SurveyAnswer.survey == survey, *period.conditions())
        for answer in session.exec(query):
            if answer.response_id in answers:
                answers[answer.response_id][answer.question] = answer
    return [(r, answers[int(r.id or 0)]) for r in rows]


__all__ = [
    "ALWAYS",
    "Period",
    "StoredAnswer",
    "SurveyAnswer",
    "SurveyInvite",
    "SurveyResponse",
    "answer_counts",
    "has_responded",
    "question_counts",
    "record_invite",
    "record_response",
    "response_count",
    "responses",
]
