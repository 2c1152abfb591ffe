"""Reading what a customer picked from a list the bot sent: a tapped row, a number, or a name.

Hooks send catalog lists themselves (their rows depend on the catalog), so the flow's question
is a plain text question and the answer is read here (:func:`resolve`): the tapped row's id, a
typed position on the current page, a paging word, or a name matched forgivingly (case, accents
and punctuation ignored; a unique beginning or part of a title is enough).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.messages import Row
from flows.features.business.lists import PAGE_PREFIX

if TYPE_CHECKING:
    from flows import HookContext

_PAGING_WORDS = {"more": "▶", "next": "▶", "previous": "◀", "prev": "◀"}
"""English paging words and the arrow of the row they mean (its title, in any language, keeps it)."""


def normalize(text: str) -> str:
    """Fold case and accents, drop punctuation and extra spaces: ``" Pâté!"`` → ``"pate"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", bare).split())


def answer(ctx: HookContext, value: Any = None) -> tuple[str | None, str | None]:
    """The tapped row's (or button's) id and the text of the turn's message (``value`` if text)."""
    message = ctx.message
    choice = message.choice_id if message is not None else None
    text = value if isinstance(value, str) else (message.text_value if message else None)
    return choice, text


def page_number(value: Any) -> int:
    """A page number read from a slot or an argument: a whole number from 0 (else 0)."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def resolve(
    choice_id: str | None, text: str | None, page_rows: Sequence[Row], all_rows: Sequence[Row]
) -> str | None:
    """The row id the customer means, or ``None``.

    Args:
        choice_id: The id of a tapped row or button, if any.
        text: What the customer typed (or the tapped row's title).
        page_rows: The rows of the page shown last, navigation rows included.
        all_rows: Every item row (all pages), for taps on older messages and typed names.

    Returns:
        A row id from ``all_rows`` or a ``page:<n>`` id from ``page_rows``.
    """
    known = {row.id for row in all_rows} | {row.id for row in page_rows}
    if choice_id and choice_id in known:
        return choice_id
    typed = normalize(text or "")
    if not typed:
        return None
    navigation = [row for row in page_rows if row.id.startswith(PAGE_PREFIX)]
    items = [row for row in page_rows if not row.id.startswith(PAGE_PREFIX)]
    if typed.isdigit():
        index = int(typed) - 1
        return items[index].id if 0 <= index < len(items) else None
    if typed in _PAGING_WORDS:  # the words are already normalized ("More ▶" reads "more")
        arrow = _PAGING_WORDS[typed]
        return next((row.id for row in navigation if arrow in row.title), None)
    for row in navigation:  # a translated title typed: "más", "anterior"
        if normalize(row.title) == typed:
            return row.id
    titles = [(row, normalize(row.title.rstrip("…"))) for row in all_rows]
    for test in (lambda t: t == typed, lambda t: t.startswith(typed), lambda t: typed in t):
        found = [row for row, title in titles if test(title)]
        if len(found) == 1:
            return found[0].id
        if len(found) > 1:
            return None
    return None


__all__ = ["answer", "normalize", "page_number", "resolve"]
