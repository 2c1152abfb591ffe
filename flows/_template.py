"""Text templates and expressions of flow files, in Jinja2's immutable sandbox.

This module owns how a flow's strings become text and values: one
``ImmutableSandboxedEnvironment`` with ``StrictUndefined``, compiled templates and expressions
(compiled once per flow version by the compiler), and output escaping. Only the flow author's
literal strings are ever compiled; customer text reaches a template only as a *value* (a slot,
the contact name), so ``{{ 7*7 }}`` typed by a customer is echoed verbatim. Every value printed
by ``{{ ... }}`` goes through :func:`wa_escape` (the environment's ``finalize``), which
neutralises WhatsApp formatting characters coming from data, while the template's literal
text keeps its ``*bold*`` and ``_italics_``. ``{{ x | raw }}`` opts a trusted value out.

The ``money`` and ``date`` filters write in the customer's language. The runner puts the
customer's :class:`~flows._i18n.Texts` in the context under a private name
(:data:`TEXTS_NAME`, which no flow text can name: the validator knows no such variable), and
the filters read it through Jinja's ``pass_context``. In a language other than English,
``{{ 27.5 | money('EUR') }}`` is ``27,50 €`` (Babel, the customer's formatting locale) and
``{{ d | date('%A %d %B') }}`` takes the fields of its ``strftime`` format and writes them in
the language's own order and words (``viernes, 05 de marzo``: a CLDR skeleton). In English,
and wherever no Texts is in the context (hook arguments, the validator), they keep their
``strftime`` and ``1,234.50 EUR`` output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_time, match_skeleton
from babel.numbers import (
    UnknownCurrencyError,
    format_currency,
    format_decimal,
    validate_currency,
)
from jinja2 import StrictUndefined, TemplateError, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.errors import FlowError
from flows._i18n import SOURCE, Texts

ZWSP = "\u200b"
_MARKERS = ("*", "_", "~", "`")
_SINGLE_EXPRESSION = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.S)

Renderer = Callable[[Mapping[str, Any]], str]
Evaluator = Callable[[Mapping[str, Any]], Any]

TEXTS_NAME = "_texts"
"""The context name of the customer's :class:`~flows._i18n.Texts` (the ``money`` and ``date``
filters write in their language)."""


class Raw(str):
    """A string that :func:`wa_escape` leaves alone (made by the ``raw`` filter)."""

    __slots__ = ()


def wa_escape(text: str) -> str:
    """Neutralise WhatsApp formatting characters in data so they print as typed.

    WhatsApp formats text between a pair of markers (``*bold*``, ``_italic_``, ``~strike~``,
    ```` ```mono``` ````). A marker that appears at least twice in ``text`` is wrapped in
    zero-width spaces so it can no longer open or close a span; a lone marker (``7*7``) cannot
    format anything and is left untouched, so most text comes back byte for byte.

    Args:
        text: Text from customer data (a slot value, a contact name).
    """
    for marker in _MARKERS:
        if text.count(marker) >= 2:
            text = text.replace(marker, f"{ZWSP}{marker}{ZWSP}")
    return text


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (Raw, bool, int, float, Decimal)):
        return value
    return wa_escape(str(value))


def _raw(value: Any) -> Raw:
    return Raw("" if value is None else str(value))


def _customer(context: Context) -> Texts | None:
    """The customer's Texts in ``context``, unless they read English (or there is none)."""
    texts = context.get(TEXTS_NAME)
    return texts if isinstance(texts, Texts) and texts.language != SOURCE else None


_FIELDS = {
    "a": "EEE", "A": "EEEE", "d": "dd", "e": "d", "b": "MMM", "h": "MMM", "B": "MMMM",
    "m": "MM", "y": "yy", "Y": "y", "H": "HH", "I": "hh", "M": "mm", "S": "ss", "p": "a",
}  # fmt: skip
"""``strftime`` directives and the CLDR fields that write the same thing."""
_DIRECTIVE = re.compile(r"%(-?)(.)")


def _cldr(fmt: str, literals: bool) -> str | None:
    """A ``strftime`` format as CLDR: a pattern (``literals``, text quoted) or a skeleton (its
    fields only); ``None`` when it has a directive without a CLDR field."""
    parts: list[str] = []
    end = 0
    for match in _DIRECTIVE.finditer(fmt):
        field = _FIELDS.get(match.group(2))
        if field is None:
            return None
        literal = fmt[end : match.start()]
        if literals and literal:
            parts.append("'" + literal.replace("'", "''") + "'")
        parts.append(field[:-1] if match.group(1) and field[0] in "dHhms" else field)
        end = match.end()
    if literals and fmt[end:]:
        parts.append("'" + fmt[end:].replace("'", "''") + "'")
    return "".join(parts)


_TOKEN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*")


def _skeleton_pattern(skeleton: str, texts: Texts) -> str | None:
    """The language's own pattern for a skeleton's fields (``EEEEdMMMM`` → ``EEEE, d 'de'
    MMMM``), names as long as the skeleton asks; ``None`` when the language has none."""
    available = texts.locale.datetime_skeletons
    found = match_skeleton(skeleton, available)
    if found is None:
        return None
    widths = {letter: skeleton.count(letter) for letter in "EM"}

    def widen(token: re.Match[str]) -> str:
        run, letter = token.group(0), token.group(1) or ""
        if letter == "E" and widths["E"] >= 4:  # a whole weekday name, not its abbreviation
            return letter * widths["E"]
        if letter and letter in "ML" and len(run) >= 3 and widths["M"] >= 3:  # a month's name
            return letter * widths["M"]
        return run

    return _TOKEN.sub(widen, str(available[found].pattern))


