"""Browsing the catalog: category and product lists paged past WhatsApp's 10 rows, product details.

This module owns how the catalog is shown. A list message holds at most 10 rows, so long
lists are cut into pages of :data:`PAGE_ROWS` items plus "Previous"/"More" rows. Row ids are
``cat:<id>``, ``prod:<id>`` and ``page:<n>``; :func:`parse_pick` reads them back. Titles and
descriptions are shortened to the row limits (24 and 72 characters) with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.messages import Row, Section
from flows.builtin._money import format_money
from flows.builtin.business import BusinessConfig, Product

PAGE_ROWS = 8
"""Items per page when a list needs paging (8 + "Previous" + "More" = 10 rows)."""
CATEGORY_PREFIX = "cat:"
PRODUCT_PREFIX = "prod:"
PAGE_PREFIX = "page:"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with "…" when it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Page:
    """One page of a paged list.

    Attributes:
        rows: The rows to show, navigation rows included.
        number: This page, from 0.
        count: How many pages there are.
    """

    rows: tuple[Row, ...]
    number: int
    count: int


def paginate(items: Sequence[Row], page: int = 0) -> Page:
    """Cut rows into list pages; one page when they fit the 10-row limit.

    Args:
        items: All rows.
        page: The wanted page (clamped to the pages there are).

    Returns:
        The page, with ``page:<n>`` rows "◀ Previous" and "More ▶" when there are others.
    """
    if len(items) <= messages.MAX_LIST_ROWS:
        return Page(tuple(items), 0, 1)
    count = -(-len(items) // PAGE_ROWS)
    page = max(0, min(page, count - 1))
    rows = list(items[page * PAGE_ROWS : (page + 1) * PAGE_ROWS])
    if page > 0:
        rows.append(Row(f"{PAGE_PREFIX}{page - 1}", "◀ Previous", f"Page {page} of {count}"))
    if page < count - 1:
        rows.append(Row(f"{PAGE_PREFIX}{page + 1}", "More ▶", f"Page {page + 2} of {count}"))
    return Page(tuple(rows), page, count)


def parse_pick(reply_id: str | None) -> tuple[str, str] | None:
    """Read a row id back: ``("category", id)``, ``("product", id)``, ``("page", "2")``."""
    if not reply_id:
        return None
    for prefix, kind in (
        (CATEGORY_PREFIX, "category"),
        (PRODUCT_PREFIX, "product"),
        (PAGE_PREFIX, "page"),
    ):
        if reply_id.startswith(prefix) and len(reply_id) > len(prefix):
            return kind, reply_id[len(prefix) :]
    return None


def category_rows(business: BusinessConfig) -> list[Row]:
    """One row per category that has products."""
    used = {p.category for p in business.catalog.products}
    return [
        Row(
            CATEGORY_PREFIX + c.id,
            shorten(c.title, messages.MAX_ROW_TITLE),
            shorten(c.description, messages.MAX_ROW_DESCRIPTION) if c.description else None,
        )
        for c in business.catalog.categories
        if c.id in used
    ]


def availability(left: int | None) -> str:
    """``""`` for unlimited stock, ``"sold out"``, or ``"3 left"`` when few remain."""
    if left is None or left > 5:
        return ""
    return "sold out" if left <= 0 else f"{left} left"


def product_rows(
    business: BusinessConfig,
    products: Sequence[Product],
    stock: Mapping[str, int | None] | None = None,
) -> list[Row]:
    """One row per product: title, and price (plus "3 left" / "sold out") as description."""
    stock = stock or {}
    locale, currency = business.business.locale, business.currency
    rows = []
    for product in products:
        parts = [format_money(product.price, currency, locale), availability(stock.get(product.id))]
        if product.description:
            parts.append(product.description)
        description = " · ".join(part for part in parts if part)
        rows.append(
            Row(
                PRODUCT_PREFIX + product.id,
                shorten(product.title, messages.MAX_ROW_TITLE),
                shorten(description, messages.MAX_ROW_DESCRIPTION),
            )
        )
    return rows


def list_page(
    to: str,
    rows: Sequence[Row],
    *,
    body: str,
    button: str = "See options",
    page: int = 0,
    header: str | None = None,
) -> dict[str, Any]:
    """A list message showing one page of ``rows``.

    Raises:
        LimitError: ``rows`` is empty, or a text is too long.
    """
    shown = paginate(rows, page)
    footer = f"Page {shown.number + 1} of {shown.count}" if shown.count > 1 else None
    return messages.list_message(
        to,
        body,
        shorten(button, messages.MAX_LIST_BUTTON),
        [Section(None, shown.rows)],
        header=header,
        footer=footer,
    )


def product_detail(
    to: str, business: BusinessConfig, product: Product, left: int | None
) -> dict[str, Any]:
    """The product card: its image with a caption, or a text when it has no image."""
    price = format_money(product.price, business.currency, business.business.locale)
    lines = [f"*{product.title}*", price]
    if product.description:
        lines.append(product.description)
    note = availability(left)
    if note:
        lines.append(note.capitalize())
    if product.kind == "digital":
        lines.append("Digital product: sent here right after payment.")
    caption = "\n".join(lines)
    if len(caption) > messages.MAX_CAPTION:
        caption = caption[: messages.MAX_CAPTION - 1] + "…"
    if product.image:
        return messages.image(to, link=product.image, caption=caption)
    return messages.text(to, caption)


__all__ = [
    "CATEGORY_PREFIX",
    "PAGE_PREFIX",
    "PAGE_ROWS",
    "PRODUCT_PREFIX",
    "Page",
    "availability",
    "category_rows",
    "list_page",
    "paginate",
    "parse_pick",
    "product_detail",
    "product_rows",
    "shorten",
]
