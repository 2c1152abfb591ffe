"""A customer switches language ("language", "idioma", a list) and the choice is remembered.

The bot is the features' own bakery (every built-in feature, as ``waflow run`` builds it) set up
in Spanish with ``locale: es_ES``; each message goes through the real pipeline (inbox, turn,
outbox) and the tests read what the customer reads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config import Config
from flows import Catalogs, Source, translate
from flows.features.business import parse_business
from flows.features.languages import LANGUAGE_NAMES
from storage.models import Contact, Conversation
from tests.shop.shopkit import ANA, ShopChat, row_ids, visible
from webhooks.bootstrap import make_handler

ROOT = Path(__file__).parents[2]
BUSINESS = ROOT / "flows" / "features" / "business" / "fixtures" / "business.yaml"

LIST_ES = "¿En qué idioma quieres que te escriba?"
ASK_ES = "Toca *Idiomas* y elige uno, o escribe su nombre."
AGAIN_ES = "Elige un idioma de la lista, por favor."
DONE_PT = "Pronto! A partir de agora vou escrever para você em português."
DONE_EN = "Done! From now on I'll write to you in English."
KEPT_ES = "Vale, sigo escribiéndote en español."
STOPPED_PT = (
    "Você não vai mais receber ofertas de Bella Bakery. Envie INSCREVER para voltar a recebê-las."
)
PICK_PRODUCT = "Tap *Products* to choose one, or type *back* for the categories."
"""The shop's question after a category: asked again, in the customer's language, after a switch."""

MakeChat = Callable[..., ShopChat]


@pytest.fixture
def make_chat(engine: Engine) -> MakeChat:
    """A customer of the bakery in Spanish (``locale: es_ES`` alone makes it Spanish)."""
    text = BUSINESS.read_text(encoding="utf-8").replace("locale: en_GB", "locale: es_ES", 1)
    business = parse_business(text, str(BUSINESS))
    handler = make_handler(Config(access_token="t", phone_number_id="1"), business)

    def make(wa_id: str = ANA) -> ShopChat:
        return ShopChat(engine, handler, wa_id=wa_id)

    return make


def rows(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    """A list message's rows: (title, description)."""
    sections = payload["interactive"]["action"]["sections"]
    return [(row["title"], row.get("description")) for s in sections for row in s["rows"]]


def stored(chat: ShopChat) -> tuple[Contact, Conversation]:
    with Session(chat.engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == chat.wa_id)).one()
        conv = session.exec(select(Conversation).where(Conversation.wa_id == chat.wa_id)).one()
        return contact, conv


def set_language(chat: ShopChat, language: str) -> None:
    with Session(chat.engine) as session:
        contact = session.exec(select(Contact).where(Contact.wa_id == chat.wa_id)).one()
        contact.language = language
        session.add(contact)
        session.commit()


def test_language_at_the_main_menu_lists_the_languages_in_their_own_names(
    make_chat: MakeChat,
) -> None:
    chat = make_chat()
    chat.say("hola")
    shown = chat.deliver({"type": "text", "text": {"body": "language"}})
    assert [visible(p) for p in shown] == [LIST_ES, ASK_ES]
    assert rows(shown[0]) == [
        ("English", None),
        ("Español", "✓ Idioma actual"),
        ("Português (Brasil)", None),
        ("Bahasa Indonesia", None),
    ]
    assert shown[0]["interactive"]["action"]["button"] == "Idiomas"
    assert row_ids(shown[0]) == ["language:en", "language:es", "language:pt_BR", "language:id"]
    assert stored(chat)[1].flow == "languages"


def test_choosing_portuguese_mid_purchase_answers_in_portuguese_where_the_customer_was(
    make_chat: MakeChat,
) -> None:
    chat = make_chat()
    chat.say("hola")
    chat.pick("shop", "Shop")
    chat.pick("cat:cakes", "Cakes")
    assert stored(chat)[1].state == "pick_product"
    assert chat.say("idioma")[0] == LIST_ES

    said = chat.pick("language:pt_BR", "Português (Brasil)")

    # confirmed in the new language, then the question the customer was at, asked again
    assert [visible(p) for p in said] == [DONE_PT, translate(PICK_PRODUCT, "pt_BR")]
    contact, conv = stored(chat)
    assert contact.language == "pt_BR"
    assert (conv.flow, conv.state, conv.status) == ("purchase", "pick_product", "active")
    assert conv.slots["category"] == "cakes"  # what was chosen is kept
    chat.say("1")  # the first product of the list, as before the switch
    assert stored(chat)[1].slots["product"]["title"] == "Chocolate cake"


