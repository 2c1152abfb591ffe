"""Static checks of a flow's templates, expressions and slots.

This module owns what ``waflow validate`` finds in a flow's Jinja strings. Each is compiled by
the engine's own functions (:mod:`flows._template`), so a syntax error or unknown filter is what
startup would refuse; then its parsed tree is read for names the context lacks at that place
(:data:`flows._conversation.CONTEXT_NAMES` and ``EXTRA_CONTEXT_NAMES``), unknown ``contact``/
``flow`` fields, sandbox-unsafe ``_attributes``, and undeclared slots read or written. Declared
slots nothing uses and a ``save`` whose slot type does not fit the answer are reported too.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from jinja2 import TemplateSyntaxError, meta, nodes

from bot.errors import FlowError
from flows._compile import arguments, choice_labels, expressions, sent_messages
from flows._conversation import CONTEXT_NAMES, EXTRA_CONTEXT_NAMES
from flows._model import Flow, SlotSpec, State
from flows._template import (
    ENV,
    VALUE_ENV,
    compile_expression,
    compile_template,
    compile_value,
    is_template,
)
from flows._validate_base import Report, leaves, question_texts, texts_of

Mode = Literal["text", "expression", "value"]
_NONE: frozenset[str] = frozenset()
_VALIDATE = EXTRA_CONTEXT_NAMES["validate"]
"""Extra name of ``validate`` rules (``check`` and ``message``): the parsed answer."""
_NAMED = _NONE.union(*EXTRA_CONTEXT_NAMES.values())
"""What a named message (``messages:``) may read: it can be used anywhere."""
_CONTACT_FIELDS = frozenset({"wa_id", "name"})
_FLOW_FIELDS = frozenset({"id", "version", "state"})
_PLACES = {"validate": "validate rules", "reprompt": "re-prompts", "on_error": "on_error messages"}
"""The places of :data:`~flows._conversation.EXTRA_CONTEXT_NAMES` in words, for hints."""
_DICT_METHODS = frozenset({"get", "items", "keys", "values"})
_SAVE_TYPES: dict[str, frozenset[str]] = {
    "choice": frozenset({"choice", "string"}),
    "number": frozenset({"number", "integer"}),
    "text": frozenset({"string"}),
    "regex": frozenset({"string"}),
    "email": frozenset({"email", "string"}),
    "phone": frozenset({"phone", "string"}),
    "date": frozenset({"date", "string"}),
    "time": frozenset({"time", "string"}),
    "datetime": frozenset({"datetime", "string"}),
    "yes_no": frozenset({"boolean"}),
    "location": frozenset({"location"}),
    "media": frozenset({"media"}),
}


@dataclass(frozen=True, slots=True)
class Site:
    """One string the engine compiles: a message template, an expression or an argument."""

    source: str
    path: str
    mode: Mode
    context: frozenset[str] = frozenset()


@dataclass
class SlotUse:
    """Slots a flow reads and writes; ``everything`` when a template walks all of them."""

    reads: set[str] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)
    everything: bool = False
    labelled: frozenset[str] = frozenset()
    """Slots saved by a choice question: the ones ``labels.<slot>`` can name."""


def sites(flow: Flow, report: Report) -> Iterator[Site]:
    """Every compiled string of the flow with the context names it may read."""
    for spec in flow.messages.values():
        for text in texts_of(spec, report):
            yield Site(text.source, text.path, "text", _NAMED)
    for sent in sent_messages(flow):
        if sent.spec.ref is None:  # a {ref: name} copy is checked where the name is declared
            context = EXTRA_CONTEXT_NAMES.get(sent.place or "", _NONE)
            for text in texts_of(sent.spec, report):
                yield Site(text.source, text.path, "text", context)
    for source, path, key in expressions(flow):
        context = _VALIDATE if key == "check" else _NONE
        yield Site(source, report.key(path, key), "expression", context)
    for state in flow.states.values():
        for text in question_texts(state.expect, report) if state.expect else ():
            yield Site(text.source, text.path, "text")
        for rule in state.validate:
            if rule.message is not None:
                yield Site(rule.message, report.key(rule.path, "message"), "text", _VALIDATE)
    for args, _, path in arguments(flow):
        for source, where in leaves(args, path):
            yield Site(source, where, "value")


@functools.lru_cache(maxsize=4096)
def _parse(source: str, mode: Mode) -> tuple[nodes.Template, frozenset[str]]:
    """Compile ``source`` as the engine does (raising ``TemplateSyntaxError``), then parse it."""
    try:
        if mode == "expression":
            compile_expression(source, error=FlowError)
        elif mode == "value":
            compile_value(source, error=FlowError)
        else:
            compile_template(source, error=FlowError)
    except FlowError as exc:
        if isinstance(exc.__cause__, TemplateSyntaxError):
            raise exc.__cause__ from None
        raise
    if mode == "expression":
        tree = VALUE_ENV.parse("{{ " + source + " }}")
    else:
        tree = (ENV if mode == "text" else VALUE_ENV).parse(source)
    return tree, frozenset(meta.find_undeclared_variables(tree))


def _check_site(flow: Flow, report: Report, site: Site, use: SlotUse) -> None:
    if site.mode != "expression" and not is_template(site.source):
        return  # the engine sends plain strings as they are
    try:
        tree, names = _parse(site.source, site.mode)
    except TemplateSyntaxError as exc:
        where = f" (line {exc.lineno} of the template)" if exc.lineno and exc.lineno > 1 else ""
        what = "expression" if site.mode == "expression" else "template"
        report.error("template-syntax", site.path, f"{what} error: {exc.message}{where}")
        return
    allowed = CONTEXT_NAMES | site.context
    for name in sorted(names - allowed):
        if name in flow.slots:
            hint = f"; did you mean 'slots.{name}'?"
        elif places := [_PLACES[k] for k, names in EXTRA_CONTEXT_NAMES.items() if name in names]:
            hint = f"; {name!r} exists only in {' and '.join(places)}"
        else:
            hint = f"; this place can read: {', '.join(sorted(allowed))}"
        report.error("undeclared-variable", site.path, f"unknown name {name!r}{hint}")
    _walk(flow, report, site, tree, use)


def _walk(flow: Flow, report: Report, site: Site, tree: nodes.Template, use: SlotUse) -> None:
    consumed: set[int] = set()
    for call in tree.find_all(nodes.Call):
        target, args = call.node, call.args
        if (
            isinstance(target, nodes.Getattr)
            and _is_name(target.node, "slots")
            and target.attr == "get"
            and args
            and _const(args[0]) is not None
        ):
            consumed.add(id(target.node))
            _use(flow, report, use.reads, str(_const(args[0])), site.path)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)
        owner = node.node
        key = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)
        if key is None:
            continue
        if key.startswith("_"):
            report.error(
                "unsafe-attribute",
                site.path,
                f"{key!r} starts with '_': the sandbox refuses private attributes",
            )
        elif _is_name(owner, "slots") and key not in _DICT_METHODS:
            consumed.add(id(owner))
            _use(flow, report, use.reads, key, site.path)
        elif _is_name(owner, "labels"):
            use.reads.add(key)
            if key not in use.labelled:
                report.error(
                    "undeclared-variable",
                    site.path,
                    f"labels.{key}: no choice question of this flow saves into slot {key!r}",
                )
        elif _is_name(owner, "contact") and key not in _CONTACT_FIELDS:
            report.error(
                "undeclared-variable", site.path, f"contact has no {key!r} (only wa_id and name)"
            )
        elif _is_name(owner, "flow") and key not in _FLOW_FIELDS:
            report.error(
                "undeclared-variable", site.path, f"flow has no {key!r} (only id, version, state)"
            )
    for name in tree.find_all(nodes.Name):
        if name.name == "slots" and name.ctx == "load" and id(name) not in consumed:
            use.everything = True


def _is_name(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.Name) and node.name == name and node.ctx == "load"


def _const(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    return None


def _undeclared(slots: Mapping[str, SlotSpec], name: str, owner: str) -> str:
    close = difflib.get_close_matches(name, list(slots), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"slot {name!r} is not declared in the 'slots:' of {owner}{hint}"


def _use(flow: Flow, report: Report, names: set[str], name: str, path: str) -> None:
    """Note a slot read or written (into ``names``); it must be declared."""
    names.add(name)
    if name not in flow.slots:
        report.error("undeclared-slot", path, _undeclared(flow.slots, name, flow.id))


def check_templates(flow: Flow, report: Report, flows: Mapping[str, Flow] | None) -> None:
    """Check every template, expression and slot reference of one flow into ``report``.

    Args:
        flows: Every loaded flow by id: sub-flow ``args``/``returns`` are checked against the
            called flow's slots, and slots set or read by callers count as used.
    """
    use = SlotUse(labelled=frozenset(choice_labels(flow)))
    for site in dict.fromkeys(sites(flow, report)):  # a flow-wide re-prompt comes once per ask
        _check_site(flow, report, site, use)
    for state in flow.states.values():
        if state.save is not None:
            _use(flow, report, use.writes, state.save, report.key(state.path, "save"))
            _check_save_type(flow, report, state)
        if state.call is not None:
            _check_call(flow, report, state, flows, use)
    for other in (flows or {}).values():
        for state in other.states.values():
            if state.call is not None and state.call.flow == flow.id:
                use.writes.update(state.call.args)
                use.reads.update(state.call.returns.values())
    if use.everything:
        return
    for slot in flow.slots.values():
        if slot.name not in use.reads | use.writes:
            report.warning(
                "unused-slot", slot.path, f"slot {slot.name!r} is declared but never read or set"
            )


def _check_call(
    flow: Flow, report: Report, state: State, flows: Mapping[str, Flow] | None, use: SlotUse
) -> None:
    call = state.call
    assert call is not None
    child = (flows or {}).get(call.flow)
    for mine, theirs in call.returns.items():
        path = f"{state.path}.returns.{mine}"
        _use(flow, report, use.writes, mine, path)
        if child is not None and theirs not in child.slots:
            report.error("undeclared-slot", path, _undeclared(child.slots, theirs, child.id))
    if child is not None:
        for name in call.args:
            if name not in child.slots:
                path = f"{state.path}.args.{name}"
                report.error("undeclared-slot", path, _undeclared(child.slots, name, child.id))


def _check_save_type(flow: Flow, report: Report, state: State) -> None:
    slot = flow.slots.get(state.save or "")
    if slot is None or state.expect is None or slot.type == "json":
        return
    fits = _SAVE_TYPES.get(state.expect.type, frozenset())
    if state.expect.type == "number" and not state.expect.integer:
        fits = frozenset({"number"})
    if slot.type not in fits:
        report.warning(
            "slot-type",
            report.key(state.path, "save"),
            f"slot {slot.name!r} is declared {slot.type!r} but receives the answer of an "
            f"'expect: {state.expect.type}' question (fits: {', '.join(sorted(fits | {'json'}))})",
        )
