"""The built-in flows and the generated survey flows pass ``waflow validate --strict``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from flows import Hooks, load_flow
from flows._validate import validate_flows
from flows.features import BUILTIN
from flows.features.business import BusinessConfig, parse_business
from flows.features.surveys.definitions import SurveyDef, parse_survey
from flows.features.surveys.generated import answers_from_slots, survey_flow_data, survey_flows
from flows.features.surveys.invites import surveys_of
from flows.features.surveys.models import StoredAnswer
from tests.booking.conftest import SALON_YAML
from tests.survey.conftest import SHOP_YAML

FEATURES = Path(__file__).parents[2] / "flows" / "features"


@pytest.fixture
def everything() -> BusinessConfig:
    """A business file with services, hours, surveys, templates and a notify number."""
    surveys = SHOP_YAML[SHOP_YAML.index("surveys:") :]
    return parse_business(SALON_YAML + surveys, "all.yaml")


def test_builtin_and_generated_flows_have_no_findings(everything: BusinessConfig) -> None:
    hooks = Hooks()
    for feature in BUILTIN:  # every feature's hooks, as `waflow run` registers them
        feature.register_hooks(hooks, everything)
    flows = [load_flow(path) for path in sorted(FEATURES.glob("*/flows/*.yaml"))]
    flows += survey_flows(everything)
    assert [str(d) for d in validate_flows(flows, hooks=hooks)] == []


def test_every_survey_of_the_file_is_read_by_its_key(everything: BusinessConfig) -> None:
    quick = everything.surveys["quick"]
    assert [s.name for s in surveys_of(everything)] == ["feedback", "quick"]
    assert (quick.title, quick.after_delivery, quick.once_per_contact) == ("quick", False, False)


@pytest.mark.parametrize(
    ("second", "code"),
    [
        pytest.param({"name": "feedback"}, "duplicate-flow", id="same-name"),
        pytest.param({"keywords": ("FEEDBACK",)}, "duplicate-trigger", id="same-keyword"),
    ],
)
def test_two_surveys_that_clash_are_reported(
    everything: BusinessConfig, second: dict[str, object], code: str
) -> None:
    clash = everything.surveys["quick"].model_copy(update=second)
    business = replace(everything, surveys={**everything.surveys, "quick": clash})
    found = validate_flows(list(survey_flows(business)))
    assert code in {d.code for d in found if d.severity == "error"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param({"if": "stars >= 4"}, "slots.q_stars in ['4', '5']", id="rating-at-least"),
        pytest.param({"if": "stars != 3"}, "slots.q_stars in ['1', '2', '4', '5']", id="not-equal"),
        pytest.param(
            {"if": ["stars < 3", "ok == yes"]},
            "slots.q_stars in ['1', '2'] and slots.q_ok in ['yes']",
            id="all-of",
        ),
        pytest.param({"if": "stars > 5"}, "false", id="never"),
    ],
)
def test_conditions_become_membership_tests(question: dict[str, object], expected: str) -> None:
    raw = {
        "questions": [
            {"id": "stars", "type": "rating", "text": "Stars?"},
            {"id": "ok", "type": "yes_no", "text": "OK?"},
            {"id": "why", "type": "text", "text": "Why?", **question},
        ]
    }
    data = survey_flow_data(parse_survey(raw, "surveys.s"))
    [branch, fallback] = data["states"]["ok"]["next"]
    assert branch == {"if": expected, "goto": "why"}
    assert fallback == {"goto": "finish"}


def test_texts_from_the_business_file_are_never_templates() -> None:
    raw = {"questions": [{"id": "q", "type": "text", "text": "Rate {{ slots.secret }} 100%"}]}
    data = survey_flow_data(parse_survey(raw, "surveys.s"))
    assert data["states"]["q"]["ask"] == "{% raw %}Rate {{ slots.secret }} 100%{% endraw %}"


def test_answers_from_slots(feedback: SurveyDef) -> None:
    slots = {"q_stars": "4", "q_nps": "10", "q_again": "yes", "q_comment": "Skip", "other": 1}
    assert answers_from_slots(feedback, slots) == [
        StoredAnswer("stars", "rating", 4),
        StoredAnswer("nps", "nps", 10),
        StoredAnswer("again", "yes_no", True),
        StoredAnswer("comment", "text", None),
    ]
