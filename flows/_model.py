"""The typed form of a flow file (the IR): what the loader produces and everything else reads.

This module owns the frozen dataclasses a YAML flow becomes (schema 1): :class:`Flow`, its
:class:`State` objects and the records around them (messages, options, ``expect``, branches,
fallbacks, hooks, intents, triggers, slots, settings); nothing here parses YAML, renders Jinja
or touches ``transitions``. Every object keeps the file's literal strings and its key path
(``states.ask_cake.expect.options[2]``), so any later error can name file, line and key path
(:meth:`Flow.error`). Targets are plain strings: a state id of the same flow, :data:`END`,
:data:`HANDOFF` or ``flow:<id>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, get_args

from bot.errors import FlowError
from flows._yaml import line_of

MessageKind = Literal["text", "buttons", "list", "media", "cta_url", "location_request", "template"]

ExpectType = Literal[
    "choice", "number", "text", "regex", "email", "phone",
    "date", "time", "datetime", "yes_no", "location", "media",
]  # fmt: skip
EXPECT_TYPES: tuple[ExpectType, ...] = get_args(ExpectType)

MEDIA_KINDS = ("image", "video", "audio", "voice", "document", "sticker")
"""Media kinds an ``expect: media`` question can accept (``voice`` = a recorded voice note)."""


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of a choice question: a reply button or a list row.

    Attributes:
        id: What comes back when the customer taps it, and what is saved in the slot.
        title: What the customer sees (button: at most 20 characters, row: at most 24).
        description: Second line of a list row (at most 72 characters).
        synonyms: Other words that select this option when typed.
        section: The list section this row belongs to, when the list is grouped.
    """

    id: str
    title: str
    description: str | None = None
    synonyms: tuple[str, ...] = ()
    section: str | None = None
    path: str = ""


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """A titled group of list rows in an explicit ``list:`` message."""

    title: str | None = None
    rows: tuple[Option, ...] = ()
    path: str = ""


@dataclass(frozen=True, slots=True)
class MessageSpec:
    """One outbound message as written in the flow; its strings are Jinja templates.

    Exactly the fields of its :attr:`kind` are set:

    - ``text``: :attr:`text` (``preview_url``).
    - ``buttons``: :attr:`text` (body), :attr:`buttons`, optional :attr:`header`/:attr:`footer`.
    - ``list``: :attr:`text`, :attr:`list_button`, :attr:`sections`, optional header/footer.
    - ``media``: :attr:`media_kind` and one of :attr:`media_id`/:attr:`link`; optional
      :attr:`text` (the caption) and :attr:`filename`.
    - ``cta_url``: :attr:`text`, :attr:`display_text`, :attr:`url`, optional header/footer.
    - ``location_request``: :attr:`text`.
    - ``template``: :attr:`template_name`, :attr:`language`, :attr:`components` (raw Cloud API
      components whose strings are templates).

    Attributes:
        ref: The name in ``messages:`` this spec was taken from (``{ref: name}``), if any.
    """

    kind: MessageKind
    text: str | None = None
    preview_url: bool = False
    header: str | None = None
    footer: str | None = None
    buttons: tuple[Option, ...] = ()
    list_button: str | None = None
    sections: tuple[SectionSpec, ...] = ()
    media_kind: str | None = None
    media_id: str | None = None
    link: str | None = None
    filename: str | None = None
    display_text: str | None = None
    url: str | None = None
    template_name: str | None = None
    language: str | None = None
    components: tuple[Mapping[str, Any], ...] = ()
    ref: str | None = None
    path: str = ""

    @property
    def options(self) -> tuple[Option, ...]:
        """The buttons, or every row of every section, in order."""
        if self.buttons:
            return self.buttons
        return tuple(row for section in self.sections for row in section.rows)


@dataclass(frozen=True, slots=True)
class DateBound:
    """A ``min``/``max`` of a date, time or datetime question.

    Either relative to the turn's clock (``"+0d"`` today, ``"+60d"``, ``"-1w"``, ``"+2h"``) or
    absolute (``"2025-12-24"``, ``"09:00"``, ``"2025-12-24T18:00"``).

    Attributes:
        raw: The literal text from the file.
        offset: The offset from now, for relative bounds.
        absolute: The fixed value, for absolute bounds.
    """

    raw: str
    offset: timedelta | None = None
    absolute: date | time | datetime | None = None


