"""The handoff hook, ``handoff.notify``, for the ``on_enter`` of a ``handoff`` state.

It runs :func:`~flows.features.handoff.handoff.request_handoff` (pause the bot, alert the staff)
and returns how the staff was alerted (``text``, ``template`` or ``skipped``).
"""

from __future__ import annotations

from flows import HookContext, Hooks
from flows.features.business import BusinessConfig
from flows.features.handoff.handoff import request_handoff


def register_handoff_hooks(hooks: Hooks, business: BusinessConfig) -> Hooks:
    """Register ``handoff.notify`` for ``business`` on ``hooks``, and return ``hooks``.

    Raises:
        FlowError: ``handoff.notify`` is already registered.
    """

    @hooks.action("handoff.notify")
    def notify(ctx: HookContext) -> str:
        message = ctx.message.text_value if ctx.message is not None else None
        return request_handoff(ctx.session, business, ctx.contact, ctx.now, message=message)

    return hooks


__all__ = ["register_handoff_hooks"]
