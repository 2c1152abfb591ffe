"""The main menu, the "help" word and paged lists in the customer's language."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from bot.messages import Row
from flows import Texts, catalog_problems, texts_for
from flows.features.business import BusinessConfig, list_page, paginate
from flows.features.business.picks import resolve
from tests.business.catalogkit import flow_texts, missing
from tests.flows.flowkit import body, rows
from tests.handoff.conftest import menu_chat

MAIN_MENU = Path(__file__).parents[2] / "flows/features/business/flows/main_menu.yaml"
HELP_PT = (
    "Envie *menu* para ver o menu, *pedidos* para acompanhar um pedido, *carrinho* para ver seu"
    " carrinho, *minhas reservas* para suas reservas, *idioma* para mudar o idioma ou *pessoa*"
    " para falar com alguém."
)


def test_every_text_of_the_main_menu_is_in_a_catalog() -> None:
    assert missing(flow_texts(MAIN_MENU)) == []
    assert catalog_problems() == []


def test_the_main_menu_and_help_in_portuguese(engine: Engine, salon: BusinessConfig) -> None:
    chat = menu_chat(engine, salon, "pt_BR")
    [menu] = chat.send("oi, menu")  # not a trigger: the main menu is the default flow
    assert body(menu) == "Olá Ana! Como posso ajudar você?"
    assert menu["interactive"]["action"]["button"] == "Menu"
    assert [title for _, title in rows(menu)] == [
        "Loja",
        "Acompanhar meu pedido",
        "Agendar um horário",
        "Dar minha opinião",
        "Falar com alguém",
    ]
    described = menu["interactive"]["action"]["sections"][0]["rows"][0]["description"]
    assert described == "Veja o catálogo e faça seu pedido"
    assert [body(m) for m in chat.send("ajuda")] == [HELP_PT, body(menu)]  # then the menu again
    assert [body(m) for m in chat.send("loja")] == ["purchase here"]  # a title typed


def test_a_spanish_menu_answers_a_wrong_pick_in_spanish(
    engine: Engine, salon: BusinessConfig
) -> None:
    chat = menu_chat(engine, salon, "es")
    [menu] = chat.send("hola")
    assert body(menu) == "¡Hola Ana! ¿En qué puedo ayudarte?"
    assert body(chat.send("pizza")[0]).startswith("Elige una opción del menú, por favor.")
    assert [body(m) for m in chat.send("Seguir mi pedido")] == ["track_order here"]


ITEMS = [Row(f"item:{n}", f"Item {n}") for n in range(20)]


def test_paged_lists_in_the_customers_language() -> None:
    texts = texts_for("es")
    page = paginate(ITEMS, 1, texts)
    navigation = [(row.title, row.description) for row in page.rows[-2:]]
    assert navigation == [("◀ Anterior", "Página 1 de 3"), ("Más ▶", "Página 3 de 3")]
    message = list_page("34600111222", ITEMS, body="Elige", page=1, texts=texts)
    assert message["interactive"]["footer"]["text"] == "Página 2 de 3"
    assert message["interactive"]["action"]["button"] == "Ver opciones"
    for typed, wanted in [("más", "page:2"), ("Anterior", "page:0"), ("more", "page:2")]:
        assert resolve(None, typed, page.rows, ITEMS) == wanted, typed


def test_paged_lists_in_english() -> None:
    page = paginate(ITEMS, 1, Texts())
    assert [row.title for row in page.rows[-2:]] == ["◀ Previous", "More ▶"]
    assert resolve(None, "previous", page.rows, ITEMS) == "page:0"
    message = list_page("34600111222", ITEMS, body="Pick", page=2, texts=Texts())
    assert message["interactive"]["action"]["button"] == "See options"
    assert message["interactive"]["footer"]["text"] == "Page 3 of 3"
