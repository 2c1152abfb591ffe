"""The survey YAML format: what parse_survey accepts, and the located errors it raises."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import FlowError
from flows.features.surveys.definitions import (
    Condition,
    Option,
    SurveyDef,
    parse_survey,
)
from tests.survey.conftest import feedback_raw


def test_a_full_survey_is_read_into_typed_questions(feedback: SurveyDef) -> None:
    assert feedback.name == "feedback"
    assert feedback.title == "Delivery feedback"
    assert feedback.once_per_contact is True
    assert feedback.after_delivery is True
    assert feedback.keywords == ("feedback", "survey")
    assert [(q.id, q.kind) for q in feedback.questions] == [
        ("stars", "rating"),
        ("nps", "nps"),
        ("why", "choice"),
        ("again", "yes_no"),
        ("fix", "text"),
        ("comment", "text"),
    ]
    why = feedback.question("why")
    assert why.options == (
        Option("price", "Price"),
        Option("delivery_time", "Delivery time"),
        Option("pack", "Packaging"),
    )
    assert why.conditions == (Condition("nps", "<=", 6),)
    assert feedback.question("fix").conditions == (Condition("again", "==", False),)
    assert feedback.question("comment").optional
    assert feedback.question("comment").max_length == 200


def test_the_name_comes_from_the_key_when_not_given() -> None:
    raw = feedback_raw()
    del raw["name"]
    assert parse_survey(raw, "surveys.after_sale").name == "after_sale"


def test_without_a_title_the_name_is_the_title_whatever_its_length() -> None:
    raw = feedback_raw()
    del raw["title"]
    raw["name"] = "n" * 64
    assert parse_survey(raw, "surveys.x").title == "n" * 64
    raw["title"] = "t" * 61
    with pytest.raises(FlowError, match=r"surveys\.x\.title: at most 60 characters"):
        parse_survey(raw, "surveys.x")


@pytest.mark.parametrize(
    ("condition", "answers", "holds"),
    [
        pytest.param(Condition("a", "in", ("x", "y")), {"a": "y"}, True, id="in"),
        pytest.param(Condition("a", "not in", ("x", "y")), {"a": "y"}, False, id="not-in"),
        pytest.param(Condition("a", "!=", "x"), {"a": "y"}, True, id="not-equal"),
        pytest.param(Condition("a", ">", 3), {"a": 4}, True, id="greater"),
        pytest.param(Condition("a", ">=", 3), {"a": 2}, False, id="not-greater-equal"),
        pytest.param(Condition("a", "<", 3), {"a": 2}, True, id="less"),
        pytest.param(Condition("a", "==", 3), {}, False, id="unanswered-never-matches"),
        pytest.param(Condition("a", "!=", 3), {"a": None}, False, id="skipped-never-matches"),
    ],
)
def test_conditions(condition: Condition, answers: dict[str, Any], holds: bool) -> None:
    assert condition.holds(answers) is holds


def _with(question_changes: dict[str, Any], index: int = 2, **survey: Any) -> dict[str, Any]:
    raw = feedback_raw()
    raw["questions"][index].update(question_changes)
    raw.update(survey)
    return raw


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        pytest.param(
            {**feedback_raw(), "colour": "red"},
            "surveys.feedback.colour",
            "unknown key",
            id="unknown-key",
        ),
        pytest.param(
            {**feedback_raw(), "questions": []},
            "surveys.feedback.questions",
            "non-empty",
            id="no-questions",
        ),
        pytest.param(
            {**feedback_raw(), "name": "Feed Back"}, "surveys.feedback.name", "[a-z]", id="bad-name"
        ),
        pytest.param(_with({"type": "slider"}), "questions[2].type", "one of", id="unknown-type"),
        pytest.param(_with({"id": "nps"}), "questions[2].id", "duplicate", id="duplicate-id"),
        pytest.param(
            _with({"options": [f"Option {n}" for n in range(11)]}),
            "questions[2].options",
            "at most 10",
            id="eleven-options",
        ),
        pytest.param(
            _with({"optional": True, "options": [f"Option {n}" for n in range(10)]}),
            "questions[2].options",
            "Skip",
            id="ten-options-and-skip",
        ),
        pytest.param(
            _with({"options": ["A title much longer than a row allows"]}),
            "questions[2].options[0]",
            "at most 24",
            id="long-option-title",
        ),
        pytest.param(
            _with({"options": [True, False]}),
            "questions[2].options[0]",
            "quotes",
            id="unquoted-yes-no",
        ),
        pytest.param(
            _with({"options": ["Price", "price"]}),
            "questions[2].options[1]",
            "twice",
            id="duplicate-option",
        ),
        pytest.param(
            _with({"if": "comment == x"}),
            "questions[2].if",
            "not an earlier question",
            id="condition-on-later",
        ),
        pytest.param(
            _with({"if": "stars == 6"}),
            "questions[2].if",
            "from 1 to 5",
            id="rating-literal-out-of-range",
        ),
        pytest.param(_with({"if": "nps ~ 3"}), "questions[2].if", "cannot read", id="bad-operator"),
        pytest.param(
            _with({"if": "again > yes"}, 4),
            "questions[4].if",
            "only compares",
            id="order-on-yes-no",
        ),
        pytest.param(
            _with({"if": "why == cheap"}, 3),
            "questions[3].if",
            "no option 'cheap'",
            id="unknown-option",
        ),
        pytest.param(
            _with({"if": "why in price"}, 3),
            "questions[3].if",
            "needs a list",
            id="in-without-list",
        ),
        pytest.param(
            _with({"if": "fix == x"}, 5), "questions[5].if", "free-text", id="condition-on-text"
        ),
        pytest.param(
            _with({"max_length": 20}),
            "questions[2].max_length",
            "only text",
            id="max-length-on-choice",
        ),
        pytest.param(
            _with({"max_length": 0}, 5), "questions[5].max_length", "from 1", id="max-length-zero"
        ),
        pytest.param(
            _with({"options": ["a"]}, 0),
            "questions[0].options",
            "only choice",
            id="options-on-rating",
        ),
        pytest.param(
            _with({"optional": "maybe"}),
            "questions[2].optional",
            "true or false",
            id="optional-not-bool",
        ),
        pytest.param(
            _with({"text": "x" * 1025}), "questions[2].text", "at most 1024", id="long-text"
        ),
    ],
)
def test_invalid_definitions_are_refused_with_their_key_path(
    raw: dict[str, Any], path: str, message: str
) -> None:
    with pytest.raises(FlowError) as caught:
        parse_survey(raw, "surveys.feedback", file="shop.yaml")
    assert caught.value.path is not None
    assert caught.value.path.endswith(path)
    assert message in caught.value.message
    assert caught.value.file == "shop.yaml"


def test_errors_carry_the_line_when_lines_are_given() -> None:
    raw = _with({"type": "slider"})
    lines = {"surveys.feedback": 10, "surveys.feedback.questions[2]": 14}
    with pytest.raises(FlowError) as caught:
        parse_survey(raw, "surveys.feedback", file="shop.yaml", lines=lines)
    assert caught.value.line == 14
    assert str(caught.value).startswith("shop.yaml:14")


def test_each_condition_of_a_list_is_located() -> None:
    with pytest.raises(FlowError) as caught:
        parse_survey(_with({"if": ["nps <= 6", 3]}), "surveys.feedback", file="shop.yaml")
    assert caught.value.path == "surveys.feedback.questions[2].if[1]"
    assert "put it in quotes" in caught.value.message


def test_unknown_question_keys_get_a_suggestion() -> None:
    with pytest.raises(FlowError, match="did you mean 'optional'"):
        parse_survey(_with({"optinal": True}), "surveys.feedback")
