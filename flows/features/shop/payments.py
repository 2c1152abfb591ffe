"""Asking for payment: the :class:`PaymentProvider` protocol, manual payments, the pay message.

A provider turns an order into a hosted checkout URL (:mod:`flows.features.shop.stripe`) or
written instructions (``manual``); :func:`start_payment` stores its reference on the order and
returns the message to send: a "Pay €27.50" ``cta_url`` button, or a text. Orders are marked
paid only on the provider's server-side confirmation or by staff (``waflow orders mark-paid``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from bot import messages
from flows.features.business import BusinessConfig
from flows.features.shop._errors import OrderStateError, PaymentError
from flows.features.shop.models import Order, OrderLine
from flows.features.shop.orders import order_lines


@dataclass(frozen=True)
class PaymentStart:
    """How the customer pays one order.

    Attributes:
        reference: The provider's id for this payment (a Checkout Session id), if any.
        url: A hosted payment page, if any.
        instructions: Written instructions, when there is no URL.
    """

    reference: str | None = None
    url: str | None = None
    instructions: str | None = None


class PaymentProvider(Protocol):
    """Something that can ask for an order's payment."""

    name: str

    def start(
        self, order: Order, lines: Sequence[OrderLine], business: BusinessConfig, now: datetime
    ) -> PaymentStart:
        """Prepare the payment of ``order``.

        Raises:
            PaymentError: The provider failed; the message can be shown to the customer.
        """


class ManualProvider:
    """Payment outside waflow: the customer gets ``payments.instructions``; staff mark it paid."""

    name = "manual"

    def start(
        self, order: Order, lines: Sequence[OrderLine], business: BusinessConfig, now: datetime
    ) -> PaymentStart:
        """Fill ``{number}`` and ``{total}`` into the business's instructions."""
        total = business.money(order.total, order.currency)
        text = business.payments.instructions.format(number=order.number, total=total)
        return PaymentStart(instructions=text)


def make_provider(
    business: BusinessConfig, *, environ: Mapping[str, str] | None = None
) -> PaymentProvider:
    """The provider the business file asks for; the Stripe key is read from ``environ``.

    Raises:
        ConfigError: Stripe is configured but its secret key variable is not set.
    """
    settings = business.payments.stripe
    if business.payments.provider == "stripe" and settings is not None:
        from flows.features.shop.stripe import StripeCheckout

        return StripeCheckout(settings, secret_key=settings.secret_key(environ))
    return ManualProvider()


def pay_button_label(order: Order, business: BusinessConfig) -> str:
    """``"Pay €27.50"`` when it fits the 20-character button, ``"Pay now"`` otherwise."""
    label = f"Pay {business.money(order.total, order.currency)}"
    return label if len(label) <= messages.MAX_CTA_DISPLAY_TEXT else "Pay now"


def start_payment(
    session: Session,
    business: BusinessConfig,
    order: Order,
    provider: PaymentProvider,
    now: datetime,
) -> dict[str, Any]:
    """Ask the provider for the order's payment and build the message that asks the customer.

    The provider's reference and URL are stored on the order; a payment URL already obtained
    for it is reused rather than created again.

    Returns:
        A ``cta_url`` payload for a payment page, or a text payload with instructions.

    Raises:
        OrderStateError: The order is not waiting for payment.
        PaymentError: The provider failed (the order stays unpaid and will expire).
    """
    if order.status != "pending_payment":
        raise OrderStateError(f"Order {order.number} is not waiting for payment.")
    total = business.money(order.total, order.currency)
    if order.payment_url and order.provider == provider.name:
        result = PaymentStart(order.payment_reference, order.payment_url)
    else:
        result = provider.start(order, order_lines(session, order), business, now)
        order.provider = provider.name
        order.payment_reference = result.reference
        order.payment_url = result.url
        session.add(order)
    if result.url:
        minutes = int(business.payments.unpaid_expiry.total_seconds() // 60)
        body = (
            f"Order {order.number}: {total}.\nTap the button to pay securely. "
            f"We keep your items for {minutes} minutes."
        )
        return messages.cta_url(
            order.wa_id,
            body,
            pay_button_label(order, business),
            result.url,
            footer=business.business.name[:60],
        )
    if not result.instructions:
        raise PaymentError("Sorry, we could not start the payment. Please try again.")
    return messages.text(order.wa_id, result.instructions)


__all__ = [
    "ManualProvider",
    "PaymentProvider",
    "PaymentStart",
    "make_provider",
    "pay_button_label",
    "start_payment",
]
