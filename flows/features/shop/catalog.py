"""Browsing the catalog: category and product lists, product details.

This module owns how the catalog is shown. Long lists are paged by
:func:`flows.features.business.list_page`. Row ids are ``cat:<id>``, ``prod:<id>`` and
``page:<n>``. Titles and descriptions are shortened to the
row limits (24 and 72 characters) with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot import messages
from bot.messages import Row
from flows import Texts
from flows.features.business import BusinessConfig, Product, shorten
from flows.features.business.lists import fit_body

CATEGORY_PREFIX = "cat:"
PRODUCT_PREFIX = "prod:"


def category_rows(business: BusinessConfig, texts: Texts | None = None) -> list[Row]:
    """One row per category that has products, in ``texts``' language (the business's)."""
    texts = texts or business.texts()
    used = {p.category for p in business.catalog.products}
    return [
        Row(
            CATEGORY_PREFIX + c.id,
            shorten(texts(c.title), messages.MAX_ROW_TITLE),
            shorten(texts(c.description), messages.MAX_ROW_DESCRIPTION) if c.description else None,
        )
        for c in business.catalog.categories
        if c.id in used
    ]


def availability(left: int | None, texts: Texts | None = None) -> str:
    """``""`` for unlimited stock, ``"sold out"``, or ``"3 left"`` when few remain."""
    texts = texts or Texts()
    if left is None or left > 5:
        return ""
    return texts("sold out") if left <= 0 else texts.plural("{n} left", "{n} left", left)


def product_rows(
    business: BusinessConfig,
    products: Sequence[Product],
    stock: Mapping[str, int | None] | None = None,
    texts: Texts | None = None,
) -> list[Row]:
    """One row per product: title, and price (plus "3 left" / "sold out") as description."""
    texts = texts or business.texts()
    stock = stock or {}
    rows = []
    for product in products:
        parts = [
            texts.money(product.price, business.currency),
            availability(stock.get(product.id), texts),
            texts(product.description) if product.description else "",
        ]
        description = " · ".join(part for part in parts if part)
        rows.append(
            Row(
                PRODUCT_PREFIX + product.id,
                shorten(texts(product.title), messages.MAX_ROW_TITLE),
                shorten(description, messages.MAX_ROW_DESCRIPTION),
            )
        )
    return rows


def product_detail(
    to: str,
    business: BusinessConfig,
    product: Product,
    left: int | None,
    texts: Texts | None = None,
) -> dict[str, Any]:
    """The product card: its image with a caption, or a text when it has no image."""
    texts = texts or business.texts()
    digital = product.kind == "digital"
    lines = [
        f"*{texts(product.title)}*",
        texts.money(product.price, business.currency),
        texts(product.description) if product.description else "",
        availability(left, texts).capitalize(),
        texts("Digital product: sent here right after payment.") if digital else "",
    ]
    caption = fit_body("\n".join(line for line in lines if line), messages.MAX_CAPTION)
    if product.image:
        return messages.image(to, link=product.image, caption=caption)
    return messages.text(to, caption)


__all__ = [
    "CATEGORY_PREFIX",
    "PRODUCT_PREFIX",
    "availability",
    "category_rows",
    "product_detail",
    "product_rows",
]
