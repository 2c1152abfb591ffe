"""Flow text templates: sandboxed, typed argument values, escaped customer data."""

from __future__ import annotations

import pytest

from bot.errors import FlowError
from flows import wa_escape
from flows._template import ZWSP, compile_expression, compile_template, compile_value


def error(message: str) -> FlowError:
    return FlowError(message, file="t.yaml", path="here")


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        pytest.param("*Ana*", f"{ZWSP}*{ZWSP}Ana{ZWSP}*{ZWSP}", id="bold-pair"),
        pytest.param(
            "_x_ ~y~",
            f"{ZWSP}_{ZWSP}x{ZWSP}_{ZWSP} {ZWSP}~{ZWSP}y{ZWSP}~{ZWSP}",
            id="italic-strike",
        ),
        pytest.param(
            "```code```", f"{ZWSP}`{ZWSP}" * 3 + "code" + f"{ZWSP}`{ZWSP}" * 3, id="monospace"
        ),
        pytest.param("7*7", "7*7", id="lone-marker-untouched"),
        pytest.param("{{ 7*7 }}", "{{ 7*7 }}", id="template-syntax-untouched"),
        pytest.param("plain", "plain", id="plain"),
    ],
)
def test_wa_escape(raw: str, escaped: str) -> None:
    assert wa_escape(raw) == escaped
    assert wa_escape(raw).replace(ZWSP, "") == raw


def test_values_are_escaped_literal_text_is_not() -> None:
    render = compile_template("*Hello* {{ name }}!", error=error)
    assert render({"name": "*Bob*"}) == f"*Hello* {ZWSP}*{ZWSP}Bob{ZWSP}*{ZWSP}!"


def test_raw_filter_opts_out() -> None:
    render = compile_template("{{ name | raw }}", error=error)
    assert render({"name": "*Bob*"}) == "*Bob*"


def test_customer_text_is_never_evaluated() -> None:
    render = compile_template("You said: {{ note }}", error=error)
    assert render({"note": "{{ 7*7 }}"}) == "You said: {{ 7*7 }}"


def test_none_prints_as_nothing() -> None:
    assert compile_template("[{{ x }}]", error=error)({"x": None}) == "[]"


def test_plain_strings_skip_jinja() -> None:
    assert compile_template("100% {fun}", error=error)({}) == "100% {fun}"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("{{ ''.__class__.__mro__ }}", id="dunder"),
        pytest.param("{{ slots.update({'x': 1}) }}", id="mutation"),
    ],
)
def test_sandbox_refuses_unsafe_access(source: str) -> None:
    with pytest.raises(FlowError, match="cannot render"):
        compile_template(source, error=error)({"slots": {}})


def test_syntax_error_is_located() -> None:
    with pytest.raises(FlowError, match="template error") as caught:
        compile_template("{{ oops ", error=error)
    assert caught.value.file == "t.yaml"


def test_undefined_name_is_an_error() -> None:
    with pytest.raises(FlowError, match="undefined"):
        compile_template("{{ nope }}", error=error)({})


def test_expression() -> None:
    check = compile_expression("slots.score <= 6", error=error)
    assert check({"slots": {"score": 4}}) is True
    with pytest.raises(FlowError, match="cannot evaluate"):
        check({"slots": {"score": None}})


@pytest.mark.parametrize(
    ("value", "result"),
    [
        pytest.param("{{ slots.qty }}", 3, id="single-expression-keeps-type"),
        pytest.param("{{ slots.qty }} cakes", "3 cakes", id="template-renders-text"),
        pytest.param("*{{ slots.name }}*", "**Bo*b**", id="argument-values-not-escaped"),
        pytest.param({"a": ["{{ slots.qty + 1 }}", 5]}, {"a": [4, 5]}, id="nested"),
        pytest.param(7, 7, id="literal"),
    ],
)
def test_compile_value(value: object, result: object) -> None:
    assert compile_value(value, error=error)({"slots": {"qty": 3, "name": "*Bo*b*"}}) == result


def test_filters() -> None:
    render = compile_template("{{ d | date('%d/%m') }} {{ p | money('EUR') }}", error=error)
    assert render({"d": "2025-12-24", "p": 1234.5}) == "24/12 1,234.50 EUR"