def _local_date(value: date | time, fmt: str, texts: Texts) -> str | None:
    """``value`` with ``fmt``'s fields in the customer's language, or ``None`` when Babel
    cannot say it (a directive without a CLDR field)."""
    literal = _cldr(fmt, literals=True)
    if literal is None:
        return None
    if isinstance(value, time):
        return format_time(value, literal, locale=texts.locale)
    skeleton = _cldr(fmt, literals=False)
    if skeleton and not re.search(r"\w", re.sub(r"%-?.", "", fmt)):  # only fields: reorder
        literal = _skeleton_pattern(skeleton, texts) or literal
    return texts.date(value, literal)


@pass_context
def _date_filter(context: Context, value: Any, fmt: str = "%d %b %Y") -> str:
    if isinstance(value, str):
        for parse in (datetime.fromisoformat, date.fromisoformat, time.fromisoformat):
            try:
                value = parse(value)
                break
            except ValueError:
                continue
    if not isinstance(value, (date, time, datetime)):
        return ""
    texts = _customer(context)
    local = None
    if texts is not None:
        with suppress(AttributeError, KeyError, ValueError):  # a field the value has not
            local = _local_date(value, fmt, texts)
    return local if local is not None else value.strftime(fmt)


@pass_context
def _money(context: Context, value: Any, currency: str = "", places: int = 2) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    texts = _customer(context)
    if texts is None or not amount.is_finite():
        text = f"{amount:,.{places}f}"
        return f"{text} {currency}".strip()
    try:
        validate_currency(currency.upper())
    except UnknownCurrencyError:  # no currency, or a unit of the shop's own ("points")
        pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
        text = format_decimal(amount, pattern, locale=texts.locale)
        return f"{text} {currency}".strip()
    return format_currency(amount, currency.upper(), locale=texts.locale)


def _plain(value: Any) -> Any:
    return "" if value is None else value


def _environment(escape: bool) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        finalize=_finalize if escape else _plain,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update({"raw": _raw, "wa_escape": wa_escape, "date": _date_filter, "money": _money})
    return env


ENV = _environment(escape=True)
"""The sandboxed environment of message text: printed values are :func:`wa_escape`-d."""
VALUE_ENV = _environment(escape=False)
"""The sandboxed environment of hook and sub-flow arguments: values print as they are."""


def is_template(source: str) -> bool:
    """True when ``source`` holds Jinja markup; other strings are used as they are written."""
    return "{{" in source or "{%" in source or "{#" in source


def compile_template(
    source: str, *, error: Callable[[str], FlowError], env: ImmutableSandboxedEnvironment = ENV
) -> Renderer:
    """Compile a flow string into a renderer; plain strings skip Jinja entirely.

    Args:
        error: Builds the located error for a syntax or rendering problem.
        env: :data:`ENV` for message text, :data:`VALUE_ENV` for argument values.

    Raises:
        FlowError: The template does not compile.
    """
    if not is_template(source):
        return lambda _context: source
    try:
        template = env.from_string(source)
    except TemplateError as exc:
        raise error(f"template error: {exc}") from exc

    def render(context: Mapping[str, Any]) -> str:
        try:
            return template.render(context)
        except TemplateError as exc:
            raise error(f"cannot render template: {exc}") from exc

    return render


def compile_expression(source: str, *, error: Callable[[str], FlowError]) -> Evaluator:
    """Compile a sandboxed expression such as ``slots.score <= 6``.

    Args:
        source: The expression (without ``{{ }}``).
        error: Builds the located error for a syntax or evaluation problem.

    Raises:
        FlowError: The expression does not compile.
    """
    try:
        expression = VALUE_ENV.compile_expression(source, undefined_to_none=False)
    except TemplateError as exc:
        raise error(f"expression error: {exc}") from exc

    def evaluate(context: Mapping[str, Any]) -> Any:
        try:
            value = expression(**context)
        except (TemplateError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            raise error(f"cannot evaluate {source!r}: {exc}") from exc
        if isinstance(value, StrictUndefined):
            raise error(f"{source!r} is undefined")
        return value

    return evaluate


def compile_value(value: Any, *, error: Callable[[str], FlowError]) -> Evaluator:
    """Compile an argument value: ``"{{ expr }}"`` keeps the type, other strings render.

    Mappings and lists are compiled item by item; other values are returned as they are.

    Args:
        value: An ``args`` value from the flow file.
        error: Builds the located error.
    """
    if isinstance(value, str):
        match = _SINGLE_EXPRESSION.match(value)
        if match and "{{" not in match.group(1) and "}}" not in match.group(1):
            return compile_expression(match.group(1).strip(), error=error)
        return compile_template(value, error=error, env=VALUE_ENV)
    if isinstance(value, Mapping):
        items = {key: compile_value(item, error=error) for key, item in value.items()}
        return lambda context: {key: fn(context) for key, fn in items.items()}
    if isinstance(value, list):
        compiled = [compile_value(item, error=error) for item in value]
        return lambda context: [fn(context) for fn in compiled]
    return lambda _context: value