@dataclass(frozen=True, slots=True)
class ExpectSpec:
    """What an ``ask`` state accepts, and the type options of that input.

    Only the options of :attr:`type` are set; the others keep their defaults.

    Attributes:
        type: One of :data:`EXPECT_TYPES`.
        options: ``choice``: the answers (from ``expect.options`` or the ask message's
            buttons/rows).
        list_button: ``choice``: the label of the list button when options are sent as a list.
        min: ``number``: smallest accepted value.
        max: ``number``: largest accepted value.
        integer: ``number``: only whole numbers.
        min_length: ``text``: fewest characters.
        max_length: ``text``: most characters.
        pattern: ``regex``: the pattern the whole answer must match.
        ignore_case: ``regex``: match case-insensitively.
        formats: ``date``/``time``/``datetime``: ``strptime`` formats tried before the built-in
            ones (the first format decides day-first or month-first).
        future_only: ``date``/``time``/``datetime``: refuse moments before now.
        min_date: ``date``/``time``/``datetime``: earliest accepted value.
        max_date: ``date``/``time``/``datetime``: latest accepted value.
        country_code: ``phone``: calling code added to national numbers (``"44"``).
        kinds: ``media``: accepted kinds (:data:`MEDIA_KINDS`); empty means any.
        request: ``location``: send a location-request message as the prompt.
        yes_words: ``yes_no``: extra words meaning yes.
        no_words: ``yes_no``: extra words meaning no.
    """

    type: ExpectType
    options: tuple[Option, ...] = ()
    list_button: str | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    ignore_case: bool = False
    formats: tuple[str, ...] = ()
    future_only: bool = False
    min_date: DateBound | None = None
    max_date: DateBound | None = None
    country_code: str | None = None
    kinds: tuple[str, ...] = ()
    request: bool = True
    yes_words: tuple[str, ...] = ()
    no_words: tuple[str, ...] = ()
    path: str = ""


@dataclass(frozen=True, slots=True)
class ValidateRule:
    """One extra check on a parsed answer; the answer is refused when the rule fails.

    Exactly one of :attr:`check` and :attr:`hook` is set.

    Attributes:
        check: A sandboxed expression that must be true (``value`` is the parsed answer).
        hook: A registered validator hook name.
        message: What to say when the rule fails (a template); the hook may supply its own.
    """

    check: str | None = None
    hook: str | None = None
    message: str | None = None
    path: str = ""


@dataclass(frozen=True, slots=True)
class Fallback:
    """Where to go when something runs out: retries, a hook failure, a session timeout.

    Attributes:
        say: Messages sent first.
        goto: The target (a state, ``end``, ``handoff`` or ``flow:<id>``); ``None`` means the
            engine's default for that situation (documented where the fallback is used).
    """

    say: tuple[MessageSpec, ...] = ()
    goto: str | None = None
    path: str = ""


@dataclass(frozen=True, slots=True)
class RepromptSpec:
    """How an ``ask`` state asks again.

    Attributes:
        unrecognized: Said when the answer could not be read at all (wrong type, a sticker,
            no option matched); the context has ``received`` (e.g. ``"a sticker"``).
        invalid: Said when the answer was understood but refused (out of range, a failed
            ``validate`` rule); the context has ``error`` (the reason).
        max_retries: Overrides ``settings.max_retries``.
        on_exhausted: What happens after the last retry; overrides ``settings.on_exhausted``.
    """

    unrecognized: MessageSpec | None = None
    invalid: MessageSpec | None = None
    max_retries: int | None = None
    on_exhausted: Fallback | None = None
    path: str = ""


SCHEMA_VERSION = 1
"""The only flow-file format version this engine reads (``schema: 1``)."""

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
"""Flow ids, state ids, slot names and intent names."""
HOOK_RE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
"""Hook names: dotted lowercase words such as ``orders.create``."""

StateKind = Literal["ask", "say", "run", "call", "handoff", "end"]

SlotType = Literal[
    "string", "integer", "number", "boolean", "date", "time", "datetime",
    "email", "phone", "location", "media", "choice", "json",
]  # fmt: skip
SLOT_TYPES: tuple[SlotType, ...] = get_args(SlotType)

TriggerKind = Literal["keyword", "payload", "referral", "default"]
REFERRAL_FIELDS = ("source_id", "source_url", "headline", "body", "ctwa_clid")
"""The referral fields a ``referral`` trigger can match (``headline``/``body`` by substring)."""

END = "end"
"""Target: finish this flow (return to the calling flow, or end the conversation)."""
HANDOFF = "handoff"
"""Target: hand the customer to a person (pauses the bot for this contact)."""
FLOW_PREFIX = "flow:"
"""Prefix of a target that leaves this flow (and any sub-flow calls) for the start of another
flow with fresh slots, e.g. ``flow:main_menu``."""
RESERVED_STATE_NAMES = frozenset({END, HANDOFF})
"""Names a flow author cannot use for a state (they are targets)."""


