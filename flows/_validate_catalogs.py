"""Checking the message catalogs: what ``waflow validate`` says about them.

waflow's own catalogs are compared with their English one; a business's with the texts it uses
(see :func:`catalog_problems`). Reading and using the catalogs is :mod:`flows._i18n`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Iterator, Mapping

from babel.messages.catalog import Catalog, Message

from bot.errors import FlowError
from flows._i18n import LANGUAGES, SOURCE, Source, builtin_sources
from flows._template import compile_template, is_template
from flows._validate_base import Diagnostic

_EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_TAG = re.compile(r"\{%-?\s*(.*?)\s*-?%\}", re.S)


def _fields(text: str) -> set[str]:
    """The placeholders of a text: ``{{ expressions }}`` and ``{% tags %}`` in a flow's Jinja
    text (whitespace normalised), else the ``{name}`` fields of ``str.format``."""
    if is_template(text):
        expressions = {" ".join(found.split()) for found in _EXPRESSION.findall(text)}
        tags = {"{% " + " ".join(found.split()) + " %}" for found in _TAG.findall(text)}
        return expressions | tags
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<malformed braces>"}


def _messages(catalog: Catalog) -> dict[str, Message]:
    """A catalog's entries by message id (the header left out)."""
    return {str(message.id): message for message in catalog if message.id}


def _compare(
    source: Source, language: str, expected: Mapping[str, Message] | None
) -> Iterator[Diagnostic]:
    """The differences between ``source``'s catalog of ``language`` and the expected ids.

    ``expected`` is the English catalog's entries for waflow's own catalogs; ``None`` checks
    only the translations (a business's catalogs may hold texts of flows it does not load).
    """

    file = str(source.file(language))
    try:
        catalog = _messages(source.read(language))
    except (OSError, ValueError) as exc:
        yield Diagnostic("error", f"cannot be read: {exc}", file, None, language, "catalog")
        return
    for key in sorted((expected or {}).keys() - catalog.keys()):
        yield Diagnostic(
            "error", f"no entry in {language}", file, None, repr(key), "catalog-missing"
        )
    for key, message in catalog.items():
        line = message.lineno
        forms = message.string if isinstance(message.string, tuple | list) else [message.string]
        if expected is not None and key not in expected:
            yield Diagnostic("error", "not in English", file, line, repr(key), "catalog-extra")
        elif not all(forms):  # a plural form left empty: untranslated
            if expected is not None:
                yield Diagnostic(
                    "error", "no translation", file, line, repr(key), "catalog-untranslated"
                )
        else:
            if expected is not None and message.fuzzy:
                yield Diagnostic(
                    "error",
                    "marked fuzzy: gettext does not use it, the text is sent in English "
                    "(review it and remove `#, fuzzy`)",
                    file,
                    line,
                    repr(key),
                    "catalog-fuzzy",
                )
            yield from _check_forms(message, [str(form) for form in forms], file)


def _ids(message: Message) -> list[str]:
    """A message's ids: its text, or its singular and plural."""
    if isinstance(message.id, tuple | list):
        return [str(text) for text in message.id]
    return [str(message.id)]


def _check_forms(message: Message, forms: list[str], file: str) -> Iterator[Diagnostic]:
    """A translation's mistakes: each form (every plural one) must keep the original's
    placeholders, and a flow text's translation must compile as the engine's template."""
    ids = _ids(message)
    key, line = repr(_key(message)), message.lineno
    wanted = set().union(*(_fields(text) for text in ids))
    template = any(is_template(text) for text in ids)
    for number, form in enumerate(forms):
        where = f"plural form {number} " if len(forms) > 1 else ""
        if template:
            try:
                compile_template(form, error=FlowError)
            except FlowError as exc:
                yield Diagnostic(
                    "error",
                    f"{where}is not a valid template: {exc}",
                    file,
                    line,
                    key,
                    "catalog-template",
                )
                continue
        if _fields(form) != wanted:
            yield Diagnostic(
                "error",
                f"{where}uses the placeholders {sorted(_fields(form))}, the original text "
                f"{sorted(wanted)}",
                file,
                line,
                key,
                "catalog-placeholders",
            )


def _key(message: Message) -> str:
    """A message's id as the code looks it up: a plural entry by its singular."""
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


