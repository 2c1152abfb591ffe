"""Reading an answer: an inbound message + an ``expect`` spec → accepted, unrecognized, invalid.

This module owns the typed-input rules of ``ask`` states. :func:`read_answer` never raises on
customer input: it returns :class:`Accepted`, :class:`Unrecognized`, :class:`Invalid` or
:class:`NextPage`. Choice matching lives in :mod:`flows._choice`, calendar parsing in
:mod:`flows._moments`.

Every word it returns for the customer (hints, refusals, the names of what they sent) is
written in their language: :func:`read_answer` takes their :class:`~flows._i18n.Texts`
(English by default) and translates each whole sentence before filling in its values. A date
example is the customer's language's short date when the date parser reads it back (``13/12/26``
in Spanish), else ``13/12/2026``; bounds in English keep their ``24 Dec 2025`` form, other
languages write them as Babel does (``24 dic 2025``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from babel.lists import format_list
from babel.numbers import format_decimal

from bot import inbound
from flows._choice import MORE_ID, match_option, match_yes_no, normalize, number_word
from flows._i18n import SOURCE, Texts
from flows._model import ExpectSpec, Option
from flows._moments import (
    as_kind,
    bound_value,
    describe,
    english_moment,
    parse_date,
    parse_datetime,
    parse_time,
)

ENGLISH = Texts()
"""The engine's words as written, the default of every function taking a customer's Texts."""


@dataclass(frozen=True, slots=True)
class Accepted:
    """The answer was read. ``value`` feeds ``validate``; ``stored`` goes into the slot."""

    value: Any
    stored: Any


@dataclass(frozen=True, slots=True)
class Unrecognized:
    """The answer could not be read as the expected type: a sticker for a number, "abc" for a date.

    Attributes:
        hint: What to send instead, e.g. "Please reply with a number."
        received: What arrived, when it was not text, e.g. "stickers".
    """

    hint: str
    received: str | None = None
    texts: Texts = field(default=ENGLISH, repr=False, compare=False)
    """The customer's words, that :attr:`message` is written in."""

    @property
    def message(self) -> str:
        """The default reprompt: names what was received, then the hint."""
        if self.received:
            hint = f"{self.hint[0].lower()}{self.hint[1:]}"
            return self.texts(
                "I can't read {received} yet — {hint}", received=self.received, hint=hint
            )
        return self.texts("Sorry, I didn't understand that. {hint}", hint=self.hint)


@dataclass(frozen=True, slots=True)
class Invalid:
    """The answer was understood but refused (out of range, too long, in the past).

    ``reason`` says why, and is the default reprompt.
    """

    reason: str


@dataclass(frozen=True, slots=True)
class NextPage:
    """The customer asked for another page of a long choice list.

    Attributes:
        page: The page a tapped "More…" row leads to; ``None`` (typed "more"): the next one.
    """

    page: int | None = None


Result = Accepted | Unrecognized | Invalid | NextPage

HINTS = {
    "choice": "Please choose one of the options.",
    "number": "Please reply with a number.",
    "text": "Please type your answer.",
    "regex": "Please check the format and try again.",
    "email": "Please send an email address, like name@example.com.",
    "phone": "Please send a phone number with its country code, like +44 20 7946 0958.",
    "date": "Please send a date, like {example}.",
    "time": "Please send a time, like 14:30.",
    "datetime": "Please send a date and a time, like {example} 14:30.",
    "yes_no": "Please answer yes or no.",
    "location": "Please share a location: tap 📎 (or +) and choose Location.",
}
_EXAMPLE_AHEAD = timedelta(days=7)
"""The example date of a date hint: a week from today, never a date ``future_only`` refuses."""


def hint(kind: str, today: date, texts: Texts = ENGLISH) -> str:
    """The engine's hint for an answer of type ``kind``, in the customer's language; a date's
    example is computed from today.

    Args:
        kind: An ``expect`` type.
        today: Today in the flow's time zone.
        texts: The customer's words.
    """
    if "{example}" not in HINTS[kind]:
        return texts(HINTS[kind])
    return texts(HINTS[kind], example=example_date(today + _EXAMPLE_AHEAD, texts))


