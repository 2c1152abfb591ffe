"""The handoff hook, ``handoff.notify``, for the ``on_enter`` of a ``handoff`` state.

It runs :func:`~flows.features.handoff.handoff.request_handoff` (pause the bot, alert the staff),
tells a customer asking outside the opening hours when someone will answer
(``handoff.after_hours_text``, in their language), and returns how the staff was alerted (``text``, ``template`` or
``skipped``).
"""

from __future__ import annotations

from bot import messages
from flows import HookContext, Hooks
from flows.features.business import BusinessConfig
from flows.features.handoff.handoff import after_hours_text, request_handoff


def register_handoff_hooks(hooks: Hooks, business: BusinessConfig) -> Hooks:
    """Register ``handoff.notify`` for ``business`` on ``hooks``, and return ``hooks``.

    Raises:
        FlowError: ``handoff.notify`` is already registered.
    """

    @hooks.action("handoff.notify")
    def notify(ctx: HookContext) -> str:
        message = ctx.message.text_value if ctx.message is not None else None
        alerted = request_handoff(ctx.session, business, ctx.contact, ctx.now, message=message)
        closed = after_hours_text(business, ctx.now, ctx.texts)
        if closed is not None:
            ctx.reply(messages.text(ctx.to, closed))
        return alerted

    return hooks


__all__ = ["register_handoff_hooks"]
