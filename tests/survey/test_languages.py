"""Surveys in the customer's language: a survey answered in Indonesian (the customer's remembered
language, the questions from the business's own catalog), Spanish skip words and invitations,
and catalogs covering every default text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.sending import outbox_rows
from flows import SOURCE, FlowHandler, FlowSet, Hooks, load_flow, parse_flow
from flows._i18n import Source
from flows.features.business import BusinessConfig, parse_business
from flows.features.surveys import models as store
from flows.features.surveys.generated import survey_flow_data, survey_flow_yaml, survey_flows
from flows.features.surveys.hooks import register_survey_hooks
from flows.features.surveys.invites import invite, invite_message, surveys_of
from storage.db import transaction
from storage.models import Contact
from tests.booking.test_languages import flow_texts, written_texts
from tests.flows.flowkit import WA_ID, Chat, Clock, body, buttons
from tests.survey.conftest import SHOP_YAML

FEATURE = Path(__file__).parents[2] / "flows" / "features" / "surveys"
CATALOG = Source(FEATURE / "locales")
INDONESIAN = """
msgid ""
msgstr ""
"Language: id\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Two minutes of your time?"
msgstr "Boleh minta waktu Anda dua menit?"

msgid "How was your order?"
msgstr "Bagaimana pesanan Anda?"

msgid "How likely are you to recommend us?"
msgstr "Seberapa besar kemungkinan Anda merekomendasikan kami?"

msgid "What should we improve?"
msgstr "Apa yang harus kami perbaiki?"

msgid "Price"
msgstr "Harga"

msgid "Would you order again?"
msgstr "Apakah Anda akan memesan lagi?"

msgid "What would make you order again?"
msgstr "Apa yang membuat Anda mau memesan lagi?"

msgid "Anything else?"
msgstr "Ada lagi?"
"""
OPTIONAL_NPS = SHOP_YAML.replace(
    "{id: nps, type: nps, text:", "{id: nps, type: nps, optional: true, text:"
)


def _business(folder: Path, text: str = SHOP_YAML) -> BusinessConfig:
    """The shop's business file in ``folder``, with its own Indonesian catalog."""
    catalog = folder / "locales" / "id" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "messages.po").write_text(INDONESIAN, encoding="utf-8")
    return parse_business(text, str(folder / "business.yaml"))


def _chat(engine: Engine, business: BusinessConfig, language: str) -> Chat:
    """A customer who chose ``language`` earlier, talking to the business's surveys."""
    with Session(engine) as session:
        session.add(Contact(wa_id=WA_ID, name="Ana", language=language))
        session.commit()
    hooks = register_survey_hooks(Hooks(), business)
    flows = FlowSet([load_flow(FEATURE / "flows" / "survey.yaml"), *survey_flows(business)])
    info = business.business
    handler = FlowHandler(
        flows, hooks, language=info.language or "en", locale=info.locale, catalogs=business.catalogs
    )
    return Chat(engine, handler, Clock())


def test_a_survey_answered_in_indonesian(engine: Engine, tmp_path: Path) -> None:
    chat = _chat(engine, _business(tmp_path), "id")
    intro, stars = chat.send("feedback")
    assert body(intro) == "Boleh minta waktu Anda dua menit?"
    assert body(stars) == "Bagaimana pesanan Anda?"
    assert stars["interactive"]["action"]["button"] == "Pilih"
    assert chat.say("great") == ["Silakan pilih salah satu opsi."]
    [nps] = chat.pick("4", "⭐⭐⭐⭐ 4")
    assert body(nps) == (
        "Seberapa besar kemungkinan Anda merekomendasikan kami?\n\n(Balas dengan angka 0 sampai 10.)"
    )
    assert chat.say("sepuluh") == ["Silakan jawab dengan angka 0 sampai 10."]
    [why] = chat.send("5")
    assert body(why) == "Apa yang harus kami perbaiki?"
    assert buttons(why) == ["Harga", "Delivery time", "Packaging"]
    [again] = chat.send("harga")  # the translated title, typed
    assert (body(again), buttons(again)) == ("Apakah Anda akan memesan lagi?", ["Ya", "Tidak"])
    assert chat.say("tidak") == ["Apa yang membuat Anda mau memesan lagi?"]
    assert chat.say("x" * 51) == ["Agak terlalu panjang: mohon buat kurang dari 50 karakter."]
    [comment] = chat.send("Ongkos kirim lebih murah")
    assert (body(comment), buttons(comment)) == ("Ada lagi?", ["Lewati"])
    assert chat.say("lewati") == ["Terima kasih atas jawaban Anda!"]
    with transaction(engine) as session:
        [(_, answers)] = store.responses(session, "feedback")
    assert {
        q: a.value_int if a.value_text is None else a.value_text for q, a in answers.items()
    } == {
        "stars": 4,
        "nps": 5,
        "why": "price",
        "again": 0,
        "fix": "Ongkos kirim lebih murah",
        "comment": None,
    }
    assert chat.say("feedback") == ["Anda sudah menjawab survei ini. Terima kasih!"]


