"""Loading a flow file: YAML text → a checked :class:`~flows._model.Flow`, or located errors.

This module owns the schema of a flow file (schema 1), declared as pydantic models on
:class:`flows._typed.Typed` (``FlowIn`` at the top), so a wrong type, an unknown key, a missing
key or a local rule (``min > max``, two kinds on one state, a bad regex...) becomes a located
:class:`~bot.errors.FlowError`. A valid document is built into the IR (:mod:`flows._model`),
mostly by copying same-named fields, and the rules that need the whole document are checked:
``{ref: name}`` messages, the options of a choice question, what an ask prompt may be. Checks
that need every flow or the hook registry belong to the validator.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.errors import FlowError
from flows import _model as ir
from flows._model import (
    EXPECT_TYPES,
    HOOK_RE,
    MEDIA_KINDS,
    NAME_RE,
    REFERRAL_FIELDS,
    RESERVED_STATE_NAMES,
    SCHEMA_VERSION,
    SLOT_TYPES,
    flow_target,
)
from flows._typed import (
    Duration,
    Loc,
    OptString,
    OptText,
    Strings,
    Text,
    Typed,
    each,
    fail,
    items,
    many,
    problem,
    read_typed,
    type_name,
)
from flows._yaml import join, line_of, read_yaml

R = TypeVar("R")

KIND_KEYS: tuple[ir.StateKind, ...] = ("ask", "run", "call", "handoff", "end")
COMMON_STATE_KEYS = frozenset(
    {"say", "next", "on_enter", "on_exit", "interrupts", "timeout", "tags", "description"}
)
KIND_STATE_KEYS: dict[str, frozenset[str]] = {
    "ask": frozenset({"ask", "expect", "validate", "reprompt", "save"}),
    "say": frozenset(),
    "run": frozenset({"run", "args", "save", "on_error"}),
    "call": frozenset({"call", "args", "returns"}),
    "handoff": frozenset({"handoff"}),
    "end": frozenset({"end"}),
}
EXPECT_OPTIONS: dict[str, frozenset[str]] = {
    "choice": frozenset({"options", "list_button"}),
    "number": frozenset({"min", "max", "integer"}),
    "text": frozenset({"min_length", "max_length"}),
    "regex": frozenset({"pattern", "ignore_case"}),
    "email": frozenset(),
    "phone": frozenset({"country_code"}),
    **dict.fromkeys(
        ("date", "time", "datetime"), frozenset({"formats", "future_only", "min", "max"})
    ),
    "yes_no": frozenset({"yes_words", "no_words"}),
    "location": frozenset({"request"}),
    "media": frozenset({"kinds"}),
}
_MOMENTS = ("date", "time", "datetime")
_RELATIVE_RE = re.compile(r"^([+-])(\d+)([dwhm])$")
_UNITS = {"d": timedelta(days=1), "w": timedelta(weeks=1), "h": timedelta(hours=1)}
_PARSERS: dict[str, Callable[[str], date | time | datetime]] = {
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "datetime": datetime.fromisoformat,
}


def slug(title: str) -> str:
    """Make an option id from a title: ``"Crème brûlée 🍮"`` → ``"creme_brulee"``."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


# -- field types -----------------------------------------------------------------------------


def _check(ok: Callable[[Any], bool], message: str) -> Callable[[Any], Any]:
    """A field check: a value passes when ``ok(value)``, else ``message`` (``{!r}``: the value)."""

    def check(value: Any) -> Any:
        if not ok(value):
            raise problem(message.format(value))
        return value

    return check


def _name(what: str) -> Callable[[Any], Any]:
    return _check(
        lambda value: isinstance(value, str) and bool(NAME_RE.match(value)),
        f"{what} must be lowercase letters, digits and '_', starting with a letter; got {{!r}}",
    )


_state_id = _check(
    lambda value: _name("a state id")(value) not in RESERVED_STATE_NAMES,
    "{!r} is reserved and cannot name a state",
)
_hook = _check(
    lambda value: isinstance(value, str) and bool(HOOK_RE.match(value)),
    "a hook name is dotted lowercase words such as 'orders.create'; got {!r}",
)
_target = _check(
    lambda value: isinstance(value, str) and bool(NAME_RE.match(flow_target(value) or value)),
    "a target is a state id, 'end', 'handoff' or 'flow:<flow id>'; got {!r}",
)


def _one_of(choices: Sequence[str], what: str) -> Callable[[Any], Any]:
    return _check(
        lambda value: value in choices, f"{what} must be one of {', '.join(choices)}; got {{!r}}"
    )


