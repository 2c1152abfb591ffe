"""YAML conversation flows for WhatsApp, compiled to ``transitions`` state machines.

This package owns the flow engine: flow files (schema 1, described in ``docs/flows.md``; the
model's docstrings are its source of truth) are loaded into typed objects (:mod:`flows._model`),
each flow version is compiled once into a plain ``transitions.Machine`` (:mod:`flows._compile`,
the only place one is built), and :class:`FlowHandler` runs them as the runtime's
:class:`bot.turn.Handler`. Python code is reached only through names registered on
:class:`Hooks`; a flow file can never name an import path. Other YAML documents of the project
are read the same way: :func:`read_yaml` keeps the line of every key and :func:`read_typed`
checks the data against :class:`Typed` models, returning located errors. Typical use::

    flows = load_flows("flows/")
    hooks = Hooks()

    @hooks.action("orders.create")
    def create(ctx: HookContext) -> dict[str, Any]: ...

    handler = FlowHandler(flows, hooks, main_menu="main_menu")
"""

from __future__ import annotations

from flows._choice import number_word, yes_no_words
from flows._coverage import CoverageRecorder, FlowCoverage, install_coverage_observers
from flows._flowset import FlowSet, load_flows
from flows._graph import mermaid
from flows._handler import FlowHandler
from flows._hooks import HookContext, Hooks, Refusal
from flows._i18n import BUILTIN as BUILTIN_CATALOGS
from flows._i18n import (
    LANGUAGES,
    SOURCE,
    USER_DOMAIN,
    Catalogs,
    Source,
    Texts,
    currency_exponent,
    language_of,
    texts_for,
    translate,
)
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
from flows._moments import english_moment, parse_datetime, parse_time
from flows._template import wa_escape
from flows._texts import FlowText, flow_texts
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
from flows._validate import flow_files, validate_flow, validate_flows, validate_paths
from flows._validate_base import Diagnostic
from flows._validate_catalogs import catalog_problems
from flows._yaml import line_of, read_yaml

__all__ = [
    "BUILTIN_CATALOGS",
    "LANGUAGES",
    "SCHEMA_VERSION",
    "SOURCE",
    "USER_DOMAIN",
    "Branch",
    "CallSpec",
    "Catalogs",
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
    "FlowText",
    "HookCall",
    "HookContext",
    "Hooks",
    "Intent",
    "MessageSpec",
    "OptString",
    "OptText",
    "Option",
    "Record",
    "Refusal",
    "RepromptSpec",
    "SectionSpec",
    "Settings",
    "SlotSpec",
    "Source",
    "State",
    "Strings",
    "Text",
    "Texts",
    "Trigger",
    "Typed",
    "ValidateRule",
    "catalog_problems",
    "currency_exponent",
    "each",
    "english_moment",
    "fail",
    "flow_files",
    "flow_texts",
    "install_coverage_observers",
    "items",
    "language_of",
    "line_of",
    "load_flow",
    "load_flows",
    "many",
    "mermaid",
    "number_word",
    "parse_datetime",
    "parse_duration",
    "parse_flow",
    "parse_time",
    "problem",
    "read_flow",
    "read_typed",
    "read_yaml",
    "texts_for",
    "translate",
    "typed_errors",
    "validate_flow",
    "validate_flows",
    "validate_paths",
    "wa_escape",
    "yes_no_words",
]