def example_date(day: date, texts: Texts = ENGLISH) -> str:
    """``day`` as the customer's language writes a short date (``13/12/26``), when the date
    parser reads that back as ``day``; else day first with the year (``13/12/2026``): a
    month-first short date (American English) would be read as another day."""
    short = texts.date(day, "short")
    return short if parse_date(short, day) == day else f"{day:%d/%m/%Y}"


_KIND_NOUNS = {
    "image": "a photo", "video": "a video", "audio": "an audio file", "voice": "a voice message",
    "document": "a document", "sticker": "a sticker",
}  # fmt: skip
_RECEIVED = {
    "image": "photos", "video": "videos", "audio": "audio files", "voice": "voice messages",
    "document": "documents", "sticker": "stickers", "location": "locations",
    "contacts": "contact cards", "order": "orders", "interactive": "forms", "reaction": "reactions",
}  # fmt: skip
_EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[a-z]{2,}$", re.IGNORECASE)
_NUMBER_RE = re.compile(r"[-+]?(?:\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?")


def received_noun(message: inbound.Message, texts: Texts = ENGLISH) -> str | None:
    """Name a non-text message for "I can't read … yet": ``"stickers"``, ``"voice messages"``,
    in the customer's language.

    Returns ``None`` for text-like messages (text, button and list replies).
    """
    text_like = (inbound.TextMessage, inbound.ButtonReply, inbound.ListReply)
    if isinstance(message, (*text_like, inbound.TemplateButtonReply)):
        return None
    if isinstance(message, inbound.MediaMessage):
        return texts(_RECEIVED.get(media_kind(message), "files"))
    return texts(_RECEIVED.get(message.type, "this kind of message"))


def media_kind(message: inbound.MediaMessage) -> str:
    """The media kind of a message; recorded voice notes are ``voice``."""
    if isinstance(message, inbound.AudioMessage) and message.voice:
        return "voice"
    return message.type


def typed_text(message: inbound.Message) -> str | None:
    """What the customer typed or tapped; a media caption is never an answer, keyword or intent."""
    if isinstance(message, inbound.MediaMessage):
        return None
    return message.text_value


def read_answer(
    expect: ExpectSpec,
    message: inbound.Message,
    *,
    now: datetime,
    page: Sequence[Option] | None = None,
    more_title: str = "More…",
    texts: Texts = ENGLISH,
) -> Result:
    """Read one inbound ``message`` as the answer to a question of this ``expect`` spec.

    Args:
        now: The turn's clock in the flow's time zone (aware).
        page: The choice options shown right now, when the list is paged.
        more_title: The title of the "More…" row as written (typing it, or its translation,
            shows the next page).
        texts: The customer's words: hints and refusals are written in their language, and
            their language's yes/no and ordinal words are understood.
    """
    kind = expect.type
    if kind == "location":
        return _location(message, texts)
    if kind == "media":
        return _media(expect, message, texts)
    if kind == "phone" and isinstance(message, inbound.ContactsMessage):
        phones = [p.get("phone") for card in message.cards for p in card.get("phones", [])]
        text: str | None = next((p for p in phones if isinstance(p, str)), None)
    else:
        text = typed_text(message)
    if text is None or not text.strip():
        return Unrecognized(hint(kind, now.date(), texts), received_noun(message, texts), texts)
    text = text.strip()
    if kind == "choice":
        choice_id = message.choice_id or ""
        if choice_id.startswith(MORE_ID):
            wanted = choice_id[len(MORE_ID) :]
            return NextPage(int(wanted) if wanted.isdigit() else None)
        if normalize(text) in (normalize(more_title), normalize(texts(more_title)), "more"):
            return NextPage()
        option = match_option(
            expect.options,
            choice_id=message.choice_id,
            text=text,
            page=page,
            language=texts.language,
        )
        if option is None:
            return Unrecognized(hint(kind, now.date(), texts), texts=texts)
        return Accepted(option.id, option.id)
    if kind == "yes_no":
        answer = match_yes_no(
            choice_id=message.choice_id,
            text=text,
            yes=expect.yes_words,
            no=expect.no_words,
            language=texts.language,
        )
        if answer is None:
            return Unrecognized(hint(kind, now.date(), texts), texts=texts)
        return Accepted(answer, answer)
    if kind == "number":
        return _number(expect, text, texts)
    if kind == "text":
        return _free_text(expect, text, texts)
    if kind == "regex":
        flags = re.IGNORECASE if expect.ignore_case else 0
        if re.fullmatch(expect.pattern or "", text, flags):
            return Accepted(text, text)
        return Unrecognized(hint(kind, now.date(), texts), texts=texts)
    if kind == "email":
        address = text.removeprefix("mailto:").strip()
        if not _EMAIL_RE.match(address):
            return Unrecognized(hint(kind, now.date(), texts), texts=texts)
        local, domain = address.rsplit("@", 1)
        address = f"{local}@{domain.lower()}"
        return Accepted(address, address)
    if kind == "phone":
        return _phone(expect, text, texts)
    return _moment(expect, text, now, texts)