FlowId = Annotated[str, BeforeValidator(_name("a flow id"))]
SlotName = Annotated[str, BeforeValidator(_name("a slot name"))]
IntentName = Annotated[str, BeforeValidator(_name("an intent name"))]
MessageName = Annotated[str, BeforeValidator(_name("a message name"))]
ArgName = Annotated[str, BeforeValidator(_name("an argument name"))]
ChildSlot = Annotated[str, BeforeValidator(_name("a slot name of the called flow"))]
StateId = Annotated[str, BeforeValidator(_state_id)]
Hook = Annotated[str, BeforeValidator(_hook)]
Target = Annotated[str, BeforeValidator(_target)]
PositiveInt = Annotated[StrictInt | None, Field(ge=1)]
Args = dict[ArgName, Any] | None


# -- content: messages and options -----------------------------------------------------------


_trimmed_id = _check(
    lambda value: value == value.strip(), "an option id must not start or end with spaces"
)


class OptionIn(Typed, what="an option", expected="an option (a title or a mapping)"):
    """One option: ``"Chocolate"`` or ``{id, title, description, synonyms, section}``."""

    id: Annotated[OptText, AfterValidator(_trimmed_id)] = None
    title: Text
    description: OptText = None
    synonyms: Strings = ()
    section: OptText = None

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            if not str(value).strip():
                raise problem("an option title must not be empty")
            return {"title": str(value).strip()}
        return value


Options = Annotated[Sequence[OptionIn], many(OptionIn, "expected a non-empty list of options")]


class SectionIn(Typed, what="a section"):
    """A titled group of list rows."""

    title: OptText = None
    rows: Options = Field(default=None, validate_default=True)


Sections = Annotated[Sequence[SectionIn], many(SectionIn, "'sections' must be a non-empty list")]


class ListIn(Typed, what="a list", one_of=("sections", "rows")):
    """The ``list:`` of a list message: ``rows`` or ``sections``, and the button label."""

    button: OptText = None
    sections: Sections | None = None
    rows: Options | None = None


class CtaIn(Typed, what="a cta"):
    """A call-to-action URL button."""

    display_text: Text
    url: Text


class MediaIn(Typed, what="media", one_of=("id", "link")):
    """The ``media:`` of a media message."""

    kind: Annotated[
        Text,
        AfterValidator(_one_of(("image", "video", "audio", "document", "sticker"), "media kind")),
    ]
    id: OptText = None
    link: OptText = None
    caption: OptText = None
    filename: OptText = None


def _components(value: Any) -> tuple[dict[str, Any], ...]:
    value = value or []
    if not isinstance(value, list) or not all(isinstance(c, dict) for c in value):
        raise problem("'components' must be a list of mappings")
    return tuple(value)


class TemplateIn(Typed, what="a template"):
    """The ``template:`` of a template message."""

    name: Text
    language: OptText = None
    components: Annotated[tuple[dict[str, Any], ...], PlainValidator(_components)] = ()


Buttons = Annotated[Sequence[OptionIn], many(OptionIn, "'buttons' must be a non-empty list")]


class MessageIn(Typed, what="a message", expected="a message (a string or a mapping)"):
    """One message: a string (a text), or a mapping with one shape, or ``{ref: name}``."""

    text: OptText = None
    preview_url: StrictBool = False
    header: OptText = None
    footer: OptText = None
    buttons: Buttons | None = None
    list_: ListIn | None = Field(default=None, alias="list")
    cta: CtaIn | None = None
    location_request: Any = None
    media: MediaIn | None = None
    template: TemplateIn | None = None
    ref: OptText = None

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            if not str(value).strip():
                raise problem("a message must not be empty")
            return {"text": str(value)}
        return value

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, Loc]]:
        if "ref" in data:
            return [("'ref' stands alone in a message", ())] if len(data) > 1 else []
        if "media" in data or "template" in data:
            only = "media" if "media" in data else "template"
            hint = " (put text in media.caption)" if only == "media" else ""
            return [(f"a {only} message has only {only!r}{hint}", ())] if len(data) > 1 else []
        found: list[tuple[str, Loc]] = []
        shapes = [key for key in ("buttons", "list", "cta", "location_request") if key in data]
        if len(shapes) > 1:
            found.append((f"a message has one shape, got {' and '.join(shapes)}", ()))
        if "text" not in data:
            found.append(("this message needs 'text'", ()))
        if "location_request" in data and data["location_request"] is not True:
            found.append(("'location_request' must be true", ("location_request",)))
        for key in ("header", "footer") if not shapes else ():
            if key in data:
                found.append((f"{key!r} needs buttons, a list or a cta", (key,)))
        return found


