"""The typed form of what a flow says and asks: message specs and question specs.

This module owns the part of the IR (see :mod:`flows._model`, which re-exports all of it) that
describes content: :class:`MessageSpec` (one outbound message with its literal template
strings), :class:`Option` and :class:`SectionSpec` (buttons and list rows), :class:`ExpectSpec`
with :class:`DateBound` (what an ``ask`` state accepts), :class:`ValidateRule` (extra checks on
an answer), :class:`RepromptSpec` (how to ask again) and :class:`Fallback` (what to say and
where to go when retries run out, a hook fails or a session expires). Frozen
dataclasses only; every object keeps its key path for error reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, get_args

MessageKind = Literal["text", "buttons", "list", "media", "cta_url", "location_request", "template"]
MESSAGE_KINDS: tuple[MessageKind, ...] = get_args(MessageKind)

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
        path: Key path, for example ``states.ask_cake.expect.options[2]``.
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

    title: str | None
    rows: tuple[Option, ...]
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
        path: Key path of the message, for example ``states.greet.say[0]``.
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
        path: Key path, for example ``states.ask_qty.expect``.
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
        path: Key path of the rule.
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
        path: Key path of the fallback.
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
        path: Key path of the reprompt block.
    """

    unrecognized: MessageSpec | None = None
    invalid: MessageSpec | None = None
    max_retries: int | None = None
    on_exhausted: Fallback | None = None
    path: str = ""


__all__ = [
    "EXPECT_TYPES",
    "MEDIA_KINDS",
    "MESSAGE_KINDS",
    "DateBound",
    "ExpectSpec",
    "ExpectType",
    "Fallback",
    "MessageKind",
    "MessageSpec",
    "Option",
    "RepromptSpec",
    "SectionSpec",
    "ValidateRule",
]
