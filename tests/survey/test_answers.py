"""Reading survey replies and rendering questions: no database involved."""

from __future__ import annotations

import pytest

from bot import messages
from flows.builtin.survey_answers import Answer, format_answer, parse_answer, question_message
from flows.builtin.surveys import SurveyDef

TO = "34600111222"


@pytest.mark.parametrize(
    ("qid", "choice_id", "text", "expected"),
    [
        pytest.param("stars", None, "4", Answer(ok=True, value=4), id="rating-digit"),
        pytest.param("stars", None, "5 stars", Answer(ok=True, value=5), id="rating-with-word"),
        pytest.param("stars", None, "⭐⭐⭐", Answer(ok=True, value=3), id="rating-stars"),
        pytest.param("stars", "stars:2", "⭐⭐ 2", Answer(ok=True, value=2), id="rating-row"),
        pytest.param("nps", None, "0", Answer(ok=True, value=0), id="nps-zero"),
        pytest.param("nps", None, " 10 ", Answer(ok=True, value=10), id="nps-ten"),
        pytest.param("nps", None, "9/10", Answer(ok=True, value=9), id="nps-out-of-ten"),
        pytest.param(
            "why", "why:pack", "Packaging", Answer(ok=True, value="pack"), id="choice-row"
        ),
        pytest.param(
            "why", None, "delivery time", Answer(ok=True, value="delivery_time"), id="choice-title"
        ),
        pytest.param("why", None, "1", Answer(ok=True, value="price"), id="choice-ordinal"),
        pytest.param("again", "again:no", "No", Answer(ok=True, value=False), id="yes-no-button"),
        pytest.param("again", None, "Yes!", Answer(ok=True, value=True), id="yes-typed"),
        pytest.param("again", None, "sí", Answer(ok=True, value=True), id="yes-spanish"),
        pytest.param(
            "fix", None, "  cheaper  ", Answer(ok=True, value="cheaper"), id="text-trimmed"
        ),
        pytest.param(
            "comment", "comment:skip", "Skip", Answer(ok=True, skipped=True), id="skip-button"
        ),
        pytest.param("comment", None, "skip", Answer(ok=True, skipped=True), id="skip-typed"),
    ],
)
def test_accepted_answers(
    feedback: SurveyDef, qid: str, choice_id: str | None, text: str, expected: Answer
) -> None:
    question = feedback.question(qid)
    assert parse_answer(feedback, question, choice_id=choice_id, text=text) == expected


@pytest.mark.parametrize(
    ("qid", "choice_id", "text", "error"),
    [
        pytest.param("stars", None, "6", "from 1 to 5", id="rating-six"),
        pytest.param("stars", None, "0", "from 1 to 5", id="rating-zero"),
        pytest.param("stars", None, "great", "from 1 to 5", id="rating-word"),
        pytest.param("nps", None, "eleven", "from 0 to 10", id="nps-eleven-in-words"),
        pytest.param("nps", None, "11", "from 0 to 10", id="nps-eleven"),
        pytest.param("nps", None, "-1", "from 0 to 10", id="nps-negative"),
        pytest.param("nps", None, "7.5", "from 0 to 10", id="nps-decimal"),
        pytest.param("nps", None, "skip", "from 0 to 10", id="required-cannot-skip"),
        pytest.param("why", None, "4", "choose one", id="choice-ordinal-too-high"),
        pytest.param("why", "why:cheap", "Cheap", "choose one", id="choice-unknown-id"),
        pytest.param("again", None, "maybe", "yes or no", id="yes-no-maybe"),
        pytest.param("fix", None, "x" * 51, "under 50", id="text-too-long"),
        pytest.param("fix", None, "   ", "type your answer", id="text-empty"),
        pytest.param("stars", "nps:9", "9", "question above", id="tap-on-another-question"),
    ],
)
def test_refused_answers(
    feedback: SurveyDef, qid: str, choice_id: str | None, text: str, error: str
) -> None:
    answer = parse_answer(feedback, feedback.question(qid), choice_id=choice_id, text=text)
    assert not answer.ok
    assert answer.value is None
    assert answer.error is not None
    assert error in answer.error


def test_a_custom_invalid_message_replaces_the_default(feedback: SurveyDef) -> None:
    from dataclasses import replace

    question = replace(feedback.question("nps"), invalid="0 a 10, por favor")
    answer = parse_answer(feedback, question, choice_id=None, text="once")
    assert answer.error == "0 a 10, por favor"


def _kind(payload: dict[str, object]) -> str:
    if payload["type"] == "text":
        return "text"
    interactive = payload["interactive"]
    assert isinstance(interactive, dict)
    return str(interactive["type"])


@pytest.mark.parametrize(
    ("qid", "kind", "ids"),
    [
        pytest.param(
            "stars",
            "list",
            ["stars:1", "stars:2", "stars:3", "stars:4", "stars:5"],
            id="rating-list",
        ),
        pytest.param("nps", "text", [], id="nps-typed"),
        pytest.param(
            "why",
            "buttons",
            ["why:price", "why:delivery_time", "why:pack"],
            id="three-options-buttons",
        ),
        pytest.param("again", "buttons", ["again:yes", "again:no"], id="yes-no-buttons"),
        pytest.param("fix", "text", [], id="text-typed"),
        pytest.param("comment", "buttons", ["comment:skip"], id="optional-text-skip-button"),
    ],
)
def test_questions_render_within_whatsapp_limits(
    feedback: SurveyDef, qid: str, kind: str, ids: list[str]
) -> None:
    payload = question_message(TO, feedback, feedback.question(qid))
    messages.check(payload)
    rendered = _kind(payload)
    assert rendered == {"buttons": "button"}.get(kind, kind)
    if rendered == "button":
        got = [b["reply"]["id"] for b in payload["interactive"]["action"]["buttons"]]
    elif rendered == "list":
        sections = payload["interactive"]["action"]["sections"]
        got = [row["id"] for section in sections for row in section["rows"]]
    else:
        got = []
    assert got == ids


def test_an_nps_question_says_how_to_answer(feedback: SurveyDef) -> None:
    payload = question_message(TO, feedback, feedback.question("nps"))
    assert "0 to 10" in payload["text"]["body"]


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
