"""The survey model: frozen dataclasses for a survey, its questions, options and conditions.

This helper module owns the types that :mod:`flows.features.surveys.definitions` re-exports; the YAML reader
lives in :mod:`flows.features.surveys._parse`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

QuestionKind = Literal["choice", "rating", "nps", "text", "yes_no"]
KINDS: tuple[QuestionKind, ...] = ("choice", "rating", "nps", "text", "yes_no")
RATING_RANGE = (1, 5)
NPS_RANGE = (0, 10)
MAX_OPTIONS = 10  # rows of one list message
MAX_OPTION_TITLE = 24  # list row title
MAX_QUESTION_TEXT = 1024  # interactive body
MAX_TEXT_ANSWER = 4096
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


AnswerValue = int | str | bool
"""A stored answer: ``int`` (rating, NPS), ``str`` (choice option id, text), ``bool`` (yes/no)."""


@dataclass(frozen=True)
class Option:
    """One option of a choice question: ``id`` is stored, ``title`` is shown (≤ 24 characters)."""

    id: str
    title: str


@dataclass(frozen=True)
class Condition:
    """``<question> <op> <value>``: shows a question only when an earlier answer matches.

    A question that was not answered (skipped, or never asked) matches no condition.

    Attributes:
        question: The id of an earlier question.
        op: One of ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``not in``.
        value: An int (rating, NPS), option id (choice) or bool (yes/no); a tuple for ``in``.
    """

    question: str
    op: str
    value: AnswerValue | tuple[AnswerValue, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """Whether the condition is true for the answers given so far."""
        if answers.get(self.question) is None:
            return False
        got = answers[self.question]
        want = self.value
        if self.op in ("in", "not in"):
            inside = got in want if isinstance(want, tuple) else got == want
            return inside if self.op == "in" else not inside
        if self.op == "==":
            return bool(got == want)
        if self.op == "!=":
            return bool(got != want)
        if not isinstance(got, int) or not isinstance(want, int):
            return False
        return {"<": got < want, "<=": got <= want, ">": got > want, ">=": got >= want}[self.op]


@dataclass(frozen=True)
class Question:
    """One survey question.

    Attributes:
        id: Unique within the survey; the key of the answer.
        kind: ``choice``, ``rating`` (1-5), ``nps`` (0-10), ``text`` or ``yes_no``.
        text: The question as sent (≤ 1024 characters).
        options: The options of a ``choice`` question (1 to 10, one fewer when optional).
        optional: The customer may skip it (a Skip button or row, or the word "skip").
        max_length: The longest accepted ``text`` answer.
        conditions: Ask only when all of these hold (``if:``).
        invalid: The message sent back for an answer that is not accepted; a default per
            kind when ``None``.
    """

    id: str
    kind: QuestionKind
    text: str
    options: tuple[Option, ...] = ()
    optional: bool = False
    max_length: int = 500
    conditions: tuple[Condition, ...] = ()
    invalid: str | None = None

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether the question is asked, given the earlier answers."""
        return all(c.holds(answers) for c in self.conditions)

    def option(self, option_id: str) -> Option | None:
        """The option with this id, if any."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class SurveyDef:
    """A survey, as defined in the business file.

    Attributes:
        name: The id (``[a-z][a-z0-9_]*``), used in the database and ``waflow survey results``.
        title: The human name.
        questions: In the order they are asked.
        once_per_contact: One response per customer, enforced by the database (default).
        keywords: Words that start the survey (lowercase).
        after_delivery: Invite the customer automatically when an order is delivered.
        intro: Sent before the first question.
        thanks: Sent after the last answer.
        already_answered: Sent when a once-per-contact survey is started again.
        skip_label: The label of the button or row that skips an optional question.
    """

    name: str
    title: str
    questions: tuple[Question, ...]
    once_per_contact: bool = True
    keywords: tuple[str, ...] = ()
    after_delivery: bool = False
    intro: str | None = None
    thanks: str = "Thank you for your answers!"
    already_answered: str = "You have already answered this survey. Thank you!"
    skip_label: str = "Skip"
    _by_id: Mapping[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question:
        """The question with this id.

        Raises:
            KeyError: No such question.
        """
        return self._by_id[question_id]

    def next_question(
        self, answers: Mapping[str, Any], after: str | None = None
    ) -> Question | None:
        """The next question to ask, skipping those whose ``if:`` does not hold.

        Args:
            answers: The answers so far (question id → value; ``None`` for a skipped one).
            after: The id of the question just answered; ``None`` to start.

        Returns:
            The question, or ``None`` when the survey is complete.
        """
        start = 0 if after is None else [q.id for q in self.questions].index(after) + 1
        for question in self.questions[start:]:
            if question.applies(answers):
                return question
        return None


__all__ = [
    "KINDS",
    "MAX_OPTIONS",
    "MAX_OPTION_TITLE",
    "MAX_QUESTION_TEXT",
    "MAX_TEXT_ANSWER",
    "NAME_RE",
    "NPS_RANGE",
    "RATING_RANGE",
    "AnswerValue",
    "Condition",
    "Option",
    "Question",
    "QuestionKind",
    "SurveyDef",
]
