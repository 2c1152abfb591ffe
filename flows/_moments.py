"""Reading dates, times and date-times the way people type them, and checking their bounds.

This module owns the calendar side of ``expect: date|time|datetime``: words ("today",
"tomorrow", "friday"), numeric and month-name formats (day first unless the flow's own
``formats`` say otherwise), "2pm"/"14h30"/"noon" times, and the ``min``/``max``/``future_only``
checks against the turn's clock in the flow's time zone. Pure functions, no I/O.

The readers read English words; :func:`english_moment` first turns a customer's own words into them
(``el próximo viernes a las 11:00`` → ``next friday at 11:00``, ``15 de diciembre`` → ``15
dec``), with the weekday and month names of Babel's CLDR data and a short table of the words
around them. It is the one place that knows how each language says a day.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from contextlib import suppress
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache

from babel import Locale

from flows._model import DateBound

DATE_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y",
    "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%A %d %B %Y", "%a %d %b %Y",
)  # fmt: skip
"""Built-in date formats, tried after the flow's own ``formats``."""
DATE_FORMATS_NO_YEAR = (
    "%d/%m", "%d-%m", "%d.%m", "%d %B", "%d %b", "%B %d", "%b %d", "%A %d %B", "%a %d %b",
)  # fmt: skip
"""Formats without a year: the next such date from today is meant."""
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME_RE = re.compile(
    r"^(?:at\s+)?(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?|h|hrs|o'?clock)?$"
)


_ENGLISH_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_WORDS: dict[str, dict[str, str]] = {
    "es": {
        "hoy": "today", "manana": "tomorrow", "pasado manana": "day after tomorrow",
        "ayer": "yesterday", "el proximo": "next", "la proxima": "next", "proximo": "next",
        "proxima": "next", "este": "this", "esta": "this", "el": "", "la": "", "de": "",
        "del": "", "a las": "at", "a la": "at", "las": "at", "mediodia": "noon",
        "medianoche": "midnight", "de la manana": "am", "de la tarde": "pm",
        "de la noche": "pm", "de la madrugada": "am",
    },
    "pt_BR": {
        "hoje": "today", "amanha": "tomorrow", "depois de amanha": "day after tomorrow",
        "ontem": "yesterday", "o proximo": "next", "a proxima": "next", "proximo": "next",
        "proxima": "next", "este": "this", "esta": "this", "nesta": "this", "neste": "this",
        "na": "", "no": "", "de": "", "do": "", "da": "", "as": "at", "a": "at",
        "meio-dia": "noon", "meio dia": "noon", "meia-noite": "midnight", "meia noite": "midnight",
        "da manha": "am", "da tarde": "pm", "da noite": "pm", "da madrugada": "am",
    },
    "id": {
        "hari ini": "today", "besok": "tomorrow", "esok": "tomorrow", "lusa": "day after tomorrow",
        "kemarin": "yesterday", "hari": "", "tanggal": "", "jam": "at", "pukul": "at",
        "tengah hari": "noon", "tengah malam": "midnight", "pagi": "am", "siang": "pm",
        "sore": "pm", "malam": "pm",
    },
}  # fmt: skip
"""Each language's words around a date, accents dropped, in English (``""``: left out)."""
_NUMBERS = frozenset({"dez", "sete", "nove", "seis", "once", "doce"})
"""Month abbreviations that are also numbers in some language, never read as months."""
_AFTER = {"es": ("que viene",), "pt_BR": ("que vem",), "id": ("depan",)}
"""Words after a weekday that mean "next" (``viernes que viene``, ``jumat depan``)."""


