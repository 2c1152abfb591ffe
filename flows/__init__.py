"""YAML conversation flows for WhatsApp, compiled to ``transitions`` state machines.

This package owns the flow engine: flow files (schema 1) are loaded into typed objects
(:mod:`flows._model`), each flow version is compiled once into a plain ``transitions.Machine``
(:mod:`flows._compile`, the only place one is built), and :class:`FlowHandler` runs them as the
runtime's :class:`bot.turn.Handler`. The full format reference is ``docs/flows.md``; the model's
docstrings are its source of truth. In short::

    schema: 1
    flow: order_cake            # id, [a-z][a-z0-9_]*
    version: 3                  # pinned on conversations
    start: ask_cake
    triggers: {keywords: [cake], payloads: [ORDER_CAKE], referrals: [{headline: cake}]}
    slots: {cake: choice, qty: integer}
    settings: {max_retries: 3, session_timeout: 30m, timezone: Europe/Paris}
    intents:                    # interrupt any ask state that allows them
      help: {match: {keywords: [help]}, say: "Just pick one.", then: resume}
      cancel: {match: {keywords: [cancel]}, say: "Cancelled.", goto: end}
    states:
      ask_cake:                 # kinds: ask, say, run, call, handoff, end
        ask: "Which cake would you like?"
        expect: {type: choice, options: [Chocolate, Lemon, Carrot, Cheesecake]}
        save: cake
        next: ask_qty
      ask_qty:
        ask: "How many?"
        expect: {type: number, integer: true, min: 1, max: 20}
        reprompt: {unrecognized: "Please send a number.", invalid: "1 to 20, please."}
        save: qty
        next: [{if: "slots.qty > 10", goto: big_order}, place]
      place: {run: orders.create, args: {cake: "{{ slots.cake }}"}, save: order, next: done}
      big_order: {handoff: true, say: "A person will confirm large orders."}
      done: {say: "Thanks {{ contact.name }}!", end: true}

Other YAML documents of the project (the business file, test fixtures) are read the same way:
:func:`read_yaml` keeps the line of every key, and :func:`read_typed` checks the data against
pydantic models derived from :class:`Typed`, returning located errors (see :mod:`flows._typed`).

Python code is reached only through names registered on :class:`Hooks`; a flow file can never
name an import path. Typical use::

    flows = load_flows("flows/")
    hooks = Hooks()

    @hooks.action("orders.create")
    def create(ctx: HookContext) -> dict[str, Any]: ...

    handler = FlowHandler(flows, hooks, main_menu="main_menu")
"""

from __future__ import annotations

from flows._coverage import CoverageRecorder, FlowCoverage, install_coverage_observers
from flows._flowset import FlowSet, load_flows
from flows._graph import mermaid
from flows._handler import FlowHandler
from flows._hooks import HookContext, Hooks
from flows._loader import FlowLoadError, load_flow, parse_flow, read_flow
from flows._model import (
    SCHEMA_VERSION,
    Branch,
    CallSpec,
    DateBound,
    ExpectSpec,
    Fallback,
    Flow,
    HookCall,
    Intent,
    MessageSpec,
    Option,
    RepromptSpec,
    SectionSpec,
    Settings,
    SlotSpec,
    State,
    Trigger,
    ValidateRule,
)
from flows._moments import parse_time
from flows._template import wa_escape
from flows._typed import (
    Duration,
    OptString,
    OptText,
    Record,
    Strings,
    Text,
    Typed,
    each,
    fail,
    items,
    many,
    parse_duration,
    problem,
    read_typed,
    typed_errors,
)
from flows._validate import Diagnostic, flow_files, validate_flow, validate_flows, validate_paths
from flows._yaml import line_of, read_yaml

__all__ = [
    "SCHEMA_VERSION",
    "Branch",
    "CallSpec",
    "CoverageRecorder",
    "DateBound",
    "Diagnostic",
    "Duration",
    "ExpectSpec",
    "Fallback",
    "Flow",
    "FlowCoverage",
    "FlowHandler",
    "FlowLoadError",
    "FlowSet",
    "HookCall",
    "HookContext",
    "Hooks",
    "Intent",
    "MessageSpec",
    "OptString",
    "OptText",
    "Option",
    "Record",
    "RepromptSpec",
    "SectionSpec",
    "Settings",
    "SlotSpec",
    "State",
    "Strings",
    "Text",
    "Trigger",
    "Typed",
    "ValidateRule",
    "each",
    "fail",
    "flow_files",
    "install_coverage_observers",
    "items",
    "line_of",
    "load_flow",
    "load_flows",
    "many",
    "mermaid",
    "parse_duration",
    "parse_flow",
    "parse_time",
    "problem",
    "read_flow",
    "read_typed",
    "read_yaml",
    "typed_errors",
    "validate_flow",
    "validate_flows",
    "validate_paths",
    "wa_escape",
]
