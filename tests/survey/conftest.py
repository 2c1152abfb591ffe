"""Survey fixtures: a definition exercising every question kind, read from YAML."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

import flows.features.surveys.models  # noqa: F401  (registers the survey tables before the schema is built)
from flows.features.business import BusinessConfig, parse_business
from flows.features.surveys.definitions import SurveyDef, parse_survey

FEEDBACK_YAML = """
name: feedback
title: Delivery feedback
keywords: [Feedback, survey]
after_delivery: true
intro: "Two minutes of your time?"
questions:
  - {id: stars, type: rating, text: "How was your order?"}
  - {id: nps, type: nps, text: "How likely are you to recommend us?"}
  - id: why
    type: choice
    text: "What should we improve?"
    options: [Price, Delivery time, {id: pack, title: Packaging}]
    if: "nps <= 6"
  - {id: again, type: yes_no, text: "Would you order again?"}
  - id: fix
    type: text
    text: "What would make you order again?"
    if: "again == no"
    max_length: 50
  - {id: comment, type: text, text: "Anything else?", optional: true, max_length: 200}
"""


def feedback_raw() -> dict[str, Any]:
    """The feedback survey as YAML data (a fresh copy each time)."""
    data: dict[str, Any] = yaml.safe_load(FEEDBACK_YAML)
    return data


@pytest.fixture
def feedback() -> SurveyDef:
    """A survey with a rating, an NPS, a conditional choice, yes/no and text questions."""
    return parse_survey(feedback_raw(), "surveys.feedback")


SHOP_YAML = (
    """
business: {name: Bella Bakery, timezone: Europe/Madrid, currency: EUR}
templates:
  survey_invite: {name: feedback_invite, params: [name, business]}
surveys:
  feedback:
"""
    + "\n".join(
        "    " + line for line in FEEDBACK_YAML.strip().splitlines() if not line.startswith("name:")
    )
    + """
  quick:
    keywords: [quick]
    once_per_contact: false
    questions:
      - {id: ok, type: yes_no, text: "Was everything fine?"}
"""
)


@pytest.fixture
def shop() -> BusinessConfig:
    """A business file with two surveys: ``feedback`` (after delivery) and ``quick``."""
    return parse_business(SHOP_YAML, "shop.yaml")
