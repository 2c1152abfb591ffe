"""One conversation flow per survey, generated from the business file: surveys need no Python.

This module translates a :class:`~flows.features.surveys.definitions.SurveyDef` into an ordinary
flow file (``waflow survey flows`` prints it), which the engine loads and runs like any other:
flow ``survey_<name>``, triggered by the survey's keywords and the payload ``survey:<name>``.
Each question becomes an ``ask`` state (reply buttons when three choices fit, a list otherwise;
NPS and text are typed) saving to slot ``q_<id>``, and ``if:`` conditions become ``next``
branches over the answers that satisfy them (``slots.q_nps in ['0', …, '6']``), so an unanswered
or skipped question never matches.

Every text is in the flow as written (the business's wording, or waflow's defaults such as
"Please type your answer."): the engine sends each one's translation from the catalogs, the
business's own (``locales/`` next to its file) for its questions and options, waflow's for the
defaults. An NPS question's range hint is one sentence around the question (``slots.question``,
translated by ``survey.question`` as the state is entered).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from flows import Flow, parse_flow, yes_no_words
from flows.features.business import BusinessConfig
from flows.features.surveys.definitions import (
    NPS_RANGE,
    RATING_RANGE,
    AnswerValue,
    Question,
    SurveyDef,
)
from flows.features.surveys.invites import payload, surveys_of
from flows.features.surveys.models import StoredAnswer

SKIP = "skip"
SKIP_WORDS = (SKIP, "omitir", "saltar", "pular", "lewati")
"""What a customer types to skip a typed (NPS) question, in each language."""
_STAR = "⭐"
_YES, _NO = (sorted(words) for words in yes_no_words())  # the engine's, in every language
_MAX_BUTTON_TITLE = 20
_STOP_WORDS = ("exit", "quit", "cancel", "salir", "cancelar", "sair", "keluar", "batal")
# "stop" is the consent feature's opt-out


def flow_id(survey: SurveyDef) -> str:
    """The id of the generated flow of ``survey``."""
    return f"survey_{survey.name}"


def slot(question: Question) -> str:
    """The slot that holds the answer to ``question``."""
    return f"q_{question.id}"


def _literal(text: str) -> str:
    """Text from the business file, kept literal (never read as a template)."""
    if "{" in text or "%" in text:
        return "{% raw %}" + text + "{% endraw %}"
    return text


def answer_keys(question: Question) -> list[str]:
    """Every answer of ``question`` as its slot holds it, except "skip", in order (text: none)."""
    if question.kind in ("rating", "nps"):
        low, high = RATING_RANGE if question.kind == "rating" else NPS_RANGE
        return [str(n) for n in range(low, high + 1)]
    if question.kind == "yes_no":
        return ["yes", "no"]
    return [o.id for o in question.options]


def _typed(question: Question, text: str) -> AnswerValue:
    """An answer as its slot holds it, as the value stored and compared."""
    if question.kind in ("rating", "nps"):
        return int(text)
    return text == "yes" if question.kind == "yes_no" else text


def _expression(survey: SurveyDef, question: Question) -> str | None:
    """The ``if:`` expression of a conditional question (``None``: unconditional)."""
    if not question.conditions:
        return None
    parts = []
    for condition in question.conditions:
        target = survey.question(condition.question)
        keys = answer_keys(target)
        allowed = [k for k in keys if condition.holds({target.id: _typed(target, k)})]
        if not allowed:
            return "false"
        parts.append(f"slots.{slot(target)} in {allowed!r}")
    return " and ".join(parts)


def _next(survey: SurveyDef, after: int) -> list[dict[str, str]] | str:
    """The ``next`` branches after question ``after`` (-1: before the first)."""
    branches: list[dict[str, str]] = []
    for question in survey.questions[after + 1 :]:
        expression = _expression(survey, question)
        if expression is None:
            if not branches:
                return question.id
            branches.append({"goto": question.id})
            return branches
        branches.append({"if": expression, "goto": question.id})
    branches.append({"goto": "finish"})
    return branches if len(branches) > 1 else "finish"


def _choices(survey: SurveyDef, question: Question) -> list[dict[str, Any]]:
    options: list[dict[str, Any]]
    if question.kind == "choice":
        options = [{"id": o.id, "title": _literal(o.title)} for o in question.options]
    elif question.kind == "rating":
        low, high = RATING_RANGE
        options = [{"id": str(n), "title": f"{_STAR * n} {n}"} for n in range(low, high + 1)]
    else:
        options = [
            {"id": "yes", "title": "Yes", "synonyms": list(_YES)},
            {"id": "no", "title": "No", "synonyms": list(_NO)},
        ]
    if question.optional:
        options.append({"id": SKIP, "title": _literal(survey.skip_label)})
    return options


def _ask(survey: SurveyDef, question: Question) -> dict[str, Any]:
    text = _literal(question.text)
    custom = _literal(question.invalid) if question.invalid else None
    if question.kind in ("choice", "rating", "yes_no"):
        options = _choices(survey, question)
        if len(options) <= 3 and all(len(o["title"]) <= _MAX_BUTTON_TITLE for o in options):
            ask: dict[str, Any] = {"text": text, "buttons": options}
        else:
            ask = {"text": text, "list": {"button": "Choose", "rows": options}}
        hint = custom or "Please choose one of the options."
        return {"ask": ask, "reprompt": {"unrecognized": hint, "invalid": hint}}
    prepare = [{"hook": "survey.question", "args": {"survey": survey.name, "id": question.id}}]
    if question.kind == "nps":  # NPS_RANGE: 0 to 10
        words = "|".join(SKIP_WORDS) if question.optional else ""
        pattern = f"^(10|[0-9]{'|' + words if words else ''})$"
        hint = custom or "Please answer with a number from 0 to 10."
        prompt = (
            "{{ slots.question | raw }}\n\n(Reply with a number from 0 to 10, or *skip*.)"
            if question.optional
            else "{{ slots.question | raw }}\n\n(Reply with a number from 0 to 10.)"
        )
        return {
            "on_enter": prepare,
            "ask": prompt,
            "expect": {"type": "regex", "pattern": pattern, "ignore_case": True},
            "reprompt": {"unrecognized": hint, "invalid": hint},
        }
    skip_button = {"id": SKIP, "title": _literal(survey.skip_label)}
    long = "That is a bit long: please keep it under {{ slots.limit }} characters."
    return {
        **({} if custom else {"on_enter": prepare}),
        "ask": {"text": text, "buttons": [skip_button]} if question.optional else text,
        "expect": {"type": "text", "max_length": question.max_length},
        "reprompt": {"unrecognized": "Please type your answer.", "invalid": custom or long},
    }


def survey_flow_data(survey: SurveyDef) -> dict[str, Any]:
    """The flow of ``survey`` as plain data, in the flow-file format."""
    first = survey.questions[0].id
    states: dict[str, Any] = {
        "begin": {
            "run": "survey.begin",
            "args": {"survey": survey.name},
            "save": "status",
            "next": [
                {"if": "slots.status == 'answered'", "goto": "already"},
                {"goto": "intro" if survey.intro else first},
            ],
        },
        "already": {"say": _literal(survey.already_answered), "end": True},
    }
    if survey.intro:
        states["intro"] = {"say": _literal(survey.intro), "next": first}
    slots: dict[str, Any] = {"status": {"type": "string"}}
    kinds = {(q.kind, q.invalid is None) for q in survey.questions}
    if any(kind == "nps" for kind, _ in kinds):
        slots["question"] = {"type": "string", "description": "the NPS question, translated"}
    if ("text", True) in kinds:
        slots["limit"] = {"type": "integer", "description": "the longest text answer"}
    for index, question in enumerate(survey.questions):
        states[question.id] = {
            **_ask(survey, question),
            "save": slot(question),
            "next": _next(survey, index),
        }
        kind = "choice" if question.kind in ("choice", "rating", "yes_no") else "string"
        slots[slot(question)] = {"type": kind}
    states["finish"] = {
        "run": "survey.save",
        "args": {"survey": survey.name},
        "save": "status",
        "on_error": {
            "say": "Sorry, I couldn't save your answers. Please try again later.",
            "goto": "end",
        },
        "next": [{"if": "slots.status == 'answered'", "goto": "already"}, {"goto": "thanks"}],
    }
    states["thanks"] = {"say": _literal(survey.thanks), "end": True}
    return {
        "schema": 1,
        "flow": flow_id(survey),
        "version": 1,
        "name": survey.title,
        "description": f"Generated from the business file's survey {survey.name!r}.",
        "start": "begin",
        "triggers": {"keywords": list(survey.keywords), "payloads": [payload(survey)]},
        "slots": slots,
        "settings": {"session_timeout": "2h"},
        "intents": {
            "stop": {
                "match": {"keywords": list(_STOP_WORDS)},
                "say": "OK, the survey is closed. Thank you!",
                "goto": "end",
            }
        },
        "states": states,
    }


def survey_flow_yaml(survey: SurveyDef) -> str:
    """The flow of ``survey`` as a flow file."""
    header = (
        f"# Generated by waflow from the business file's survey {survey.name!r}; do not edit.\n"
    )
    return header + yaml.safe_dump(
        survey_flow_data(survey), sort_keys=False, allow_unicode=True, width=100
    )


def survey_flows(config: BusinessConfig) -> tuple[Flow, ...]:
    """The generated flow of every survey in the business file, loaded and checked.

    Raises:
        FlowError: A generated flow does not load (a bug: surveys are checked when read).
    """
    return tuple(
        parse_flow(survey_flow_yaml(s), file=f"<survey {s.name}>") for s in surveys_of(config)
    )


def answers_from_slots(survey: SurveyDef, slots: Mapping[str, Any]) -> list[StoredAnswer]:
    """The answers of a finished survey, from the flow's slots.

    Questions that were never asked are left out; skipped ones have ``value=None``.
    """
    answers = []
    for question in survey.questions:
        raw = slots.get(slot(question))
        if raw is None:
            continue
        text = str(raw).strip()
        skipped = question.optional and text.lower() in SKIP_WORDS
        answers.append(
            StoredAnswer(question.id, question.kind, None if skipped else _typed(question, text))
        )
    return answers


__all__ = [
    "SKIP",
    "SKIP_WORDS",
    "answer_keys",
    "answers_from_slots",
    "flow_id",
    "slot",
    "survey_flow_data",
    "survey_flow_yaml",
    "survey_flows",
]
