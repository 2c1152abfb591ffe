"""Survey definitions: the format of a survey in the business file, read with pydantic.

This module owns what a survey *is*: :class:`SurveyDef` (its questions, triggers and options),
:class:`Question` (choice, rating 1-5, NPS 0-10, free text, yes/no) and :class:`Condition`
(``if:`` on an earlier answer). :func:`parse_survey` checks a survey completely (unknown keys,
WhatsApp's list and button limits, conditions naming a later or unknown question), raising a
:class:`~bot.errors.FlowError` that names the key path; ``docs/business.md`` shows the format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from operator import eq, ge, gt, le, lt, ne
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    model_validator,
)

from flows import Record, Typed, fail, items, problem, read_typed

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


def _checked_text(raw: Any, limit: int) -> str:
    """Text of at most ``limit`` characters, stripped."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        hint = " (put it in quotes)" if isinstance(raw, bool) else ""
        raise problem(f"expected text, got {raw!r}{hint}")
    value = str(raw).strip()
    if not value:
        raise problem("must not be empty")
    if len(value) > limit:
        raise problem(f"at most {limit} characters (got {len(value)})")
    return value


def _text(limit: int) -> BeforeValidator:
    """:func:`_checked_text` for a field; ``None`` passes (for optional keys)."""
    return BeforeValidator(lambda raw: None if raw is None else _checked_text(raw, limit))


def _name(what: str) -> BeforeValidator:
    """A name matching ``[a-z][a-z0-9_]*``."""

    def check(raw: Any) -> Any:
        if not isinstance(raw, str) or not NAME_RE.match(raw):
            raise problem(f"{what} must match [a-z][a-z0-9_]* (got {raw!r})")
        return raw

    return BeforeValidator(check)


_COMPARE = {"==": eq, "!=": ne, "<=": le, ">=": ge, "<": lt, ">": gt}
_OPS = (*_COMPARE, "not in", "in")
_CONDITION_RE = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(==|!=|<=|>=|<|>|not\s+in\b|in\b)\s*(.+?)\s*$")


def _conditions(raw: Any, info: ValidationInfo) -> Any:
    """``if:``: one condition or a list, on the earlier questions (``info.context["earlier"]``)."""
    earlier = (info.context or {}).get("earlier")
    if raw is None or earlier is None:
        return raw  # built in Python: already conditions
    if not isinstance(raw, list):
        return (_condition(raw, earlier),)
    return tuple(items(raw, lambda item: _condition(item, earlier)))


def _condition(raw: Any, earlier: list[Question]) -> Condition:
    if not isinstance(raw, str):
        raise problem('a condition is text such as "nps <= 6" (put it in quotes)')
    match = _CONDITION_RE.match(raw)
    if match is None:
        raise problem(
            f"cannot read condition {raw!r}; write '<question> <op> <value>' with op one "
            f"of {', '.join(_OPS)}"
        )
    qid, op, literal = match.group(1), " ".join(match.group(2).split()), match.group(3)
    target = next((q for q in earlier if q.id == qid), None)
    if target is None:
        raise problem(f"condition on {qid!r}, which is not an earlier question")
    if target.kind == "text":
        raise problem("conditions on free-text answers are not supported")
    if op in ("<", "<=", ">", ">=") and target.kind not in ("rating", "nps"):
        raise problem(f"{op} only compares rating and NPS answers")
    if op not in ("in", "not in"):
        return Condition(question=qid, op=op, value=_literal(literal, target))
    inner = literal.strip()
    if not (inner.startswith("[") and inner.endswith("]")):
        raise problem(f"'{op}' needs a list such as [a, b]")
    parts = [p.strip() for p in inner[1:-1].split(",") if p.strip()]
    if not parts:
        raise problem("the list is empty")
    return Condition(question=qid, op=op, value=tuple(_literal(p, target) for p in parts))


def _literal(text: str, target: Question) -> AnswerValue:
    text = text.strip().strip("'\"")
    if target.kind in ("rating", "nps"):
        low, high = RATING_RANGE if target.kind == "rating" else NPS_RANGE
        if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
            raise problem(f"{target.id} is answered from {low} to {high}; got {text!r}")
        return int(text)
    if target.kind == "yes_no":
        if text.lower() not in ("yes", "no", "true", "false"):
            raise problem(f"{target.id} is answered yes or no; got {text!r}")
        return text.lower() in ("yes", "true")
    if target.option(text) is None:
        known = ", ".join(o.id for o in target.options)
        raise problem(f"{target.id} has no option {text!r} (options: {known})")
    return text


def _question_id(raw: Any, info: ValidationInfo) -> Any:
    """A question id, unique among the earlier questions."""
    if any(q.id == raw for q in (info.context or {}).get("earlier", ())):
        raise problem(f"duplicate question id {raw!r}")
    return raw


def _max_length(value: int) -> int:
    if not 1 <= value <= MAX_TEXT_ANSWER:
        raise problem(f"must be from 1 to {MAX_TEXT_ANSWER}")
    return value


def _questions(raw: Any) -> Any:
    """Each question read knowing the ones before it (for ``if:`` and duplicate ids)."""
    if not isinstance(raw, list):
        return ()  # reported by the survey's rules
    earlier: list[Question] = []

    def one(item: Any) -> Question:
        question = Question.model_validate(item, context={"earlier": earlier})
        earlier.append(question)
        return question

    return tuple(items(raw, one))