Messages = Annotated[Sequence[MessageIn], many(MessageIn)]


# -- questions -------------------------------------------------------------------------------


def date_bound(value: Any, key: str, kind: str) -> ir.DateBound:
    """Read a ``min``/``max`` of a date, time or datetime question.

    Raises:
        PydanticCustomError: The bound is neither relative (``+60d``) nor an absolute value.
    """
    if isinstance(value, (date, datetime)):
        return ir.DateBound(value.isoformat(), absolute=value)
    if kind == "time" and type(value) is int and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 18:00 as the base-60 integer 1080.
        value = f"{value // 60:02d}:{value % 60:02d}"
    text = str(value).strip().lower()
    if text in ("now", "today"):
        return ir.DateBound(text, offset=timedelta(0))
    match = _RELATIVE_RE.match(text)
    if match:
        sign, amount, unit = match.groups()
        if kind == "date" and unit in "hm":
            raise problem(f"a date bound moves in days or weeks, got {value!r}")
        step = _UNITS.get(unit, timedelta(minutes=1))
        return ir.DateBound(str(value), offset=step * int(amount) * (-1 if sign == "-" else 1))
    try:
        return ir.DateBound(str(value), absolute=_PARSERS[kind](text))
    except ValueError:
        example = {"date": "'2025-12-24'", "time": "'09:00'"}.get(kind, "'2025-12-24T18:00'")
        raise problem(
            f"bad {key} {value!r}: use a relative bound such as '+0d', '+60d', '-2h', or "
            f"an absolute {kind} such as {example}"
        ) from None


def _bad_regexes(patterns: Sequence[str], key: str) -> list[tuple[str, Loc]]:
    found: list[tuple[str, Loc]] = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            found.append((f"invalid regular expression {pattern!r}: {exc}", (key,)))
    return found


class ExpectIn(Typed, what="expect"):
    """What an ask state accepts: a type name, or ``{type, <options of that type>}``."""

    type_: Annotated[str, BeforeValidator(_one_of(EXPECT_TYPES, "expect type"))] = Field(
        default="", alias="type"
    )
    options: Options | None = None
    list_button: OptText = None
    min: Any = None
    max: Any = None
    integer: StrictBool = False
    min_length: Annotated[StrictInt | None, Field(ge=0)] = None
    max_length: PositiveInt = None
    pattern: OptText = None
    ignore_case: StrictBool = False
    formats: Strings = ()
    future_only: StrictBool = False
    country_code: OptString = None
    kinds: Strings = ()
    request: StrictBool = True
    yes_words: Strings = ()
    no_words: Strings = ()

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"type": _one_of(EXPECT_TYPES, "expect type")(value)}
        return value

    @classmethod
    def describe(cls, data: Any) -> str:
        return f"expect ({data.get('type')})"

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, Loc]]:
        if data.get("type") is None:
            return [(f"expect type must be one of {', '.join(EXPECT_TYPES)}; got None", ("type",))]
        return []

    @model_validator(mode="after")
    def _options_of_type(self) -> ExpectIn:
        kind, found = self.type_, list[tuple[str, Loc]]()
        if not kind:
            return self
        for key in sorted(self.model_fields_set - EXPECT_OPTIONS[kind] - {"type_"}):
            found.append((f"{key!r} is not an option of expect type {kind!r}", (key,)))
        low, high = self.min_length, self.max_length
        if low is not None and high is not None and low > high:
            found.append((f"min_length ({low}) is greater than max_length ({high})", ()))
        if kind == "number":
            found += self._numbers()
        if kind == "regex" and self.pattern is None:
            found.append(("expect regex needs 'pattern'", ()))
        found += _bad_regexes([self.pattern] if self.pattern else [], "pattern")
        code = self.country_code
        if code is not None and not code.lstrip("+").isdigit():
            found.append((f"country_code must be digits such as '44', got {code!r}", ()))
        for index, fmt in enumerate(self.formats):
            if "%" not in fmt:
                message = f"{fmt!r} is not a strptime format (e.g. '%d/%m/%Y')"
                found.append((message, ("formats", index)))
        if kind in _MOMENTS:
            found += self._bounds()
        for bad in (k for k in self.kinds if k not in MEDIA_KINDS):
            found.append(
                (f"unknown media kind {bad!r} (kinds: {', '.join(MEDIA_KINDS)})", ("kinds",))
            )
        if found:
            fail(*found)
        return self

    def _numbers(self) -> list[tuple[str, Loc]]:
        found: list[tuple[str, Loc]] = []
        for key, value in (("min", self.min), ("max", self.max)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float))
            ):
                found.append((f"{key!r} must be a number, got {type_name(value)}", (key,)))
        if not found and self.min is not None and self.max is not None and self.min > self.max:
            found.append((f"min ({self.min}) is greater than max ({self.max})", ()))
        return found

    def bounds(self) -> tuple[ir.DateBound | None, ir.DateBound | None]:
        """The ``min``/``max`` of a date, time or datetime question."""
        low = None if self.min is None else date_bound(self.min, "min", self.type_)
        high = None if self.max is None else date_bound(self.max, "max", self.type_)
        return low, high

    def _bounds(self) -> list[tuple[str, Loc]]:
        found: list[tuple[str, Loc]] = []
        for key, value in (("min", self.min), ("max", self.max)):
            try:
                None if value is None else date_bound(value, key, self.type_)
            except PydanticCustomError as exc:
                found.append((exc.message(), (key,)))
        low, high = (None, None) if found else self.bounds()
        if low is None or high is None:
            return found
        moved = low.offset is not None and high.offset is not None and low.offset > high.offset
        same = type(low.absolute) is type(high.absolute) and low.absolute is not None
        if moved or (same and low.absolute > high.absolute):  # type: ignore[operator]
            return [(f"min ({low.raw}) is after max ({high.raw})", ())]
        return []


