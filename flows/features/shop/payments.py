"""Asking for payment: the :class:`PaymentProvider` protocol, manual payments, the pay message.

A provider turns an order into a hosted checkout URL (:mod:`flows.features.shop.stripe`) or
written instructions (``manual``); :func:`start_payment` stores its reference on the order and
returns the message to send: a "Pay €27.50" ``cta_url`` button, or a text. Orders are marked
paid only on the provider's server-side confirmation or by staff (``waflow orders mark-paid``).

A remote provider is never called inside a turn's transaction (on SQLite it would hold the
write lock every webhook needs for as long as the provider takes). :func:`request_payment`, the
``payments.start`` hook's work, records the intent instead: the order's ``payment_reply_id``
names a reply that waits for the link (:meth:`flows.HookContext.reply_later`), and after the
turn commits :func:`finish_payment` calls the provider and, in a short transaction, stores the
link and fills the reply in. A crash in between leaves the intent, which the shop's periodic
task (:func:`payment_task`) finishes; the provider's idempotency key makes a repeated call
return the same payment.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import messages
from flows import HookContext, Texts
from flows.features.business import BusinessConfig
from flows.features.business.timestamps import as_utc
from flows.features.shop._errors import OrderStateError, PaymentError
from flows.features.shop.models import Order, OrderLine
from flows.features.shop.orders import get_order, order_lines
from storage.db import read_session, transaction
from storage.models import Contact, OutboxMessage

log = logging.getLogger(__name__)

LINK_WAIT = timedelta(minutes=10)
"""How long the payment message waits for a remote provider's link before the customer is told
to try later instead (a safety net: the link follows the turn within seconds, or within two
minutes of a restart through :func:`payment_task`)."""
LEFT_BEHIND = timedelta(minutes=1)
"""How old an unfinished payment intent must be before :func:`payment_task` finishes it (the
turn's own step normally does it first)."""


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
    """Something that can ask for an order's payment.

    ``remote`` is true when :meth:`start` calls a remote service: it is then called after the
    turn commits (:func:`request_payment`), never inside a transaction.
    """

    name: str
    remote: bool

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
    remote = False

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
    _check_waiting(order, texts)
    if order.payment_url and order.provider == provider.name:
        result = PaymentStart(order.payment_reference, order.payment_url)
    else:
        result = provider.start(order, order_lines(session, order), business, now, texts)
        order.provider = provider.name
        order.payment_reference = result.reference
        order.payment_url = result.url
        session.add(order)
    return _payment_message(order, business, result, texts)


def _check_waiting(order: Order, texts: Texts) -> None:
    if order.status != "pending_payment":
        raise OrderStateError(
            texts("Order {number} is not waiting for payment.", number=order.number)
        )


def _payment_message(
    order: Order, business: BusinessConfig, result: PaymentStart, texts: Texts
) -> dict[str, Any]:
    """The message asking for the payment ``result`` describes.

    Raises:
        PaymentError: ``result`` has neither a URL nor instructions.
    """
    total = texts.money(order.total, order.currency)
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


def request_payment(
    ctx: HookContext, business: BusinessConfig, order: Order, provider: PaymentProvider
) -> bool:
    """Ask the customer of a hook's turn to pay ``order``, without a network call in the turn.

    A manual provider's instructions, or a link already obtained, are replied at once
    (:func:`start_payment`). For a remote provider the turn records the intent: a reply that
    waits for the link (its fallback tells the customer to try later) and the order's
    ``payment_reply_id``; after the turn commits, :func:`finish_payment` creates the payment.

    Returns:
        Whether the customer gets a payment link.

    Raises:
        OrderStateError: The order is not waiting for payment.
        PaymentError: The provider failed (manual instructions missing).
    """
    texts = ctx.texts
    reuse = bool(order.payment_url) and order.provider == provider.name
    if not provider.remote or reuse:
        payload = start_payment(ctx.session, business, order, provider, ctx.now, texts)
        ctx.reply(payload)
        return payload.get("type") == "interactive"
    _check_waiting(order, texts)
    if order.payment_reply_id is None:  # else the link asked for a moment ago is on its way
        fallback = messages.text(order.wa_id, _not_started(order, texts))
        order.provider, order.payment_reference, order.payment_url = provider.name, None, None
        order.payment_reply_id = ctx.reply_later(fallback, within=LINK_WAIT)
        ctx.session.add(order)
    engine = ctx.session.get_bind()
    assert isinstance(engine, Engine)
    number, started = order.number, ctx.now

    def finish() -> None:
        finish_payment(engine, business, provider, number, started=started, texts=texts)

    ctx.after_commit(finish)
    return True


def _not_started(order: Order, texts: Texts) -> str:
    sorry = texts("Sorry, we could not start the payment. Please try again.")
    later = texts(
        "Your order {number} is saved: send *orders* to pay it later.", number=order.number
    )
    return f"{sorry} {later}"


def finish_payment(
    engine: Engine,
    business: BusinessConfig,
    provider: PaymentProvider,
    number: str,
    *,
    started: datetime,
    texts: Texts,
) -> bool:
    """Create the payment :func:`request_payment` recorded, outside any transaction, then
    store it and send its message in a short transaction (idempotent: safe to repeat).

    Args:
        started: When the payment was asked for (the provider gets the same request each time).
        texts: The customer's words.

    Returns:
        Whether this call finished the intent (False: there was none, or another call did).
    """
    with read_session(engine) as session:
        order = get_order(session, number)
        lines = order_lines(session, order) if order is not None else []
    if order is None or order.payment_reply_id is None:
        return False
    reply_id = order.payment_reply_id
    result: PaymentStart | None = None
    if order.status == "pending_payment":
        try:
            result = provider.start(order, lines, business, started, texts)
        except PaymentError as exc:
            log.warning("order %s: the payment could not be created: %s", number, exc)
    with transaction(engine) as session:
        order = get_order(session, number)
        if order is None or order.payment_reply_id != reply_id:
            return False  # another process finished it meanwhile
        payload = None  # the reply's fallback: try later
        if result is not None and order.status == "pending_payment":
            order.payment_reference, order.payment_url = result.reference, result.url
            try:
                payload = _payment_message(order, business, result, texts)
            except PaymentError:
                log.warning("order %s: the provider gave no link", number)
        order.payment_reply_id = None
        session.add(order)
        HookContext.fill_reply(session, reply_id, payload)
    return True


def payment_task(engine: Engine, business: BusinessConfig, now: datetime) -> bool:
    """The shop's periodic work: finish payments whose turn's own step was lost (a crash).

    Returns:
        Whether a payment message was queued.
    """
    if business.payments.provider == "manual":
        return False
    since = as_utc(now) - LEFT_BEHIND
    query = (
        select(Order.number, Contact.language, OutboxMessage.created_at)
        .join(OutboxMessage, col(OutboxMessage.id) == col(Order.payment_reply_id))
        .join(Contact, col(Contact.wa_id) == col(Order.wa_id), isouter=True)
        .where(col(Order.payment_reply_id).is_not(None), OutboxMessage.created_at <= since)
    )
    with read_session(engine) as session:
        left = list(session.exec(query))
    if not left:
        return False
    provider = make_provider(business)
    finished = False
    for number, language, started in left:
        log.info("order %s: finishing a payment asked for before a restart", number)
        texts = business.texts(language)
        finished |= finish_payment(engine, business, provider, number, started=started, texts=texts)
    return finished


__all__ = [
    "LEFT_BEHIND",
    "LINK_WAIT",
    "ManualProvider",
    "PaymentProvider",
    "PaymentStart",
    "finish_payment",
    "make_provider",
    "pay_button_label",
    "payment_task",
    "request_payment",
    "start_payment",
]
