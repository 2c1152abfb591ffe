"""The consent words mean nothing else: they are answered before any flow sees the message, so a
word the bot reads elsewhere (leaving a booking, starting a survey, a button's title) must never
be one of them, in any language."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import LANGUAGES, USER_DOMAIN, Source, load_flows
from flows._i18n import builtin_sources
from flows.features.booking.hooks import BACK_WORDS as BOOKING_BACK
from flows.features.consent.consent import START_WORDS, STOP_WORDS, fold
from flows.features.privacy.chat import NO_WORDS as PRIVACY_NO
from flows.features.shop.hooks import BACK_WORDS as SHOP_BACK
from flows.features.shop.hooks import CLEAR_WORDS, REMOVE_WORDS
from flows.features.surveys.generated import _STOP_WORDS as SURVEY_EXIT
from flows.features.surveys.generated import SKIP_WORDS

EXAMPLE = Path(__file__).parents[2] / "examples" / "shop_bot" / "locales"
CONSENT = {fold(word) for word in (*STOP_WORDS, *START_WORDS)}


def _short_texts(language: str) -> set[str]:
    """Every catalog text short enough to be a button or a row title, in ``language`` and in
    English (what a customer may type back)."""
    found: set[str] = set()
    for source in (*builtin_sources(), Source(EXAMPLE, USER_DOMAIN)):
        if not source.file(language).is_file():
            continue
        for message in source.read(language):
            for text in (message.id, message.string):
                if isinstance(text, str) and text and len(text) <= 24:
                    found.add(fold(text))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_button_or_row_title_is_a_consent_word(language: str) -> None:
    assert _short_texts(language) & CONSENT == set()


def test_no_word_a_flow_or_a_hook_reads_is_a_consent_word() -> None:
    read = (*BOOKING_BACK, *PRIVACY_NO, *SHOP_BACK, *CLEAR_WORDS, *REMOVE_WORDS, *SKIP_WORDS)
    assert {fold(word) for word in (*read, *SURVEY_EXIT)} & CONSENT == set()


def test_no_keyword_of_a_built_in_flow_is_a_consent_word() -> None:
    features = Path(__file__).parents[2] / "flows" / "features"
    words = {
        fold(keyword)
        for flow in load_flows(*sorted(features.glob("*/flows")))
        for keyword in (
            *(k for intent in flow.intents.values() for k in intent.keywords),
            *(t.value for t in flow.triggers if t.kind == "keyword"),
        )
    }
    assert words & {fold(word) for word in STOP_WORDS} == set()
    # A start word is an ordinary message from a customer who never opted out: "start" may
    # open the main menu (and opts a customer who did opt out back in, as WhatsApp users expect).
    assert words & {fold(word) for word in START_WORDS} <= {"start"}