class ValidateRuleIn(
    Typed,
    what="a validate rule",
    expected="a rule ({check: ..., message: ...})",
    one_of=("check", "hook"),
):
    """One ``validate:`` rule: ``{check|hook, message}``."""

    check: OptText = None
    hook: Hook | None = None
    message: OptText = None


# -- control flow ----------------------------------------------------------------------------


def _goto(value: Any) -> Any:
    """The shorthand of a fallback or a branch: a bare target is its ``goto``."""
    return {"goto": _target(value)} if isinstance(value, str) else value


class FallbackIn(Typed, what="a fallback", expected="a mapping with 'say' and/or 'goto'"):
    """``{say, goto}``; a bare string is a ``goto``."""

    say: Messages = ()
    goto: Target | None = None

    shorthand = staticmethod(_goto)


class RepromptIn(Typed, what="reprompt"):
    """How an ask state asks again."""

    unrecognized: MessageIn | None = None
    invalid: MessageIn | None = None
    max_retries: PositiveInt = None
    on_exhausted: FallbackIn | None = None


class BranchIn(Typed, what="a next entry", expected="a target or {if: ..., goto: ...}"):
    """One entry of ``next:``: a target, or ``{if|when, goto}``."""

    if_: OptText = Field(default=None, alias="if")
    when: Hook | None = None
    goto: Target

    shorthand = staticmethod(_goto)


class HookCallIn(Typed, what="a hook call"):
    """A hook of ``on_enter``/``on_exit``: a name or ``{hook, args}``."""

    hook: Hook = Field(default=None, validate_default=True)
    args: Args = None

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {"hook": _hook(value)}


@dataclass(frozen=True)
class _AllBut:
    """``interrupts: {except: [...]}``: every intent but these."""

    names: tuple[str, ...]


def _interrupts(value: Any) -> tuple[str, ...] | _AllBut | None:
    if value is True:
        return None
    if value is False:
        return ()
    if isinstance(value, list):
        return tuple(items(value, _name("an intent name")))
    if isinstance(value, dict) and set(value) == {"except"} and isinstance(value["except"], list):
        return _AllBut(tuple(items(value["except"], _name("an intent name"))))
    raise problem("'interrupts' is true, false or a list of intent names, or {except: [names]}")


