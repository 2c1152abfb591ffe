"""Opt-out and opt-in keywords, the ``consent`` section of the business file, Meta's own stops.

:class:`ConsentKeywords` wraps the conversation handler, outermost: a text message that is a
stop word (``STOP``, ``BAJA``, ``PARAR``...) or a start word (``START``, ``ALTA``...) once
:func:`fold`-ed is recorded in the ledger (:func:`~flows.features.consent.models.record`,
source ``keyword``) and confirmed to the customer, from any state: mid-flow, while the bot is
paused for a person, anywhere. It never reaches the flow, whose state is kept as it was.
:func:`preference_listener` adds Meta's ``user_preferences`` stop and resume, which the runtime
already applied to the contact, to the ledger with source ``meta``.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, model_validator
from sqlmodel import Session

from bot import messages
from bot.config import mask
from bot.inbound import TextMessage, Update, UserPreference
from bot.turn import Handler, Turn, UpdateListener
from flows import Record, Text, Texts, fail, items, problem, read_typed, texts_for
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from flows.features.consent.models import Opted, change, record
from storage.errors import ConfigError
from storage.models import Contact

log = logging.getLogger(__name__)

STOP_WORDS: tuple[str, ...] = (
    "stop", "unsubscribe", "opt out", "optout",  # English
    "baja", "parar", "cancelar suscripcion",  # Spanish
    "descadastrar",  # Brazilian Portuguese ("parar" as in Spanish)
    "berhenti",  # Indonesian
)  # fmt: skip
"""The built-in stop words, folded (the business file's ``consent.stop_words`` add to them).

None of them may mean anything else to the bot (``sair``, leaving a booking or a survey, is not
one): they are answered before any flow sees the message, and a test keeps them apart from every
button title and every word a flow or a hook reads."""

START_WORDS: tuple[str, ...] = (
    "start", "subscribe", "opt in",  # English
    "alta",  # Spanish
    "inscrever",  # Brazilian Portuguese
    "berlangganan",  # Indonesian
)  # fmt: skip
"""The built-in start words, folded (``consent.start_words`` add to them); kept apart from the
bot's other words as the stop words are (``empezar`` and ``mulai`` start a survey)."""

_EDGES = " \t\r\n.,;:!?¡¿\"'"


def fold(text: str) -> str:
    """``text`` as keywords are compared: case-folded, accents removed, spacing and the
    punctuation around it ignored, hyphens read as spaces (``" ¡Opt-Out! "`` → ``"opt out"``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").replace("_", " ").strip(_EDGES).split())


def _word(raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise problem(f"expected a word, got {type(raw).__name__}")
    word = fold(str(raw))
    if not word:
        raise problem("must not be empty")
    return word


def _words(raw: Any) -> Any:
    if isinstance(raw, (str, int)) and not isinstance(raw, bool):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        raise problem(f"expected a list of words, got {type(raw).__name__}")
    return tuple(items(list(raw), _word))


Words = Annotated[tuple[str, ...], BeforeValidator(_words)]


class ConsentSettings(Record, what="consent"):
    """The ``consent`` section: more keywords, and what the customer is told.

    Attributes:
        stop_words: Words that opt a customer out, besides :data:`STOP_WORDS`.
        start_words: Words that opt a customer in again, besides :data:`START_WORDS`.
        stopped_text: The confirmation of an opt-out; ``{business}`` becomes the shop's name.
        started_text: The confirmation of an opt-in; ``{business}`` as above.
    """

    stop_words: Words = ()
    start_words: Words = ()
    stopped_text: Text = (
        "You won't get offers from {business} any more. Send START to get them again."
    )
    started_text: Text = "You'll get offers from {business} again. Send STOP to stop them."

    @model_validator(mode="after")
    def _apart(self) -> ConsentSettings:
        stop, start = {*STOP_WORDS, *self.stop_words}, {*START_WORDS, *self.start_words}
        both = sorted(stop & start)
        if both:
            key = "stop_words" if set(self.stop_words) & set(both) else "start_words"
            fail((f"{', '.join(map(repr, both))} cannot be both a stop and a start word", (key,)))
        return self

    def keywords(self) -> dict[str, Opted]:
        """Every folded keyword and the choice it makes."""
        words: dict[str, Opted] = dict.fromkeys((*STOP_WORDS, *self.stop_words), "out")
        words.update(dict.fromkeys((*START_WORDS, *self.start_words), "in"))
        return words


def consent_settings(business: BusinessConfig) -> ConsentSettings:
    """The business file's ``consent`` section, all of it checked together.

    Raises:
        ConfigError: Its entries contradict one another (a word that both stops and starts).
    """
    settings, errors = read_typed(
        ConsentSettings, dict(business.consent), file=business.file, path="consent"
    )
    if settings is None:
        raise ConfigError(str(errors[0]))
    return settings


@dataclass(frozen=True)
class ConsentKeywords:
    """A :class:`bot.turn.Handler` that answers stop and start words, then delegates.

    Attributes:
        handler: The conversation logic for every other message.
        settings: The ``consent`` section.
        business_name: The shop's name, for the confirmations.
        language: The business's language: the confirmations are translated into it, or into
            the customer's remembered ``Contact.language`` (when they are the built-in ones,
            from this feature's catalogs).
        texts: The words of a customer whose remembered language is the argument (the
            business's :meth:`~flows.features.business.BusinessConfig.texts`: its own catalogs
            too); without, waflow's catalogs and ``language``.
    """

    handler: Handler
    settings: ConsentSettings
    business_name: str
    language: str = "en"
    texts: Callable[[str | None], Texts] | None = None
    _words: Mapping[str, Opted] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_words", self.settings.keywords())

    def opted(self, text: str) -> Opted | None:
        """The choice a text message makes when it is a whole keyword, else ``None``."""
        return self._words.get(fold(text))

    def handle(self, turn: Turn) -> None:
        """Record and confirm a stop word, or a start word after a stop, in any state; delegate
        anything else (a start word too, from a customer who never stopped)."""
        message, contact = turn.message, turn.contact
        if not isinstance(message, TextMessage) or (opted := self.opted(message.body)) is None:
            self.handler.handle(turn)
            return
        if opted == "in" and not contact.marketing_opt_out:
            self.handler.handle(turn)  # "start" from someone who never stopped: just a word
            return
        detail = {"text": message.body}
        if change(turn.session, contact, opted, "keyword", turn.now, detail) is not None:
            log.info("%s opted %s of marketing messages", mask(contact.wa_id), opted)
        text = self.settings.stopped_text if opted == "out" else self.settings.started_text
        texts = self.texts or (lambda language: texts_for(language, self.language))
        text = texts(contact.language)(text)
        text = text.replace("{business}", self.business_name)
        turn.reply(messages.text(contact.wa_id, text[: messages.MAX_TEXT]))


def consent_keywords(handler: Handler, business: BusinessConfig) -> ConsentKeywords:
    """The feature's handler wrapper: ``handler`` with the stop and start words around it.

    Raises:
        ConfigError: The ``consent`` section contradicts itself.
    """
    return ConsentKeywords(
        handler,
        consent_settings(business),
        business.business.name,
        business.business.language or "en",
        business.texts,
    )


def preference_listener(business: BusinessConfig) -> UpdateListener:
    """The listener adding Meta's ``user_preferences`` stop and resume to the ledger.

    The runtime has already set the contact's flag (and ignored a change older than the last
    one, as Meta does not guarantee order); the ledger records the changes it applied.
    """

    def on_update(session: Session, update: Update, contact: Contact | None, now: datetime) -> None:
        if not isinstance(update, UserPreference) or contact is None:
            return
        if update.value not in ("stop", "resume"):
            return
        changed = contact.marketing_changed_at
        if changed is None or as_utc(changed) != as_utc(update.timestamp):
            return  # a late, older change the runtime did not apply
        detail = {"category": update.category, "detail": update.detail}
        opted: Opted = "out" if update.value == "stop" else "in"
        record(session, contact, opted, "meta", update.timestamp, detail)

    return on_update


__all__ = [
    "START_WORDS",
    "STOP_WORDS",
    "ConsentKeywords",
    "ConsentSettings",
    "consent_keywords",
    "consent_settings",
    "fold",
    "preference_listener",
]
