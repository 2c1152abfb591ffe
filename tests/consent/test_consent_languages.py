"""The consent confirmations in the business's language, or in the customer's remembered one."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.business import BusinessConfig, parse_business
from storage.db import transaction
from storage.models import Contact
from tests.consent.conftest import CUSTOMER, SHOP_YAML
from tests.consent.test_consent import say, texts
from tests.helpers import Clock, PostWebhook

STOPPED_ES = "Ya no recibirás ofertas de Bella Bakery. Envía ALTA para volver a recibirlas."
STARTED_ES = "Volverás a recibir ofertas de Bella Bakery. Envía BAJA para dejar de recibirlas."
STOPPED_ID = (
    "Anda tidak akan menerima penawaran dari Bella Bakery lagi. Kirim BERLANGGANAN untuk"
    " menerimanya lagi."
)


@pytest.fixture
def business() -> BusinessConfig:
    """The test bakery, in Spain: ``locale: es_ES`` alone makes Spanish its language."""
    return parse_business(SHOP_YAML.replace("locale: en_GB", "locale: es_ES", 1), "shop.yaml")


def test_a_spanish_shop_confirms_in_spanish(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock
) -> None:
    say(post_webhook, clock, "baja")
    say(post_webhook, clock, "alta")
    assert texts(sent) == [STOPPED_ES, STARTED_ES]


def test_the_customers_remembered_language_wins(
    post_webhook: PostWebhook, sent: list[dict[str, Any]], clock: Clock, engine: Engine
) -> None:
    say(post_webhook, clock, "hola")
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == CUSTOMER)).one()
        contact.language = "id"
        session.add(contact)
    before = len(texts(sent))
    say(post_webhook, clock, "berhenti")
    assert texts(sent)[before:] == [STOPPED_ID]
