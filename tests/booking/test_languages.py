"""Booking in the customer's language: a Spanish shop, a business's own catalog, a reminder and
a staff notice in the customer's remembered language, and catalogs covering every text."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Mapping
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.sending import outbox_rows
from flows import SOURCE, FlowSet, Hooks, load_flow, parse_flow
from flows._i18n import Source
from flows._model import ExpectSpec, MessageSpec, ValidateRule
from flows._render import spec_strings
from flows.features.booking import hooks as hooks_booking
from flows.features.booking import messages as ui
from flows.features.booking import notices
from flows.features.booking.booking import BookingError, Bookings
from flows.features.booking.reminders import send_reminders
from flows.features.business import BusinessConfig, parse_business
from flows.features.handoff.hooks import register_handoff_hooks
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import NOW, SALON_YAML, handler_for, madrid
from tests.flows.flowkit import Chat, Clock, body, buttons, rows

FEATURE = Path(__file__).parents[2] / "flows" / "features" / "booking"
_EXPRESSIONS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
CATALOG = Source(FEATURE / "locales")
MENU = """
schema: 1
flow: main_menu
version: 1
start: menu
states:
  menu: {say: "Main menu.", end: true}
"""
SPANISH = SALON_YAML.replace("locale: en_GB}", "locale: es_ES, language: es}")
BUSINESS_CATALOG = """
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Haircut"
msgstr "Corte de pelo"
"""


@pytest.fixture
def spanish(tmp_path: Path) -> BusinessConfig:
    """The salon in Spanish, with its own catalog translating its service titles."""
    folder = tmp_path / "locales" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(BUSINESS_CATALOG, encoding="utf-8")
    return parse_business(SPANISH, str(tmp_path / "business.yaml"))


@pytest.fixture
def chat(engine: Engine, spanish: BusinessConfig) -> Chat:
    """Ana talking to the Spanish salon on Monday 3 March 2025, 11:00 in Madrid."""
    hooks = hooks_booking.register_booking_hooks(Hooks(), spanish)
    register_handoff_hooks(hooks, spanish)
    flowset = FlowSet([load_flow(FEATURE / "flows" / "booking.yaml"), parse_flow(MENU)])
    return Chat(engine, handler_for(flowset, hooks, spanish), Clock())


def _descriptions(payload: dict[str, Any]) -> list[str]:
    action = payload["interactive"]["action"]
    return [r.get("description", "") for s in action["sections"] for r in s["rows"]]


def test_a_booking_in_spanish(chat: Chat, engine: Engine) -> None:
    services, ask = chat.send("reservar")
    assert body(services) == "¿Qué servicio quieres reservar?"
    assert services["interactive"]["action"]["button"] == "Servicios"
    assert [title for _, title in rows(services)] == ["Corte de pelo", "Colour", "Consultation"]
    assert _descriptions(services)[:2] == ["30 min · 18,00 €", "1 h 30 min · 55,00 €"]  # shortened
    assert body(ask) == "Toca un servicio en la lista de arriba o escribe su nombre."

    days, _ = chat.send("corte de pelo")  # the translated title, typed
    assert body(days) == "Corte de pelo (30 min · 18,00\xa0€). ¿Qué día te viene bien?"
    assert rows(days)[0] == ("day:2025-03-03", "lun, 3 mar")
    assert _descriptions(days)[1] == "16 horarios libres"

    assert chat.say("domingo") == ["No abrimos ningún domingo. Elige otra fecha."]
    assert chat.say("19/03")[0] == (
        "Aceptamos reservas con hasta 14 días de antelación. Elige una fecha anterior."
    )
    assert chat.say("31/02")[0] == "No existe el 31 de febrero. Elige otra fecha."

    times, _ = chat.send("martes")
    assert body(times) == "Horarios libres el martes, 4 de marzo:"
    assert rows(times)[0] == ("time:20250304T0800Z", "9:00")
    [confirm] = chat.pick("time:20250304T0900Z", "10:00")
    assert body(confirm) == (
        "Corte de pelo el martes, 4 de marzo a las 10:00 (30 min · 18,00\xa0€). ¿Lo reservo?"
    )
    assert buttons(confirm) == ["Confirmar", "Otra hora", "Ahora no"]
    assert chat.say("confirmar") == [
        "¡Reservado! Corte de pelo, mar, 4 mar a las 10:00 (30 min · 18,00\xa0€), reserva #1."
        " ¡Nos vemos!"
    ]

    [mine] = chat.send("mis reservas")
    assert body(mine) == (
        "Tus próximas reservas:\n• Corte de pelo, mar, 4 mar a las 10:00 (30 min · 18,00\xa0€),"
        " reserva #1\n\n¿Qué quieres hacer?"
    )
    assert buttons(mine) == ["Reservar otra", "Cambiar o cancelar"]


def test_too_little_notice_is_counted_in_spanish_plural_forms(chat: Chat) -> None:
    chat.send("reservar")
    chat.pick("svc:cut", "Corte de pelo")
    chat.pick("day:2025-03-03", "lun, 3 mar")
    assert chat.say("9:00")[0] == "Esa hora ya ha pasado. Elige una más tarde."
    assert chat.say("12:00")[0] == (
        "Las reservas necesitan al menos 2 horas de antelación. Elige una hora más tarde."
    )


def test_a_time_is_typed_in_spanish(chat: Chat) -> None:
    chat.send("reservar")
    chat.pick("svc:cut", "Corte de pelo")
    chat.pick("day:2025-03-04", "mar, 4 mar")
    [confirm] = chat.send("a las 11:30")
    assert body(confirm) == (
        "Corte de pelo el martes, 4 de marzo a las 11:30 (30 min · 18,00\xa0€). ¿Lo reservo?"
    )


@pytest.mark.parametrize(
    ("language", "typed", "hour", "minute"),
    [
        ("en", "at 11", 11, 0),
        ("es", "a las 11", 11, 0),
        ("es", "las 11", 11, 0),
        ("es", "a las 11:30", 11, 30),
        ("pt_BR", "às 11", 11, 0),
        ("pt_BR", "as 11h30", 11, 30),
        ("id", "jam 11", 11, 0),
        ("id", "pukul 11.30", 11, 30),
    ],
)
def test_a_time_is_read_in_the_customers_language(
    bookings: Bookings, language: str, typed: str, hour: int, minute: int
) -> None:
    service = bookings.service("cut")
    texts = bookings.config.texts(language)
    start = ui.read_time(bookings, service, date(2025, 3, 4), None, typed, NOW, texts)
    assert start == madrid(2025, 3, 4, hour, minute)


def test_an_unreadable_time_is_refused_in_the_customers_language(bookings: Bookings) -> None:
    with pytest.raises(BookingError) as caught:
        ui.read_time(
            bookings,
            bookings.service("cut"),
            date(2025, 3, 4),
            None,
            "a las",
            NOW,
            bookings.config.texts("es"),
        )
    assert caught.value.said(bookings.config.texts("es")).startswith(
        "Lo siento, no he entendido esa hora."
    )


CUSTOMER = "34600000001"
TUESDAY_10 = madrid(2025, 3, 4, 10)
DAY_BEFORE = madrid(2025, 3, 3, 10, 30)


def _portuguese_customer(engine: Engine, bookings: Bookings) -> int:
    with transaction(engine) as session:
        last = (DAY_BEFORE - timedelta(hours=1)).astimezone(UTC)
        session.add(Contact(wa_id=CUSTOMER, name="Ana", last_inbound_at=last, language="pt_BR"))
    with transaction(engine) as session:
        return int(bookings.book(session, CUSTOMER, "cut", TUESDAY_10, NOW).id or 0)


def test_a_reminder_in_the_customers_remembered_language(
    engine: Engine, bookings: Bookings
) -> None:
    booking_id = _portuguese_customer(engine, bookings)
    assert send_reminders(engine, bookings, DAY_BEFORE).text == [booking_id]
    [row] = outbox_rows(engine, CUSTOMER)
    assert row.payload["text"]["body"] == (
        f"Lembrete: Haircut, ter., 4 de mar. às 10:00 (30 min · €\xa018,00), reserva #{booking_id},"
        " em Salon Sol. Para alterar ou cancelar, responda *minhas reservas*."
    )


def test_a_staff_cancellation_is_told_in_the_customers_language(
    engine: Engine, bookings: Bookings
) -> None:
    booking_id = _portuguese_customer(engine, bookings)
    with transaction(engine) as session:
        booking = bookings.cancel(session, booking_id, DAY_BEFORE, by="staff")
        assert notices.tell_customer(session, bookings, booking, "cancelled", DAY_BEFORE) == "text"
    [row] = outbox_rows(engine, CUSTOMER)
    assert row.payload["text"]["body"].startswith(
        "Desculpe, tivemos que cancelar sua reserva: Haircut, ter., 4 de mar. às 10:00"
    )
    assert row.payload["text"]["body"].endswith("Responda *agendar* para escolher outro horário.")


def test_a_refusal_is_written_for_each_customer(bookings: Bookings) -> None:
    with pytest.raises(BookingError) as caught:
        bookings.check_day(NOW.date() - timedelta(days=2), NOW)
    config = bookings.config
    assert (
        caught.value.said(config.texts())
        == "Saturday 1 March is in the past. Please choose a later date."
    )
    assert (
        caught.value.said(config.texts("es"))
        == "El sábado, 1 de marzo ya ha pasado. Elige una fecha posterior."
    )
    assert caught.value.said(config.texts("id")) == (
        "Sabtu, 1 Maret sudah lewat. Silakan pilih tanggal yang lebih lambat."
    )
    with pytest.raises(BookingError) as holiday:
        bookings.check_day(date(2025, 3, 19), madrid(2025, 3, 10, 9))
    assert holiday.value.said(config.texts("es")) == (
        "El miércoles, 19 de marzo cerramos por festivo. Elige otra fecha."
    )
    assert holiday.value.said(config.texts("pt_BR")) == (
        "Estaremos fechados quarta-feira, 19 de março (feriado). Escolha outra data."
    )


# -- the catalogs cover every text --------------------------------------------------------------


def _english_ids() -> set[str]:
    """The message ids of the English catalog, both forms of a plural one."""
    ids: set[str] = set()
    for message in CATALOG.read(SOURCE):
        if message.id:
            ids.update([message.id] if isinstance(message.id, str) else message.id)
    return ids


def flow_texts(node: object) -> set[str]:
    """Every text of a flow (a loaded :class:`~flows.Flow`) that the engine translates: what it
    says and asks, option titles, list buttons, re-prompts and fallbacks, ``validate``
    messages; texts without words (only ``{{ expressions }}``, ``⭐⭐ 2``) have nothing to
    translate."""
    found: set[str] = set()
    if isinstance(node, MessageSpec):
        found.update(source for source, *_ in spec_strings(node))
    elif isinstance(node, ExpectSpec):
        found.update(option.title for option in node.options)
        found.update(option.description for option in node.options if option.description)
    elif isinstance(node, ValidateRule) and node.message:
        found.add(node.message)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for item in dataclasses.fields(node):
            found |= flow_texts(getattr(node, item.name))
    elif isinstance(node, Mapping):
        for value in node.values():
            found |= flow_texts(value)
    elif isinstance(node, list | tuple):
        for value in node:
            found |= flow_texts(value)
    return {text for text in found if any(c.isalpha() for c in _EXPRESSIONS.sub("", text))}


def written_texts(folder: Path) -> set[str]:
    """The English texts the Python code of ``folder`` writes to customers: the literal first
    arguments of ``texts(...)``/``texts.plural(...)`` and of refusals, their ``plural=`` forms,
    and the values of ``_TEXTS`` tables (the staff's console and commands left out)."""
    found: set[str] = set()
    for file in folder.glob("*.py"):
        if file.name in ("web.py", "cli.py"):
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
                name = node.func.id if isinstance(node.func, ast.Name) else name
                literals = [a for a in node.args if isinstance(a, ast.Constant)]
                if name in ("texts", "plural"):
                    found.update(str(a.value) for a in literals[:2] if isinstance(a.value, str))
                if name in ("BookingError", "__init__") and len(literals) >= 2:
                    found.add(str(literals[1].value))
                found.update(
                    str(k.value.value)
                    for k in node.keywords
                    if k.arg == "plural" and isinstance(k.value, ast.Constant)
                )
            targets = [node.target] if isinstance(node, ast.AnnAssign) else []
            targets += node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "_TEXTS" for t in targets):
                assert isinstance(node, ast.Assign | ast.AnnAssign)
                assert isinstance(node.value, ast.Dict)
                found.update(str(v.value) for v in node.value.values if isinstance(v, ast.Constant))
    return found


def test_the_catalog_has_every_text_of_the_flow_and_the_code() -> None:
    english = _english_ids()
    flow = flow_texts(load_flow(FEATURE / "flows" / "booking.yaml"))
    code = written_texts(FEATURE)
    assert len(flow) > 30
    assert len(code) > 40
    assert flow - english == set()
    assert code - english == set()
    assert english - flow - code == set()  # nothing left over


@pytest.mark.parametrize("language", ["es", "pt_BR", "id"])
def test_every_button_title_fits_whatsapps_limit(language: str) -> None:
    flow = load_flow(FEATURE / "flows" / "booking.yaml")
    titles = {o.title for s in flow.states.values() if s.ask for o in s.ask.buttons}
    titles |= {o.title for s in flow.states.values() if s.expect for o in s.expect.options}
    titles |= {"Services", "Choose a day", "Choose a time", "Your bookings"}  # list buttons
    catalog = {str(m.id): m.string for m in CATALOG.read(language) if m.id}
    assert {title: catalog[title] for title in titles if len(str(catalog[title])) > 20} == {}
