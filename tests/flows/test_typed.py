"""The typed YAML reader other documents share: pydantic models, located and worded errors."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated, Any

import pytest
from pydantic import BeforeValidator, Field, StrictBool, StrictInt, model_validator

from flows import (
    Duration,
    OptText,
    Strings,
    Text,
    Typed,
    fail,
    line_of,
    many,
    problem,
    read_typed,
    read_yaml,
)


def _colour(value: Any) -> Any:
    if value not in ("red", "blue"):
        raise problem(f"a colour is red or blue, got {value!r}")
    return value


class Item(Typed, what="an item", expected="an item (a name or a mapping)"):
    name: Text
    colour: Annotated[str | None, BeforeValidator(_colour)] = None
    count: Annotated[StrictInt, Field(ge=1)] = 1

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class Shop(Typed, what="the shop file"):
    title: Text
    open: StrictBool = True
    wait: Duration = None
    tags: Strings = ()
    note: OptText = None
    items: Annotated[Sequence[Item], many(Item, "'items' must be a non-empty list")] = Field(
        default=None, validate_default=True
    )

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
        if data.get("open") is False and "wait" in data:
            return [("a closed shop has no 'wait'", ("wait",))]
        return []

    @model_validator(mode="after")
    def _note(self) -> Shop:
        if self.note == "boom":
            fail(("a note cannot be 'boom'", ("note",)), ("nor anything else", ()))
        return self


def read(source: str) -> tuple[Shop | None, list[tuple[int | None, str | None, str]]]:
    data, lines, errors = read_yaml(textwrap.dedent(source), "shop.yaml")
    assert not errors
    shop, problems = read_typed(Shop, data, file="shop.yaml", lines=lines)
    assert all(p.file == "shop.yaml" for p in problems)
    return shop, [(p.line, p.path, p.message) for p in problems]


def test_a_valid_document_becomes_the_model() -> None:
    shop, problems = read(
        """\
        title: Cakes
        wait: 1h30m
        tags: sweet
        items: [Lemon, {name: Carrot, count: 2}]
        """
    )
    assert problems == []
    assert shop is not None
    assert shop.wait == timedelta(hours=1, minutes=30)
    assert shop.tags == ("sweet",)
    assert [(i.name, i.count) for i in shop.items] == [("Lemon", 1), ("Carrot", 2)]


def test_every_problem_is_located_and_worded() -> None:
    shop, problems = read(
        """\
        titel: Cakes
        open: yes please
        wait: 30
        tags: [a, ""]
        items:
          - Lemon
          - {name: Carrot, count: 0, colr: red}
          - 3
        """
    )
    assert shop is None
    assert problems == [
        (None, None, "the shop file needs 'title'"),
        (
            1,
            "titel",
            "unknown key 'titel' in the shop file; did you mean 'title'? "
            "(known keys: items, note, open, tags, title, wait)",
        ),
        (2, "open", "'open' must be true or false, got a string"),
        (
            3,
            "wait",
            "bad duration 30: use forms like 30m, 2h, 1h30m, 1d (add a unit: s, m, h or d)",
        ),
        (4, "tags[1]", "must not be empty"),
        (7, "items[1].count", "'count' must be at least 1, got 0"),
        (
            7,
            "items[1].colr",
            "unknown key 'colr' in an item; did you mean 'colour'? (known keys: colour, count, name)",
        ),
        (8, "items[2]", "expected an item (a name or a mapping), got a number"),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("title: x\n", (None, "items", "'items' must be a non-empty list"), id="empty"),
        pytest.param(
            "title: x\nopen: false\nwait: 2h\nitems: [a]\n",
            (3, "wait", "a closed shop has no 'wait'"),
            id="rule",
        ),
        pytest.param(
            "title: ''\nitems: [a]\n", (1, "title", "'title' must not be empty"), id="blank"
        ),
        pytest.param(
            "title: x\nitems: [{name: a, colour: green}]\n",
            (2, "items[0].colour", "a colour is red or blue, got 'green'"),
            id="field-validator",
        ),
    ],
)
def test_one_problem(source: str, expected: tuple[int | None, str, str]) -> None:
    assert read(source)[1] == [expected]


def test_validators_report_several_located_problems() -> None:
    _, problems = read("title: x\nitems: [a]\nnote: boom\n")
    assert problems == [(None, None, "nor anything else"), (3, "note", "a note cannot be 'boom'")]


def test_line_of_walks_up_to_the_nearest_key() -> None:
    _, lines, _ = read_yaml("a:\n  b:\n    - c: 1\n")
    assert line_of(lines, "a.b[0].c.d") == 3
    assert line_of(lines, "zz") is None


def test_problem_keeps_its_text() -> None:
    assert problem("a {b} c").message() == "a {b} c"
