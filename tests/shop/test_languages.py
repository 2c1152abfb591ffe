"""The shop in the customer's language: Spanish end to end, Portuguese and Indonesian samples.

The business file's ``language`` (or the customer's remembered one, ``Contact.language``) picks
the catalog; amounts and dates are written by Babel the way that language writes them, and the
business's own catalog (``locales/`` next to its file) translates its products' words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

import flows
from flows.features.business import BusinessConfig, load_business
from flows.features.shop.cart import add_item, out_of_stock
from flows.features.shop.catalog import availability
from flows.features.shop.order_status import mark_paid, update_order_status
from flows.features.shop.orders import pickup_time
from storage.db import transaction
from storage.models import Contact
from tests.shop.conftest import PlaceOrder
from tests.shop.shopkit import (
    ANA,
    BEN,
    NOW,
    SHOP_FILE,
    ShopChat,
    add_contact,
    outbox_payloads,
    row_ids,
    visible,
)

MakeChat = Callable[..., ShopChat]
NB = "\u00a0"
"""The no-break space Babel puts between an amount and its currency sign."""

BUSINESS_CATALOG = """\
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Chocolate cake"
msgstr "Tarta de chocolate"

msgid "Dark chocolate sponge with ganache"
msgstr "Bizcocho de chocolate negro con ganache"

msgid "Cakes"
msgstr "Tartas"
"""


@pytest.fixture
def spanish(tmp_path: Path) -> BusinessConfig:
    """The test bakery with ``language: es`` and ``locale: es_ES``, and its own Spanish
    catalog for some of its products' words; closed on Sundays."""
    text = SHOP_FILE.read_text(encoding="utf-8")
    assert "  locale: en_GB\n" in text
    text = text.replace("  locale: en_GB\n", "  locale: es_ES\n  language: es\n", 1)
    days = "".join(f"  {day}: 09:00-20:00\n" for day in ("mon", "tue", "wed", "thu", "fri", "sat"))
    text += f"hours:\n{days}  sun: closed\n"
    file = tmp_path / "business.yaml"
    file.write_text(text, encoding="utf-8")
    folder = tmp_path / "locales" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(BUSINESS_CATALOG, encoding="utf-8")
    return load_business(file)


def _remember(engine: Engine, wa_id: str, language: str) -> None:
    """The customer ``wa_id`` chose ``language`` (their contact row remembers it)."""
    with transaction(engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == wa_id)).first()
        contact = contact or add_contact(session, wa_id)
        contact.language = language
        session.add(contact)


def test_the_shops_catalogs_are_complete() -> None:
    assert flows.catalog_problems() == []


def test_a_spanish_purchase_end_to_end(make_shop_chat: MakeChat, spanish: BusinessConfig) -> None:
    chat = make_shop_chat(config=spanish)
    welcome, _ask = chat.deliver({"type": "text", "text": {"body": "tienda"}})
    assert visible(welcome) == "¡Te damos la bienvenida a Bella Bakery! ¿Qué te gustaría ver?"
    assert welcome["interactive"]["action"]["button"] == "Categorías"
    [products, question] = chat.pick("cat:cakes", "Tartas")
    assert visible(products) == "Tartas: toca *Productos* para elegir."
    [choc, lemon, _tart] = products["interactive"]["action"]["sections"][0]["rows"]
    assert choc["title"] == "Tarta de chocolate"
    # a row's words are shortened to fit, with plain spaces
    assert choc["description"].startswith("27,50 € · quedan 5 · Bizcocho de chocolate negro")
    assert lemon["description"] == "18,00 € · queda 1"
    assert (
        visible(question)
        == "Toca *Productos* para elegir uno, o escribe *volver* para ver las categorías."
    )
    card, ask = chat.pick("prod:choc", "Tarta de chocolate")
    assert visible(card) == (
        f"*Tarta de chocolate*\n27,50{NB}€\nBizcocho de chocolate negro con ganache\nQuedan 5"
    )
    assert visible(ask) == "¿Cuántas unidades quieres? Envía un número del 1 al 5."
    assert chat.say("muchos") == ["Envía la cantidad como un número del 1 al 5, por ejemplo 2."]
    [cart] = chat.deliver({"type": "text", "text": {"body": "dos"}})
    assert visible(cart) == f"2 × Tarta de chocolate — 55,00{NB}€\nSubtotal: 55,00{NB}€"
    buttons = [b["reply"]["title"] for b in cart["interactive"]["action"]["buttons"]]
    assert buttons == ["Pagar pedido", "Seguir comprando", "Cambiar carrito"]
    [how] = chat.tap("checkout", "Pagar pedido")
    assert visible(how) == "¿Quieres recoger tu pedido o que te lo llevemos?"
    [when] = chat.tap("pickup", "Recoger")
    assert "como *mañana 11:00*" in visible(when)
    assert chat.say("domingo 11:00") == ["No abrimos ningún domingo. Elige otro día, por favor."]
    assert chat.say("mañana 21:00") == [
        "El martes, 4 de marzo abrimos 9:00-20:00. Elige una hora en ese horario, por favor."
    ]
    [summary] = chat.deliver({"type": "text", "text": {"body": "mañana a las 11:00"}})
    assert summary["interactive"]["header"]["text"] == "Tu pedido"
    assert visible(summary) == (
        f"2 × Tarta de chocolate — 55,00{NB}€\nRecogida en Calle Mayor 1, Madrid\n"
        f"Cuándo: mar, 4 mar a las 11:00\nTotal: 55,00{NB}€"
    )
    pay, placed = chat.tap("place", "Hacer pedido")
    number = chat.slots["order"]["number"]
    assert pay["interactive"]["action"]["parameters"]["display_text"] == f"Pagar 55,00{NB}€"
    assert visible(pay) == (
        f"Pedido {number}: 55,00{NB}€.\nToca el botón para pagar de forma segura. "
        "Te guardamos los artículos 30 minutos."
    )
    assert visible(placed) == (
        f"Tu número de pedido es *{number}*. Te lo confirmaremos aquí en cuanto llegue tu pago. "
        "Envía *pedidos* cuando quieras para seguirlo."
    )


