"""Human handoff: a customer asks for a person, the bot pauses and the staff is alerted.

This package registers the handoff feature (:class:`HandoffFeature`). The modules are ``handoff``
(pausing, alerting the staff, giving the customer back to the bot), ``hooks``
(``handoff.notify``, called by the main menu's ``person`` state) and ``cli``
(``waflow handoff``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flows.features._feature import Feature
from flows.features.handoff.handoff import HandoffError, paused_contacts, release, request_handoff

if TYPE_CHECKING:
    import click

    from flows import Hooks
    from flows.features.business import BusinessConfig


class HandoffFeature(Feature):
    """Handing a customer over to a person: ``handoff.notify``, ``waflow handoff``."""

    name = "handoff"

    def register_hooks(self, hooks: Hooks, business: BusinessConfig) -> None:
        """Register ``handoff.notify``."""
        from flows.features.handoff.hooks import register_handoff_hooks

        register_handoff_hooks(hooks, business)

    def cli(self) -> click.Group:
        """``waflow handoff``."""
        from flows.features.handoff.cli import handoff

        return handoff


__all__ = ["HandoffError", "HandoffFeature", "paused_contacts", "release", "request_handoff"]
