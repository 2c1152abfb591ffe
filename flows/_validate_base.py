"""The vocabulary of ``waflow validate``: diagnostics, the per-flow report, and where strings live.

This module owns :class:`Diagnostic` (one finding: severity, code, file, line, key path,
message), :class:`Report` (collects a flow's diagnostics and resolves each key path to its line
through :attr:`Flow.lines <flows._model.Flow.lines>`), the names a template may read at each
place of a flow (the engine's own :data:`flows._conversation.CONTEXT_NAMES`), and the walkers
that list every message of a flow and every string of a message (or of a question's options)
with its key path. The checks themselves live in the other ``flows._validate_*`` modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from bot.errors import FlowError
from flows._conversation import CONTEXT_NAMES, EXTRA_CONTEXT_NAMES
from flows._model import ExpectSpec, Flow, MessageSpec, State

Severity = Literal["error", "warning"]

BASE_CONTEXT = CONTEXT_NAMES
"""Names every template and expression can read (the engine's ``Workspace.context``)."""
REPROMPT_CONTEXT = EXTRA_CONTEXT_NAMES["reprompt"]
"""Extra names of ``unrecognized``/``invalid`` re-prompts."""
VALIDATE_CONTEXT = EXTRA_CONTEXT_NAMES["validate"]
"""Extra name of ``validate`` rules (``check`` and ``message``): the parsed answer."""
ERROR_CONTEXT = EXTRA_CONTEXT_NAMES["on_error"]
"""Extra name of ``on_error`` messages: the text of the hook's exception."""
ANY_CONTEXT = REPROMPT_CONTEXT | VALIDATE_CONTEXT | ERROR_CONTEXT
"""What a named message (``messages:``) may read: it can be used anywhere."""
CONTACT_FIELDS = frozenset({"wa_id", "name"})
FLOW_FIELDS = frozenset({"id", "version", "state"})


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of the validator.

    Attributes:
        severity: ``error`` (the flow is broken or will misbehave) or ``warning``.
        message: What is wrong and, where possible, how to fix it.
        file: The flow file, when known.
        line: The 1-based line of the offending key, when known.
        path: The key path of the offending key, e.g. ``states.ask.next[0].goto``.
        code: A stable short name of the check, e.g. ``unknown-state``.
    """

    severity: Severity
    message: str
    file: str | None
    line: int | None
    path: str
    code: str

    def __str__(self) -> str:
        where = self.file or "<flow>"
        if self.line is not None:
            where += f":{self.line}"
        subject = f"{self.path}: " if self.path else ""
        return f"{where}: {self.severity} [{self.code}] {subject}{self.message}"

    @classmethod
    def from_flow_error(cls, error: FlowError, code: str = "schema") -> Diagnostic:
        """Turn a loader's :class:`~bot.errors.FlowError` into an error diagnostic."""
        return cls("error", error.message, error.file, error.line, error.path or "", code)


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    """Order diagnostics by file, line, key path and code."""
    d = diagnostic
    return (d.file or "", d.line or 0, d.path, d.code)


class Report:
    """Collects the diagnostics of one flow; duplicates (same code, path, message) are dropped.

    Args:
        flow: The flow being checked (for its file and line map).
    """

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.items: list[Diagnostic] = []
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, severity: Severity, code: str, path: str, message: str) -> None:
        """Record a diagnostic at ``path`` (its line is that of the nearest known key)."""
        if (code, path, message) in self._seen:
            return
        self._seen.add((code, path, message))
        line = self.flow.line_of(path)
        self.items.append(Diagnostic(severity, message, self.flow.file, line, path, code))

    def error(self, code: str, path: str, message: str) -> None:
        """Record an error."""
        self.add("error", code, path, message)

    def warning(self, code: str, path: str, message: str) -> None:
        """Record a warning."""
        self.add("warning", code, path, message)

    def key(self, base: str, sub: str) -> str:
        """Return ``base.sub`` when the file has that key, else ``base`` (a shorthand form)."""
        path = f"{base}.{sub}"
        return path if path in self.flow.lines else base