def _too_long(source: Source, language: str, limits: Mapping[str, int]) -> Iterator[Diagnostic]:
    """Warnings for the translations in a business's catalog of ``language`` longer than their
    text's WhatsApp limit (``limits``: a list row's title or description)."""
    file = str(source.file(language))
    try:
        catalog = {_key(m): m for m in source.read(language) if m.id}
    except (OSError, ValueError):
        return  # reported by _compare
    for key, message in catalog.items():
        text, limit = message.string, limits.get(key)
        if limit is not None and isinstance(text, str) and len(text) > limit:
            yield Diagnostic(
                "warning",
                f"the translation has {len(text)} characters, WhatsApp allows {limit} here",
                file,
                message.lineno,
                repr(key),
                "catalog-too-long",
            )


def _coverage(source: Source, language: str, used: Collection[str]) -> Iterator[Diagnostic]:
    """Warnings for a business's catalog of ``language`` against its texts ``used``."""
    file = str(source.file(language))
    try:
        catalog = {_key(m): m for m in source.read(language) if m.id}
    except (OSError, ValueError):
        return  # reported by _compare
    for key in sorted(set(used) - catalog.keys()):
        yield Diagnostic(
            "warning",
            f"no entry in {language}: sent untranslated (run `waflow i18n extract` and "
            "`waflow i18n update`)",
            file,
            None,
            repr(key),
            "catalog-missing",
        )
    waflows = _builtin_ids()
    for key, message in catalog.items():
        if key not in used and key not in waflows:  # re-wording one of waflow's texts: kept
            yield Diagnostic(
                "warning",
                "no longer used by the business file, its flows or its hooks",
                file,
                message.lineno,
                repr(key),
                "catalog-obsolete",
            )
        elif message.fuzzy:
            yield Diagnostic(
                "warning",
                "a guess from an older text, not sent until reviewed (remove `#, fuzzy`)",
                file,
                message.lineno,
                repr(key),
                "catalog-fuzzy",
            )


def _builtin_ids() -> set[str]:
    """The message ids of waflow's own English catalogs (a plural one by its singular)."""
    return {_key(m) for source in builtin_sources() for m in source.read(SOURCE) if m.id}


def _conflicts(language: str) -> Iterator[Diagnostic]:
    """The texts two of waflow's catalogs translate differently into ``language``."""
    first: dict[str, tuple[Source, str]] = {}
    for source in builtin_sources():
        for key, message in _messages(source.read(language)).items():
            text = str(message.string)
            seen = first.setdefault(key, (source, text))
            if seen[1] != text:
                yield Diagnostic(
                    "error",
                    f"translated {text!r} here and {seen[1]!r} in {seen[0].file(language)}",
                    str(source.file(language)),
                    message.lineno,
                    repr(key),
                    "catalog-conflict",
                )


def catalog_problems(
    *extra: Source, used: Collection[str] | None = None, limits: Mapping[str, int] | None = None
) -> list[Diagnostic]:
    """Every mistake of the catalogs, as validator findings.

    waflow's own catalogs are checked against their English one: a message id missing from a
    language or only in it, an empty translation, and a translation whose placeholders
    (``{name}``, or ``{{ expression }}`` in a flow's text) differ from the original's. A
    business's catalogs (``extra``) are checked for placeholders (an error): an untranslated
    entry is sent as written. With ``used``, the business's texts (what ``waflow i18n
    extract`` finds), each of its catalogs is also compared with them, as warnings: a text
    with no entry (``catalog-missing``), an entry no text uses (``catalog-obsolete``), a
    ``fuzzy`` entry (``catalog-fuzzy``: gettext does not use it). The same text translated
    differently by two of waflow's catalogs is an error too (``catalog-conflict``): the first
    catalog would win for both features. With ``limits`` (a business text's length limit on
    WhatsApp, by text), a longer translation is a warning (``catalog-too-long``).
    ``waflow validate`` reports them with the flows' findings.
    """
    problems: list[Diagnostic] = []
    for source in builtin_sources():
        english = _messages(source.read(SOURCE))
        for language in LANGUAGES[1:]:
            problems.extend(_compare(source, language, english))
    for language in LANGUAGES[1:]:
        problems.extend(_conflicts(language))
    for source in extra:
        for language in LANGUAGES:
            if source.file(language).is_file():
                problems.extend(_compare(source, language, None))
                if used is not None:
                    problems.extend(_coverage(source, language, used))
                if limits:
                    problems.extend(_too_long(source, language, limits))
    return problems