def test_an_english_customer_of_a_spanish_shop_keeps_english(
    engine: Engine, make_shop_chat: MakeChat, spanish: BusinessConfig
) -> None:
    _remember(engine, ANA, "en")
    chat = make_shop_chat(config=spanish)
    chat.say("shop")
    chat.pick("cat:cakes")
    _card, ask = chat.pick("prod:choc")
    assert visible(ask) == "How many would you like? Send a number from 1 to 5."
    # English words, amounts as English is written in Spain
    assert chat.say("2") == [f"2 × Chocolate cake — 55,00{NB}€\nSubtotal: 55,00{NB}€"]


def test_an_indonesian_customer_is_answered_in_indonesian(
    engine: Engine, make_shop_chat: MakeChat
) -> None:
    _remember(engine, BEN, "id")
    chat = make_shop_chat(wa_id=BEN, name="Budi")
    welcome, _ask = chat.deliver({"type": "text", "text": {"body": "belanja"}})
    assert visible(welcome) == "Selamat datang di Bella Bakery! Apa yang ingin Anda lihat?"
    assert row_ids(welcome) == ["cat:cakes", "cat:cookies", "cat:digital"]
    chat.pick("cat:cakes")
    _card, ask = chat.pick("prod:lemon")
    assert (
        visible(ask) == "Hanya bisa memesan satu: kirim *1* untuk menambahkannya ke keranjang Anda."
    )
    assert chat.say("2") == ["Hanya bisa memesan satu Lemon cake sekaligus."]
    assert chat.say("1") == ["1 × Lemon cake — €18,00\nSubtotal: €18,00"]


def test_a_portuguese_customer_of_a_manual_shop_gets_the_instructions_in_portuguese(
    engine: Engine, make_shop_chat: MakeChat, manual_business: BusinessConfig
) -> None:
    _remember(engine, ANA, "pt_BR")
    chat = make_shop_chat(config=manual_business)
    chat.say("loja")
    chat.pick("cat:cakes")
    chat.pick("prod:choc")
    assert chat.say("1") == [f"1 × Chocolate cake — €{NB}27,50\nSubtotal: €{NB}27,50"]
    [how] = chat.tap("checkout")
    assert visible(how) == "Você quer retirar seu pedido ou recebê-lo em casa?"
    chat.tap("delivery")
    chat.tap("type")
    [summary] = chat.deliver({"type": "text", "text": {"body": "Rua Augusta 10, São Paulo"}})
    assert visible(summary) == (
        f"1 × Chocolate cake — €{NB}27,50\nEntrega: €{NB}3,50\nTotal: €{NB}31,00\n"
        "Entregar em: Rua Augusta 10, São Paulo"
    )
    # The business's own instructions are in no catalog: sent as written, amounts in Portuguese.
    [instructions, placed] = chat.say("Fazer pedido")
    number = chat.slots["order"]["number"]
    assert instructions == f"Bizum €{NB}31,00 to 600 000 000, concept {number}."
    assert placed.startswith(f"O número do seu pedido é *{number}*.")