@dataclass(frozen=True, slots=True)
class Sent:
    """A message a flow can send, and the names its templates may read there.

    Attributes:
        spec: The message.
        context: Extra context names on top of :data:`BASE_CONTEXT`.
        state: The ask state whose prompt this message is or re-words, if any.
        reprompt: True for an ``unrecognized``/``invalid`` text re-prompt (it replaces the
            body of the state's prompt).
    """

    spec: MessageSpec
    context: frozenset[str] = frozenset()
    state: State | None = None
    reprompt: bool = False


def messages_of(flow: Flow) -> Iterator[Sent]:
    """Every message of the flow where it is sent, named messages (``messages:``) first."""
    none: frozenset[str] = frozenset()
    for spec in flow.messages.values():
        yield Sent(spec, ANY_CONTEXT)
    settings = flow.settings
    for fallback, extra in (
        (settings.on_exhausted, none),
        (settings.on_timeout, none),
        (settings.on_error, ERROR_CONTEXT),
    ):
        for spec in fallback.say if fallback else ():
            yield Sent(spec, extra)
    for intent in flow.intents.values():
        for spec in intent.say:
            yield Sent(spec)
    for state in flow.states.values():
        for spec in state.say:
            yield Sent(spec)
        if state.ask is not None:
            yield Sent(state.ask, none, state)
        # a question without its own re-prompt uses the flow's, inside its own prompt shape
        reprompts = (
            state.reprompt.unrecognized or settings.unrecognized,
            state.reprompt.invalid or settings.invalid,
        )
        for reprompt in reprompts if state.kind == "ask" else ():
            if reprompt is not None:
                yield Sent(reprompt, REPROMPT_CONTEXT, state, reprompt=True)
        if state.reprompt.on_exhausted is not None:
            for spec in state.reprompt.on_exhausted.say:
                yield Sent(spec)
        if state.on_error is not None:
            for spec in state.on_error.say:
                yield Sent(spec, ERROR_CONTEXT)
    for reprompt in (settings.unrecognized, settings.invalid):
        if reprompt is not None:
            yield Sent(reprompt, REPROMPT_CONTEXT, reprompt=True)


@dataclass(frozen=True, slots=True)
class Text:
    """One template string of a message: the literal string from the file, and its key path."""

    source: str
    path: str


def texts_of(spec: MessageSpec, report: Report) -> Iterator[Text]:
    """Every string of ``spec`` the engine renders as a template, with its key path."""
    key, base = report.key, spec.path
    if spec.text is not None:
        yield Text(spec.text, key(base, "media.caption" if spec.kind == "media" else "text"))
    for name, source in (("header", spec.header), ("footer", spec.footer)):
        if source is not None:
            yield Text(source, key(base, name))
    if spec.list_button is not None:
        yield Text(spec.list_button, key(base, "list.button"))
    for section in spec.sections:
        if section.title is not None:
            yield Text(section.title, key(section.path, "title"))
    for option in spec.options:
        yield Text(option.title, key(option.path, "title"))
        if option.description is not None:
            yield Text(option.description, key(option.path, "description"))
    for source, where in (
        (spec.display_text, "cta.display_text"),
        (spec.url, "cta.url"),
        (spec.link, "media.link"),
    ):
        if source is not None:
            yield Text(source, key(base, where))
    if spec.components:
        where = key(base, "template.components")
        for index, component in enumerate(spec.components):
            item = f"{where}[{index}]"
            item = item if item in report.flow.lines else where
            for source in _strings(component):
                yield Text(source, item)


def question_texts(expect: ExpectSpec, report: Report) -> Iterator[Text]:
    """The strings of a question the engine lays out itself: option titles and descriptions."""
    for option in expect.options:
        yield Text(option.title, report.key(option.path, "title"))
        if option.description is not None:
            yield Text(option.description, report.key(option.path, "description"))
    if expect.list_button is not None:
        yield Text(expect.list_button, report.key(expect.path, "list_button"))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


__all__ = [
    "ANY_CONTEXT",
    "BASE_CONTEXT",
    "CONTACT_FIELDS",
    "ERROR_CONTEXT",
    "FLOW_FIELDS",
    "REPROMPT_CONTEXT",
    "VALIDATE_CONTEXT",
    "Diagnostic",
    "Report",
    "Sent",
    "Severity",
    "Text",
    "messages_of",
    "question_texts",
    "sort_key",
    "texts_of",
]