def _number(expect: ExpectSpec, text: str, texts: Texts) -> Result:
    found = _NUMBER_RE.findall(text)  # one number, or a number word ("a dozen"), not two
    value: float | None = None
    if len(found) == 1:
        value = _to_number(found[0])
    elif not found:
        value = number_word(text, texts.language)
    if value is None:
        return Unrecognized(texts(HINTS["number"]), texts=texts)
    if expect.integer and value != int(value):
        return Invalid(texts("Please send a whole number."))
    number: int | float = int(value) if value == int(value) else value
    low, high = expect.min, expect.max
    if (low is not None and number < low) or (high is not None and number > high):
        return Invalid(_range_text(low, high, texts))
    return Accepted(number, number)


def _num(value: float, texts: Texts) -> str:
    """A bound as the customer's language writes it, without grouping (``2.5``, ``2,5``)."""
    exact = Decimal(str(int(value))) if value == int(value) else Decimal(str(value))
    return format_decimal(exact, locale=texts.locale, group_separator=False)


def _range_text(low: float | None, high: float | None, texts: Texts) -> str:
    if low is not None and high is not None:
        return texts(
            "Please send a number from {low} to {high}.",
            low=_num(low, texts),
            high=_num(high, texts),
        )
    if low is not None:
        return texts("Please send a number of at least {low}.", low=_num(low, texts))
    return texts("Please send a number of at most {high}.", high=_num(high or 0, texts))


def _to_number(token: str) -> float | None:
    token = re.sub(r"[\s\u00a0\u202f]", "", token)
    if "," in token and "." in token:
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
        token = token.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in token:
        head, _, tail = token.rpartition(",")
        token = token.replace(",", "") if len(tail) == 3 else f"{head.replace(',', '')}.{tail}"
    elif token.count(".") > 1:
        token = token.replace(".", "")
    try:
        return float(token)
    except ValueError:
        return None


def _free_text(expect: ExpectSpec, text: str, texts: Texts) -> Result:
    if expect.min_length is not None and len(text) < expect.min_length:
        return Invalid(
            texts.plural(
                "Please write at least {n} character.",
                "Please write at least {n} characters.",
                expect.min_length,
            )
        )
    if expect.max_length is not None and len(text) > expect.max_length:
        return Invalid(
            texts.plural(
                "Please keep it under {n} character (yours has {length}).",
                "Please keep it under {n} characters (yours has {length}).",
                expect.max_length,
                length=len(text),
            )
        )
    return Accepted(text, text)


def _phone(expect: ExpectSpec, text: str, texts: Texts) -> Result:
    plus = text.startswith("+")
    digits = re.sub(r"\D", "", text)
    if not digits or re.search(r"[a-zA-Z]", text):
        return Unrecognized(texts(HINTS["phone"]), texts=texts)
    if not plus and digits.startswith("00"):
        digits, plus = digits[2:], True
    if not plus and expect.country_code:
        digits = expect.country_code + digits.removeprefix("0")
    if not 8 <= len(digits) <= 15:
        too = texts("That phone number looks too short or too long.")
        return Invalid(f"{too} {texts(HINTS['phone'])}")
    number = "+" + digits
    return Accepted(number, number)


