"""Checking the message catalogs: what ``waflow validate`` says about them.

waflow's own catalogs are compared with their English one; a business's with the texts it uses
(see :func:`catalog_problems`). Reading and using the catalogs is :mod:`flows._i18n`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Iterator, Mapping

from babel.messages.catalog import Catalog, Message

from flows._i18n import LANGUAGES, SOURCE, Source, builtin_sources
from flows._validate_base import Diagnostic

_EXPRESSION = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)


def _fields(text: str) -> set[str]:
    """The placeholders of a text: ``{{ expressions }}`` in a flow's Jinja text, else the
    ``{name}`` fields of ``str.format``."""
    if "{{" in text or "{%" in text:
        return {" ".join(found.split()) for found in _EXPRESSION.findall(text)}
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
        text = "" if not all(forms) else str(forms[0])  # a plural form left empty: untranslated
        if expected is not None and key not in expected:
            yield Diagnostic("error", "not in English", file, line, repr(key), "catalog-extra")
        elif not text:
            if expected is not None:
                yield Diagnostic(
                    "error", "no translation", file, line, repr(key), "catalog-untranslated"
                )
        elif _fields(text) != _fields(key):
            found, wanted = sorted(_fields(text)), sorted(_fields(key))
            yield Diagnostic(
                "error",
                f"uses the placeholders {found}, the original text {wanted}",
                file,
                line,
                repr(key),
                "catalog-placeholders",
            )


def _key(message: Message) -> str:
    """A message's id as the code looks it up: a plural entry by its singular."""
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


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
    for key, message in catalog.items():
        if key not in used:
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


def catalog_problems(*extra: Source, used: Collection[str] | None = None) -> list[Diagnostic]:
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
    catalog would win for both features.
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
    return problems
