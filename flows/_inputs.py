"""Reading an answer: an inbound message + an ``expect`` spec → accepted, unrecognized, invalid.

This module owns the typed-input rules of ``ask`` states. :func:`read_answer` never raises on
customer input: it returns :class:`Accepted`, :class:`Unrecognized`, :class:`Invalid` or
:class:`NextPage`. Choice matching lives in :mod:`flows._choice`, calendar parsing in
:mod:`flows._moments`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot import inbound
from flows._choice import MORE_ID, match_option, match_yes_no, normalize
from flows._model import ExpectSpec, Option
from flows._moments import as_kind, bound_value, describe, parse_date, parse_datetime, parse_time


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

    @property
    def message(self) -> str:
        """The default reprompt: names what was received, then the hint."""
        if self.received:
            return f"I can't read {self.received} yet — {self.hint[0].lower()}{self.hint[1:]}"
        return f"Sorry, I didn't understand that. {self.hint}"


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


def hint(kind: str, today: date) -> str:
    """The engine's hint for an answer of type ``kind``; a date's example is computed from today.

    Args:
        kind: An ``expect`` type.
        today: Today in the flow's time zone.
    """
    return HINTS[kind].format(example=f"{today + _EXAMPLE_AHEAD:%d/%m/%Y}")


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
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "dozen": 12,
    "none": 0, "a couple": 2, "a single": 1, "half a dozen": 6,
}  # fmt: skip


def received_noun(message: inbound.Message) -> str | None:
    """Name a non-text message for "I can't read … yet": ``"stickers"``, ``"voice messages"``.

    Returns ``None`` for text-like messages (text, button and list replies).
    """
    text_like = (inbound.TextMessage, inbound.ButtonReply, inbound.ListReply)
    if isinstance(message, (*text_like, inbound.TemplateButtonReply)):
        return None
    if isinstance(message, inbound.MediaMessage):
        return _RECEIVED.get(media_kind(message), "files")
    return _RECEIVED.get(message.type, "this kind of message")


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
    more_title: str = "More",
) -> Result:
    """Read one inbound ``message`` as the answer to a question of this ``expect`` spec.

    Args:
        now: The turn's clock in the flow's time zone (aware).
        page: The choice options shown right now, when the list is paged.
        more_title: The title of the "More…" row (typing it shows the next page).
    """
    kind = expect.type
    if kind == "location":
        return _location(message)
    if kind == "media":
        return _media(expect, message)
    if kind == "phone" and isinstance(message, inbound.ContactsMessage):
        phones = [p.get("phone") for card in message.cards for p in card.get("phones", [])]
        text: str | None = next((p for p in phones if isinstance(p, str)), None)
    else:
        text = typed_text(message)
    if text is None or not text.strip():
        return Unrecognized(hint(kind, now.date()), received_noun(message))
    text = text.strip()
    if kind == "choice":
        choice_id = message.choice_id or ""
        if choice_id.startswith(MORE_ID):
            wanted = choice_id[len(MORE_ID) :]
            return NextPage(int(wanted) if wanted.isdigit() else None)
        if normalize(text) in (normalize(more_title), "more"):
            return NextPage()
        option = match_option(expect.options, choice_id=message.choice_id, text=text, page=page)
        return Unrecognized(HINTS[kind]) if option is None else Accepted(option.id, option.id)
    if kind == "yes_no":
        answer = match_yes_no(
            choice_id=message.choice_id, text=text, yes=expect.yes_words, no=expect.no_words
        )
        return Unrecognized(HINTS[kind]) if answer is None else Accepted(answer, answer)
    if kind == "number":
        return _number(expect, text)
    if kind == "text":
        return _free_text(expect, text)
    if kind == "regex":
        flags = re.IGNORECASE if expect.ignore_case else 0
        if re.fullmatch(expect.pattern or "", text, flags):
            return Accepted(text, text)
        return Unrecognized(HINTS[kind])
    if kind == "email":
        address = text.removeprefix("mailto:").strip()
        if not _EMAIL_RE.match(address):
            return Unrecognized(HINTS[kind])
        local, domain = address.rsplit("@", 1)
        address = f"{local}@{domain.lower()}"
        return Accepted(address, address)
    if kind == "phone":
        return _phone(expect, text)
    return _moment(expect, text, now)


def _number(expect: ExpectSpec, text: str) -> Result:
    found = _NUMBER_RE.findall(text)  # one number, or a number word ("a dozen"), not two
    value: float | None = None
    if len(found) == 1:
        value = _to_number(found[0])
    elif not found:
        value = _NUMBER_WORDS.get(normalize(text))
    if value is None:
        return Unrecognized(HINTS["number"])
    if expect.integer and value != int(value):
        return Invalid("Please send a whole number.")
    number: int | float = int(value) if value == int(value) else value
    low, high = expect.min, expect.max
    if (low is not None and number < low) or (high is not None and number > high):
        return Invalid(_range_text(low, high))
    return Accepted(number, number)


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"Please send a number from {_num(low)} to {_num(high)}."
    if low is not None:
        return f"Please send a number of at least {_num(low)}."
    return f"Please send a number of at most {_num(high or 0)}."


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


def _free_text(expect: ExpectSpec, text: str) -> Result:
    if expect.min_length is not None and len(text) < expect.min_length:
        return Invalid(f"Please write at least {expect.min_length} characters.")
    if expect.max_length is not None and len(text) > expect.max_length:
        return Invalid(
            f"Please keep it under {expect.max_length} characters (yours has {len(text)})."
        )
    return Accepted(text, text)


def _phone(expect: ExpectSpec, text: str) -> Result:
    plus = text.startswith("+")
    digits = re.sub(r"\D", "", text)
    if not digits or re.search(r"[a-zA-Z]", text):
        return Unrecognized(HINTS["phone"])
    if not plus and digits.startswith("00"):
        digits, plus = digits[2:], True
    if not plus and expect.country_code:
        digits = expect.country_code + digits.removeprefix("0")
    if not 8 <= len(digits) <= 15:
        return Invalid("That phone number looks too short or too long. " + HINTS["phone"])
    number = "+" + digits
    return Accepted(number, number)


def _moment(expect: ExpectSpec, text: str, now: datetime) -> Result:
    kind = expect.type
    parsed: date | time | datetime | None
    if kind == "date":
        parsed = parse_date(text, now.date(), expect.formats)
    elif kind == "time":
        parsed = parse_time(text, expect.formats)
    else:
        parsed = parse_datetime(text, now, expect.formats)
    if parsed is None:
        return Unrecognized(hint(kind, now.date()))
    # date, time and datetime each compare only with their own kind: keep these untyped.
    floor: Any = as_kind(now, kind) if expect.future_only else None
    low: Any = bound_value(expect.min_date, kind, now) if expect.min_date else None
    high: Any = bound_value(expect.max_date, kind, now) if expect.max_date else None
    if low is not None:
        floor = low if floor is None else max(floor, low)
    too_early = floor is not None and parsed < floor
    too_late = high is not None and parsed > high
    if too_early or too_late:
        noun = {"date": "a date", "time": "a time"}.get(kind, "a date and time")
        if floor is not None and high is not None:
            return Invalid(f"Please choose {noun} between {describe(floor)} and {describe(high)}.")
        if floor is not None:
            return Invalid(f"Please choose {noun} from {describe(floor)} on.")
        return Invalid(f"Please choose {noun} no later than {describe(high)}.")
    stored = parsed.strftime("%H:%M") if isinstance(parsed, time) else parsed.isoformat()
    return Accepted(parsed, stored)


def _location(message: inbound.Message) -> Result:
    if isinstance(message, inbound.LocationMessage):
        fields = ("latitude", "longitude", "name", "address", "url")
        stored = {key: getattr(message, key) for key in fields}
        return Accepted(stored, stored)
    return Unrecognized(HINTS["location"], received_noun(message))


def _media(expect: ExpectSpec, message: inbound.Message) -> Result:
    wanted = expect.kinds
    names = " or ".join(_KIND_NOUNS.get(k, k) for k in wanted) if wanted else "a file"
    hint = f"Please send {names}."
    if not isinstance(message, inbound.MediaMessage):
        return Unrecognized(hint, received_noun(message))
    kind = media_kind(message)
    accepted = not wanted or kind in wanted or (kind == "voice" and "audio" in wanted)
    if not accepted:
        return Invalid(f"Please send {names}, not {_KIND_NOUNS.get(kind, kind)}.")
    fields = ("media_id", "mime_type", "sha256", "caption", "filename")
    stored = {"kind": kind} | {key: getattr(message, key, None) for key in fields}
    return Accepted(stored, stored)
