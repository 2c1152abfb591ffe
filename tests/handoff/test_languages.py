"""The hand-over to a person in the customer's language: the notice, the after-hours answer
with its opening time, and the note when the bot takes over again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from bot.sending import outbox_rows
from flows import catalog_problems, texts_for
from flows.features.business import BusinessConfig
from flows.features.handoff.handoff import after_hours_text, release, staff_alert_text
from storage.db import transaction
from storage.models import Contact
from tests.flows.flowkit import body
from tests.handoff.conftest import CUSTOMER, NOW, add_contact, menu_chat

SATURDAY_EVENING = datetime(2025, 3, 8, 18, tzinfo=ZoneInfo("Europe/Madrid"))


def test_the_catalogs_are_complete() -> None:
    assert catalog_problems() == []


def test_the_hand_over_notice_in_indonesian(engine: Engine, salon: BusinessConfig) -> None:
    chat = menu_chat(engine, salon, "id")
    chat.send("halo")
    assert [body(m) for m in chat.send("bicara dengan orang")] == [
        "Saya hubungkan Anda dengan seseorang dari tim kami. Mereka akan membalas di sini"
        " secepatnya."
    ]
    assert chat.contact.paused


def test_after_hours_in_spanish_says_when_the_team_is_back(
    engine: Engine, salon: BusinessConfig
) -> None:
    chat = menu_chat(engine, salon, "es")
    chat.clock.now = datetime(2025, 3, 9, 11, 0, tzinfo=UTC)  # a Sunday: the salon is closed
    chat.send("hola")
    assert [body(m) for m in chat.pick("person", "Hablar con una persona")] == [
        "Ahora mismo estamos cerrados. Alguien del equipo te responderá aquí cuando abramos,"
        " mañana a las 09:00.",
        "Te paso con una persona del equipo. Te responderá aquí en cuanto pueda.",
    ]


@pytest.mark.parametrize(
    ("language", "opens"),
    [
        ("en", "Monday 10 March at 09:00"),
        ("es", "el lunes 10 de marzo a las 09:00"),
        ("pt_BR", "segunda-feira, 10 de março, às 09:00"),
        ("id", "Senin, 10 Maret pukul 09:00"),
    ],
)
def test_a_later_opening_day_as_each_language_writes_it(
    salon: BusinessConfig, language: str, opens: str
) -> None:
    told = after_hours_text(salon, SATURDAY_EVENING, texts_for(language))
    assert told is not None
    assert told.endswith(f"{opens}.")


def test_the_note_after_a_release_is_in_the_customers_language(
    engine: Engine, salon: BusinessConfig
) -> None:
    add_contact(engine, CUSTOMER, wrote_ago=timedelta(minutes=5), paused=True, language="es")
    with transaction(engine) as session:  # an English business; the customer chose Spanish
        assert release(session, CUSTOMER, NOW, config=salon)
    assert body(outbox_rows(engine, CUSTOMER)[-1].payload) == (
        "Vuelves a hablar con nuestro asistente. Escribe *menu* para ver lo que puedo hacer."
    )


def test_the_staff_alert_is_in_the_business_language(salon: BusinessConfig) -> None:
    spanish = replace(salon, business=salon.business.model_copy(update={"language": "es"}))
    contact = Contact(wa_id=CUSTOMER, name="Ana {0}")  # braces in a name are text, not a field
    alert = staff_alert_text(spanish, contact, "¿Tenéis {tartas}?")
    assert alert.splitlines() == [
        f"{salon.business.name}: Ana {{0}} (+{CUSTOMER}) ha pedido hablar con una persona.",
        'Último mensaje: "¿Tenéis {tartas}?"',
        "El bot está en pausa para esta persona. Cuando termines: waflow handoff release "
        + CUSTOMER,
    ]