class StateIn(Typed, what="a state", expected="a mapping (a state)"):
    """One state: exactly one kind (``say`` alone makes a say state) and only that kind's keys."""

    ask: MessageIn | None = None
    say: Messages = ()
    run: Hook | None = None
    call: FlowId | None = None
    handoff: Any = None
    end: Any = None
    expect: ExpectIn | None = None
    validate_: Annotated[Sequence[ValidateRuleIn], many(ValidateRuleIn)] = Field(
        default=(), alias="validate"
    )
    reprompt: RepromptIn | None = None
    save: SlotName | None = None
    next: Annotated[Sequence[BranchIn], many(BranchIn)] = ()
    args: Args = None
    returns: dict[ArgName, ChildSlot] | None = None
    on_error: FallbackIn | None = None
    on_enter: Annotated[Sequence[HookCallIn], many(HookCallIn)] = ()
    on_exit: Annotated[Sequence[HookCallIn], many(HookCallIn)] = ()
    interrupts: Annotated[tuple[str, ...] | _AllBut | None, PlainValidator(_interrupts)] = None
    timeout: Duration = None
    tags: Strings = ()
    description: OptText = None

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        if value == {}:
            raise problem("an empty state: give it one of ask, say, run, call, handoff, end")
        return value

    @property
    def kind(self) -> ir.StateKind:
        """The state's kind: its one kind key, else ``say``."""
        return next((key for key in KIND_KEYS if key in self.model_fields_set), "say")

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, Loc]]:
        kinds = [key for key in KIND_KEYS if key in data]
        if len(kinds) > 1:
            return [(f"a state has exactly one kind, this one has {' and '.join(kinds)}", ())]
        if not kinds and "say" not in data:
            return [("a state needs a kind: one of ask, say, run, call, handoff, end", ())]
        kind = kinds[0] if kinds else "say"
        allowed = COMMON_STATE_KEYS | KIND_STATE_KEYS[kind]
        known = set(cls.keys())
        found: list[tuple[str, Loc]] = [
            (f"{key!r} is not used by {kind} states", (key,))
            for key in data
            if key in known and key not in allowed
        ]
        if kind in ("handoff", "end"):
            if data[kind] is not True:
                found.append((f"{kind!r} must be true", (kind,)))
            if "next" in data:
                found.append((f"{kind} states have no 'next'", ("next",)))
        elif "next" not in data:
            found.append((f"{kind} states need 'next'", ()))
        return found


_states = _check(lambda value: value != {}, "'states' must hold at least one state")


# -- the top of the document -----------------------------------------------------------------


class ReferralIn(
    Typed, what="a referral trigger", expected="a mapping such as {source_id: '1203...'}"
):
    """One referral trigger: ``{<referral field>: value}`` or ``{ctwa: true}``."""

    source_id: OptText = None
    source_url: OptText = None
    headline: OptText = None
    body: OptText = None
    ctwa_clid: OptText = None
    ctwa: Any = None

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, Loc]]:
        if len(data) != 1:
            return [("a referral trigger matches exactly one field", ())]
        if "ctwa" in data and data["ctwa"] is not True:
            return [("'ctwa' must be true (any Click-to-WhatsApp ad)", ("ctwa",))]
        return []


def _referrals(value: Any) -> Sequence[ReferralIn]:
    if value is not None and not isinstance(value, list):
        raise problem("'referrals' must be a list of {field: value}")
    return items(value or [], ReferralIn.model_validate)


class TriggersIn(Typed, what="triggers"):
    """How a new conversation lands in this flow."""

    keywords: Strings = ()
    payloads: Strings = ()
    referrals: Annotated[Sequence[ReferralIn], PlainValidator(_referrals)] = ()
    default: StrictBool = False


class SlotIn(Typed, what="a slot"):
    """A declared slot: a type name, or ``{type, default, description, example}``."""

    type_: Annotated[str, BeforeValidator(_one_of(SLOT_TYPES, "slot type"))] = Field(
        default="string", alias="type"
    )
    default: Any = None
    description: OptText = None
    example: Any = None

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else {} if value is None else value


def _zone(value: str | None) -> str | None:
    try:
        zoneinfo.ZoneInfo(value or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise problem(
            f"unknown time zone {value!r} (use an IANA name such as 'Europe/Paris')"
        ) from None
    return value


class SettingsIn(Typed, what="settings"):
    """Flow-wide behaviour."""

    max_retries: PositiveInt = None
    on_exhausted: FallbackIn | None = None
    session_timeout: Duration = None
    on_timeout: FallbackIn | None = None
    on_error: FallbackIn | None = None
    unrecognized: MessageIn | None = None
    invalid: MessageIn | None = None
    timezone: Annotated[OptText, AfterValidator(_zone)] = None
    list_button: OptText = None
    more_title: OptText = None
    step_limit: Annotated[StrictInt | None, Field(ge=2)] = None


class MatchIn(Typed, what="an intent match", expected="a 'match' mapping"):
    """What fires an intent."""

    keywords: Strings = ()
    payloads: Strings = ()
    regex: Strings = ()

    @model_validator(mode="after")
    def _something(self) -> MatchIn:
        found = _bad_regexes(self.regex, "regex")
        if self.model_fields_set and not (self.keywords or self.payloads or self.regex):
            found.append(("an intent must match keywords, payloads or a regex", ()))
        if found:
            fail(*found)
        return self


_then = _check(lambda value: value in (None, "resume"), "'then' can only be 'resume', got {!r}")


class IntentIn(Typed, what="an intent"):
    """A global interrupt: ``{match, say, goto | then: resume, global}``."""

    match: MatchIn = Field(default=None, validate_default=True)
    say: Messages = ()
    goto: Target | None = None
    then: Annotated[str | None, BeforeValidator(_then)] = None
    global_: StrictBool = Field(default=False, alias="global")

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, Loc]]:
        if ("goto" in data) == (data.get("then") is not None):
            return [("an intent needs exactly one of 'goto' and 'then: resume'", ())]
        return []


