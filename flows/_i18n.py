"""The engine's own words in the customer's language: gettext catalogs read with Babel.

The catalogs are GNU gettext ``.po`` files under ``<dir>/<language>/LC_MESSAGES/<domain>.po``,
one per language (``en``, ``es``, ``pt_BR``, ``id``). waflow's own are every ``locales``
folder of the package (the engine's words in ``flows/locales``, each feature's in its folder,
domain ``waflow``); a business adds its own (``locales/`` next to its business file, domain
``messages``: its flows' texts and its catalog's words), which win over waflow's. Each message
id is the source text as written (English for waflow's); waflow's English catalog lists the
ids with empty translations. The ``.po`` files are read and compiled in memory the first time a
language is used (Babel's ``read_po`` and ``write_mo``): there is no compiled ``.mo`` file to
build, to commit or to forget, and an editable install sees an edited catalog at the next start.

A text that is in no catalog (a subclass's own wording, a hook's error) is sent as it is.
:class:`Texts` is what code holds for one customer: their language's words, plural forms, and
amounts and dates written the way their language writes them (Babel's CLDR data).
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from gettext import GNUTranslations, NullTranslations
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_datetime, format_skeleton, format_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

DOMAIN = "waflow"
SOURCE = "en"
LANGUAGES = ("en", "es", "pt_BR", "id")
"""The languages with a catalog; the first one is the source language."""

LOCALES = Path(__file__).parent / "locales"
"""The engine's own catalogs."""
USER_DOMAIN = "messages"
"""The domain of a business's own catalogs (Babel's default, so ``pybabel init`` needs no ``-D``)."""

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


@dataclass(frozen=True)
class Source:
    """One folder of catalogs: ``<path>/<language>/LC_MESSAGES/<domain>.po``."""

    path: Path
    domain: str = DOMAIN

    def file(self, language: str) -> Path:
        """The ``.po`` file of ``language`` (it may not exist)."""
        return self.path / language / "LC_MESSAGES" / f"{self.domain}.po"

    def read(self, language: str) -> Catalog:
        """The parsed catalog of ``language``.

        Raises:
            OSError: The file cannot be read.
        """
        with self.file(language).open("rb") as po:
            return read_po(po, locale=language, domain=self.domain)


def builtin_sources() -> tuple[Source, ...]:
    """waflow's own catalogs: the engine's, then each feature's (every ``locales`` folder)."""
    package = Path(__file__).parent
    return (Source(LOCALES), *(Source(p) for p in sorted(package.glob("features/*/locales"))))


@cache
def _compiled(source: Source, language: str) -> NullTranslations:
    """One source's translations into ``language`` (cached); none when it has no such file."""
    if not source.file(language).is_file():
        return NullTranslations()
    mo = BytesIO()
    write_mo(mo, source.read(language))
    mo.seek(0)
    return GNUTranslations(mo)


class Catalogs:
    """The catalogs a bot answers from: the business's own first, then waflow's.

    Args:
        extra: The business's sources, searched before waflow's own.
    """

    def __init__(self, *extra: Source) -> None:
        self.sources = (*extra, *builtin_sources())
        self._chains: dict[str, NullTranslations] = {}

    def translations(self, language: str) -> NullTranslations:
        """Every source's translations into ``language``, chained in order (cached)."""
        chain = self._chains.get(language)
        if chain is None:
            chain = NullTranslations()
            for source in self.sources:
                link = _compiled(source, language)
                if isinstance(link, GNUTranslations):  # a copy: chaining sets its fallback,
                    chain.add_fallback(copy(link))  # and a shared one would loop forever
            self._chains[language] = chain
        return chain

    def gettext(self, text: str, language: str) -> str:
        """``text`` (a message id) in ``language``; unchanged when no catalog has it."""
        return self.translations(language).gettext(text) if text else text

    def ngettext(self, singular: str, plural: str, n: int, language: str) -> str:
        """The form of ``singular``/``plural`` for ``n`` in ``language`` (its plural rules)."""
        return self.translations(language).ngettext(singular, plural, n)


BUILTIN = Catalogs()
"""waflow's own catalogs, with no business's."""


_EXPONENTS = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),  # noqa: SIM905
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),  # noqa: SIM905
    **dict.fromkeys("CLF UYW".split(), 4),  # noqa: SIM905
}  # fmt: skip
"""ISO 4217 minor units that are not two decimals (funds and precious metals left out)."""


