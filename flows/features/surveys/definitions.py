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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.errors import FlowError

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


_OPS = ("==", "!=", "<=", ">=", "<", ">", "not in", "in")
_CONDITION_RE = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(==|!=|<=|>=|<|>|not\s+in\b|in\b)\s*(.+?)\s*$")
_SURVEY_KEYS = frozenset(
    {
        "name", "title", "questions", "once_per_contact", "keywords", "after_delivery",
        "intro", "thanks", "already_answered", "skip_label",
    }
)  # fmt: skip
_QUESTION_KEYS = frozenset(
    {"id", "type", "text", "options", "optional", "max_length", "if", "invalid"}
)


def fail_at(
    message: str, path: str, file: str | None, lines: Mapping[str, int] | None
) -> FlowError:
    line = None
    if lines:
        probe = path
        while probe and line is None:
            line = lines.get(probe)
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
    return FlowError(message, file=file, line=line, path=path or None)


class Parser:
    def __init__(self, file: str | None, lines: Mapping[str, int] | None) -> None:
        self.file = file
        self.lines = lines

    def fail(self, message: str, path: str) -> FlowError:
        return fail_at(message, path, self.file, self.lines)

    def mapping(self, raw: Any, path: str, allowed: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(raw, Mapping):
            raise self.fail(f"expected a mapping, got {type(raw).__name__}", path)
        for key in raw:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(f"unknown key {key!r} (known keys: {known})", f"{path}.{key}")
        return raw

    def text(self, raw: Any, path: str, *, limit: int, required: bool = True) -> str | None:
        if raw is None and not required:
            return None
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            hint = " (put it in quotes)" if isinstance(raw, bool) else ""
            raise self.fail(f"expected text, got {raw!r}{hint}", path)
        value = str(raw).strip()
        if not value:
            raise self.fail("must not be empty", path)
        if len(value) > limit:
            raise self.fail(f"at most {limit} characters (got {len(value)})", path)
        return value

    def flag(self, raw: Any, path: str, default: bool) -> bool:
        if raw is None:
            return default
        if not isinstance(raw, bool):
            raise self.fail(f"expected true or false, got {raw!r}", path)
        return raw

    def name(self, raw: Any, path: str, what: str) -> str:
        if not isinstance(raw, str) or not NAME_RE.match(raw):
            raise self.fail(f"{what} must match [a-z][a-z0-9_]* (got {raw!r})", path)
        return raw

    def survey(self, raw: Any, path: str) -> SurveyDef:
        data = self.mapping(raw, path, _SURVEY_KEYS)
        raw_name = data.get("name")
        if raw_name is None:  # ``surveys: {feedback: {...}}``: the key is the name
            raw_name = re.split(r"[.\]\[]", path.rstrip("]"))[-1].strip("'\"")
        name = self.name(raw_name, f"{path}.name", "a survey name")
        raw_questions = data.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            raise self.fail("a survey needs a non-empty list of questions", f"{path}.questions")
        skip_label = self.text(data.get("skip_label", "Skip"), f"{path}.skip_label", limit=20)
        questions: list[Question] = []
        for index, item in enumerate(raw_questions):
            questions.append(self.question(item, f"{path}.questions[{index}]", questions))
        keywords = data.get("keywords") or []
        if not isinstance(keywords, list):
            raise self.fail("expected a list of words", f"{path}.keywords")
        words = tuple(
            str(self.text(word, f"{path}.keywords[{i}]", limit=100)).lower()
            for i, word in enumerate(keywords)
        )
        optional_text = {
            key: self.text(data.get(key), f"{path}.{key}", limit=MAX_QUESTION_TEXT, required=False)
            for key in ("intro", "thanks", "already_answered")
        }
        defaults = SurveyDef(name=name, title=name, questions=())
        return SurveyDef(
            name=name,
            title=str(self.text(data.get("title", name), f"{path}.title", limit=60)),
            questions=tuple(questions),
            once_per_contact=self.flag(
                data.get("once_per_contact"), f"{path}.once_per_contact", True
            ),
            keywords=words,
            after_delivery=self.flag(data.get("after_delivery"), f"{path}.after_delivery", False),
            intro=optional_text["intro"],
            thanks=optional_text["thanks"] or defaults.thanks,
            already_answered=optional_text["already_answered"] or defaults.already_answered,
            skip_label=str(skip_label),
        )

    def question(self, raw: Any, path: str, earlier: Sequence[Question]) -> Question:
        data = self.mapping(raw, path, _QUESTION_KEYS)
        qid = self.name(data.get("id"), f"{path}.id", "a question id")
        if any(q.id == qid for q in earlier):
            raise self.fail(f"duplicate question id {qid!r}", f"{path}.id")
        kind = data.get("type")
        if kind not in KINDS:
            raise self.fail(
                f"type must be one of {', '.join(KINDS)} (got {kind!r})", f"{path}.type"
            )
        optional = self.flag(data.get("optional"), f"{path}.optional", False)
        options: tuple[Option, ...] = ()
        if kind == "choice":
            options = self.options(data.get("options"), f"{path}.options", optional)
        elif "options" in data:
            raise self.fail(
                f"only choice questions take options (this one is {kind})", f"{path}.options"
            )
        max_length = 500
        if "max_length" in data:
            if kind != "text":
                raise self.fail("only text questions take max_length", f"{path}.max_length")
            max_length = data["max_length"]
            if isinstance(max_length, bool) or not isinstance(max_length, int):
                raise self.fail(
                    f"expected a whole number, got {max_length!r}", f"{path}.max_length"
                )
            if not 1 <= max_length <= MAX_TEXT_ANSWER:
                raise self.fail(f"must be from 1 to {MAX_TEXT_ANSWER}", f"{path}.max_length")
        raw_if = data.get("if")
        items = [] if raw_if is None else raw_if if isinstance(raw_if, list) else [raw_if]
        conditions = tuple(
            self.condition(
                item, f"{path}.if" + (f"[{i}]" if isinstance(raw_if, list) else ""), earlier
            )
            for i, item in enumerate(items)
        )
        return Question(
            id=qid,
            kind=kind,
            text=str(self.text(data.get("text"), f"{path}.text", limit=MAX_QUESTION_TEXT)),
            options=options,
            optional=optional,
            max_length=max_length,
            conditions=conditions,
            invalid=self.text(
                data.get("invalid"), f"{path}.invalid", limit=MAX_QUESTION_TEXT, required=False
            ),
        )

    def options(self, raw: Any, path: str, optional: bool) -> tuple[Option, ...]:
        if not isinstance(raw, list) or not raw:
            raise self.fail("a choice question needs a non-empty list of options", path)
        room = MAX_OPTIONS - (1 if optional else 0)
        if len(raw) > room:
            extra = " (one row is used by Skip)" if optional else ""
            raise self.fail(
                f"at most {room} options fit in one WhatsApp list{extra}; got {len(raw)}", path
            )
        options: list[Option] = []
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            if isinstance(item, Mapping):
                item = self.mapping(item, where, frozenset({"id", "title"}))
                title = str(self.text(item.get("title"), f"{where}.title", limit=MAX_OPTION_TITLE))
                oid = self.name(item.get("id"), f"{where}.id", "an option id")
            else:
                title = str(self.text(item, where, limit=MAX_OPTION_TITLE))
                oid = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
                if not NAME_RE.match(oid):
                    raise self.fail(f"give this option an id: {{id: ..., title: {title!r}}}", where)
            if oid == "skip" or any(o.id == oid for o in options):
                raise self.fail(f"option id {oid!r} is used twice or reserved", where)
            if any(o.title.lower() == title.lower() for o in options):
                raise self.fail(f"option title {title!r} is used twice", where)
            options.append(Option(oid, title))
        return tuple(options)

    def condition(self, raw: Any, path: str, earlier: Sequence[Question]) -> Condition:
        if not isinstance(raw, str):
            raise self.fail('a condition is text such as "nps <= 6" (put it in quotes)', path)
        match = _CONDITION_RE.match(raw)
        if match is None:
            raise self.fail(
                f"cannot read condition {raw!r}; write '<question> <op> <value>' with op one "
                f"of {', '.join(_OPS)}",
                path,
            )
        qid, op, literal = match.group(1), " ".join(match.group(2).split()), match.group(3)
        target = next((q for q in earlier if q.id == qid), None)
        if target is None:
            raise self.fail(f"condition on {qid!r}, which is not an earlier question", path)
        if target.kind == "text":
            raise self.fail("conditions on free-text answers are not supported", path)
        if op in ("<", "<=", ">", ">=") and target.kind not in ("rating", "nps"):
            raise self.fail(f"{op} only compares rating and NPS answers", path)
        if op in ("in", "not in"):
            inner = literal.strip()
            if not (inner.startswith("[") and inner.endswith("]")):
                raise self.fail(f"'{op}' needs a list such as [a, b]", path)
            parts = [p.strip() for p in inner[1:-1].split(",") if p.strip()]
            if not parts:
                raise self.fail("the list is empty", path)
            return Condition(qid, op, tuple(self.literal(p, target, path) for p in parts))
        return Condition(qid, op, self.literal(literal, target, path))

    def literal(self, text: str, target: Question, path: str) -> AnswerValue:
        text = text.strip().strip("'\"")
        if target.kind in ("rating", "nps"):
            low, high = RATING_RANGE if target.kind == "rating" else NPS_RANGE
            if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
                raise self.fail(f"{target.id} is answered from {low} to {high}; got {text!r}", path)
            return int(text)
        if target.kind == "yes_no":
            if text.lower() not in ("yes", "no", "true", "false"):
                raise self.fail(f"{target.id} is answered yes or no; got {text!r}", path)
            return text.lower() in ("yes", "true")
        if target.option(text) is None:
            known = ", ".join(o.id for o in target.options)
            raise self.fail(f"{target.id} has no option {text!r} (options: {known})", path)
        return text


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