class Option(Record, what="an option", expected="an option (a title or {id, title})"):
    """One option of a choice question: ``id`` is stored, ``title`` is shown (≤ 24 characters).

    Written as its title (the id is made from it) or ``{id, title}``.
    """

    id: Annotated[str, _name("an option id")]
    title: Annotated[str, _text(MAX_OPTION_TITLE)]

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return value
        title = _checked_text(value, MAX_OPTION_TITLE)
        oid = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
        if not NAME_RE.match(oid):
            raise problem(f"give this option an id: {{id: ..., title: {title!r}}}")
        return {"id": oid, "title": title}


class Condition(Record):
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
        got, want = answers.get(self.question), self.value
        if got is None:
            return False
        if self.op in ("in", "not in"):
            inside = got in want if isinstance(want, tuple) else got == want
            return inside == (self.op == "in")
        if self.op not in ("==", "!=") and not (isinstance(got, int) and isinstance(want, int)):
            return False
        return bool(_COMPARE[self.op](got, want))


class Question(Record, what="a question"):
    """One survey question; docs/business.md describes each key.

    Attributes:
        id: Unique within the survey; the key of the answer.
        kind: The ``type`` key.
        conditions: The ``if`` key: ask only when all of these hold.
        invalid: The re-prompt for an answer that is not accepted (``None``: a default per kind).
    """

    model_config = ConfigDict(populate_by_name=True)

    id: Annotated[str, _name("a question id"), AfterValidator(_question_id)]
    kind: QuestionKind = Field(alias="type")
    text: Annotated[str, _text(MAX_QUESTION_TEXT)]
    options: tuple[Option, ...] = ()
    optional: StrictBool = False
    max_length: Annotated[StrictInt, AfterValidator(_max_length)] = 500
    conditions: Annotated[tuple[Condition, ...], BeforeValidator(_conditions)] = Field(
        (), alias="if"
    )
    invalid: Annotated[str | None, _text(MAX_QUESTION_TEXT)] = None

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        kind, options = data.get("type"), data.get("options")
        count = len(options) if isinstance(options, list) else 0
        room = MAX_OPTIONS - (data.get("optional") is True)
        found: list[tuple[str, tuple[str | int, ...]]] = []
        if kind == "choice" and not count:
            found.append(("a choice question needs a non-empty list of options", ("options",)))
        elif kind == "choice" and count > room:
            extra = " (one row is used by Skip)" if room < MAX_OPTIONS else ""
            message = f"at most {room} options fit in one WhatsApp list{extra}; got {count}"
            found.append((message, ("options",)))
        elif kind in KINDS and kind != "choice" and "options" in data:
            found.append((f"only choice questions take options (this one is {kind})", ("options",)))
        if "max_length" in data and kind in KINDS and kind != "text":
            found.append(("only text questions take max_length", ("max_length",)))
        return found

    @model_validator(mode="after")
    def _options(self) -> Question:
        found: list[tuple[str, tuple[str | int, ...]]] = []
        for index, option in enumerate(self.options):
            earlier = self.options[:index]
            if option.id == "skip" or any(o.id == option.id for o in earlier):
                found.append(
                    (f"option id {option.id!r} is used twice or reserved", ("options", index))
                )
            elif any(o.title.lower() == option.title.lower() for o in earlier):
                found.append((f"option title {option.title!r} is used twice", ("options", index)))
        if found:
            fail(*found)
        return self

    def option(self, option_id: str) -> Option | None:
        """The option with this id, if any."""
        return next((o for o in self.options if o.id == option_id), None)


Word = Annotated[str, _text(100), AfterValidator(str.lower)]


class SurveyDef(Typed, what="a survey"):
    """A survey, as defined in the business file; docs/business.md describes each key.

    Attributes:
        name: The id, used in the database and ``waflow survey results``.
        keywords: Words that start the survey, lowercased.
    """

    name: Annotated[str, _name("a survey name")]
    title: Annotated[str, _text(60)] = ""
    questions: Annotated[tuple[Question, ...], BeforeValidator(_questions)] = ()
    once_per_contact: StrictBool = True
    keywords: tuple[Word, ...] = ()
    after_delivery: StrictBool = False
    intro: Annotated[str | None, _text(MAX_QUESTION_TEXT)] = None
    thanks: Annotated[str, _text(MAX_QUESTION_TEXT)] = "Thank you for your answers!"
    already_answered: Annotated[str, _text(MAX_QUESTION_TEXT)] = (
        "You have already answered this survey. Thank you!"
    )
    skip_label: Annotated[str, _text(20)] = "Skip"

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        if not isinstance(data.get("questions"), list) or not data["questions"]:
            return [("a survey needs a non-empty list of questions", ("questions",))]
        return []

    @model_validator(mode="after")
    def _title(self) -> SurveyDef:
        if not self.title:  # the name is the title, at any length the name may have
            object.__setattr__(self, "title", self.name)
        return self

    def question(self, question_id: str) -> Question:
        """The question with this id.

        Raises:
            KeyError: No such question.
        """
        return {q.id: q for q in self.questions}[question_id]


def parse_survey(
    raw: Any, path: str, *, file: str | None = None, lines: Mapping[str, int] | None = None
) -> SurveyDef:
    """Read and check one survey definition, the mapping at key ``path`` of ``file``.

    Without a ``name``, the last key of the path is the name (``surveys.feedback`` →
    ``feedback``). Errors are located with ``lines`` (from :func:`flows.read_yaml`).

    Raises:
        FlowError: The definition is invalid; the error names the key path (and line) of
            its first mistake.
    """
    if isinstance(raw, Mapping) and raw.get("name") is None:  # ``feedback: {...}``
        raw = {**raw, "name": path.rsplit(".", 1)[-1]}
    survey, errors = read_typed(SurveyDef, raw, file=file, lines=lines, path=path)
    if survey is None:
        raise errors[0]
    return survey


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
]
