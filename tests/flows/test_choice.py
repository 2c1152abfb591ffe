"""Choice matching that forgives people, and laying options out within WhatsApp's limits."""

from __future__ import annotations

from typing import Any

import pytest

from bot.messages import check
from flows import Intent, Option
from flows._choice import (
    NO_WORDS,
    YES_WORDS,
    match_option,
    match_yes_no,
    normalize,
    page_of,
    says_intent,
)
from flows._render import choice_message, fit
from tests.flows import flowkit as kit

OPTIONS = (
    Option(id="choc", title="Chocolate fudge 🍫", synonyms=("brownie cake",)),
    Option(id="lemon", title="Lemon drizzle"),
    Option(id="creme", title="Crème brûlée"),
    Option(id="carrot", title="Carrot"),
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        pytest.param("  Crème Brûlée!! ", "creme brulee", id="accents-punctuation"),
        pytest.param("Chocolate 🍫 fudge", "chocolate fudge", id="emoji"),
        pytest.param("LEMON\tdrizzle", "lemon drizzle", id="case-and-space"),
        pytest.param("👍", "👍", id="emoji-only-kept"),
    ],
)
def test_normalize(raw: str, folded: str) -> None:
    assert normalize(raw) == folded


@pytest.mark.parametrize(
    ("choice_id", "typed", "expected"),
    [
        pytest.param("lemon", "Lemon drizzle", "lemon", id="tapped-id"),
        pytest.param(None, "lemon", "lemon", id="typed-id"),
        pytest.param(None, "LEMON DRIZZLE", "lemon", id="title-any-case"),
        pytest.param(None, "  chocolate fudge ", "choc", id="title-without-emoji"),
        pytest.param(None, "creme brulee", "creme", id="title-without-accents"),
        pytest.param(None, "Crème brûlée!", "creme", id="title-with-punctuation"),
        pytest.param(None, "2", "lemon", id="ordinal-digit"),
        pytest.param(None, "2.", "lemon", id="ordinal-dot"),
        pytest.param(None, "#3", "creme", id="ordinal-hash"),
        pytest.param(None, "3rd", "creme", id="ordinal-suffix"),
        pytest.param(None, "second", "lemon", id="ordinal-word"),
        pytest.param(None, "the first one", "choc", id="ordinal-phrase"),
        pytest.param(None, "last", "carrot", id="last"),
        pytest.param(None, "Brownie cake", "choc", id="synonym"),
        pytest.param(None, "the carrot one please", "carrot", id="title-in-sentence"),
        pytest.param("stale-id", "Carrot", "carrot", id="unknown-id-falls-back-to-title"),
        pytest.param(None, "5", None, id="ordinal-out-of-range"),
        pytest.param(None, "strawberry", None, id="no-match"),
        pytest.param(None, "", None, id="empty"),
        pytest.param(None, "lemon or carrot", None, id="ambiguous"),
    ],
)
def test_match_option(choice_id: str | None, typed: str, expected: str | None) -> None:
    found = match_option(OPTIONS, choice_id=choice_id, text=typed)
    assert (found.id if found else None) == expected


@pytest.mark.parametrize("word", sorted(YES_WORDS | NO_WORDS))
def test_every_yes_and_no_word_is_understood_as_typed(word: str) -> None:
    assert match_yes_no(choice_id=None, text=f" {word.upper()} ") is (word in YES_WORDS)


def test_duplicate_titles_are_ambiguous() -> None:
    twins = (Option(id="a", title="Same"), Option(id="b", title="same"))
    assert match_option(twins, choice_id=None, text="Same") is None


MANY = tuple(
    Option(id=f"o{i}", title=f"Option {i}", description=f"Number {i}") for i in range(1, 26)
)