def _plain(text: str) -> str:
    """``text`` folded as customers type it: lower case, accents dropped."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _vocabulary(language: str) -> tuple[tuple[str, str], ...]:
    """A language's day words, longest first: Babel's weekday and month names (wide and
    abbreviated, ``segunda-feira`` also as ``segunda``) and :data:`_WORDS`, in English."""
    words: dict[str, str] = {}
    locale = Locale.parse(language)
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.days[context][width].items():
                local = _plain(str(name)).rstrip(".")
                words[local] = _WEEKDAYS[number]
                words[local.removesuffix("-feira")] = _WEEKDAYS[number]
            for number, name in locale.months[context][width].items():
                month = _plain(str(name)).rstrip(".")
                if month not in _NUMBERS:  # Portuguese "dez" is December and ten: ten wins
                    words[month] = _ENGLISH_MONTHS[number - 1]
    words.update(_WORDS.get(language, {}))
    return tuple(sorted(words.items(), key=lambda item: len(item[0]), reverse=True))


def english_moment(text: str, language: str) -> str:
    """What a customer typed about a day, with their language's words in English.

    ``mañana a las 11:00`` → ``tomorrow at 11:00``, ``el próximo viernes`` → ``next friday``,
    ``jumat depan`` → ``next friday``, ``15 de diciembre`` → ``15 dec``. Accents may be left
    out. English text, and a language without such words, come back as they are.

    Args:
        text: What the customer typed.
        language: Their language (``es``, ``pt_BR``, ``id``; ``en`` changes nothing).
    """
    if language == "en" or language.startswith("en_"):
        return text
    try:
        vocabulary = _vocabulary(language)
    except (ValueError, LookupError):
        return text
    said = f" {' '.join(_plain(text).replace(',', ' ').split())} "
    for after in _AFTER.get(language, ()):
        for english in _WEEKDAYS:
            for local, word in vocabulary:
                if word == english and f" {local} {after} " in said:
                    said = said.replace(f" {local} {after} ", f" next {english} ")
    for local, english in vocabulary:
        said = said.replace(f" {local} ", f" {english} " if english else " ")
    return " ".join(said.split())


def _clean(text: str) -> str:
    text = text.strip().casefold().replace(",", " ")
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"\b(the|of|on)\b", " ", text)
    return " ".join(text.split())


def parse_date(text: str, today: date, formats: Sequence[str] = ()) -> date | None:
    """Read a date such as ``24/12/2025``, ``2025-12-24``, ``24 Dec``, ``tomorrow``, ``friday``.

    Args:
        today: Today in the flow's time zone.
        formats: The flow's own ``strptime`` formats, tried first.
    """
    cleaned = _clean(text)
    words = {"today": 0, "tomorrow": 1, "day after tomorrow": 2, "yesterday": -1}
    if cleaned in words:
        return today + timedelta(days=words[cleaned])
    day_name = cleaned.removeprefix("next ").removeprefix("this ")
    if day_name in _WEEKDAYS:
        ahead = (_WEEKDAYS.index(day_name) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    for fmt in (*formats, *DATE_FORMATS):
        with suppress(ValueError):
            return datetime.strptime(cleaned, fmt).date()
    for fmt in DATE_FORMATS_NO_YEAR:
        try:
            parsed = datetime.strptime(f"{cleaned} {today.year}", f"{fmt} %Y").date()
        except ValueError:
            continue
        return parsed if parsed >= today else parsed.replace(year=today.year + 1)
    return None


def parse_time(text: str, formats: Sequence[str] = ()) -> time | None:
    """Read a time such as ``14:30``, ``2pm``, ``2.30 pm``, ``14h30``, ``noon``.

    Args:
        formats: The flow's own ``strptime`` formats, tried first.

    Returns:
        The time, to the minute, or ``None`` when the text is not a time.
    """
    cleaned = _clean(text)
    for fmt in formats:
        with suppress(ValueError):
            return datetime.strptime(cleaned, fmt).time()
    named = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
    if cleaned in named:
        return named[cleaned]
    match = _TIME_RE.match(cleaned)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_datetime(text: str, now: datetime, formats: Sequence[str] = ()) -> datetime | None:
    """Read a date and a time (``24/12/2025 14:30``, ``tomorrow at 3pm``, ISO 8601).

    Args:
        now: The turn's clock in the flow's time zone (aware).
        formats: The flow's own ``strptime`` formats, tried first on the whole text.

    Returns:
        An aware datetime in ``now``'s zone, or ``None`` when the text is not one.
    """
    zone = now.tzinfo
    stripped = text.strip()
    for fmt in formats:
        with suppress(ValueError):
            return localize(datetime.strptime(stripped, fmt), zone)
    with suppress(ValueError):
        return localize(datetime.fromisoformat(stripped), zone)
    tokens = _clean(stripped).replace(" at ", " ").split()
    for cut in range(len(tokens) - 1, 0, -1):
        day = parse_date(" ".join(tokens[:cut]), now.date())
        moment = parse_time(" ".join(tokens[cut:]))
        if day is not None and moment is not None:
            return datetime.combine(day, moment, tzinfo=zone)
    return None


def localize(value: datetime, zone: tzinfo | None) -> datetime:
    """Give a naive datetime the time zone ``zone``; an aware one is returned unchanged."""
    return value if value.tzinfo else value.replace(tzinfo=zone)


def as_kind(moment: datetime, kind: str) -> date | time | datetime:
    """``moment`` in the type of a ``kind`` question: its date, its time (minutes), or itself."""
    if kind == "date":
        return moment.date()
    if kind == "time":
        return moment.time().replace(second=0, microsecond=0, tzinfo=None)
    return moment


def bound_value(bound: DateBound, kind: str, now: datetime) -> date | time | datetime | None:
    """Resolve a ``min``/``max`` bound against the clock, in the type of the question.

    Args:
        kind: ``date``, ``time`` or ``datetime``.
        now: The turn's clock in the flow's time zone.

    Returns:
        A value comparable with the parsed answer.
    """
    if bound.offset is not None:
        return as_kind(now + bound.offset, kind)
    value = bound.absolute
    if kind == "datetime" and isinstance(value, datetime):
        return localize(value, now.tzinfo)
    if kind == "datetime" and isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=now.tzinfo)
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    return value


def describe(value: date | time | datetime) -> str:
    """Format a bound for a message: ``24 Dec 2025``, ``14:30``, ``24 Dec 2025 14:30``."""
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return value.strftime("%H:%M")
