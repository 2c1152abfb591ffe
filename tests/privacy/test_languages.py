"""The privacy answers in the customer's language: "my data", and "delete my data" with its
question, the YES or NO in their words and the confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows import catalog_problems
from storage.db import transaction
from storage.models import Contact
from tests.helpers import Clock, PostWebhook
from tests.privacy.conftest import ANA, say
from tests.privacy.test_chat import requests, texts

QUESTION_ES = (
    "¿Borramos los datos que Miga Bakery guarda sobre ti: tus mensajes, la conversación y tus"
    " datos de contacto? Los pedidos y las reservas se conservan para la contabilidad, sin tu"
    " nombre ni tu número. Responde SÍ para borrarlos o NO para conservarlos."
)


def speaks(engine: Engine, language: str) -> None:
    """Ana's remembered language."""
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == ANA.wa_id)).one()
        contact.language = language
        session.add(contact)


def test_the_catalogs_are_complete() -> None:
    assert catalog_problems() == []


def test_delete_my_data_in_spanish(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, ANA, "hola")
    speaks(engine, "es")
    say(post_webhook, clock, ANA, "Borrar mis datos")
    assert texts(sent)[-1] == QUESTION_ES
    say(post_webhook, clock, ANA, "quizás")
    assert texts(sent)[-1] == "Responde SÍ para borrar tus datos o NO para conservarlos, por favor."
    say(post_webhook, clock, ANA, "SÍ")
    assert texts(sent)[-1] == (
        "Tus datos se borrarán en un minuto. Este es el último mensaje de Miga Bakery, salvo que"
        " vuelvas a escribirnos."
    )
    assert requests(engine) == [(ANA.wa_id, "erase", "pending")]


def test_a_no_in_indonesian(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, ANA, "halo")
    speaks(engine, "id")
    say(post_webhook, clock, ANA, "hapus data saya")
    assert texts(sent)[-1].endswith("Balas YA untuk menghapus atau TIDAK untuk menyimpannya.")
    say(post_webhook, clock, ANA, "Tidak")
    assert texts(sent)[-1] == "Tidak ada yang dihapus."
    assert requests(engine) == [(ANA.wa_id, "erase", "cancelled")]


def test_my_data_in_portuguese(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, ANA, "oi")
    speaks(engine, "pt_BR")
    say(post_webhook, clock, ANA, "meus dados")
    assert texts(sent)[-1] == (
        "Anotamos seu pedido: Miga Bakery vai enviar a você uma cópia dos dados que guardamos"
        " sobre você."
    )


@pytest.mark.parametrize("business", ["  public_url: https://shop.example\n"], indirect=True)
def test_the_datas_caption_in_spanish(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, ANA, "hola")
    speaks(engine, "es")
    say(post_webhook, clock, ANA, "mis datos")
    assert sent[-1]["document"]["caption"] == (
        "Los datos que Miga Bakery guarda sobre ti (el enlace funciona durante una hora)."
    )
