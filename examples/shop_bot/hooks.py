"""Miga Bakery's own hooks: a greeting that knows regular customers, and a delivery-area check.

The delivery-area check answers "do you deliver to me?" and also refuses, at checkout, a
delivery address outside the area.

waflow registers the built-in business hooks (``shop.*``, ``cart.*``, ``checkout.*``,
``orders.*``, ``booking.*``, ``survey.*``, ``handoff.notify``) from the business file; this file
(``WAFLOW_HOOKS``) adds the bakery's own, used by the flows in ``flows/``:

=========================  ========== ==============================================================
``bakery.greeting``        action     the main menu's first line: "Welcome back, Ana!" plus a
                                      loyalty note counting the customer's paid orders
``bakery.has_postcode``    validator  the answer contains a Spanish postcode (five digits)
``bakery.delivers_here``   condition  that postcode is in our delivery area
``checkout.valid_address`` validator  replaces the built-in one: a delivery address typed at
                                      checkout must be in our delivery area
=========================  ========== ==============================================================

A hook of the same name as a built-in one would replace it. Check the hooks and flows with
``waflow validate`` (see README.md).
"""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import col, select

from flows import HookContext, Hooks
from flows.features.shop.models import Order

hooks = Hooks()

DELIVERY_AREA = frozenset(f"280{n:02d}" for n in range(1, 16))
"""The postcodes we deliver to: central Madrid, 28001 to 28015."""
LOYALTY_EVERY = 5
"""Every fifth order comes with a free box of cookies."""
PAID = ("paid", "preparing", "shipped", "delivered")
"""Order statuses that count as a purchase."""
_POSTCODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")


def postcode_in(text: str) -> str | None:
    """The first five-digit postcode in ``text`` ("Calle Mayor 1, 28013 Madrid" gives 28013)."""
    match = _POSTCODE.search(text)
    return match.group(1) if match else None


def paid_orders(ctx: HookContext) -> int:
    """How many orders this customer has paid for, ever."""
    query = select(func.count()).where(
        Order.wa_id == ctx.contact.wa_id, col(Order.status).in_(PAID)
    )
    return int(ctx.session.exec(query).one())


@hooks.action("bakery.greeting")
def greeting(ctx: HookContext) -> str:
    """The first line of the main menu, with a loyalty note for returning customers.

    Its words go through ``ctx.texts``, so the bakery's catalogs (``locales/``) translate them.
    """
    texts, name = ctx.texts, ctx.customer_name
    count = paid_orders(ctx)
    if count == 0:
        if name:
            return texts("Hi {name}! Welcome to Miga Bakery 🥐", name=name)
        return texts("Hi! Welcome to Miga Bakery 🥐")
    to_go = -(count + 1) % LOYALTY_EVERY  # orders before the one that earns the cookies
    if to_go == 0:
        note = texts("Your next order comes with a free box of cookies! 🍪")
    else:
        note = texts.plural(
            "Every {every}th order comes with a free box of cookies: {n} to go.",
            "Every {every}th order comes with a free box of cookies: {n} to go.",
            to_go + 1,
            every=LOYALTY_EVERY,
        )
    if name:
        return texts("Welcome back, {name}! {note}", name=name, note=note)
    return texts("Welcome back! {note}", note=note)


@hooks.validator("bakery.has_postcode")
def has_postcode(ctx: HookContext, value: object) -> bool | str:
    """Accept an answer that contains a postcode; otherwise say what we need."""
    if isinstance(value, str) and postcode_in(value):
        return True
    return ctx.texts("Please send your postcode (five digits, for example 28004).")


@hooks.condition("bakery.delivers_here")
def delivers_here(ctx: HookContext) -> bool:
    """Whether the postcode in slot ``address`` is in our delivery area."""
    found = postcode_in(str(ctx.slots.get("address") or ""))
    return found in DELIVERY_AREA


@hooks.validator("checkout.valid_address")
def address_in_area(ctx: HookContext, value: object) -> bool | str:
    """At checkout, a typed delivery address must have a postcode in our delivery area."""
    found = postcode_in(value) if isinstance(value, str) else None
    if found is None:
        return ctx.texts("Please include the postcode (five digits, for example 28004).")
    if found in DELIVERY_AREA:
        return True
    return ctx.texts(
        "Sorry, we only deliver in central Madrid (postcodes 28001 to 28015). Type another "
        "address, or type cart to choose pickup at Calle de Fuencarral 45 instead."
    )
