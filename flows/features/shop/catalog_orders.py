"""Carts sent from WhatsApp's native catalog: checked against ours and made the customer's cart.

A customer who builds a cart in the WhatsApp client and taps *Send* produces an ``order``
message, which no flow trigger can match. :class:`CatalogOrders` wraps the conversation handler
(usually a :class:`flows.FlowHandler`): :func:`cart_from_catalog_order` checks the order against
our catalog (unknown items, changed prices, stock) and makes it the customer's cart; the handler
answers with the cart and two buttons whose ids are payload triggers of the purchase flow
(``SHOP_CHECKOUT``, ``SHOP``). Every other message goes to the wrapped handler unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot import messages
from bot.inbound import OrderMessage
from bot.turn import Handler, Turn
from flows import Texts
from flows.features.business import BusinessConfig, Product
from flows.features.business.lists import fit_body
from flows.features.business.money import exponent
from flows.features.shop.cart import CartView, available, clear_cart, describe_cart, view_cart
from flows.features.shop.models import CartLine


@dataclass(frozen=True)
class CatalogImport:
    """The result of turning a WhatsApp catalog ``order`` message into a cart.

    Attributes:
        cart: The cart now (it replaced what was there).
        problems: Customer-ready notes about items left out or changed.
    """

    cart: CartView
    problems: tuple[str, ...]


def cart_from_catalog_order(
    session: Session,
    business: BusinessConfig,
    message: OrderMessage,
    now: datetime,
    texts: Texts | None = None,
) -> CatalogImport:
    """Check a native catalog order against our catalog and make it the customer's cart.

    Unknown retailer ids are left out; an item priced in another currency or at a price that
    differs from ours is taken at *our* price (the customer sees the total before paying); a
    quantity above the limit or the stock is reduced. Each case adds a note to ``problems``,
    in ``texts``' language (by default the business's).
    """
    texts = texts or business.texts()
    wa_id, currency = message.from_, business.currency
    wanted: dict[Product, int] = {}
    problems: list[str] = []
    for item in message.items:
        product = business.catalog.by_retailer_id(item.product_retailer_id)
        if product is None:
            problems.append(
                texts(
                    "Item {item} is not in our catalog; it was left out.",
                    item=item.product_retailer_id,
                )
            )
            continue
        title = texts(product.title)
        if item.currency.upper() != currency:
            problems.append(
                texts(
                    "{product} was priced in {theirs}; we sell in {ours}.",
                    product=title,
                    theirs=item.currency,
                    ours=currency,
                )
            )
        elif item.item_price.scaleb(exponent(currency)) != product.price:
            price = texts.money(product.price, currency)
            problems.append(
                texts("The price of {product} is now {price}.", product=title, price=price)
            )
        if item.quantity > 0:
            wanted[product] = wanted.get(product, 0) + item.quantity
    clear_cart(session, wa_id)
    for product, asked in wanted.items():
        quantity = min(asked, product.max_per_order)
        title = texts(product.title)
        if quantity < asked:
            problems.append(
                texts(
                    "At most {maximum} × {product} per order.",
                    maximum=product.max_per_order,
                    product=title,
                )
            )
        left = available(session, product, now)
        if left is not None and quantity > left:
            problems.append(
                texts("{product} is sold out; it was left out.", product=title)
                if left == 0
                else texts.plural(
                    "Only {n} × {product} left; your cart has {n}.",
                    "Only {n} × {product} left; your cart has {n}.",
                    left,
                    product=title,
                )
            )
            quantity = left
        if quantity > 0:
            session.add(
                CartLine(wa_id=wa_id, product_id=product.id, quantity=quantity, added_at=now)
            )
    session.flush()
    return CatalogImport(view_cart(session, business, wa_id), tuple(problems))


@dataclass(frozen=True)
class CatalogOrders:
    """A :class:`bot.turn.Handler` that handles catalog ``order`` messages, then delegates.

    Attributes:
        handler: The conversation logic for every other message.
        business: The business configuration (catalog, prices, stock).
    """

    handler: Handler
    business: BusinessConfig

    def handle(self, turn: Turn) -> None:
        """Import a catalog order into the cart and offer checkout; delegate anything else."""
        message = turn.message
        if not isinstance(message, OrderMessage) or turn.contact.bot_paused(turn.now):
            self.handler.handle(turn)
            return
        texts = self.business.texts(turn.contact.language)
        result = cart_from_catalog_order(turn.session, self.business, message, turn.now, texts)
        to = turn.contact.wa_id
        notes = "\n".join(result.problems) + "\n\n" if result.problems else ""
        if not result.cart:
            text = notes + texts("Sorry, none of those items can be ordered now.")
            turn.reply(messages.text(to, text[: messages.MAX_TEXT]))
            return
        body = fit_body(notes + describe_cart(result.cart, self.business, texts))
        choices = [("SHOP_CHECKOUT", texts("Checkout")), ("SHOP", texts("Keep shopping"))]
        turn.reply(messages.buttons(to, body, choices, header=texts("Your cart")))


__all__ = ["CatalogImport", "CatalogOrders", "cart_from_catalog_order"]
