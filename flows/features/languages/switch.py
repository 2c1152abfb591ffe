"""Back where the customer was after switching language: the feature's handler wrapper.

A global intent can only go somewhere or ask the current question again; choosing a language
takes a question of its own (the list), so the ``languages`` flow notes where the customer was
(``back``) and, when the customer leaves it (a language chosen, or none after the retries), its
last message says so (``leaving`` holds the id of the message it was left on). :class:`LanguageSwitch`
then puts the conversation back at that question and has the engine ask it again, as it does
when a customer reopens the chat, in the customer's (new) language: all in the same turn.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.config import mask
from bot.inbound import RequestWelcome
from bot.turn import Handler, Turn
from flows.features.business import BusinessConfig
from flows.features.languages.hooks import FLOW

MAIN_MENU = "main_menu"
"""The main menu's flow id (the business feature's, and the example shop's own)."""

log = logging.getLogger(__name__)


def _back(turn: Turn) -> dict[str, Any] | None:
    """Where to put the conversation back after this turn, or ``None`` (it stays as it is)."""
    conv = turn.conversation
    slots = conv.slots or {}
    back = slots.get("back")
    if conv.flow != FLOW or conv.status != "ended" or not isinstance(back, dict):
        return None
    if slots.get("leaving") != turn.message.id or not back.get("flow") or not back.get("state"):
        return None
    return back


@dataclass
class LanguageSwitch:
    """A :class:`bot.turn.Handler` that delegates, then puts a customer who just left the
    language switch back at the question they were at, and asks it again.

    The main menu is started afresh instead: its greeting may have been written in the old
    language before the question (a business's own greeting hook), and it holds nothing the
    customer could lose.

    Attributes:
        handler: The conversation logic (the flow engine, maybe wrapped).
        main_menu: The id of the main menu flow.
    """

    handler: Handler
    main_menu: str = MAIN_MENU

    def handle(self, turn: Turn) -> None:
        """Handle the message; after a language switch, ask the earlier question again."""
        self.handler.handle(turn)
        back = _back(turn)
        if back is None:
            return
        conv = turn.conversation
        if back["flow"] == self.main_menu:  # the engine's welcome starts it again
            log.info("%s is back at the main menu", mask(turn.contact.wa_id))
        else:
            conv.flow, conv.flow_version = back["flow"], back.get("version")
            conv.state = back["state"]
            conv.slots = dict(back.get("slots") or {})
            conv.call_stack = [dict(frame) for frame in back.get("call_stack") or []]
            conv.data = dict(back.get("data") or {})
            conv.status = "active"
            log.info("%s is back at %s.%s", mask(turn.contact.wa_id), conv.flow, conv.state)
        said = turn.message
        turn.message = RequestWelcome(id=said.id, from_=said.from_, timestamp=said.timestamp)
        try:
            self.handler.handle(turn)  # the engine asks the waiting question again
        finally:
            turn.message = said


def language_switch(handler: Handler, business: BusinessConfig) -> LanguageSwitch:
    """The feature's handler wrapper: ``handler`` with the way back after a language switch."""
    return LanguageSwitch(handler)


__all__ = ["LanguageSwitch", "language_switch"]
