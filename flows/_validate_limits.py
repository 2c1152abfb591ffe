"""WhatsApp's hard limits, held statically against every message a flow can send.

This module owns the limit checks of ``waflow validate``. It takes the payload of every message
as the engine would send it (built by :mod:`flows._validate_prompts`) and runs
:func:`bot.messages.check`, the one checker of every limit. Because ``check`` stops at the first breach, each string is checked on its own with the
other strings replaced by short placeholders, so every breach is reported, each at the key
path and line of its own string. A template string is checked on its literal parts (an error
when they alone break the limit) and rendered with the slots' ``example`` values (a warning
when that breaks it: the engine would cut the text with "…").
"""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import LimitError
from bot.messages import check
from flows._model import Flow
from flows._validate_base import Report, messages_of
from flows._validate_payloads import Leaf, Payload
from flows._validate_prompts import PromptBuilder

_BUTTONS_HINT = (
    "; WhatsApp shows at most 3 reply buttons: use a list, or give the options in "
    "expect.options and the engine sends more than 3 as a list"
)
_ROWS_HINT = (
    "; give the options in expect.options instead: the engine pages long lists with a 'More…' row"
)


def _message(err: LimitError, p: Payload, label: str) -> str:
    actual = err.actual or ""
    if ", already used by " in actual:
        value, _, other = actual.partition(", already used by ")
        actual = f"{value}, already used by {p.locate(other)[0]}"
    counted = err.limit.startswith("at most") and "character" not in err.limit
    text = f"{label} {'can have' if counted else 'must be'} {err.limit}"
    if actual:
        text += f" (got {actual})"
    if counted and "button" in err.limit:
        text += _BUTTONS_HINT
    elif counted and ("row" in err.limit or "section" in err.limit):
        text += _ROWS_HINT
    return text


def _only(item: Leaf, value: str) -> Callable[[Leaf], str]:
    """Choose ``value`` for ``item`` and placeholders for every other leaf."""
    return lambda leaf: value if leaf is item else leaf.placeholder


def _real_role(role: str) -> Callable[[Leaf], str]:
    """Choose the real strings of one role and placeholders for the rest."""
    return lambda leaf: leaf.real if leaf.role == role else leaf.placeholder


def _check(p: Payload, choose: Callable[[Leaf], str]) -> LimitError | None:
    try:
        check(p.render(choose))
    except LimitError as err:
        return err
    return None


def _report(report: Report, p: Payload, err: LimitError, example: str | None = None) -> None:
    path, label = p.locate(err.field)
    if example is None:
        report.error("limit", path, _message(err, p, label))
    else:
        shown = example if len(example) <= 40 else example[:37] + "..."
        text = f"with the slot examples it renders as {shown!r}: {_message(err, p, label)}"
        report.warning("limit-may-exceed", path, f"{text}; the engine would cut it")


def check_payload(report: Report, p: Payload) -> None:
    """Hold one payload against every limit, one string at a time."""
    err = _check(p, lambda leaf: leaf.placeholder)
    if err is not None:
        _report(report, p, err)
    for item in p.leaves:
        if item.real != item.placeholder:
            err = _check(p, _only(item, item.real))
            if err is not None:
                _report(report, p, err)
                continue
        if item.example is not None:
            err = _check(p, _only(item, item.example))
            if err is not None:
                _report(report, p, err, item.example)
    if p.question:
        return  # options of a question: uniqueness is the duplicate-option check's
    for role in ("id", "title"):
        err = _check(p, _real_role(role))
        if err is not None and "unique" in err.limit:
            _report(report, p, err)


def check_limits(flow: Flow, report: Report) -> None:
    """Check every message of ``flow`` against WhatsApp's hard limits.

    Args:
        flow: The flow.
        report: Where findings go.
    """
    builder = PromptBuilder(flow, report)
    for sent in messages_of(flow):
        for payload in builder.payloads(sent):
            check_payload(report, payload)


__all__ = ["check_limits"]