_schema = _check(
    lambda value: value == SCHEMA_VERSION,
    f"unsupported schema {{!r}}: this engine reads schema {SCHEMA_VERSION}",
)


class FlowIn(Typed, what="the flow file", expected="a mapping at the top of the file"):
    """A whole flow document (schema 1)."""

    schema_: Annotated[int, BeforeValidator(_schema)] = Field(alias="schema")
    flow: FlowId
    version: Annotated[StrictInt, Field(ge=1)]
    name: OptText = None
    description: OptText = None
    locale: OptText = None
    start: Annotated[str, BeforeValidator(_name("start"))]
    triggers: TriggersIn | None = None
    slots: dict[SlotName, SlotIn] | None = None
    settings: SettingsIn | None = None
    intents: dict[IntentName, IntentIn] | None = None
    messages: dict[MessageName, MessageIn] | None = None
    states: Annotated[dict[StateId, StateIn] | None, BeforeValidator(_states)]


# -- building the IR -------------------------------------------------------------------------

_BUILDS: dict[type[Any], tuple[type[Any], dict[str, str | Callable[[Any], Any]]]] = {
    OptionIn: (ir.Option, {"id": lambda doc: doc.id or slug(doc.title) or doc.title}),
    SectionIn: (ir.SectionSpec, {}),
    MediaIn: (ir.MessageSpec, {"media_kind": "kind", "media_id": "id", "text": "caption"}),
    TemplateIn: (
        ir.MessageSpec,
        {"template_name": "name", "language": lambda doc: doc.language or "en_US"},
    ),
    ValidateRuleIn: (ir.ValidateRule, {}),
    FallbackIn: (ir.Fallback, {}),
    RepromptIn: (ir.RepromptSpec, {}),
    BranchIn: (ir.Branch, {"target": "goto", "condition": "if", "hook": "when"}),
    HookCallIn: (ir.HookCall, {"name": "hook"}),
    SlotIn: (ir.SlotSpec, {}),
    SettingsIn: (ir.Settings, {}),
    IntentIn: (
        ir.Intent,
        {
            "keywords": lambda doc: doc.match.keywords,
            "payloads": lambda doc: doc.match.payloads,
            "patterns": lambda doc: doc.match.regex,
            "resume": lambda doc: doc.then == "resume",
            "shared": "global",
        },
    ),
}
"""Model → the IR class it becomes, and where an IR field comes from when not from the YAML
key of the same name: another key, or a function of the model."""


