"""Carts sent from WhatsApp's native catalog: a handler wrapper that turns them into our cart.

A customer who builds a cart in the WhatsApp client and taps *Send* produces an ``order``
message, which no flow trigger can match. :class:`CatalogOrders` wraps the conversation handler
(usually a :class:`flows.FlowHandler`): it checks the order against our catalog
(:func:`flows.features.shop.cart.cart_from_catalog_order`: unknown items, changed prices, stock),
makes it the customer's cart, and answers with the cart and two buttons whose ids are payload
triggers of the purchase flow (``SHOP_CHECKOUT``, ``SHOP``). Every other message goes to the
wrapped handler unchanged.
"""

from __future__ import annotations

from bot import messages
from bot.inbound import OrderMessage
from bot.turn import Handler, Turn
from flows.features.business import BusinessConfig
from flows.features.business.lists import fit_body
from flows.features.shop.cart import cart_from_catalog_order, describe_cart


class CatalogOrders:
    """A :class:`bot.turn.Handler` that handles catalog ``order`` messages, then delegates.

    Args:
        handler: The conversation logic for every other message.
        business: The business configuration (catalog, prices, stock).
    """

    def __init__(self, handler: Handler, business: BusinessConfig) -> None:
        self.handler = handler
        self.business = business

    def handle(self, turn: Turn) -> None:
        """Import a catalog order into the cart and offer checkout; delegate anything else."""
        message = turn.message
        if not isinstance(message, OrderMessage) or turn.contact.paused:
            self.handler.handle(turn)
            return
        result = cart_from_catalog_order(turn.session, self.business, message, turn.now)
        to = turn.contact.wa_id
        notes = "\n".join(result.problems)
        if not result.cart:
            text = (
                notes + "\n\n" if notes else ""
            ) + "Sorry, none of those items can be ordered now."
            turn.reply(messages.text(to, text[: messages.MAX_TEXT]))
            return
        body = fit_body(
            (notes + "\n\n" if notes else "") + describe_cart(result.cart, self.business)
        )
        choices = [("SHOP_CHECKOUT", "Checkout"), ("SHOP", "Keep shopping")]
        turn.reply(messages.buttons(to, body, choices, header="Your cart"))


__all__ = ["CatalogOrders"]