@pytest.mark.parametrize(
    ("count", "page", "ids", "more"),
    [
        pytest.param(10, 0, [f"o{i}" for i in range(1, 11)], False, id="ten-fit-one-page"),
        pytest.param(25, 0, [f"o{i}" for i in range(1, 10)], True, id="first-page"),
        pytest.param(25, 2, [f"o{i}" for i in range(19, 26)], True, id="last-page"),
        pytest.param(25, 3, [f"o{i}" for i in range(1, 10)], True, id="wraps-around"),
    ],
)
def test_page_of(count: int, page: int, ids: list[str], more: bool) -> None:
    shown = page_of(MANY[:count], page)
    assert [o.id for o in shown.options] == ids
    assert shown.more is more


def render(options: tuple[Option, ...], page: int = 0, **kw: Any) -> dict[str, Any]:
    payload = choice_message(
        options,
        to=kit.WA_ID,
        body="Pick one",
        text=lambda source, _path: source,
        page=page,
        list_button=kw.pop("list_button", "Choose"),
        more_title="More…",
        **kw,
    )
    check(payload)
    return payload


def test_three_short_options_are_buttons() -> None:
    payload = render(OPTIONS[1:])
    assert payload["interactive"]["type"] == "button"
    assert kit.buttons(payload) == ["Lemon drizzle", "Crème brûlée", "Carrot"]


def test_more_than_three_options_are_a_list() -> None:
    payload = render(OPTIONS)
    assert payload["interactive"]["type"] == "list"
    assert [i for i, _ in kit.rows(payload)] == ["choc", "lemon", "creme", "carrot"]


def test_a_title_too_long_for_a_button_makes_a_list() -> None:
    options = (Option(id="a", title="A rather long title here"), Option(id="b", title="B"))
    assert render(options)["interactive"]["type"] == "list"


@pytest.mark.parametrize(
    ("page", "first", "more_id"),
    [
        pytest.param(0, "o1", "__more__:1", id="page-1"),
        pytest.param(1, "o10", "__more__:2", id="page-2"),
        pytest.param(2, "o19", "__more__:0", id="page-3-back-to-start"),
    ],
)
def test_more_than_ten_options_are_paged(page: int, first: str, more_id: str) -> None:
    payload = render(MANY, page)
    found = kit.rows(payload)
    assert len(found) <= 10
    assert found[0][0] == first
    assert found[-1] == (more_id, "More…")


def test_long_texts_are_cut_to_the_limits() -> None:
    options = tuple(
        Option(id=f"x{i}", title="T" * 40 + str(i), description="D" * 100) for i in range(5)
    )
    payload = render(options, list_button="A very long list button label")
    rows_ = payload["interactive"]["action"]["sections"][0]["rows"]
    assert all(len(r["title"]) == 24 and r["title"].endswith("…") for r in rows_)
    assert all(len(r["description"]) == 72 for r in rows_)
    assert len(payload["interactive"]["action"]["button"]) == 20


def test_sections_group_rows() -> None:
    options = (
        Option(id="a", title="Apple", section="Fruit"),
        Option(id="b", title="Bread", section="Bakery"),
        Option(id="c", title="Cherry", section="Fruit"),
        Option(id="d", title="Donut", section="Bakery"),
    )
    sections = render(options)["interactive"]["action"]["sections"]
    assert [(s["title"], [r["id"] for r in s["rows"]]) for s in sections] == [
        ("Fruit", ["a", "c"]),
        ("Bakery", ["b", "d"]),
    ]


def test_fit_keeps_short_text() -> None:
    assert fit("short", 10) == "short"
    assert fit("x" * 11, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        pytest.param("  Talk to a PERSON! ", True, id="keyword-folded"),
        pytest.param("I need a human now", True, id="pattern-searched"),
        pytest.param("HUMAN", True, id="pattern-ignores-case"),
        pytest.param("talk", False, id="part-of-a-keyword"),
        pytest.param("   ", False, id="blank-never-a-keyword"),
    ],
)
def test_says_intent(text: str, fires: bool) -> None:
    intent = Intent("agent", keywords=("talk to a person", " "), patterns=(r"\bhuman\b",))
    assert says_intent(intent, text) is fires
