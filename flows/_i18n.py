"""The engine's own words in the customer's language: gettext catalogs read with Babel.

The catalogs are GNU gettext ``.po`` files under ``flows/locales/<language>/LC_MESSAGES/``,
one per language (``en``, ``es``, ``pt_BR``, ``id``). Each message id is the English text;
English is the source language, so its catalog lists the ids with empty translations. The
``.po`` files are read and compiled in memory the first time a language is used (Babel's
``read_po`` and ``write_mo``): there is no compiled ``.mo`` file to build, to commit or to
forget, and an editable install sees an edited catalog at the next start.

A text that is in no catalog (a subclass's own wording, a hook's error) is sent as it is.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from functools import cache
from gettext import GNUTranslations, NullTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from flows._validate_base import Diagnostic

DOMAIN = "waflow"
SOURCE = "en"
LANGUAGES = ("en", "es", "pt_BR", "id")
"""The languages with a catalog; the first one is the source language."""

LOCALES = Path(__file__).parent / "locales"

_TAG = re.compile(r"[-_]")


def language_of(tag: str | None, default: str = SOURCE) -> str:
    """The catalog language for a locale tag: ``es_ES`` and ``es-MX`` → ``es``, ``pt-BR`` and
    ``pt`` → ``pt_BR``, ``id_ID`` → ``id``; ``default`` for an empty or unknown tag."""
    if not tag:
        return default
    parts = _TAG.split(tag.strip())
    exact = "_".join([parts[0].lower(), *(part.upper() for part in parts[1:])])
    if exact in LANGUAGES:
        return exact
    base = parts[0].lower()
    for language in LANGUAGES:
        if language.split("_")[0] == base:
            return language
    return default


def catalog_path(language: str) -> Path:
    """The ``.po`` file of ``language``."""
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str) -> Catalog:
    """The parsed ``.po`` catalog of ``language``."""
    with catalog_path(language).open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


@cache
def translations(language: str) -> NullTranslations:
    """The compiled translations of ``language`` (cached); the source language has none."""
    if language == SOURCE or language not in LANGUAGES:
        return NullTranslations()
    mo = BytesIO()
    write_mo(mo, read_catalog(language))
    mo.seek(0)
    return GNUTranslations(mo)


def translate(text: str, language: str) -> str:
    """``text`` (an English message id) in ``language``; unchanged when it has no entry."""
    return translations(language_of(language)).gettext(text)


def _fields(text: str) -> set[str]:
    """The ``{placeholder}`` names of a text (``str.format`` syntax)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<malformed braces>"}


def _messages(language: str) -> dict[str, Message]:
    """``language``'s catalog entries by message id (the header left out)."""
    return {str(message.id): message for message in read_catalog(language) if message.id}


def _compare(language: str, english: Mapping[str, Message]) -> Iterator[Diagnostic]:
    """The differences between ``language``'s catalog and the English messages."""
    file = str(catalog_path(language))
    catalog = _messages(language)
    for key in sorted(english.keys() - catalog.keys()):
        yield Diagnostic(
            "error", f"no entry in {language}", file, None, repr(key), "catalog-missing"
        )
    for key, message in catalog.items():
        text, line = str(message.string or ""), message.lineno
        if key not in english:
            yield Diagnostic("error", "not in English", file, line, repr(key), "catalog-extra")
        elif not text:
            yield Diagnostic(
                "error", "no translation", file, line, repr(key), "catalog-untranslated"
            )
        elif _fields(text) != _fields(key):
            found, wanted = sorted(_fields(text)), sorted(_fields(key))
            yield Diagnostic(
                "error",
                f"uses the placeholders {found}, the English text {wanted}",
                file,
                line,
                repr(key),
                "catalog-placeholders",
            )


def catalog_problems() -> list[Diagnostic]:
    """Every difference between a catalog and the English one, as validator errors.

    A message id missing from a language or only in it, an empty translation, and a
    translation whose ``{placeholders}`` differ from the English text's. ``waflow validate``
    reports them with the flows' findings.
    """
    english = _messages(SOURCE)
    return [problem for language in LANGUAGES[1:] for problem in _compare(language, english)]
