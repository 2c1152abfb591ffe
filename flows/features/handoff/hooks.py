"""The handoff hook: alert the staff when a flow hands a customer over to a person.

:func:`register` adds one action to a :class:`flows.Hooks` registry, bound to one business file:
``handoff.notify``, meant for the ``on_enter`` of a ``handoff`` state (``main_menu.yaml``'s
``person``). It pauses the bot for the customer (the engine's ``handoff`` state does too) and queues
the staff alert of :func:`flows.features.handoff.handoff.request_handoff`: a text inside the staff
member's 24-hour window, the ``handoff`` template outside it. It returns how the staff was alerted
(``text``, ``template`` or ``skipped``).
"""

from __future__ import annotations

from flows import HookContext, Hooks
from flows.features.business import BusinessConfig
from flows.features.handoff.handoff import request_handoff


def register_handoff_hooks(hooks: Hooks, business: BusinessConfig) -> Hooks:
    """Register ``handoff.notify`` for ``business`` on ``hooks``.

    Returns:
        ``hooks``, for chaining.

    Raises:
        FlowError: ``handoff.notify`` is already registered.
    """

    @hooks.action("handoff.notify")
    def notify(ctx: HookContext) -> str:
        message = ctx.message.text_value if ctx.message is not None else None
        return request_handoff(ctx.session, business, ctx.contact, ctx.now, message=message)

    return hooks


__all__ = ["register_handoff_hooks"]