def flow_target(target: str) -> str | None:
    """Return the flow id of a ``flow:<id>`` target, or ``None`` for any other target."""
    return target[len(FLOW_PREFIX) :] if target.startswith(FLOW_PREFIX) else None


@dataclass(frozen=True, slots=True)
class HookCall:
    """A named Python hook called from a flow (registered in code with :class:`flows.Hooks`).

    Attributes:
        name: The registered name, for example ``orders.create``; never an import path.
        args: Keyword arguments; a string that is exactly one ``{{ expression }}`` keeps the
            expression's type, other strings are rendered as templates.
    """

    name: str
    args: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""


@dataclass(frozen=True, slots=True)
class Branch:
    """One entry of ``next:``; the first branch whose condition holds wins.

    Attributes:
        condition: A sandboxed expression (``if:``); ``None`` with no :attr:`hook` means always.
        hook: A registered condition hook name (``when:``), tested after :attr:`condition`.
        target: A state id, ``end``, ``handoff`` or ``flow:<id>``.
    """

    target: str
    condition: str | None = None
    hook: str | None = None
    path: str = ""

    @property
    def unconditional(self) -> bool:
        """True when this branch is always taken."""
        return self.condition is None and self.hook is None


@dataclass(frozen=True, slots=True)
class CallSpec:
    """A sub-flow call: run another flow, then come back and follow ``next``.

    Attributes:
        flow: The called flow's id.
        args: Child slot name → value (an expression string in ``{{ }}`` or a literal) evaluated
            in the caller; the child starts with only these slots (plus its defaults).
        returns: Caller slot name → child slot name, copied back when the child ends.
    """

    flow: str
    args: Mapping[str, Any] = field(default_factory=dict)
    returns: Mapping[str, str] = field(default_factory=dict)
    path: str = ""


@dataclass(frozen=True, slots=True)
class State:
    """One state of a flow. Its :attr:`kind` says what happens when the flow enters it.

    - ``ask``: send :attr:`say` then the :attr:`ask` prompt, wait for an answer matching
      :attr:`expect`, check :attr:`validate`, store it in :attr:`save`, follow :attr:`next`.
    - ``say``: send :attr:`say`, follow :attr:`next` at once.
    - ``run``: call the :attr:`run` hook, store its result in :attr:`save`, follow :attr:`next`
      (or :attr:`on_error` when the hook raises).
    - ``call``: run the sub-flow :attr:`call`, then follow :attr:`next`.
    - ``handoff``: send :attr:`say`, pause the bot for this contact, end the conversation.
    - ``end``: send :attr:`say`, finish the flow.

    Attributes:
        name: The state id (``[a-z][a-z0-9_]*``).
        say: Messages sent on entry (before the prompt, for ``ask``).
        validate: Extra rules on the parsed answer, in order.
        next: Branches, in order; empty for ``end`` and ``handoff``.
        on_enter: Hooks called when the state is entered.
        on_exit: Hooks called when the state is left.
        interrupts: Which global intents may interrupt here: ``None`` all of them, ``()`` none,
            otherwise the listed intent names.
        keeps_out: Intents that may not interrupt here even so (``interrupts: {except: [...]}``).
        timeout: Overrides ``settings.session_timeout`` while waiting in this state.
        tags: Free-form labels (analytics, docs).
        description: Free text for humans and the graph.
    """

    name: str
    kind: StateKind
    say: tuple[MessageSpec, ...] = ()
    ask: MessageSpec | None = None
    expect: ExpectSpec | None = None
    validate: tuple[ValidateRule, ...] = ()
    reprompt: RepromptSpec = field(default_factory=RepromptSpec)
    save: str | None = None
    next: tuple[Branch, ...] = ()
    run: HookCall | None = None
    on_error: Fallback | None = None
    call: CallSpec | None = None
    on_enter: tuple[HookCall, ...] = ()
    on_exit: tuple[HookCall, ...] = ()
    interrupts: tuple[str, ...] | None = None
    keeps_out: tuple[str, ...] = ()
    timeout: timedelta | None = None
    tags: tuple[str, ...] = ()
    description: str | None = None
    path: str = ""

    def allows(self, intent: str) -> bool:
        """True when the global intent ``intent`` may interrupt this state."""
        if intent in self.keeps_out:
            return False
        return self.interrupts is None or intent in self.interrupts


@dataclass(frozen=True, slots=True)
class Trigger:
    """One way a customer without an active conversation lands in this flow.

    Attributes:
        kind: ``keyword`` (the whole message, forgivingly compared), ``payload`` (a button
            id or template button payload), ``referral`` (Click-to-WhatsApp ad data) or
            ``default`` (the flow used when nothing else matches).
        value: The keyword, payload, or referral value (``"*"``: any value present).
        field: For ``referral``: which :data:`REFERRAL_FIELDS` entry is compared.
    """

    kind: TriggerKind
    value: str = ""
    field: str | None = None
    path: str = ""


