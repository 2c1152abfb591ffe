"""The public API of the flows package, pinned."""

from __future__ import annotations

import flows


def test_public_names() -> None:
    assert sorted(flows.__all__) == [
        "BUILTIN_CATALOGS",
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
        "LANGUAGES",
        "MessageSpec",
        "OptString",
        "OptText",
        "Option",
        "Record",
        "Refusal",
        "RepromptSpec",
        "SCHEMA_VERSION",
        "SOURCE",
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
        "USER_DOMAIN",
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
    for name in flows.__all__:
        assert getattr(flows, name) is not None


def test_flow_handler_is_a_turn_handler() -> None:
    from bot.turn import Handler

    handler: Handler = flows.FlowHandler(flows.FlowSet([]), flows.Hooks())
    assert callable(handler.handle)