def test_the_choice_is_remembered_in_a_new_conversation(make_chat: MakeChat) -> None:
    chat = make_chat()
    chat.say("idioma")  # no conversation yet: the list, then the main menu after the choice
    said = chat.say("3")
    assert said[0] == DONE_PT
    assert stored(chat)[1].flow == "main_menu"

    chat.advance(days=3)  # a new conversation, days later
    chat.say("oi")
    assert chat.say("stop") == [STOPPED_PT]  # the consent feature answers in Portuguese
    shown = chat.deliver({"type": "text", "text": {"body": "🌐"}})
    assert visible(shown[0]) == "Em qual idioma você quer que eu escreva?"
    assert ("Português (Brasil)", "✓ Idioma atual") in rows(shown[0])


def test_nonsense_at_the_list_asks_again_then_keeps_the_language(make_chat: MakeChat) -> None:
    chat = make_chat()
    chat.say("hola")
    chat.say("idioma")
    assert chat.say("klingon") == [AGAIN_ES]
    assert stored(chat)[1].state == "choose"
    assert chat.say("esperanto") == [AGAIN_ES]

    said = chat.say("volapük")  # out of retries: the language stays, back at the menu

    assert said[:2] == [AGAIN_ES, KEPT_ES]
    contact, conv = stored(chat)
    assert contact.language is None
    assert (conv.flow, conv.state, conv.status) == ("main_menu", "menu", "active")


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("2", "es"),
        ("spanish", "es"),
        ("Portugués", "pt_BR"),
        ("indonesia", "id"),
        ("Inglés", "en"),
        ("port", "pt_BR"),
    ],
)
def test_the_list_reads_a_number_or_a_name_in_any_language(
    make_chat: MakeChat, typed: str, language: str
) -> None:
    chat = make_chat()
    chat.say("hola")
    chat.say("idioma")
    chat.say(typed)
    assert stored(chat)[0].language == language


def test_a_languages_own_name_switches_at_once_from_any_question(make_chat: MakeChat) -> None:
    chat = make_chat()
    chat.say("hola")
    chat.pick("shop", "Shop")
    said = chat.say("English")
    assert said[0] == DONE_EN
    contact, conv = stored(chat)
    assert contact.language == "en"
    assert (conv.flow, conv.state) == ("purchase", "pick_category")


def test_an_unknown_stored_language_falls_back_to_the_business_language(
    make_chat: MakeChat,
) -> None:
    chat = make_chat()
    chat.say("hola")
    set_language(chat, "xx")
    shown = chat.deliver({"type": "text", "text": {"body": "lang"}})
    assert [visible(p) for p in shown] == [LIST_ES, ASK_ES]
    assert ("Español", "✓ Idioma actual") in rows(shown[0])


def test_every_language_has_its_own_name() -> None:
    from flows import LANGUAGES

    assert set(LANGUAGE_NAMES) == set(LANGUAGES)


def test_catalogs_of_several_businesses_share_waflows_without_looping(tmp_path: Path) -> None:
    # waflow's compiled catalogs are shared: chaining them for one business must not link
    # them for another (the engine's and this feature's catalogs are two of them)
    first, second = Catalogs(Source(tmp_path / "a")), Catalogs(Source(tmp_path / "b"))
    for catalogs in (first, second, Catalogs()):
        assert catalogs.gettext("Languages", "es") == "Idiomas"
        assert catalogs.gettext("not a message", "es") == "not a message"


def test_asking_for_the_list_twice_still_leads_back_to_the_question(make_chat: MakeChat) -> None:
    chat = make_chat()
    chat.say("hola")
    chat.pick("shop", "Shop")
    chat.pick("cat:cakes", "Cakes")
    assert chat.say("language")[0] == LIST_ES
    assert chat.say("languages")[0] == LIST_ES  # at the list itself: the list again
    chat.say("bahasa indonesia")
    contact, conv = stored(chat)
    assert contact.language == "id"
    assert (conv.flow, conv.state, conv.slots["category"]) == ("purchase", "pick_product", "cakes")
