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
return the same payment. Every process may run that task at once (each worker after a
restart), so a process claims an intent for a short while (:data:`CLAIM`) before calling the
provider and the others leave it alone; a provider still busy with the same payment, or failing
for a while, leaves the intent for a later run: the customer is told to try later only after
:data:`MAX_FAILURES` transient failures, a refusal, or :data:`LINK_WAIT`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import or_, update
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
CLAIM = timedelta(minutes=1)
"""How long one process may work on a payment intent before another may take it over (the
provider's call times out well within it; the claim of a process that died expires)."""
MAX_FAILURES = 3
"""Transient provider failures (unreachable, overloaded) after which the customer gets the
fallback; a refusal (an invalid request) gets it at once."""
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
    if not _link_on_its_way(ctx, order):
        fallback = messages.text(order.wa_id, _not_started(order, texts))
        order.provider, order.payment_reference, order.payment_url = provider.name, None, None
        order.payment_reply_id = ctx.reply_later(fallback, within=LINK_WAIT)
        order.payment_claimed_until = order.payment_failures = None
        ctx.session.add(order)
    engine = ctx.session.get_bind()
    assert isinstance(engine, Engine)
    number, started, clock = order.number, ctx.now, time.monotonic()

    def finish() -> None:
        now = started + timedelta(seconds=time.monotonic() - clock)  # the turn's clock
        finish_payment(engine, business, provider, number, started=started, texts=texts, now=now)

    ctx.after_commit(finish)
    return True


def _link_on_its_way(ctx: HookContext, order: Order) -> bool:
    """Whether a reply asked for a moment ago still waits for ``order``'s link (after
    :data:`LINK_WAIT` its fallback has gone out: a new request gets a reply of its own)."""
    if order.payment_reply_id is None:
        return False
    waiting = ctx.session.get(OutboxMessage, order.payment_reply_id)
    return waiting is not None and as_utc(waiting.created_at) + LINK_WAIT > as_utc(ctx.now)


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
    now: datetime,
) -> bool:
    """Create the payment :func:`request_payment` recorded, outside any transaction, then
    store it and send its message in a short transaction (idempotent: safe to repeat).

    One process at a time works on an intent: it claims it (:data:`CLAIM`) in a transaction of
    its own before calling the provider, and a call that finds it claimed does nothing. A
    provider that is busy with the same payment (a concurrent request), or failing for a while
    (fewer than :data:`MAX_FAILURES` times), leaves the intent to :func:`payment_task` until
    :data:`LINK_WAIT` has passed; otherwise the reply gets the link, or its fallback.

    Args:
        started: When the payment was asked for (the provider gets the same request each time).
        texts: The customer's words.
        now: The current time.

    Returns:
        Whether this call finished the intent (False: there was none, another process has it,
        or it is left to try again).
    """
    now = as_utc(now)
    with read_session(engine) as session:
        order = get_order(session, number)
        lines = order_lines(session, order) if order is not None else []
    if order is None or order.payment_reply_id is None:
        return False
    reply_id = order.payment_reply_id
    claim = _claim(engine, number, reply_id, now)
    if claim is None:
        return False  # another process is asking the provider
    result: PaymentStart | None = None
    error: PaymentError | None = None
    if order.status == "pending_payment":
        try:
            result = provider.start(order, lines, business, started, texts)
        except PaymentError as exc:
            error = exc
    with transaction(engine) as session:
        order = get_order(session, number)
        if order is None or order.payment_reply_id != reply_id:
            return False  # another process finished it meanwhile
        if error is not None:
            held = order.payment_claimed_until
            if held is None or as_utc(held) != claim:
                return False  # another process took it over: its outcome counts
            failures = (order.payment_failures or 0) + (0 if error.in_progress else 1)
            retry = error.in_progress or (error.transient and failures < MAX_FAILURES)
            if retry and now < as_utc(started) + LINK_WAIT:
                log.info("order %s: the payment will be asked for again: %s", number, error)
                order.payment_claimed_until, order.payment_failures = None, failures
                session.add(order)
                return False
            log.warning("order %s: the payment could not be created: %s", number, error)
        payload = None  # the reply's fallback: try later
        if result is not None and order.status == "pending_payment":
            order.payment_reference, order.payment_url = result.reference, result.url
            try:
                payload = _payment_message(order, business, result, texts)
            except PaymentError:
                log.warning("order %s: the provider gave no link", number)
        order.payment_reply_id = order.payment_claimed_until = order.payment_failures = None
        session.add(order)
        HookContext.fill_reply(session, reply_id, payload)
    return True


def _claim(engine: Engine, number: str, reply_id: int, now: datetime) -> datetime | None:
    """Claim the payment intent ``reply_id`` of order ``number`` until ``now`` + :data:`CLAIM`,
    in a transaction of its own; ``None`` when another process holds it or it is gone."""
    until = now + CLAIM
    free = or_(col(Order.payment_claimed_until).is_(None), col(Order.payment_claimed_until) <= now)
    claim = (
        update(Order)
        .where(col(Order.number) == number, col(Order.payment_reply_id) == reply_id, free)
        .values(payment_claimed_until=until)
    )
    with transaction(engine) as session:
        claimed = session.connection().execute(claim).rowcount
    return until if claimed else None


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
        finished |= finish_payment(
            engine, business, provider, number, started=started, texts=texts, now=now
        )
    return finished


__all__ = [
    "CLAIM",
    "LEFT_BEHIND",
    "LINK_WAIT",
    "MAX_FAILURES",
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
