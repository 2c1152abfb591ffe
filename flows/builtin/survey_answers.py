"""Asking survey questions and reading the answers: pure functions, no database.

This module owns the conversation side of a survey question: :func:`question_message` renders a
:class:`~flows.builtin.surveys.Question` as a WhatsApp message (buttons when three choices fit,
a list up to ten rows, plain text otherwise), and :func:`parse_answer` turns what the customer
sent (a button or row id, or typed text) into an answer value or a polite correction. Reply ids
carry the question id (``stars:4``), so a tap on an old message is never taken as an answer to
the current question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot import messages
from flows.builtin.surveys import NPS_RANGE, RATING_RANGE, AnswerValue, Question, SurveyDef

SKIP = "skip"
_YES = frozenset({"yes", "y", "yeah", "yep", "sure", "ok", "si", "sí", "oui", "ja", "sim", "👍"})
_NO = frozenset({"no", "n", "nope", "nah", "non", "nein", "não", "nao", "👎"})
_STAR = "⭐"


@dataclass(frozen=True)
class Answer:
    """The outcome of reading one reply.

    Attributes:
        ok: The reply answers the question (``value`` is set, or ``skipped``).
        value: The answer; ``None`` when skipped or refused.
        skipped: The customer skipped an optional question.
        error: What to tell the customer when the reply was refused.
    """

    ok: bool
    value: AnswerValue | None = None
    skipped: bool = False
    error: str | None = None


def reply_id(question: Question, value: str) -> str:
    """The button or row id that answers ``question`` with ``value``."""
    return f"{question.id}:{value}"


def _refuse(question: Question, default: str) -> Answer:
    return Answer(ok=False, error=question.invalid or default)


def _range_hint(question: Question) -> str:
    low, high = RATING_RANGE if question.kind == "rating" else NPS_RANGE
    return f"Please answer with a number from {low} to {high}."


def parse_answer(
    survey: SurveyDef, question: Question, *, choice_id: str | None, text: str | None
) -> Answer:
    """Read the customer's reply to ``question``.

    Args:
        survey: The survey (for the skip label).
        question: The question being answered.
        choice_id: The id of the tapped button or list row, if the reply was one.
        text: The typed text (or the tapped option's title).

    Returns:
        An accepted, skipped or refused :class:`Answer`. A tap on a button of another question
        is refused.
    """
    raw: str | None = None
    if choice_id is not None:
        prefix = f"{question.id}:"
        if not choice_id.startswith(prefix):
            return _refuse(question, "Please answer the question above.")
        raw = choice_id[len(prefix) :]
    cleaned = (text or "").strip()
    if raw is None and not cleaned:
        return _refuse(question, _default_error(question))
    if question.optional and (
        raw == SKIP or (raw is None and cleaned.lower() in (SKIP, survey.skip_label.lower()))
    ):
        return Answer(ok=True, skipped=True)
    if question.kind == "text":
        return _text(question, cleaned if raw is None else raw)
    if question.kind in ("rating", "nps"):
        return _number(question, raw if raw is not None else cleaned)
    if question.kind == "yes_no":
        word = (raw if raw is not None else cleaned).lower().strip(" .!")
        if word in _YES:
            return Answer(ok=True, value=True)
        if word in _NO:
            return Answer(ok=True, value=False)
        return _refuse(question, _default_error(question))
    return _choice(question, raw, cleaned)


def _default_error(question: Question) -> str:
    if question.kind in ("rating", "nps"):
        return _range_hint(question)
    if question.kind == "yes_no":
        return "Please answer yes or no."
    if question.kind == "choice":
        return "Please choose one of the options."
    return "Please type your answer."


def _text(question: Question, value: str) -> Answer:
    if not value:
        return _refuse(question, "Please type your answer.")
    if len(value) > question.max_length:
        return _refuse(
            question,
            f"That is a bit long: please keep it under {question.max_length} characters.",
        )
    return Answer(ok=True, value=value)


def _number(question: Question, value: str) -> Answer:
    low, high = RATING_RANGE if question.kind == "rating" else NPS_RANGE
    stars = value.count(_STAR)
    if question.kind == "rating" and stars and not value.replace(_STAR, "").strip():
        number = stars
    else:
        match = re.fullmatch(r"\s*(\d{1,3})(?:\s*(?:/\s*\d+|stars?|points?))?\s*[.!]?\s*", value)
        if match is None:
            return _refuse(question, _range_hint(question))
        number = int(match.group(1))
    if not low <= number <= high:
        return _refuse(question, _range_hint(question))
    return Answer(ok=True, value=number)


def _choice(question: Question, raw: str | None, cleaned: str) -> Answer:
    if raw is not None:
        option = question.option(raw)
        return (
            Answer(ok=True, value=option.id)
            if option
            else _refuse(question, _default_error(question))
        )
    lowered = cleaned.lower()
    for option in question.options:
        if lowered in (option.title.lower(), option.id):
            return Answer(ok=True, value=option.id)
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(question.options):
        return Answer(ok=True, value=question.options[int(cleaned) - 1].id)
    return _refuse(question, _default_error(question))


def _choices(survey: SurveyDef, question: Question) -> list[tuple[str, str]]:
    """(value, title) pairs offered as buttons or rows; empty when the answer is typed."""
    pairs: list[tuple[str, str]]
    if question.kind == "choice":
        pairs = [(o.id, o.title) for o in question.options]
    elif question.kind == "rating":
        pairs = [(str(n), f"{_STAR * n} {n}") for n in range(RATING_RANGE[0], RATING_RANGE[1] + 1)]
    elif question.kind == "yes_no":
        pairs = [("yes", "Yes"), ("no", "No")]
    else:
        pairs = []
    if question.optional:
        pairs.append((SKIP, survey.skip_label))
    return pairs


def question_message(to: str, survey: SurveyDef, question: Question) -> dict[str, Any]:
    """Render a question as a message for ``to``.

    Up to three choices that fit a button title (20 characters) become reply buttons; more
    become one list (at most ten rows, guaranteed by the survey format). An NPS question is
    answered by typing 0 to 10 (eleven options do not fit a list); an optional one gets a Skip
    button.

    Args:
        to: The customer's WhatsApp id.
        survey: The survey.
        question: The question.

    Returns:
        The message payload.
    """
    pairs = _choices(survey, question)
    body = question.text
    if question.kind == "nps":
        body += f"\n\n(Reply with a number from {NPS_RANGE[0]} to {NPS_RANGE[1]}.)"
    if not pairs:
        return messages.text(to, body)
    fits_buttons = len(pairs) <= messages.MAX_BUTTONS and all(
        len(title) <= messages.MAX_BUTTON_TITLE for _, title in pairs
    )
    if fits_buttons:
        return messages.buttons(to, body, [(reply_id(question, v), t) for v, t in pairs])
    rows = [messages.Row(reply_id(question, v), t) for v, t in pairs]
    return messages.list_message(to, body, "Choose", [messages.Section(None, rows)])


def format_answer(question: Question, value: AnswerValue | None) -> str:
    """An answer as a person reads it (option title, "yes"/"no", the number or text)."""
    if value is None:
        return ""
    if question.kind == "yes_no":
        return "yes" if value else "no"
    if question.kind == "choice":
        option = question.option(str(value))
        return option.title if option else str(value)
    return str(value)


__all__ = ["SKIP", "Answer", "format_answer", "parse_answer", "question_message", "reply_id"]