def test_a_spanish_customer_skips_a_number_question_with_their_word(
    engine: Engine, tmp_path: Path
) -> None:
    chat = _chat(engine, _business(tmp_path, OPTIONAL_NPS), "es")
    chat.send("feedback")
    [nps] = chat.pick("5", "⭐⭐⭐⭐⭐ 5")
    assert body(nps).endswith("\n\n(Responde con un número del 0 al 10, u *omitir*.)")
    [again] = chat.send("omitir")
    assert buttons(again) == ["Sí", "No"]
    assert chat.say("salir") == ["De acuerdo, cerramos la encuesta. ¡Gracias!"]


def test_an_invitation_in_the_customers_language(engine: Engine, shop: BusinessConfig) -> None:
    quick = surveys_of(shop)[1]
    spanish = invite_message(WA_ID, quick, shop.texts("es"))
    assert spanish["interactive"]["body"]["text"] == (
        "¿Responderías a unas preguntas rápidas (quick)?"
    )
    assert buttons(spanish) == ["Comenzar", "Ahora no"]
    now = datetime(2025, 3, 3, 9, tzinfo=UTC)
    with transaction(engine) as session:
        session.add(Contact(wa_id=WA_ID, name="Ana", language="pt_BR", last_inbound_at=now))
    with transaction(engine) as session:
        assert invite(session, shop, quick, WA_ID, now, ref="order-1") == "text"
    [row] = outbox_rows(engine, WA_ID)
    assert body(row.payload) == "Você responderia a algumas perguntas rápidas (quick)?"
    assert buttons(row.payload) == ["Começar", "Agora não"]


# -- the catalog covers every text --------------------------------------------------------------


def _english_ids() -> set[str]:
    return {str(message.id) for message in CATALOG.read(SOURCE) if message.id}


def test_the_catalog_has_every_default_text(shop: BusinessConfig) -> None:
    optional = parse_business(OPTIONAL_NPS, "shop.yaml")
    defaults: set[str] = set()
    for business in (shop, optional):
        for survey in surveys_of(business):
            written = {q.text for q in survey.questions} | {survey.intro or "", survey.title}
            written |= {o.title for q in survey.questions for o in q.options}
            generated = flow_texts(parse_flow(survey_flow_yaml(survey)))
            defaults |= {text for text in generated if text not in written}
    yaml = flow_texts(load_flow(FEATURE / "flows" / "survey.yaml"))
    code = written_texts(FEATURE)
    english = _english_ids()
    assert defaults - english == set()
    assert yaml - english == set()
    assert code - english == set()
    assert english - defaults - yaml - code == set()  # nothing left over
    assert survey_flow_data(surveys_of(shop)[0])["slots"]["question"]["type"] == "string"


@pytest.mark.parametrize("language", ["es", "pt_BR", "id"])
def test_button_titles_fit(language: str) -> None:
    catalog = {str(m.id): str(m.string) for m in CATALOG.read(language) if m.id}
    for title in ("Skip", "Yes", "No", "Choose", "Begin", "Not now"):
        assert len(catalog[title]) <= 20, (language, title)
