"""Reading answers: every ``expect`` type, with the edge cases people actually send."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.inbound import Message, parse_value
from flows import DateBound, ExpectSpec, Option
from flows._inputs import Accepted, Invalid, NextPage, Unrecognized, read_answer, received_noun
from tests.flows import flowkit as kit

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)  # a Monday


def message(obj: dict[str, Any]) -> Message:
    item = {"from": kit.WA_ID, "id": "wamid.X", "timestamp": "1740996000", **obj}
    parsed = parse_value("messages", kit.value(item))[0]
    assert isinstance(parsed, Message)
    return parsed


def read(expect: ExpectSpec, obj: dict[str, Any] | str, **kw: Any) -> Any:
    return read_answer(
        expect, message(kit.text(obj) if isinstance(obj, str) else obj), now=NOW, **kw
    )


NUMBER = ExpectSpec(type="number", min=1, max=12, integer=True)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        pytest.param("3", 3, id="digit"),
        pytest.param("  7 ", 7, id="padded"),
        pytest.param("I'd like 4 please", 4, id="number-in-sentence"),
        pytest.param("twelve", 12, id="word"),
        pytest.param("#2", 2, id="hash"),
    ],
)
def test_number_accepted(typed: str, value: int) -> None:
    assert read(NUMBER, typed) == Accepted(value, value)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        pytest.param("1,000", 1000, id="thousands-comma"),
        pytest.param("1 000", 1000, id="thousands-space"),
        pytest.param("2,5", 2.5, id="decimal-comma"),
        pytest.param("1.234,5", 1234.5, id="european"),
        pytest.param("-3", -3, id="negative"),
    ],
)
def test_number_formats(typed: str, value: float) -> None:
    assert read(ExpectSpec(type="number"), typed) == Accepted(value, value)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        pytest.param("0", "Please send a number from 1 to 12.", id="below-min"),
        pytest.param("13", "Please send a number from 1 to 12.", id="above-max"),
        pytest.param("2.5", "Please send a whole number.", id="not-integer"),
    ],
)
def test_number_invalid(typed: str, reason: str) -> None:
    assert read(NUMBER, typed) == Invalid(reason)


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("many", id="word"),
        pytest.param("2 or 3", id="two-numbers"),
        pytest.param("   ", id="blank"),
        pytest.param("x" * 5000, id="very-long"),
    ],
)
def test_number_unrecognized(typed: str) -> None:
    assert read(NUMBER, typed) == Unrecognized("Please reply with a number.")


@pytest.mark.parametrize(
    ("obj", "received"),
    [
        pytest.param(kit.media("sticker", animated=False), "stickers", id="sticker"),
        pytest.param(kit.media("audio", voice=True), "voice messages", id="voice"),
        pytest.param(kit.media("image", caption="5"), "photos", id="image-with-caption"),
        pytest.param(kit.location(), "locations", id="location"),
        pytest.param(kit.contacts_card("+44 20 7946 0958"), "contact cards", id="contacts"),
    ],
)
def test_non_text_where_text_expected_names_what_was_received(
    obj: dict[str, Any], received: str
) -> None:
    result = read(NUMBER, obj)
    assert isinstance(result, Unrecognized)
    assert result.received == received
    assert result.message == f"I can't read {received} yet — please reply with a number."


def test_sticker_message_reads_naturally() -> None:
    result = read(ExpectSpec(type="text"), kit.media("sticker", animated=True))
    assert isinstance(result, Unrecognized)
    assert result.message == "I can't read stickers yet — please type your answer."


@pytest.mark.parametrize(
    ("expect", "typed", "result"),
    [
        pytest.param(ExpectSpec(type="text"), "  Ana  ", Accepted("Ana", "Ana"), id="trimmed"),
        pytest.param(
            ExpectSpec(type="text"),
            "{{ 7*7 }}",
            Accepted("{{ 7*7 }}", "{{ 7*7 }}"),
            id="template-syntax-kept",
        ),
        pytest.param(
            ExpectSpec(type="text", max_length=5),
            "x" * 4097,
            Invalid("Please keep it under 5 characters (yours has 4097)."),
            id="too-long",
        ),
        pytest.param(
            ExpectSpec(type="text", min_length=3),
            "ab",
            Invalid("Please write at least 3 characters."),
            id="too-short",
        ),
        pytest.param(
            ExpectSpec(type="text"), "", Unrecognized("Please type your answer."), id="empty"
        ),
    ],
)
def test_free_text(expect: ExpectSpec, typed: str, result: Any) -> None:
    assert read(expect, typed) == result


def test_button_title_counts_as_text() -> None:
    assert read(ExpectSpec(type="text"), kit.button("b1", "Fine")) == Accepted("Fine", "Fine")


@pytest.mark.parametrize(
    ("expect", "typed", "ok"),
    [
        pytest.param(
            ExpectSpec(type="regex", pattern=r"[A-Z]{2}\d{4}"), "AB1234", True, id="match"
        ),
        pytest.param(
            ExpectSpec(type="regex", pattern=r"[A-Z]{2}\d{4}"), "ab1234", False, id="case-matters"
        ),
        pytest.param(
            ExpectSpec(type="regex", pattern=r"[A-Z]{2}\d{4}", ignore_case=True),
            "ab1234",
            True,
            id="ignore-case",
        ),
        pytest.param(ExpectSpec(type="regex", pattern=r"\d{4}"), "12345", False, id="whole-answer"),
    ],
)
def test_regex(expect: ExpectSpec, typed: str, ok: bool) -> None:
    assert isinstance(read(expect, typed), Accepted if ok else Unrecognized)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param("ana@Example.COM", "ana@example.com", id="domain-lowercased"),
        pytest.param(" mailto:bob@shop.co.uk ", "bob@shop.co.uk", id="mailto"),
        pytest.param("ana@example", None, id="no-tld"),
        pytest.param("not an email", None, id="words"),
    ],
)
def test_email(typed: str, stored: str | None) -> None:
    result = read(ExpectSpec(type="email"), typed)
    assert result == (Accepted(stored, stored) if stored else Unrecognized(result.hint))  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("expect", "obj", "result"),
    [
        pytest.param(
            ExpectSpec(type="phone"), "+44 20 7946 0958", "+442079460958", id="international"
        ),
        pytest.param(
            ExpectSpec(type="phone"), "0044 (20) 7946-0958", "+442079460958", id="double-zero"
        ),
        pytest.param(
            ExpectSpec(type="phone", country_code="44"),
            "020 7946 0958",
            "+442079460958",
            id="national",
        ),
        pytest.param(
            ExpectSpec(type="phone"),
            kit.contacts_card("+1 555 010 9999"),
            "+15550109999",
            id="contact-card",
        ),
        pytest.param(ExpectSpec(type="phone"), "12345", "invalid", id="too-short"),
        pytest.param(ExpectSpec(type="phone"), "call me", "unrecognized", id="letters"),
    ],
)
def test_phone(expect: ExpectSpec, obj: Any, result: str) -> None:
    found = read(expect, obj)
    if result == "invalid":
        assert isinstance(found, Invalid)
    elif result == "unrecognized":
        assert isinstance(found, Unrecognized)
    else:
        assert found == Accepted(result, result)


DATE = ExpectSpec(type="date")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        pytest.param("24/12/2025", date(2025, 12, 24), id="day-first"),
        pytest.param("2025-12-24", date(2025, 12, 24), id="iso"),
        pytest.param("24.12.2025", date(2025, 12, 24), id="dots"),
        pytest.param("24 Dec 2025", date(2025, 12, 24), id="month-name"),
        pytest.param("the 24th of December", date(2025, 12, 24), id="words-no-year"),
        pytest.param("5/1", date(2026, 1, 5), id="no-year-already-past"),
        pytest.param("today", date(2025, 3, 3), id="today"),
        pytest.param("Tomorrow", date(2025, 3, 4), id="tomorrow"),
        pytest.param("friday", date(2025, 3, 7), id="weekday"),
        pytest.param("next monday", date(2025, 3, 10), id="next-weekday"),
    ],
)
def test_date_accepted(typed: str, day: date) -> None:
    assert read(DATE, typed) == Accepted(day, day.isoformat())


def test_date_custom_format_first() -> None:
    expect = ExpectSpec(type="date", formats=("%m/%d/%Y",))
    assert read(expect, "12/24/2025") == Accepted(date(2025, 12, 24), "2025-12-24")


@pytest.mark.parametrize(
    ("expect", "typed", "reason"),
    [
        pytest.param(
            ExpectSpec(type="date", future_only=True),
            "yesterday",
            "Please choose a date from 03 Mar 2025 on.",
            id="future-only",
        ),
        pytest.param(
            ExpectSpec(
                type="date",
                min_date=DateBound("+1d", offset=timedelta(days=1)),
                max_date=DateBound("+60d", offset=timedelta(days=60)),
            ),
            "today",
            "Please choose a date between 04 Mar 2025 and 02 May 2025.",
            id="relative-min",
        ),
        pytest.param(
            ExpectSpec(type="date", max_date=DateBound("+60d", offset=timedelta(days=60))),
            "24/12/2025",
            "Please choose a date no later than 02 May 2025.",
            id="relative-max",
        ),
    ],
)
def test_date_bounds(expect: ExpectSpec, typed: str, reason: str) -> None:
    assert read(expect, typed) == Invalid(reason)


@pytest.mark.parametrize(
    "typed", [pytest.param("31/02/2025", id="no-such-day"), pytest.param("soonish", id="words")]
)
def test_date_unrecognized(typed: str) -> None:
    assert isinstance(read(DATE, typed), Unrecognized)


@pytest.mark.parametrize("kind", ["date", "datetime"])
def test_date_hint_is_computed_from_today_and_passes_future_only(kind: str) -> None:
    later = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    expect = ExpectSpec(type=kind, future_only=True)  # type: ignore[arg-type]
    result = read_answer(expect, message(kit.text("soonish")), now=later)
    assert isinstance(result, Unrecognized)
    assert "07/12/2026" in result.hint
    example = result.hint.split("like ", 1)[1].rstrip(".")
    assert isinstance(read_answer(expect, message(kit.text(example)), now=later), Accepted)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param("14:30", "14:30", id="24h"),
        pytest.param("2pm", "14:00", id="pm"),
        pytest.param("2.30 p.m.", "14:30", id="dotted-pm"),
        pytest.param("12am", "00:00", id="midnight-am"),
        pytest.param("14h30", "14:30", id="h-separator"),
        pytest.param("noon", "12:00", id="noon"),
        pytest.param("25:00", None, id="out-of-range"),
        pytest.param("13pm", None, id="bad-pm"),
    ],
)
def test_time(typed: str, stored: str | None) -> None:
    result = read(ExpectSpec(type="time"), typed)
    assert (result.stored if isinstance(result, Accepted) else None) == stored


def test_time_bounds() -> None:
    expect = ExpectSpec(
        type="time", min_date=DateBound("09:00", absolute=datetime(2000, 1, 1, 9).time())
    )
    assert read(expect, "8am") == Invalid("Please choose a time from 09:00 on.")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param("24/12/2025 14:30", "2025-12-24T14:30:00+00:00", id="date-and-time"),
        pytest.param("tomorrow at 3pm", "2025-03-04T15:00:00+00:00", id="words"),
        pytest.param("2025-12-24T09:15", "2025-12-24T09:15:00+00:00", id="iso"),
    ],
)
def test_datetime(typed: str, stored: str) -> None:
    result = read(ExpectSpec(type="datetime"), typed)
    assert isinstance(result, Accepted)
    assert result.stored == stored


def test_datetime_future_only() -> None:
    assert isinstance(read(ExpectSpec(type="datetime", future_only=True), "today 9am"), Invalid)


@pytest.mark.parametrize(
    ("obj", "answer"),
    [
        pytest.param("Yes", True, id="yes"),
        pytest.param("yep!", True, id="yep"),
        pytest.param("👍", True, id="thumbs-up"),
        pytest.param("nope", False, id="nope"),
        pytest.param(kit.button("no", "No"), False, id="tapped-no"),
        pytest.param("maybe", None, id="maybe"),
    ],
)
def test_yes_no(obj: Any, answer: bool | None) -> None:
    result = read(ExpectSpec(type="yes_no"), obj)
    assert result == (
        Accepted(answer, answer) if answer is not None else Unrecognized("Please answer yes or no.")
    )


def test_yes_no_extra_words() -> None:
    assert read(ExpectSpec(type="yes_no", yes_words=("claro",)), "Claro") == Accepted(True, True)


def test_location() -> None:
    result = read(ExpectSpec(type="location"), kit.location(48.85, 2.35, name="Louvre"))
    assert isinstance(result, Accepted)
    assert result.stored["latitude"] == 48.85
    assert result.stored["name"] == "Louvre"
    typed = read(ExpectSpec(type="location"), "Paris")
    assert isinstance(typed, Unrecognized)
    assert typed.received is None


@pytest.mark.parametrize(
    ("kinds", "obj", "outcome"),
    [
        pytest.param(("image",), kit.media("image", caption="receipt"), "accepted", id="image"),
        pytest.param(
            ("image", "document"),
            kit.media("document", filename="a.pdf"),
            "accepted",
            id="document",
        ),
        pytest.param(
            ("audio",), kit.media("audio", voice=True), "accepted", id="voice-counts-as-audio"
        ),
        pytest.param(
            ("voice",), kit.media("audio", voice=False), "invalid", id="audio-is-not-voice"
        ),
        pytest.param(("image",), kit.media("video"), "invalid", id="wrong-kind"),
        pytest.param(("image",), "here it is", "unrecognized", id="text"),
        pytest.param((), kit.media("sticker"), "accepted", id="any-kind"),
    ],
)
def test_media(kinds: tuple[str, ...], obj: Any, outcome: str) -> None:
    result = read(ExpectSpec(type="media", kinds=kinds), obj)
    expected = {"accepted": Accepted, "invalid": Invalid, "unrecognized": Unrecognized}[outcome]
    assert isinstance(result, expected)


def test_media_wrong_kind_reason() -> None:
    assert read(ExpectSpec(type="media", kinds=("image",)), kit.media("video")) == Invalid(
        "Please send a photo, not a video."
    )


CAKES = tuple(Option(id=f"c{i}", title=f"Cake {i}") for i in range(1, 13))


def test_choice_next_page_by_tap_and_by_word() -> None:
    expect = ExpectSpec(type="choice", options=CAKES)
    assert read(expect, kit.row("__more__:1", "More…")) == NextPage(1)
    assert read(expect, "more") == NextPage()


def test_choice_ordinal_counts_on_the_shown_page() -> None:
    expect = ExpectSpec(type="choice", options=CAKES)
    assert read(expect, "2", page=CAKES[9:]) == Accepted("c11", "c11")


@pytest.mark.parametrize(
    ("obj", "noun"),
    [
        pytest.param(kit.media("sticker"), "stickers", id="sticker"),
        pytest.param(kit.media("audio", voice=True), "voice messages", id="voice"),
        pytest.param(kit.media("document"), "documents", id="document"),
        pytest.param(kit.media("image"), "photos", id="image"),
        pytest.param(kit.media("video"), "videos", id="video"),
        pytest.param(kit.media("audio"), "audio files", id="audio"),
        pytest.param(kit.location(), "locations", id="location"),
        pytest.param(kit.contacts_card("+4915100000"), "contact cards", id="contacts"),
        pytest.param(kit.reaction(), "reactions", id="reaction"),
        pytest.param({"type": "order", "order": {"product_items": []}}, "orders", id="order"),
        pytest.param({"type": "gif", "gif": {}}, "this kind of message", id="unknown-type"),
        pytest.param(kit.text("hi"), None, id="text"),
    ],
)
def test_received_noun(obj: dict[str, Any], noun: str | None) -> None:
    assert received_noun(message(obj)) == noun