def _moment(expect: ExpectSpec, text: str, now: datetime, texts: Texts) -> Result:
    kind = expect.type
    parsed: date | time | datetime | None
    text = english_moment(text, texts.language)
    if kind == "date":
        parsed = parse_date(text, now.date(), expect.formats)
    elif kind == "time":
        parsed = parse_time(text, expect.formats)
    else:
        parsed = parse_datetime(text, now, expect.formats)
    if parsed is None:
        return Unrecognized(hint(kind, now.date(), texts), texts=texts)
    # date, time and datetime each compare only with their own kind: keep these untyped.
    floor: Any = as_kind(now, kind) if expect.future_only else None
    low: Any = bound_value(expect.min_date, kind, now) if expect.min_date else None
    high: Any = bound_value(expect.max_date, kind, now) if expect.max_date else None
    if low is not None:
        floor = low if floor is None else max(floor, low)
    too_early = floor is not None and parsed < floor
    too_late = high is not None and parsed > high
    if too_early or too_late:
        sentences = _BOUNDS.get(kind, _BOUNDS["datetime"])
        if floor is not None and high is not None:
            start, end = _describe(floor, texts), _describe(high, texts)
            return Invalid(texts(sentences[0], start=start, end=end))
        if floor is not None:
            return Invalid(texts(sentences[1], start=_describe(floor, texts)))
        return Invalid(texts(sentences[2], end=_describe(high, texts)))
    stored = parsed.strftime("%H:%M") if isinstance(parsed, time) else parsed.isoformat()
    return Accepted(parsed, stored)


_BOUNDS = {
    "date": (
        "Please choose a date between {start} and {end}.",
        "Please choose a date from {start} on.",
        "Please choose a date no later than {end}.",
    ),
    "time": (
        "Please choose a time between {start} and {end}.",
        "Please choose a time from {start} on.",
        "Please choose a time no later than {end}.",
    ),
    "datetime": (
        "Please choose a date and time between {start} and {end}.",
        "Please choose a date and time from {start} on.",
        "Please choose a date and time no later than {end}.",
    ),
}
"""The refusals of a date, time or date-time out of its bounds (both, a floor, a ceiling)."""


def _describe(value: date | time | datetime, texts: Texts) -> str:
    """A bound in a refusal: as written until now in English, else as the language writes it."""
    if texts.language == SOURCE:
        return describe(value)
    if isinstance(value, datetime):
        return f"{texts.date(value.date(), 'medium')} {texts.time(value)}"
    if isinstance(value, date):
        return texts.date(value, "medium")
    return texts.time(value)


def _location(message: inbound.Message, texts: Texts) -> Result:
    if isinstance(message, inbound.LocationMessage):
        fields = ("latitude", "longitude", "name", "address", "url")
        stored = {key: getattr(message, key) for key in fields}
        return Accepted(stored, stored)
    return Unrecognized(texts(HINTS["location"]), received_noun(message, texts), texts)


def _kinds(kinds: Sequence[str], texts: Texts) -> str:
    """Media kinds as one phrase of the customer's language: ``a photo or a video``."""
    if not kinds:
        return texts("a file")
    nouns = [texts(_KIND_NOUNS[k]) if k in _KIND_NOUNS else k for k in kinds]
    if texts.language == SOURCE:
        return " or ".join(nouns)
    return format_list(nouns, style="or", locale=texts.locale)


def _media(expect: ExpectSpec, message: inbound.Message, texts: Texts) -> Result:
    wanted = expect.kinds
    names = _kinds(wanted, texts)
    hint = texts("Please send {kinds}.", kinds=names)
    if not isinstance(message, inbound.MediaMessage):
        return Unrecognized(hint, received_noun(message, texts), texts)
    kind = media_kind(message)
    accepted = not wanted or kind in wanted or (kind == "voice" and "audio" in wanted)
    if not accepted:
        received = texts(_KIND_NOUNS[kind]) if kind in _KIND_NOUNS else kind
        return Invalid(texts("Please send {kinds}, not {kind}.", kinds=names, kind=received))
    fields = ("media_id", "mime_type", "sha256", "caption", "filename")
    stored = {"kind": kind} | {key: getattr(message, key, None) for key in fields}
    return Accepted(stored, stored)
