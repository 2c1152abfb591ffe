"""Survey storage and results, on SQLite and PostgreSQL: uniqueness, counts, NPS, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from flows.features.surveys import models as store
from flows.features.surveys.definitions import SurveyDef
from flows.features.surveys.models import StoredAnswer
from flows.features.surveys.results import (
    format_answer,
    net_promoter_score,
    survey_results,
    write_csv,
)
from storage.db import transaction

NOW = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def _answers(
    stars: int, nps: int, why: str | None, again: bool, comment: str | None
) -> list[StoredAnswer]:
    rows = [
        StoredAnswer("stars", "rating", stars),
        StoredAnswer("nps", "nps", nps),
        StoredAnswer("again", "yes_no", again),
        StoredAnswer("comment", "text", comment),
    ]
    if why is not None:
        rows.insert(2, StoredAnswer("why", "choice", why))
    return rows


def _record(
    engine: Engine, survey: SurveyDef, wa_id: str, answers: list[StoredAnswer], minute: int = 0
) -> int | None:
    with transaction(engine) as session:
        return store.record_response(
            session,
            survey.name,
            wa_id,
            answers,
            once_per_contact=survey.once_per_contact,
            now=NOW + timedelta(minutes=minute),
            source="keyword",
        )


def test_a_once_per_contact_survey_keeps_one_response(engine: Engine, feedback: SurveyDef) -> None:
    first = _record(engine, feedback, "34600000001", _answers(5, 10, None, True, None))
    second = _record(engine, feedback, "34600000001", _answers(1, 0, "price", False, "no"))
    assert first is not None
    assert second is None
    with transaction(engine) as session:
        assert store.response_count(session, "feedback") == 1
        assert store.has_responded(session, "feedback", "34600000001")
        assert not store.has_responded(session, "feedback", "34600000002")
        [(response, answers)] = store.responses(session, "feedback")
    assert response.id == first
    assert answers["stars"].value_int == 5


def test_a_repeatable_survey_stores_every_response(engine: Engine, feedback: SurveyDef) -> None:
    repeatable = feedback.model_copy(update={"once_per_contact": False})
    ids = [
        _record(engine, repeatable, "34600000001", _answers(4, 8, None, True, None), m)
        for m in range(3)
    ]
    assert None not in ids
    assert len(set(ids)) == 3


def test_the_database_refuses_a_second_response_of_the_same_contact(
    engine: Engine, feedback: SurveyDef
) -> None:
    """Two turns that both saw "not answered yet": the second insert finds the first."""
    with transaction(engine) as first:
        assert store.record_response(
            first, "feedback", "34600000001", [], once_per_contact=True, now=NOW
        )
        first.flush()
    with transaction(engine) as second:
        assert (
            store.record_response(
                second, "feedback", "34600000001", [], once_per_contact=True, now=NOW
            )
            is None
        )


@pytest.fixture
def answered(engine: Engine, feedback: SurveyDef) -> Engine:
    """Five responses: NPS 10, 9, 8, 6, 2 → 2 promoters, 2 detractors of 5 → NPS 0."""
    data = [
        ("34600000001", _answers(5, 10, None, True, "Great cake")),
        ("34600000002", _answers(4, 9, None, True, None)),
        ("34600000003", _answers(4, 8, None, True, "Nice, thanks")),
        ("34600000004", _answers(2, 6, "price", False, None)),
        ("34600000005", _answers(1, 2, "delivery_time", False, "Late, cold")),
    ]
    for minute, (wa_id, answers) in enumerate(data):
        assert _record(engine, feedback, wa_id, answers, minute) is not None
    return engine


def test_results_count_average_and_score(answered: Engine, feedback: SurveyDef) -> None:
    with transaction(answered) as session:
        results = survey_results(session, feedback)
    assert results.responses == 5
    by_id = {r.question.id: r for r in results.questions}
    assert dict(by_id["stars"].counts) == {"1": 1, "2": 1, "3": 0, "4": 2, "5": 1}
    assert by_id["stars"].average == 3.2
    assert by_id["nps"].average == 7.0
    assert by_id["nps"].nps == 0.0
    assert dict(by_id["why"].counts) == {"price": 1, "delivery_time": 1, "pack": 0}
    assert by_id["why"].answered == 2
    assert dict(by_id["again"].counts) == {"yes": 3, "no": 2}
    assert by_id["comment"].answered == 3
    assert by_id["comment"].skipped == 2
    assert by_id["comment"].counts == {}
    assert by_id["fix"].answered == 0


def test_results_of_a_survey_without_responses(engine: Engine, feedback: SurveyDef) -> None:
    with transaction(engine) as session:
        results = survey_results(session, feedback)
    assert results.responses == 0
    assert all(r.average is None and r.nps is None for r in results.questions)


@pytest.mark.parametrize(
    ("counts", "score"),
    [
        pytest.param({}, None, id="no-answers"),
        pytest.param({10: 3}, 100.0, id="all-promoters"),
        pytest.param({0: 1, 6: 1}, -100.0, id="all-detractors"),
        pytest.param({7: 5, 8: 5}, 0.0, id="all-passives"),
        pytest.param({9: 2, 7: 1}, 66.7, id="rounded"),
    ],
)
def test_net_promoter_score(counts: dict[int, int], score: float | None) -> None:
    assert net_promoter_score(counts) == score


def test_csv_export_has_one_row_per_response(answered: Engine, feedback: SurveyDef) -> None:
    out = io.StringIO(newline="")
    with transaction(answered) as session:
        written = write_csv(session, feedback, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert written == 5
    assert list(rows[0]) == [
        "response_id",
        "completed_at",
        "contact",
        "source",
        "ref",
        "stars",
        "nps",
        "why",
        "again",
        "fix",
        "comment",
    ]
    assert rows[0]["contact"] == "…0001"  # masked unless asked otherwise
    assert rows[0]["again"] == "yes"
    assert rows[3]["why"] == "Price"
    assert rows[4]["comment"] == "Late, cold"
    assert rows[1]["comment"] == ""
    assert rows[0]["completed_at"].startswith("2025-03-01T10:00")


def test_csv_export_with_full_numbers(answered: Engine, feedback: SurveyDef) -> None:
    out = io.StringIO(newline="")
    with transaction(answered) as session:
        write_csv(session, feedback, out, full_numbers=True)
    assert "34600000001" in out.getvalue()


def test_an_invitation_is_recorded_once(engine: Engine) -> None:
    with transaction(engine) as session:
        assert store.record_invite(session, "feedback", "34600000001", "OR-1", NOW)
        assert not store.record_invite(session, "feedback", "34600000001", "OR-1", NOW)
        assert store.record_invite(session, "feedback", "34600000001", "OR-2", NOW)


@pytest.mark.parametrize(
    ("qid", "value", "shown"),
    [
        pytest.param("why", "delivery_time", "Delivery time", id="choice-title"),
        pytest.param("again", False, "no", id="no"),
        pytest.param("nps", 7, "7", id="number"),
        pytest.param("comment", None, "", id="skipped"),
    ],
)
def test_format_answer(feedback: SurveyDef, qid: str, value: object, shown: str) -> None:
    assert format_answer(feedback.question(qid), value) == shown  # type: ignore[arg-type]
