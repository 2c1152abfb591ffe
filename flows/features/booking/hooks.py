"""The booking hooks: what ``booking.yaml`` calls, bound to one business file.

:func:`register_booking_hooks` adds the ``booking.*`` actions and validators (each listed with
what it returns in docs/business.md), the glue between the flow and
:class:`~flows.features.booking.booking.Bookings`. The hooks send the lists themselves (their
rows come from the business file and the calendar); the read hooks and validators look at the
turn's message (the tapped row's id, or the typed text), and every ``error`` is a sentence for
the customer, in their language (``ctx.texts``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from bot import messages
from flows import HookContext, Hooks
from flows.features.booking import messages as ui
from flows.features.booking._words import clock, day_label
from flows.features.booking.booking import BookingError, Bookings, SlotTakenError
from flows.features.business import BusinessConfig, list_page, shorten
from flows.features.business.picks import answer, page_number
from flows.features.business.timestamps import as_utc

BOOKING_PREFIX = "bk:"
BACK_WORDS = frozenset(
    {"back", "other day", "another day", "change day", "otro día", "otro dia", "outro dia"}
    | {"hari lain", "volver", "voltar", "kembali"}
)
_CANCEL_WORDS = frozenset(
    {"cancel", "cancel it", "cancel booking", "cancel my booking", "cancelar", "cancelarla"}
    | {"cancelar reserva", "cancelar a reserva", "batal", "batalkan", "batalkan booking"}
)


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
        return _error(ctx, exc)
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
    ctx.reply(list_page(ctx.to, rows, body=body, button=button, page=page, texts=ctx.texts))
    return {"status": "pick"}


def _error(ctx: HookContext, exc: BookingError) -> dict[str, Any]:
    status = "taken" if isinstance(exc, SlotTakenError) else "error"
    return {"status": status, "error": exc.said(ctx.texts)}


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
        lines = [f"• {ui.summary(rules, b, ctx.texts)}" for b in mine[:5]]
        return {"upcoming": len(mine), "summary": "\n".join(lines)}

    @hooks.action("booking.offer_services")
    def offer_services(ctx: HookContext) -> dict[str, Any]:
        services = business.services
        if not services:
            return {"status": "none"}
        if len(services) == 1:
            ctx.set_slot("service", services[0].id)
            return {"status": "single"}
        rows, texts = ui.service_rows(rules, ctx.texts), ctx.texts
        body = texts("Which service would you like to book?")
        return _offer(ctx, "services", rows, body, texts("Services"))

    @hooks.action("booking.read_service")
    def read_service(ctx: HookContext) -> dict[str, Any]:
        return _read(
            ctx,
            "service",
            lambda choice, text: (ui.read_service(rules, choice, text, ctx.texts).id, {}),
        )

    @hooks.action("booking.offer_days")
    def offer_days(ctx: HookContext) -> dict[str, Any]:
        service = rules.service(str(ctx.slots.get("service")))
        days = rules.free_days(ctx.session, service.id, ctx.now)
        if not days:
            return {"status": "none"}
        texts = ctx.texts
        body = texts(
            "{service} ({detail}). Which day suits you?",
            service=texts(service.title),
            detail=ui.service_line(rules, service, texts),
        )
        return _offer(ctx, "days", ui.day_rows(days, texts), body, texts("Choose a day"))

    @hooks.action("booking.read_day")
    def read_day(ctx: HookContext) -> dict[str, Any]:
        def read(choice: str | None, text: str | None) -> tuple[object, dict[str, Any]]:
            return ui.read_day(rules, choice, text, ctx.now, ctx.texts).isoformat(), {}

        return _read(ctx, "day", read)

    @hooks.action("booking.offer_times")
    def offer_times(ctx: HookContext) -> dict[str, Any]:
        service, day, texts = str(ctx.slots.get("service")), _day(ctx), ctx.texts
        try:
            times = rules.free_times(ctx.session, service, day, ctx.now)
        except BookingError as exc:
            return {"status": "none", "error": exc.said(texts)}
        label = day_label(texts, day, long=True)
        if not times:
            error = texts("Sorry, there are no free times left on {day}.", day=label)
            return {"status": "none", "error": error}
        rows, body = ui.time_rows(rules, times, texts), texts("Free times on {day}:", day=label)
        return _offer(ctx, "times", rows, body, texts("Choose a time"))

    @hooks.action("booking.read_time")
    def read_time(ctx: HookContext) -> dict[str, Any]:
        choice, text = answer(ctx)
        if choice is None and (text or "").strip().lower() in BACK_WORDS:
            ctx.set_slot("page", 0)
            return {"status": "back"}

        def read(choice: str | None, text: str | None) -> tuple[object, dict[str, Any]]:
            service = rules.service(str(ctx.slots.get("service")))
            start = ui.read_time(rules, service, _day(ctx), choice, text, ctx.now, ctx.texts)
            when, texts = rules.local(start), ctx.texts
            summary = texts(
                "{service} on {day} at {time} ({detail}).",
                service=texts(service.title),
                day=day_label(texts, when, long=True),
                time=clock(texts, when),
                detail=ui.service_line(rules, service, texts),
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
            return _error(ctx, exc)
        return {"status": "ok", "summary": ui.summary(rules, done, ctx.texts), "id": done.id}

    @hooks.action("booking.offer_mine")
    def offer_mine(ctx: HookContext) -> dict[str, Any]:
        mine = rules.upcoming(ctx.session, ctx.contact.wa_id, ctx.now)
        if not mine:
            return {"status": "none"}
        texts = ctx.texts
        rows = [
            messages.Row(
                f"{BOOKING_PREFIX}{item.id}",
                f"{day_label(texts, when := rules.local(item.start_at))} {clock(texts, when)}",
                shorten(f"{rules.title(item.service, texts)} · #{item.id}", 72),
            )
            for item in mine
        ]
        return _offer(ctx, "mine", rows, texts("Which booking?"), texts("Your bookings"))

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
            return chosen.id, {"summary": ui.summary(rules, chosen, ctx.texts)}

        return _read(ctx, "chosen", read)

    def cancel_shown(ctx: HookContext) -> dict[str, Any]:
        """*cancel* typed at the list of one's bookings: that booking, or ask which one."""
        mine = rules.upcoming(ctx.session, ctx.contact.wa_id, ctx.now)
        if len(mine) != 1:
            error = ctx.texts("Which booking do you want to cancel? Tap it in the list above.")
            return {"status": "error", "error": error}
        ctx.set_slot("chosen", mine[0].id)
        return {"status": "cancel", "summary": ui.summary(rules, mine[0], ctx.texts)}

    @hooks.action("booking.cancel")
    def cancel(ctx: HookContext) -> dict[str, Any]:
        try:
            done = rules.cancel(
                ctx.session, int(ctx.slots.get("chosen") or 0), ctx.now, wa_id=ctx.contact.wa_id
            )
        except BookingError as exc:
            return _error(ctx, exc)
        return {"status": "ok", "summary": ui.summary(rules, done, ctx.texts)}

    @hooks.action("booking.prepare_move")
    def prepare_move(ctx: HookContext) -> dict[str, Any]:
        try:
            chosen = rules.get(
                ctx.session, int(ctx.slots.get("chosen") or 0), wa_id=ctx.contact.wa_id
            )
        except BookingError as exc:
            return _error(ctx, exc)
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
            parts.append(ctx.texts(service.title))
        if ctx.slots.get("day") and ctx.slots.get("at") == "times":
            parts.append(day_label(ctx.texts, _day(ctx), long=True))
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