class _Builder:
    """Turns a valid :class:`FlowIn` into a :class:`ir.Flow`, giving every object its key path."""

    def __init__(self, file: str | None, lines: dict[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.errors: list[FlowError] = []
        self.named: dict[str, ir.MessageSpec] = {}

    def error(self, message: str, path: str) -> None:
        self.errors.append(
            FlowError(message, file=self.file, line=line_of(self.lines, path), path=path)
        )

    def build(self, target: type[R], doc: Typed | None, path: str, **given: Any) -> R:
        """Make ``target`` at ``path``; a field not ``given`` takes the key of its name in ``doc``
        (or what :data:`_BUILDS` says), built at its own key path, else keeps its default."""
        renames = _BUILDS.get(type(doc), (object, {}))[1]
        attrs = {f.alias or n: n for n, f in getattr(type(doc), "model_fields", {}).items()}
        for item in dataclasses.fields(cast(Any, target)):
            key = renames.get(item.name, item.name)
            if item.name in given:
                continue
            if item.name == "path":
                given["path"] = path
            elif callable(key):
                given[item.name] = key(doc)
            elif key in attrs and (value := getattr(doc, attrs[key])) is not None:
                given[item.name] = self.value(value, join(path, key))
        return target(**given)

    def value(self, value: Any, path: str) -> Any:
        """Build a model (or a list of them) at ``path``; any other value stays as it is."""
        if isinstance(value, MessageIn):
            return self.message(value, path)
        if isinstance(value, Typed):
            return self.build(_BUILDS[type(value)][0], value, path)
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], Typed):
            built = (self.value(item, where) for item, where in each(value, path))
            return tuple(item for item in built if item is not None)
        return value

    def flow(self, doc: FlowIn) -> ir.Flow:
        for name, item in (doc.messages or {}).items():
            spec = self.message(item, join("messages", name), allow_ref=False)
            if spec is not None:
                self.named[name] = spec
        states = {
            name: self.state(name, item, join("states", name))
            for name, item in (doc.states or {}).items()
        }
        return self.build(
            ir.Flow,
            doc,
            "",
            id=doc.flow,
            states=states,
            triggers=self.triggers(doc.triggers),
            slots={
                name: self.build(ir.SlotSpec, slot, join("slots", name), name=name)
                for name, slot in (doc.slots or {}).items()
            },
            intents={
                name: self.build(ir.Intent, item, join("intents", name), name=name, flow=doc.flow)
                for name, item in (doc.intents or {}).items()
            },
            messages=self.named,
            file=self.file,
            lines=self.lines,
        )

    def triggers(self, doc: TriggersIn | None) -> tuple[ir.Trigger, ...]:
        if doc is None:
            return ()
        found = [ir.Trigger("keyword", w, path="triggers.keywords") for w in doc.keywords]
        found += [ir.Trigger("payload", p, path="triggers.payloads") for p in doc.payloads]
        for index, referral in enumerate(doc.referrals):
            where = f"triggers.referrals[{index}]"
            if referral.ctwa is True:
                found.append(ir.Trigger("referral", "*", "ctwa_clid", where))
            for key in REFERRAL_FIELDS:
                if getattr(referral, key) is not None:
                    found.append(ir.Trigger("referral", getattr(referral, key), key, where))
        if doc.default:
            found.append(ir.Trigger("default", path="triggers.default"))
        return tuple(found)

    def message(
        self, doc: MessageIn | None, path: str, *, allow_ref: bool = True
    ) -> ir.MessageSpec | None:
        if doc is None:
            return None
        if doc.ref is not None:
            if not allow_ref:
                self.error("a named message cannot refer to another one", join(path, "ref"))
                return None
            spec = self.named.get(doc.ref)
            if spec is None:
                known = ", ".join(self.named) or "none declared"
                self.error(f"unknown message {doc.ref!r} (messages: {known})", join(path, "ref"))
                return None
            return replace(spec, ref=doc.ref, path=path)
        if doc.media is not None or doc.template is not None:
            kind = "media" if doc.media is not None else "template"
            return self.build(ir.MessageSpec, doc.media or doc.template, path, kind=kind)
        if doc.location_request is not None:
            return ir.MessageSpec(kind="location_request", text=doc.text, path=path)
        shape: dict[str, Any] = {"kind": "text", "preview_url": doc.preview_url}
        if doc.buttons is not None:
            shape = {"kind": "buttons", "preview_url": False}
        elif doc.cta is not None:
            shape = {"kind": "cta_url", "preview_url": False}
            shape |= {"display_text": doc.cta.display_text, "url": doc.cta.url}
        elif doc.list_ is not None:
            rows, where = doc.list_.rows, join(path, "list")
            sections = self.value(doc.list_.sections, join(where, "sections"))
            if rows is not None:
                rows_path = join(where, "rows")
                sections = (ir.SectionSpec(None, self.value(rows, rows_path), rows_path),)
            shape = {"kind": "list", "preview_url": False, "sections": sections}
            shape["list_button"] = doc.list_.button
        return self.build(ir.MessageSpec, doc, path, **shape)

    def state(self, name: str, doc: StateIn, path: str) -> ir.State:
        kind = doc.kind
        ask = self.message(doc.ask, join(path, "ask"))
        if ask is not None and ask.kind in ("media", "template", "cta_url"):
            self.error(f"an ask prompt cannot be a {ask.kind} message", join(path, "ask"))
        allowed = doc.interrupts
        return self.build(
            ir.State,
            doc,
            path,
            name=name,
            kind=kind,
            interrupts=None if isinstance(allowed, _AllBut) else allowed,
            keeps_out=allowed.names if isinstance(allowed, _AllBut) else (),
            ask=ask,
            expect=self.expect(doc.expect, join(path, "expect"), ask) if kind == "ask" else None,
            reprompt=self.build(ir.RepromptSpec, doc.reprompt, join(path, "reprompt")),
            run=self.build(ir.HookCall, doc, join(path, "run"), name=doc.run) if doc.run else None,
            call=self.build(ir.CallSpec, doc, join(path, "call"), flow=doc.call)
            if doc.call
            else None,
        )

    def expect(self, doc: ExpectIn | None, path: str, ask: ir.MessageSpec | None) -> ir.ExpectSpec:
        declared = ask.options if ask is not None else ()
        if doc is None:
            implied = "choice" if ask is not None and ask.kind in ("buttons", "list") else "text"
            return ir.ExpectSpec(type=cast(ir.ExpectType, implied), options=declared, path=path)
        kind = doc.type_
        options = declared
        if kind == "choice" and doc.options is not None:
            if declared:
                self.error(
                    "options are given twice: in the ask message and in expect.options", path
                )
            options = self.value(doc.options, join(path, "options"))
        elif kind == "choice" and not declared:
            self.error("a choice needs options (expect.options, or buttons/list in ask)", path)
        low, high = doc.bounds() if kind in _MOMENTS else (None, None)
        given: dict[str, Any] = {"min_date": low, "max_date": high}
        given["options"] = options if kind == "choice" else ()
        if kind != "number":
            given.update(min=None, max=None)
        if doc.country_code:
            given["country_code"] = doc.country_code.lstrip("+")
        return self.build(ir.ExpectSpec, doc, path, **given)


