"""The vocabulary of ``waflow validate``: diagnostics, the per-flow report, and where strings live.

This module owns :class:`Diagnostic` (one finding), :class:`Report` (a flow's diagnostics, each
key path resolved to its line through :attr:`Flow.lines <flows._model.Flow.lines>`), and the
walkers that list every template string of a message or question with the key path of its
line. Which messages a flow sends is :func:`flows._compile.sent_messages`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from bot.errors import FlowError
from flows._compile import key_path
from flows._model import ExpectSpec, Flow, MessageSpec
from flows._render import spec_strings

Severity = Literal["error", "warning"]


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
    return (diagnostic.file or "", diagnostic.line or 0, diagnostic.path, diagnostic.code)


class Report:
    """Collects the diagnostics of ``flow``; duplicates (same code, path, message) are dropped."""

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
        return key_path(self.flow, base, sub)


@dataclass(frozen=True, slots=True)
class Text:
    """One template string of a message: the literal string from the file, and its key path."""

    source: str
    path: str


def texts_of(spec: MessageSpec, report: Report) -> Iterator[Text]:
    """Every string of ``spec`` the engine renders as a template, with its key path."""
    for source, _, base, key in spec_strings(spec):
        yield Text(source, report.key(base, key))
    if spec.components:
        where = report.key(spec.path, "template.components")
        for index, component in enumerate(spec.components):
            item = f"{where}[{index}]"
            item = item if item in report.flow.lines else where
            for source, _ in leaves(component, item):
                yield Text(source, item)


def question_texts(expect: ExpectSpec, report: Report) -> Iterator[Text]:
    """The strings of a question the engine lays out itself: option titles and descriptions."""
    for option in expect.options:
        yield Text(option.title, report.key(option.path, "title"))
        if option.description is not None:
            yield Text(option.description, report.key(option.path, "description"))
    if expect.list_button is not None:
        yield Text(expect.list_button, report.key(expect.path, "list_button"))


def leaves(value: object, path: str) -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` (nested mappings and lists), with its key path."""
    if isinstance(value, str):
        yield value, path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
