"""Browsing: category and product lists paged past WhatsApp's 10-row limit, product cards."""

from __future__ import annotations

import pytest

from bot import messages
from flows import Texts
from flows.features.business import BusinessConfig, list_page, paginate, shorten
from flows.features.shop.catalog import category_rows, product_detail, product_rows
from tests.shop.shopkit import ANA

ENGLISH = Texts()


def _rows(payload: dict[str, object]) -> list[dict[str, str]]:
    action = payload["interactive"]["action"]  # type: ignore[index]
    return [row for section in action["sections"] for row in section["rows"]]


def test_categories(business: BusinessConfig) -> None:
    payload = list_page(
        ANA,
        category_rows(business),
        body="What would you like?",
        button="Categories",
        texts=ENGLISH,
    )
    assert [r["id"] for r in _rows(payload)] == ["cat:cakes", "cat:cookies", "cat:digital"]
    assert _rows(payload)[0]["description"] == "Whole cakes for 8 people"
    assert "footer" not in payload["interactive"]


@pytest.mark.parametrize(
    ("page", "ids", "nav"),
    [
        pytest.param(0, ["c01", "c08"], ["page:1"], id="first"),
        pytest.param(1, ["c09", "c12"], ["page:0"], id="last"),
        pytest.param(7, ["c09", "c12"], ["page:0"], id="past-the-end"),
    ],
)
def test_twelve_cookies_need_two_pages(
    business: BusinessConfig, page: int, ids: list[str], nav: list[str]
) -> None:
    rows = product_rows(business, business.catalog.in_category("cookies"))
    payload = list_page(ANA, rows, body="Cookies", page=page, texts=ENGLISH)
    got = [r["id"] for r in _rows(payload)]
    assert len(got) <= messages.MAX_LIST_ROWS
    products = [i.removeprefix("prod:") for i in got if i.startswith("prod:")]
    assert [products[0], products[-1]] == ids
    assert [i for i in got if i.startswith("page:")] == nav
    assert payload["interactive"]["footer"]["text"].startswith("Page ")


def test_rows_respect_whatsapp_limits(business: BusinessConfig) -> None:
    rows = product_rows(business, business.catalog.products, {"choc": 3, "lemon": 0})
    by_id = {row.id: row for row in rows}
    assert by_id["prod:c10"].title == "Double chocolate chip c…"
    assert len(by_id["prod:c10"].title) == messages.MAX_ROW_TITLE
    assert by_id["prod:choc"].description is not None
    assert by_id["prod:choc"].description.startswith("€27.50 · 3 left · Dark")
    assert by_id["prod:lemon"].description == "€18.00 · sold out"
    assert by_id["prod:tart"].description == "€4.25"


def test_paginate_keeps_ten_rows_on_one_page() -> None:
    rows = [messages.Row(f"prod:{i}", f"P{i}") for i in range(10)]
    assert paginate(rows, 0, ENGLISH).count == 1
    assert len(paginate(rows, 0, ENGLISH).rows) == 10
    eleven = [*rows, messages.Row("prod:x", "X")]
    assert [paginate(eleven, p, ENGLISH).count for p in (0, 1)] == [2, 2]


def test_product_card(business: BusinessConfig) -> None:
    choc, tart, ebook = (business.catalog.product(p) for p in ("choc", "tart", "ebook"))
    assert choc is not None
    assert tart is not None
    assert ebook is not None
    card = product_detail(ANA, business, choc, 2)
    assert card["image"]["link"] == "https://bella.example/img/choc.jpg"
    assert card["image"]["caption"].splitlines() == [
        "*Chocolate cake*",
        "€27.50",
        "Dark chocolate sponge with ganache",
        "2 left",
    ]
    assert product_detail(ANA, business, tart, None)["text"]["body"] == "*Apple tart slice*\n€4.25"
    assert (
        "sent here right after payment"
        in product_detail(ANA, business, ebook, None)["text"]["body"]
    )


def test_shorten() -> None:
    assert shorten("  a   b ", 5) == "a b"
    assert shorten("abcdef", 4) == "abc…"
