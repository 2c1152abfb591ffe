"""Paged list messages: lists longer than WhatsApp's 10 rows, cut into pages.

This helper module owns how any feature shows a long list: pages of :data:`PAGE_ROWS` items plus
"Previous"/"More" rows with ids ``page:<n>``, titles and descriptions shortened to the row limits
(:func:`shorten`), and bodies to the interactive body limit (:func:`fit_body`). Given the
customer's :class:`~flows.Texts`, the navigation rows, the page footer and the default button
are in their language (the titles keep their arrows: :func:`~flows.features.business.picks.resolve`
tells "◀" from "▶").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.messages import Row, Section
from flows import Texts

PAGE_ROWS = 8
"""Items per page when a list needs paging (8 + "Previous" + "More" = 10 rows)."""
PAGE_PREFIX = "page:"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with "…" when it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit_body(text: str, limit: int = messages.MAX_INTERACTIVE_BODY) -> str:
    """``text`` cut to ``limit`` (an interactive body's by default), ending with "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _page_of(texts: Texts, number: int, count: int) -> str:
    return texts("Page {number} of {count}", number=number, count=count)


def paginate(items: Sequence[Row], page: int, texts: Texts) -> Page:
    """Page ``page`` (clamped) of ``items``; one page when they fit the 10-row limit.

    Other pages are reached by ``page:<n>`` rows "◀ Previous" and "More ▶", in the customer's
    language (``texts``).
    """
    if len(items) <= messages.MAX_LIST_ROWS:
        return Page(tuple(items), 0, 1)
    count = -(-len(items) // PAGE_ROWS)
    page = max(0, min(page, count - 1))
    rows = list(items[page * PAGE_ROWS : (page + 1) * PAGE_ROWS])
    if page > 0:
        back = Row(f"{PAGE_PREFIX}{page - 1}", texts("◀ Previous"), _page_of(texts, page, count))
        rows.append(back)
    if page < count - 1:
        more = Row(f"{PAGE_PREFIX}{page + 1}", texts("More ▶"), _page_of(texts, page + 2, count))
        rows.append(more)
    return Page(tuple(rows), page, count)


def list_page(
    to: str,
    rows: Sequence[Row],
    *,
    body: str,
    button: str | None = None,
    page: int = 0,
    texts: Texts,
) -> dict[str, Any]:
    """A list message showing one page of ``rows``.

    Args:
        to: The customer.
        rows: Every item row (all pages).
        body: The message's text (already in the customer's language).
        button: The list button's title; "See options" (translated) without.
        page: The page to show, from 0.
        texts: The customer's words: the navigation rows, the footer and the default button
            in their language.

    Raises:
        LimitError: ``rows`` is empty, or a text is too long.
    """
    shown = paginate(rows, page, texts)
    footer = _page_of(texts, shown.number + 1, shown.count) if shown.count > 1 else None
    button = shorten(button or texts("See options"), messages.MAX_LIST_BUTTON)
    return messages.list_message(to, body, button, [Section(None, shown.rows)], footer=footer)


__all__ = ["PAGE_PREFIX", "PAGE_ROWS", "Page", "fit_body", "list_page", "paginate", "shorten"]