def test_a_staff_status_change_reaches_the_customer_in_their_remembered_language(
    engine: Engine, business: BusinessConfig, place_order: PlaceOrder
) -> None:
    order = place_order(items={"choc": 1}, fulfilment="pickup")
    _remember(engine, ANA, "pt_BR")
    with transaction(engine) as session:
        mark_paid(session, business, order.number, now=NOW + timedelta(minutes=5))
        update_order_status(
            session, business, order.number, "shipped", now=NOW + timedelta(hours=1)
        )
    paid, ready = [p["text"]["body"] for p in outbox_payloads(engine, ANA)[-2:]]
    assert paid == (
        f"Recebemos o pagamento do pedido {order.number} (€{NB}27,50). Obrigado! "
        "Vamos avisar você quando estiver pronto para retirada."
    )
    assert ready == f"Seu pedido {order.number} está pronto para retirada em Calle Mayor 1, Madrid."


@pytest.mark.parametrize(
    ("left", "english", "in_spanish"),
    [
        pytest.param(
            1, "Sorry, only 1 × Lemon cake left.", "Lo siento, solo queda 1 × Lemon cake.", id="one"
        ),
        pytest.param(
            3,
            "Sorry, only 3 × Lemon cake left.",
            "Lo siento, solo quedan 3 × Lemon cake.",
            id="three",
        ),
    ],
)
def test_counts_take_the_languages_plural_form(
    spanish: BusinessConfig, left: int, english: str, in_spanish: str
) -> None:
    lemon = spanish.catalog.product("lemon")
    assert lemon is not None
    assert str(out_of_stock(lemon, left)) == english
    assert str(out_of_stock(lemon, left, texts=spanish.texts())) == in_spanish
    assert availability(left) == f"{left} left"
    assert availability(left, spanish.texts()) == ("queda 1" if left == 1 else f"quedan {left}")


def test_a_spanish_cart_refuses_in_spanish(engine: Engine, spanish: BusinessConfig) -> None:
    with transaction(engine) as session, pytest.raises(flows.Refusal) as refused:
        add_item(session, spanish, ANA, "lemon", 3, NOW)
    assert str(refused.value) == "Lo siento, solo queda 1 × Lemon cake."
    with transaction(engine) as session, pytest.raises(flows.Refusal) as refused:
        pickup_time(spanish, "cuando puedas", NOW)
    assert str(refused.value) == "Envía un día y una hora, como mañana 11:00."
    with transaction(engine) as session, pytest.raises(flows.Refusal) as refused:
        pickup_time(spanish, "ayer a las 11:00", NOW)  # read in Spanish: yesterday
    assert str(refused.value) == "Esa hora ya ha pasado. Elige una más tarde."


def test_a_text_in_no_catalog_is_sent_as_written_whatever_catalogs_were_built(
    spanish: BusinessConfig,
) -> None:
    texts, other = spanish.texts(), flows.Catalogs()
    assert other.gettext("Your cart is empty.", "es") == "Tu carrito está vacío."
    assert texts("Your cart is empty.") == "Tu carrito está vacío."
    assert texts("A text in no catalog") == "A text in no catalog"
    assert other.gettext("A text in no catalog", "es") == "A text in no catalog"


def test_a_portuguese_customer_of_a_spanish_shop_orders_a_pickup_in_portuguese(
    engine: Engine, make_shop_chat: MakeChat, spanish: BusinessConfig
) -> None:
    _remember(engine, BEN, "pt_BR")
    chat = make_shop_chat(config=spanish, wa_id=BEN, name="João")
    chat.deliver({"type": "text", "text": {"body": "loja"}})
    chat.pick("cat:cakes", "Bolos")
    chat.pick("prod:choc")
    chat.deliver({"type": "text", "text": {"body": "1"}})
    chat.tap("checkout")
    chat.tap("pickup")
    [summary] = chat.deliver({"type": "text", "text": {"body": "amanhã às 11:00"}})
    assert "Quando: ter., 4 de mar. às 11:00" in visible(summary)
    _pay, placed = chat.tap("place")  # read again as the customer wrote it, not in Spanish
    assert visible(placed).startswith("O número do seu pedido é *")
