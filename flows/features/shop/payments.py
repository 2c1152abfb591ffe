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
from flows import Texts
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
        self,
        order: Order,
        lines: Sequence[OrderLine],
        business: BusinessConfig,
        now: datetime,
        texts: Texts,
    ) -> PaymentStart:
        """Prepare the payment of ``order``, for a customer reading ``texts``' language.

        Raises:
            PaymentError: The provider failed; the message can be shown to the customer.
        """


class ManualProvider:
    """Payment outside waflow: the customer gets ``payments.instructions``; staff mark it paid."""

    name = "manual"

    def start(
        self,
        order: Order,
        lines: Sequence[OrderLine],
        business: BusinessConfig,
        now: datetime,
        texts: Texts,
    ) -> PaymentStart:
        """Fill ``{number}`` and ``{total}`` into the business's instructions."""
        return PaymentStart(instructions=self.instructions(order, business, texts))

    @staticmethod
    def instructions(order: Order, business: BusinessConfig, texts: Texts) -> str:
        """The business's instructions in ``texts``' language, ``{number}`` and ``{total}``
        filled in (a business's catalog may translate its own instructions)."""
        total = texts.money(order.total, order.currency)
        return texts(business.payments.instructions, number=order.number, total=total)


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


def pay_button_label(order: Order, business: BusinessConfig, texts: Texts | None = None) -> str:
    """``"Pay €27.50"`` when it fits the 20-character button, ``"Pay now"`` otherwise (in
    ``texts``' language, by default the business's)."""
    texts = texts or business.texts()
    label = texts("Pay {total}", total=texts.money(order.total, order.currency))
    return label if len(label) <= messages.MAX_CTA_DISPLAY_TEXT else texts("Pay now")


def start_payment(
    session: Session,
    business: BusinessConfig,
    order: Order,
    provider: PaymentProvider,
    now: datetime,
    texts: Texts | None = None,
) -> dict[str, Any]:
    """Ask the provider for the order's payment and build the message that asks the customer
    (in ``texts``' language, by default the business's).

    The provider's reference and URL are stored on the order; a payment URL already obtained
    for it is reused rather than created again.

    Returns:
        A ``cta_url`` payload for a payment page, or a text payload with instructions.

    Raises:
        OrderStateError: The order is not waiting for payment.
        PaymentError: The provider failed (the order stays unpaid and will expire).
    """
    texts = texts or business.texts()
    if order.status != "pending_payment":
        raise OrderStateError(
            texts("Order {number} is not waiting for payment.", number=order.number)
        )
    total = texts.money(order.total, order.currency)
    if order.payment_url and order.provider == provider.name:
        result = PaymentStart(order.payment_reference, order.payment_url)
    else:
        result = provider.start(order, order_lines(session, order), business, now, texts)
        order.provider = provider.name
        order.payment_reference = result.reference
        order.payment_url = result.url
        session.add(order)
    if result.url:
        minutes = int(business.payments.unpaid_expiry.total_seconds() // 60)
        body = texts.plural(
            "Order {number}: {total}.\nTap the button to pay securely. We keep your items for "
            "{n} minute.",
            "Order {number}: {total}.\nTap the button to pay securely. We keep your items for "
            "{n} minutes.",
            minutes,
            number=order.number,
            total=total,
        )
        return messages.cta_url(
            order.wa_id,
            body,
            pay_button_label(order, business, texts),
            result.url,
            footer=business.business.name[:60],
        )
    if not result.instructions:
        raise PaymentError(texts("Sorry, we could not start the payment. Please try again."))
    return messages.text(order.wa_id, result.instructions)


__all__ = [
    "ManualProvider",
    "PaymentProvider",
    "PaymentStart",
    "make_provider",
    "pay_button_label",
    "start_payment",
]