@dataclass(frozen=True, slots=True)
class Intent:
    """A global interrupt: words or payloads that act in any state that allows it.

    Exactly one outcome: :attr:`resume` (say, then re-send the current prompt and stay) or
    :attr:`goto` (a target, including ``end``, ``handoff`` and ``flow:<id>``).

    Attributes:
        name: The intent name (``menu``, ``cancel``, ``help``, ``agent`` ...).
        keywords: Whole messages that fire it (forgivingly compared).
        payloads: Button ids / template payloads that fire it.
        patterns: Regular expressions searched in the text (case-insensitive).
        say: Messages sent first.
        goto: The target, when not :attr:`resume`. ``end`` here ends the whole conversation,
            sub-flow callers included.
        resume: Return to where the customer was by re-sending the current prompt.
        shared: Declared ``global: true``: also active in every other flow of the set (a
            flow's own intent of the same name wins).
        flow: The id of the flow that declares it (state targets are in that flow).
    """

    name: str
    keywords: tuple[str, ...] = ()
    payloads: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    say: tuple[MessageSpec, ...] = ()
    goto: str | None = None
    resume: bool = False
    shared: bool = False
    flow: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class SlotSpec:
    """A declared slot (a named value the flow collects).

    Attributes:
        default: The initial value (``None`` when not given).
        example: A sample value, for static checks and docs.
    """

    name: str
    type: SlotType = "string"
    default: Any = None
    description: str | None = None
    example: Any = None
    path: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    """Flow-wide behaviour.

    Attributes:
        max_retries: Re-prompts allowed before ``on_exhausted`` (default 3).
        on_exhausted: Default fallback after the last retry; ``None``: apologise and end.
        session_timeout: Inactivity after which the conversation expires (checked lazily,
            on the next inbound message); ``None``: never.
        on_timeout: What happens on expiry; ``None`` (or ``goto`` unset): end quietly, then
            handle the new message as the start of a conversation.
        on_error: Default fallback when a ``run`` hook raises; ``None``: apologise and end.
        unrecognized: Default "could not read that" reprompt for the whole flow.
        invalid: Default "understood but refused" reprompt for the whole flow.
        timezone: IANA zone for "today", dates and times (default ``UTC``).
        list_button: Default label of the list button for choice lists.
        more_title: Title of the "next page" row of long choice lists.
        step_limit: Most states entered in one turn (auto-advance loop guard).
    """

    max_retries: int = 3
    on_exhausted: Fallback | None = None
    session_timeout: timedelta | None = None
    on_timeout: Fallback | None = None
    on_error: Fallback | None = None
    unrecognized: MessageSpec | None = None
    invalid: MessageSpec | None = None
    timezone: str = "UTC"
    list_button: str = "Choose"
    more_title: str = "More…"
    step_limit: int = 25


@dataclass(frozen=True, slots=True)
class Flow:
    """A whole flow file, loaded and checked for shape.

    Attributes:
        id: The flow id (``flow:``), ``[a-z][a-z0-9_]*``.
        version: Integer pinned on conversations (``version:``).
        start: The first state.
        states: State id → :class:`State`, in file order.
        name: Human-readable title.
        locale: A locale tag such as ``en`` (descriptive).
        triggers: How conversations land here.
        slots: Declared slots, in file order.
        intents: The flow's intents, in file order.
        messages: Reusable messages (``{ref: name}``), in file order.
        file: The file it was loaded from, when any.
        lines: Key path → 1-based line, for every key of the file.

    Every record's ``path`` is its key path (``states.ask_cake.expect.options[2]``); :attr:`lines`
    maps it to its line.
    """

    id: str
    version: int
    start: str
    states: Mapping[str, State]
    name: str | None = None
    description: str | None = None
    locale: str | None = None
    triggers: tuple[Trigger, ...] = ()
    slots: Mapping[str, SlotSpec] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    intents: Mapping[str, Intent] = field(default_factory=dict)
    messages: Mapping[str, MessageSpec] = field(default_factory=dict)
    file: str | None = None
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def is_default(self) -> bool:
        """True when ``triggers: {default: true}``."""
        return any(trigger.kind == "default" for trigger in self.triggers)

    def line_of(self, path: str) -> int | None:
        """The line of key ``path`` (or of its nearest ancestor); ``None`` when not loaded from text."""
        return line_of(self.lines, path)

    def error(self, message: str, path: str) -> FlowError:
        """Build a :class:`~bot.errors.FlowError` that names this flow's file, line and path."""
        return FlowError(message, file=self.file, line=self.line_of(path), path=path)