def currency_exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has in ISO 4217, as amounts are stored:
    2 for EUR, 0 for JPY, 3 for KWD."""
    return _EXPONENTS.get(currency, 2)


def translate(text: str, language: str) -> str:
    """``text`` (an English message id of waflow) in ``language``; unchanged without an entry."""
    return BUILTIN.gettext(text, language_of(language))


@cache
def formatting_locale(language: str, locale: str | None = None) -> Locale:
    """The locale to write amounts and dates in for a customer speaking ``language``.

    The business's ``locale`` when it is of that language (``es_MX`` for ``es``); else the
    language in the business's country when Babel knows it (``en_ES``); else the language's
    most likely country (``es`` → ``es_ES``, ``id`` → ``id_ID``).
    """
    business = _parse(locale)
    if business is not None and language_of(str(business), "") == language:
        return business
    wanted = _parse(language) or Locale("en")
    if business is not None and business.territory and not wanted.territory:
        regional = _parse(f"{wanted.language}_{business.territory}")
        if regional is not None:
            return regional
    if wanted.territory:
        return wanted
    return _parse(f"{wanted.language}_{_likely_territory(wanted.language)}") or wanted


def _parse(tag: str | None) -> Locale | None:
    if not tag:
        return None
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _likely_territory(language: str) -> str:
    """The country CLDR finds most likely for a language (``es`` → ``ES``), or ``""``."""
    subtags = str(get_global("likely_subtags").get(language, "")).split("_")
    return subtags[-1] if len(subtags) > 1 else ""


_WEEKDAY = re.compile(r"(?<!E)E{1,3}(?!E)")


@cache
def _day_pattern(locale: Locale) -> str:
    """The language's pattern for a weekday, day and month, the weekday written in full.

    CLDR's ``MMMMEd`` skeleton abbreviates the weekday (``vie, 6 de marzo``); customers read
    the whole word better (``viernes, 6 de marzo``).
    """
    pattern = locale.datetime_skeletons.get("MMMMEd")
    if pattern is None:
        return "EEEE d MMMM"
    return _WEEKDAY.sub("EEEE", str(pattern.pattern))


@dataclass(frozen=True)
class Texts:
    """The words and formats of one customer: what code uses to write to them.

    ``texts("Your order {number} is ready.", number=n)`` translates then fills the ``{}``
    placeholders; ``texts.plural(...)`` picks the plural form; :meth:`money`, :meth:`date` and
    :meth:`time` write the way the customer's language does (``27,50 €``, ``13 de diciembre``).

    Attributes:
        language: The catalog language (``es``).
        locale: The formatting locale (:func:`formatting_locale`).
        catalogs: The catalogs to translate from.
    """

    language: str = SOURCE
    locale: Locale = field(default_factory=lambda: Locale("en", "US"))
    catalogs: Catalogs = BUILTIN

    def __call__(self, text: str, /, **values: Any) -> str:
        """``text`` translated, then its ``{placeholders}`` filled with ``values``."""
        translated = self.catalogs.gettext(text, self.language)
        return translated.format(**values) if values else translated

    def plural(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The plural form for ``n`` translated, with ``{n}`` and ``values`` filled in."""
        return self.catalogs.ngettext(singular, plural, n, self.language).format(n=n, **values)

    def money(self, minor: int, currency: str) -> str:
        """``minor`` units of ``currency`` (``2750`` EUR → ``€27.50``, ``27,50 €``).

        The minor unit is ISO 4217's (:func:`currency_exponent`), as amounts are stored; the
        decimals shown are the ones the amount has, at least as many as CLDR writes for the
        currency (``Rp50.000``, ``Rp1.234,56``, ``€27.00``).
        """
        amount = Decimal(minor).scaleb(-currency_exponent(currency))
        return format_currency(amount, currency, locale=self.locale, decimal_quantization=False)

    def number(self, value: int | Decimal) -> str:
        """A number with the language's separators (``1,234`` / ``1.234``)."""
        return format_decimal(value, locale=self.locale)

    def day(self, value: date) -> str:
        """A date in a list row or a summary: the weekday, day and month abbreviated as the
        language does (``Tue 4 Mar``, ``mar, 4 mar``)."""
        return format_skeleton("MMMEd", value, locale=self.locale)

    def date(self, value: date, format: str | None = None) -> str:
        """A date: by default its weekday, day and month as the language writes them
        (``Sunday 13 December``, ``domingo, 13 de diciembre``); else a Babel ``format``
        (``short``, ``medium``, ``long``, ``full`` or a pattern)."""
        if format is None:
            format = _day_pattern(self.locale)
        if isinstance(value, datetime):
            return format_datetime(value, format, locale=self.locale)
        return format_date(value, format, locale=self.locale)

    def time(self, value: time | datetime, format: str = "short") -> str:
        """A time of day (``14:30``, ``2:30 PM``)."""
        return format_time(value, format, locale=self.locale)


def texts_for(
    language: str | None,
    default: str = SOURCE,
    *,
    locale: str | None = None,
    catalogs: Catalogs = BUILTIN,
) -> Texts:
    """The :class:`Texts` of a customer whose remembered language is ``language``.

    Args:
        language: The customer's remembered language (``Contact.language``), or ``None``.
        default: The business's language, used when the customer has none.
        locale: The business's locale (its country decides regional formats).
        catalogs: The catalogs to translate from.
    """
    chosen = language_of(language, language_of(default))
    return Texts(chosen, formatting_locale(chosen, locale), catalogs)
