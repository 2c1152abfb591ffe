"""Survey definitions: the YAML format of a survey, read into frozen dataclasses.

This module owns what a survey *is*: :class:`SurveyDef` (its questions, triggers and options),
:class:`Question` (choice, rating 1-5, NPS 0-10, free text, yes/no), and :class:`Condition`
(``if:`` on an earlier answer). :func:`parse_survey` reads one survey from the shop's business
file and checks it completely (unknown keys, WhatsApp's list and button limits, conditions that
name a later or unknown question), raising a :class:`~bot.errors.FlowError` that names the key
path. Asking lives in :mod:`flows.features.surveys.generated` (one generated flow per survey),
storing in :mod:`flows.features.surveys.models`, counting in :mod:`flows.features.surveys.results`.

Example (one item of the business file's ``surveys`` list)::

    name: delivery_feedback
    title: Delivery feedback
    keywords: [feedback, survey]
    after_delivery: true
    questions:
      - {id: stars, type: rating, text: "How was your order?"}
      - {id: nps, type: nps, text: "How likely are you to recommend us (0-10)?"}
      - id: why
        type: choice
        text: "What could we do better?"
        options: [Price, Delivery time, Packaging]
        if: "nps <= 6"
      - {id: comment, type: text, text: "Anything else?", max_length: 300, optional: true}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flows.features.surveys._model import (
    KINDS,
    NPS_RANGE,
    RATING_RANGE,
    AnswerValue,
    Condition,
    Option,
    Question,
    QuestionKind,
    SurveyDef,
)
from flows.features.surveys._parse import Parser, fail_at


def parse_survey(
    raw: Any, path: str, *, file: str | None = None, lines: Mapping[str, int] | None = None
) -> SurveyDef:
    """Read and check one survey definition.

    Args:
        raw: The survey's mapping, as read from YAML.
        path: Its key path in the document, used in errors. When ``raw`` has no ``name``,
            the last key of the path is the name (``surveys.feedback`` → ``feedback``).
        file: The file it came from, for errors.
        lines: Key path → line, as returned by :func:`flows._yaml.read_yaml`, for errors.

    Returns:
        The survey.

    Raises:
        FlowError: The definition is invalid; the error names the key path (and line).
    """
    return Parser(file, lines).survey(raw, path)


def parse_surveys(
    raw: Any,
    path: str = "surveys",
    *,
    file: str | None = None,
    lines: Mapping[str, int] | None = None,
) -> tuple[SurveyDef, ...]:
    """Read the ``surveys`` section, refusing two surveys with the same name or keyword.

    Args:
        raw: A mapping of name → survey, a list of surveys with ``name``, or ``None``.
        path: Its key path, for errors.
        file: The file it came from, for errors.
        lines: Key path → line, for errors.

    Returns:
        The surveys in their order.

    Raises:
        FlowError: A definition is invalid or two surveys share a name or keyword.
    """
    if raw is None:
        return ()
    if isinstance(raw, Mapping):
        items = [(f"{path}.{key}", item) for key, item in raw.items()]
    elif isinstance(raw, list):
        items = [(f"{path}[{index}]", item) for index, item in enumerate(raw)]
    else:
        raise fail_at("expected a mapping of surveys by name", path, file, lines)
    surveys: list[SurveyDef] = []
    for where, item in items:
        survey = parse_survey(item, where, file=file, lines=lines)
        for other in surveys:
            if other.name == survey.name:
                raise fail_at(
                    f"two surveys are named {survey.name!r}", f"{where}.name", file, lines
                )
            shared = set(other.keywords) & set(survey.keywords)
            if shared:
                raise fail_at(
                    f"keyword {sorted(shared)[0]!r} already starts survey {other.name!r}",
                    f"{where}.keywords",
                    file,
                    lines,
                )
        surveys.append(survey)
    return tuple(surveys)


__all__ = [
    "KINDS",
    "NPS_RANGE",
    "RATING_RANGE",
    "AnswerValue",
    "Condition",
    "Option",
    "Question",
    "QuestionKind",
    "SurveyDef",
    "parse_survey",
    "parse_surveys",
]
