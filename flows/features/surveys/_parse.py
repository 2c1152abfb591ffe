"""Reading one survey definition from YAML data, checking every field as it goes.

This helper module owns the rules of the survey format (unknown keys, WhatsApp's list and button
limits, conditions that must name an earlier question) and turns each violation into a
:class:`~bot.errors.FlowError` naming the key path and, when known, the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.errors import FlowError
from flows.features.surveys._model import (
    KINDS,
    MAX_OPTION_TITLE,
    MAX_OPTIONS,
    MAX_QUESTION_TEXT,
    MAX_TEXT_ANSWER,
    NAME_RE,
    NPS_RANGE,
    RATING_RANGE,
    AnswerValue,
    Condition,
    Option,
    Question,
    SurveyDef,
)

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


__all__ = ["Parser", "fail_at"]
