"""Order tracking in the customer's language: the flow's texts, the list of orders, amounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import responses
from sqlalchemy.engine import Engine

from flows import FlowHandler, Hooks, catalog_problems, load_flows
from flows.features.business import BusinessConfig
from flows.features.shop.catalog_orders import CatalogOrders
from flows.features.shop.hooks import register_shop_hooks
from flows.features.shop.payments import make_provider
from flows.features.tracking.hooks import register_tracking_hooks
from tests.business.catalogkit import flow_texts, missing
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import SHOP_FLOWS, STRIPE_ENV, ShopChat, row_ids, visible

TRACK_ORDER = Path(__file__).parents[2] / "flows/features/tracking/flows/track_order.yaml"


def chat_in(
    language: str, engine: Engine, business: BusinessConfig, _stripe: responses.RequestsMock
) -> ShopChat:
    """Ana talking to the shop and tracking flows of a bot whose language is ``language``."""
    provider = make_provider(business, environ=STRIPE_ENV)
    hooks = register_tracking_hooks(
        register_shop_hooks(Hooks(), business, provider=provider), business
    )
    flows = FlowHandler(load_flows(*SHOP_FLOWS), hooks, language=language, locale="es_ES")
    return ShopChat(engine, CatalogOrders(flows, business))


def list_of(payload: dict[str, Any]) -> tuple[str, list[str]]:
    """A list message's button and its rows' descriptions."""
    action = payload["interactive"]["action"]
    rows = [row.get("description", "") for s in action["sections"] for row in s["rows"]]
    return action["button"], rows


def test_every_text_of_the_flow_is_in_a_catalog() -> None:
    assert missing(flow_texts(TRACK_ORDER)) == []
    assert catalog_problems() == []


def test_tracking_an_order_in_spanish(
    engine: Engine,
    business: BusinessConfig,
    place_order: PlaceOrder,
    stripe_api: responses.RequestsMock,
) -> None:
    chat = chat_in("es", engine, business, stripe_api)
    order = place_order(chat.wa_id, items={"choc": 1}, now=chat.now)
    chat.replies()
    listing, question = chat.deliver({"type": "text", "text": {"body": "mis pedidos"}})
    assert visible(listing) == "Tus últimos pedidos:"
    button, [description] = list_of(listing)
    assert button == "Tus pedidos"
    assert description.endswith(" · 27,50\xa0€")  # the amount as Spanish writes it
    assert visible(question) == (
        f"Toca *Tus pedidos* o escribe un número de pedido, por ejemplo {order.number}."
    )
    [shown] = chat.pick(f"order:{order.number}", order.number)
    assert visible(shown).splitlines() == [  # the order's status and history in Spanish
        "Pedido BK-XXXXX: pendiente de pago",
        "1 × Chocolate cake — 27,50\xa0€",
        "Total: 27,50\xa0€",
        "Historial:",
        "03 mar 11:00 pendiente de pago",
    ]
    assert row_ids(shown) == ["pay", "other", "done"]
    assert [b["reply"]["title"] for b in shown["interactive"]["action"]["buttons"]] == [
        "Pagar ahora",
        "Otro pedido",
        "Listo",
    ]
    assert chat.say("Listo") == [
        "¡Gracias! Escribe *pedidos* cuando quieras para volver a consultarlo."
    ]


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        (
            "es",
            "Todavía no tienes pedidos. Escribe *tienda* para ver nuestros productos.",
        ),
        (
            "pt_BR",
            "Você ainda não tem pedidos. Envie *loja* para ver nossos produtos.",
        ),
        (
            "id",
            "Anda belum punya pesanan. Kirim *belanja* untuk melihat produk kami.",
        ),
    ],
)
def test_no_orders_yet_in_each_language(
    engine: Engine,
    business: BusinessConfig,
    stripe_api: responses.RequestsMock,
    language: str,
    answer: str,
) -> None:
    assert chat_in(language, engine, business, stripe_api).say("orders") == [answer]
