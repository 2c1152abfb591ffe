"""The booking hooks: what ``booking.yaml`` calls, bound to one business file.

:func:`register_booking_hooks` adds the ``booking.*`` actions and validators (each listed with
what it returns in docs/business.md), the glue between the flow and
:class:`~flows.features.booking.booking.Bookings`. The hooks send the lists themselves (their
rows come from the business file and the calendar); the read hooks and validators look at the
turn's message (the tapped row's id, or the typed text), and every ``error`` is a sentence for
the customer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from bot import messages
from flows import HookContext, Hooks
from flows.features.booking import messages as ui
from flows.features.booking.booking import BookingError, Bookings, SlotTakenError
from flows.features.business import BusinessConfig, list_page, shorten
from flows.features.business.picks import answer, page_number
from flows.features.business.timestamps import as_utc

BOOKING_PREFIX = "bk:"
_BACK_WORDS = frozenset({"back", "other day", "another day", "change day"})
_CANCEL_WORDS = frozenset({"cancel", "cancel it", "cancel booking", "cancel my booking"})


def _read(
    ctx: HookContext,
    slot: str,
    read: Callable[[str | None, str | None], tuple[object, dict[str, Any]]],
) -> dict[str, Any]:
    """Turn the page, or set ``slot`` from ``read(choice_id, text)`` (its value, extra result)."""
    choice, text = answer(ctx)
    wanted = ui.page_pick(choice)
    if wanted is not None:
        ctx.set_slot("page", wanted)
        return {"status": "page"}
    try:
        value, extra = read(choice, text)
    except BookingError as exc:
        return _error(exc)
    ctx.set_slot(slot, value)
    ctx.set_slot("page", 0)
    return {"status": "ok", **extra}


def _offer(
    ctx: HookContext, at: str, rows: list[messages.Row], body: str, button: str
) -> dict[str, Any]:
    """Send the current page of ``rows`` as a list; ``{status: pick}``.

    ``at`` names the list (``services``, ``days``, ``times``, ``mine``) in the ``at`` slot, where
    "try again" comes back to when a question runs out of retries.
    """
    ctx.set_slot("at", at)
    page = page_number(ctx.slots.get("page"))
    ctx.reply(list_page(ctx.to, rows, body=body, button=button, page=page))
    return {"status": "pick"}


def _error(exc: BookingError) -> dict[str, Any]:
    return {"status": "taken" if isinstance(exc, SlotTakenError) else "error", "error": str(exc)}


def _day(ctx: HookContext) -> date:
    return date.fromisoformat(str(ctx.slots.get("day")))


def register_booking_hooks(hooks: Hooks, business: BusinessConfig) -> Hooks:
    """Register the ``booking.*`` actions for ``business`` on ``hooks``, and return ``hooks``.

    Raises:
        FlowError: A ``booking.*`` hook is already registered.
    """
    rules = Bookings(business)

    @hooks.action("booking.start")
    def start(ctx: HookContext) -> dict[str, Any]:
        for slot in ("service", "day", "start", "moving", "chosen", "at"):
            ctx.set_slot(slot, None)
        ctx.set_slot("page", 0)
        mine = rules.upcoming(ctx.session, ctx.contact.wa_id, ctx.now)
        lines = [f"• {ui.summary(rules, b)}" for b in mine[:5]]
        return {"upcoming": len(mine), "summary": "\n".join(lines)}

    @hooks.action("booking.offer_services")
    def offer_services(ctx: HookContext) -> dict[str, Any]:
        services = business.services
        if not services:
            return {"status": "none"}
        if len(services) == 1:
            ctx.set_slot("service", services[0].id)
            return {"status": "single"}
        body = "Which service would you like to book?"
        return _offer(ctx, "services", ui.service_rows(rules), body, "Services")

    @hooks.action("booking.read_service")
    def read_service(ctx: HookContext) -> dict[str, Any]:
        return _read(
            ctx, "service", lambda choice, text: (ui.read_service(rules, choice, text).id, {})
        )

    @hooks.action("booking.offer_days")
    def offer_days(ctx: HookContext) -> dict[str, Any]:
        service = rules.service(str(ctx.slots.get("service")))
        days = rules.free_days(ctx.session, service.id, ctx.now)
        if not days:
            return {"status": "none"}
        body = f"{service.title} ({ui.service_line(rules, service)}). Which day suits you?"
        return _offer(ctx, "days", ui.day_rows(days), body, "Choose a day")

    @hooks.action("booking.read_day")
    def read_day(ctx: HookContext) -> dict[str, Any]:
        def read(choice: str | None, text: str | None) -> tuple[object, dict[str, Any]]:
            return ui.read_day(rules, choice, text, ctx.now).isoformat(), {}

        return _read(ctx, "day", read)

    @hooks.action("booking.offer_times")
    def offer_times(ctx: HookContext) -> dict[str, Any]:
        service, day = str(ctx.slots.get("service")), _day(ctx)
        try:
            times = rules.free_times(ctx.session, service, day, ctx.now)
        except BookingError as exc:
            return {"status": "none", "error": str(exc)}
        label = ui.day_label(day, long=True)
        if not times:
            return {"status": "none", "error": f"Sorry, there are no free times left on {label}."}
        rows, body = ui.time_rows(rules, times), f"Free times on {label}:"
        return _offer(ctx, "times", rows, body, "Choose a time")

    @hooks.action("booking.read_time")
    def read_time(ctx: HookContext) -> dict[str, Any]:
        choice, text = answer(ctx)
        if choice is None and (text or "").strip().lower() in _BACK_WORDS:
            ctx.set_slot("page", 0)
            return {"status": "back"}

        def read(choice: str | None, text: str | None) -> tuple[object, dict[str, Any]]:
            service = rules.service(str(ctx.slots.get("service")))
            start = ui.read_time(rules, service, _day(ctx), choice, text, ctx.now)
            when = rules.local(start)
            line = ui.service_line(rules, service)
            summary = (
                f"{service.title} on {ui.day_label(when, long=True)} at {when:%H:%M} ({line})."
            )
            return start.isoformat(), {"summary": summary}

        return _read(ctx, "start", read)

    @hooks.action("booking.book")
    def book(ctx: HookContext) -> dict[str, Any]:
        start = as_utc(datetime.fromisoformat(str(ctx.slots.get("start"))))
        moving = ctx.slots.get("moving")
        try:
            if moving:
                done = rules.reschedule(
                    ctx.session, int(moving), start, ctx.now, wa_id=ctx.contact.wa_id
                )
            else:
                done = rules.book(
                    ctx.session, ctx.contact.wa_id, str(ctx.slots.get("service")), start, ctx.now
                )
        except BookingError as exc:
            return _error(exc)
        return {"status": "ok", "summary": ui.summary(rules, done), "id": done.id}

    @hooks.action("booking.offer_mine")
    def offer_mine(ctx: HookContext) -> dict[str, Any]:
        mine = rules.upcoming(ctx.session, ctx.contact.wa_id, ctx.now)
        if not mine:
            return {"status": "none"}
        rows = [
            messages.Row(
                f"{BOOKING_PREFIX}{item.id}",
                f"{ui.day_label(when := rules.local(item.start_at))} {when:%H:%M}",
                shorten(f"{rules.title(item.service)} · #{item.id}", 72),
            )
            for item in mine
        ]
        return _offer(ctx, "mine", rows, "Which booking?", "Your bookings")

    @hooks.action("booking.read_mine")
    def read_mine(ctx: HookContext) -> dict[str, Any]:
        choice, text = answer(ctx)
        if choice is None and (text or "").strip().lower() in _CANCEL_WORDS:
            return cancel_shown(ctx)

        def read(choice: str | None, text: str | None) -> tuple[object, dict[str, Any]]:
            raw = choice.removeprefix(BOOKING_PREFIX) if choice else (text or "").strip()
            raw = raw.lstrip("#")
            if not raw.isdigit():
                raise BookingError("not_found", "Please choose one of your bookings from the list.")
            chosen = rules.get(ctx.session, int(raw), wa_id=ctx.contact.wa_id, now=ctx.now)
            return chosen.id, {"summary": ui.summary(rules, chosen)}

        return _read(ctx, "chosen", read)

    def cancel_shown(ctx: HookContext) -> dict[str, Any]:
        """*cancel* typed at the list of one's bookings: that booking, or ask which one."""
        mine = rules.upcoming(ctx.session, ctx.contact.wa_id, ctx.now)
        if len(mine) != 1:
            error = "Which booking do you want to cancel? Tap it in the list above."
            return {"status": "error", "error": error}
        ctx.set_slot("chosen", mine[0].id)
        return {"status": "cancel", "summary": ui.summary(rules, mine[0])}

    @hooks.action("booking.cancel")
    def cancel(ctx: HookContext) -> dict[str, Any]:
        try:
            done = rules.cancel(
                ctx.session, int(ctx.slots.get("chosen") or 0), ctx.now, wa_id=ctx.contact.wa_id
            )
        except BookingError as exc:
            return _error(exc)
        return {"status": "ok", "summary": ui.summary(rules, done)}

    @hooks.action("booking.prepare_move")
    def prepare_move(ctx: HookContext) -> dict[str, Any]:
        try:
            chosen = rules.get(
                ctx.session, int(ctx.slots.get("chosen") or 0), wa_id=ctx.contact.wa_id
            )
        except BookingError as exc:
            return _error(exc)
        ctx.set_slot("moving", chosen.id)
        ctx.set_slot("service", chosen.service)
        ctx.set_slot("page", 0)
        return {"status": "ok"}

    @hooks.action("booking.kept")
    def kept(ctx: HookContext) -> dict[str, Any]:
        """What was chosen so far, for the customer and for a person taking over."""
        parts: list[str] = []
        service = business.service(str(ctx.slots.get("service") or ""))
        if service is not None:
            parts.append(service.title)
        if ctx.slots.get("day") and ctx.slots.get("at") == "times":
            parts.append(ui.day_label(_day(ctx), long=True))
        return {"summary": ", ".join(parts)}

    for name, reader in (
        ("booking.valid_service", read_service),
        ("booking.valid_day", read_day),
        ("booking.valid_time", read_time),
        ("booking.valid_mine", read_mine),
    ):
        hooks.validator(name)(_validator(reader))
    return hooks


def _validator(read: Callable[[HookContext], dict[str, Any]]) -> Callable[..., bool | str]:
    """A validator refusing what ``read`` refuses, with its sentence (dropping its slot writes)."""

    def validate(ctx: HookContext, value: Any) -> bool | str:
        del value  # the reader looks at the message itself
        result = read(ctx)
        return str(result["error"]) if result.get("status") in ("error", "taken") else True

    return validate


__all__ = ["BOOKING_PREFIX", "register_booking_hooks"]