# -- entry points ----------------------------------------------------------------------------


class FlowLoadError(FlowError):
    """A flow file has one or more problems; all of them are in :attr:`errors`, in file order.

    ``file``, ``line`` and ``path`` are those of the first problem; ``str()`` lists them all.
    """

    def __init__(self, errors: list[FlowError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.file or "", e.line or 0))
        first = self.errors[0]
        text = first.message
        if len(self.errors) > 1:
            text += f" (and {len(self.errors) - 1} more problem(s)):\n" + "\n".join(
                f"  {error}" for error in self.errors
            )
        super().__init__(text, file=first.file, line=first.line, path=first.path)


def read_flow(text: str, file: str | None = None) -> tuple[ir.Flow | None, list[FlowError]]:
    """Parse and shape-check one flow document without raising.

    ``file`` names the document in errors and is kept on the flow.

    Returns:
        The flow (``None`` when the document is too broken to build one) and every problem
        found. A document with problems still gives a flow when its id can be read (with its
        states only when they are valid), so tools can check the references of other flows.
    """
    data, lines, errors = read_yaml(text, file)
    if data is None:
        if not errors:
            empty = "the file is empty: a flow needs at least schema, flow, version, start, states"
            errors.append(FlowError(empty, file=file))
        return None, errors
    doc, problems = read_typed(FlowIn, data, file=file, lines=lines)
    errors += problems
    if doc is None:
        return _partial(data, file, lines), errors
    builder = _Builder(file, lines)
    flow = builder.flow(doc)
    return flow, errors + builder.errors


def _partial(data: Any, file: str | None, lines: dict[str, int]) -> ir.Flow | None:
    """What can be kept of a document that failed validation: its id, version and start."""
    if not isinstance(data, dict):
        return None
    flow_id, version, start = data.get("flow"), data.get("version"), data.get("start")
    return ir.Flow(
        id=flow_id if isinstance(flow_id, str) and NAME_RE.match(flow_id) else "invalid",
        version=version if type(version) is int and version > 0 else 1,
        start=start if isinstance(start, str) else "",
        states={},
        file=file,
        lines=lines,
    )


def parse_flow(text: str, file: str | None = None) -> ir.Flow:
    """Parse one flow document; ``file`` names it in errors.

    Raises:
        FlowLoadError: The document has problems (all of them are listed).
    """
    flow, errors = read_flow(text, file)
    if errors or flow is None:
        raise FlowLoadError(errors or [FlowError("cannot read the flow", file=file)])
    return flow


def load_flow(path: str | Path) -> ir.Flow:
    """Load one ``.yaml``/``.yml`` flow file.

    Raises:
        FlowLoadError: The file has problems.
        FlowError: The file cannot be read.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlowError(f"cannot read the flow file: {exc}", file=file) from exc
    return parse_flow(text, file)
