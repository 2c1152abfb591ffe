"""The language switch's hooks: ``languages.*``, what ``languages.yaml`` calls.

``languages.offer`` sends the list of the languages waflow has, each titled in its own language
and the customer's current one marked; ``languages.valid`` and ``languages.apply`` read the
customer's pick (a tapped row, a number, a language's name in any language) and remember it on
their contact, in the turn's transaction. Both note where the customer was before the word
(``back``), so that :mod:`flows.features.languages.switch` can put them back there.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Row
from flows import LANGUAGES, HookContext, Hooks
from flows.features.business import BusinessConfig, list_page
from flows.features.business.picks import answer, normalize, resolve

FLOW = "languages"
"""The id of the language switch's flow."""
ROW_PREFIX = "language:"
"""The id of a row of the list: ``language:`` and the language (``language:pt_BR``)."""
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "id": "Bahasa Indonesia",
}
"""Each language of :data:`flows.LANGUAGES` by its own name, as the list shows it."""
_OTHER_NAMES = {
    "en": ("english", "ingles", "inggris", "en"),
    "es": ("spanish", "espanol", "espanhol", "spanyol", "castellano", "es"),
    "pt_BR": ("portuguese", "portugues", "portugis", "brasil", "brazil", "pt", "pt br"),
    "id": ("indonesian", "indonesio", "indonesia", "bahasa indonesia", "id"),
}
"""What else a customer may type for each language (folded: no case, accents or punctuation)."""
# The deadline the engine notes in the conversation's data: left out of what is restored, so
# the question asked again gets its whole time again.
_DEADLINE = "expires_at"


def _rows(current: str = "", mark: str | None = None) -> list[Row]:
    """The list's rows, the ``current`` language's described by ``mark``."""
    return [
        Row(ROW_PREFIX + code, LANGUAGE_NAMES[code], mark if code == current else None)
        for code in LANGUAGES
        if code in LANGUAGE_NAMES
    ]


def picked(ctx: HookContext, value: Any = None) -> str | None:
    """The language the customer's message picks (a code of :data:`flows.LANGUAGES`), if any.

    A tapped row (of this list or an older one), a number on the list, a language's own name
    or its name in another language (``spanish``, ``portugués``), or a unique beginning of it.
    """
    choice, text = answer(ctx, value)
    if choice and choice.startswith(ROW_PREFIX):
        code = choice.removeprefix(ROW_PREFIX)
        return code if code in LANGUAGE_NAMES else None
    typed = normalize(text or "")
    for code, names in _OTHER_NAMES.items():
        if typed in names:
            return code
    rows = _rows()
    found = resolve(None, text, rows, rows)
    return found.removeprefix(ROW_PREFIX) if found else None


def _remember_where(ctx: HookContext) -> None:
    """Note in ``back`` the question the customer was at before the word (``None``: none).

    The turn's conversation row still holds where it stood before this turn. Inside the
    switch itself (a second "language", a name typed at the list) the note is kept.
    """
    conv = ctx.conversation
    if conv.flow == FLOW and conv.status == "active":
        return
    back = None
    if conv.status == "active" and conv.flow and conv.state:
        back = {
            "flow": conv.flow,
            "version": conv.flow_version,
            "state": conv.state,
            "slots": dict(conv.slots or {}),
            "call_stack": [dict(frame) for frame in conv.call_stack or []],
            "data": {k: v for k, v in (conv.data or {}).items() if k != _DEADLINE},
        }
    ctx.set_slot("back", back)


def _leave(ctx: HookContext) -> None:
    """Mark the flow as left by this message: the switch's handler then puts the customer back."""
    ctx.set_slot("leaving", ctx.message.id if ctx.message is not None else "")


def register_language_hooks(hooks: Hooks, business: BusinessConfig) -> Hooks:
    """Register the ``languages.*`` hooks for ``business`` on ``hooks``; returns ``hooks``.

    Raises:
        FlowError: A language hook name is already registered.
    """

    @hooks.action("languages.offer")
    def offer(ctx: HookContext) -> None:
        _remember_where(ctx)
        texts = ctx.texts
        body = texts("Which language would you like me to write in?")
        rows = _rows(texts.language, texts("✓ Current language"))
        ctx.reply(list_page(ctx.to, rows, body=body, button=texts("Languages"), texts=texts))

    @hooks.validator("languages.valid")
    def valid(ctx: HookContext, value: Any) -> bool | str:
        if picked(ctx, value) is None:
            return ctx.texts("Please choose a language from the list.")
        return True

    @hooks.action("languages.apply")
    def apply(ctx: HookContext) -> dict[str, Any]:
        _remember_where(ctx)
        language = picked(ctx)
        if language is None:
            return {"ok": False, "language": ""}
        ctx.contact.language = language
        ctx.session.add(ctx.contact)
        _leave(ctx)
        return {"ok": True, "language": language}

    @hooks.action("languages.leave")
    def leave(ctx: HookContext) -> None:
        _leave(ctx)

    return hooks


__all__ = ["FLOW", "LANGUAGE_NAMES", "ROW_PREFIX", "picked", "register_language_hooks"]
