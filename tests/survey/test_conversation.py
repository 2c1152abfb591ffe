"""A survey from the business file, answered through ``flows.FlowHandler`` (no Python needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from flows import FlowHandler, FlowSet, Hooks, load_flow
from flows.features.business import BusinessConfig
from flows.features.surveys import models as store
from flows.features.surveys.generated import survey_flows
from flows.features.surveys.hooks import register_survey_hooks
from storage.db import transaction
from tests.flows.flowkit import WA_ID, Chat, Clock, body, buttons, rows

FLOWS = Path(__file__).parents[2] / "flows" / "features" / "surveys" / "flows"


@pytest.fixture
def chat(engine: Engine, shop: BusinessConfig) -> Chat:
    """Ana talking to the shop's generated survey flows and ``survey.yaml``."""
    hooks = register_survey_hooks(Hooks(), shop)
    flows = FlowSet([load_flow(FLOWS / "survey.yaml"), *survey_flows(shop)])
    return Chat(engine, FlowHandler(flows, hooks), Clock())


def _stored(engine: Engine) -> dict[str, object]:
    with transaction(engine) as session:
        [(_, answers)] = store.responses(session, "feedback")
        return {
            q: None if a.skipped else (a.value_int if a.value_text is None else a.value_text)
            for q, a in answers.items()
        }


def test_a_detractor_answers_every_question(chat: Chat, engine: Engine) -> None:
    intro, stars = chat.send("feedback")
    assert body(intro) == "Two minutes of your time?"
    assert [title for _, title in rows(stars)][-1] == "⭐⭐⭐⭐⭐ 5"
    [nps] = chat.pick("4", "⭐⭐⭐⭐ 4")
    assert "(Reply with a number from 0 to 10.)" in body(nps)
    [why] = chat.send("5")
    assert buttons(why) == ["Price", "Delivery time", "Packaging"]
    [again] = chat.tap("price", "Price")
    assert buttons(again) == ["Yes", "No"]
    [fix] = chat.send("nope")
    assert body(fix) == "What would make you order again?"
    [comment] = chat.send("Cheaper delivery")
    assert buttons(comment) == ["Skip"]
    [thanks] = chat.tap("skip", "Skip")
    assert body(thanks) == "Thank you for your answers!"
    assert _stored(engine) == {
        "stars": 4,
        "nps": 5,
        "why": "price",
        "again": 0,
        "fix": "Cheaper delivery",
        "comment": None,
    }


def test_a_promoter_skips_the_conditional_questions(chat: Chat, engine: Engine) -> None:
    chat.send("survey")
    chat.send("5")
    [again] = chat.send("10")
    assert body(again) == "Would you order again?"
    [comment] = chat.tap("yes", "Yes")
    assert body(comment) == "Anything else?"
    chat.send("Lovely cakes")
    assert _stored(engine) == {"stars": 5, "nps": 10, "again": 1, "comment": "Lovely cakes"}


@pytest.mark.parametrize(
    ("replies", "expected"),
    [
        pytest.param([], "How was your order?", id="start"),
        pytest.param(["4"], "How likely are you to recommend us?", id="after-rating"),
        pytest.param(["4", "5"], "What should we improve?", id="detractor-is-asked-why"),
        pytest.param(["4", "9"], "Would you order again?", id="promoter-skips-why"),
        pytest.param(["4", "9", "no"], "What would make you order again?", id="no-asks-fix"),
        pytest.param(["4", "9", "yes"], "Anything else?", id="yes-skips-fix"),
        pytest.param(["4", "9", "yes", "skip"], "Thank you for your answers!", id="the-end"),
    ],
)
def test_the_next_question_follows_the_conditions(
    chat: Chat, replies: list[str], expected: str
) -> None:
    *_, question = chat.send("feedback")
    for reply in replies:
        *_, question = chat.send(reply)
    assert body(question).startswith(expected)


@pytest.mark.parametrize(
    ("answers", "reply"),
    [
        pytest.param(["6"], "Please choose one of the options.", id="rating-6"),
        pytest.param(["0"], "Please choose one of the options.", id="rating-0"),
        pytest.param(["4", "eleven"], "Please answer with a number from 0 to 10.", id="nps-eleven"),
        pytest.param(["4", "11"], "Please answer with a number from 0 to 10.", id="nps-11"),
        pytest.param(
            ["4", "skip"], "Please answer with a number from 0 to 10.", id="nps-not-optional"
        ),
        pytest.param(["4", "9", "maybe"], "Please choose one of the options.", id="yes-no-maybe"),
        pytest.param(
            ["4", "9", "no", "x" * 51],
            "That is a bit long: please keep it under 50 characters.",
            id="text-too-long",
        ),
    ],
)
def test_bad_answers_are_asked_again(chat: Chat, answers: list[str], reply: str) -> None:
    chat.send("feedback")
    for answer in answers[:-1]:
        chat.send(answer)
    state = chat.conversation.state
    assert chat.say(answers[-1]) == [reply]
    assert chat.conversation.state == state


def test_once_per_contact(chat: Chat, engine: Engine) -> None:
    for answer in ("feedback", "5", "9", "yes", "skip"):
        chat.send(answer)
    assert chat.say("feedback") == ["You have already answered this survey. Thank you!"]
    with transaction(engine) as session:
        assert store.response_count(session, "feedback") == 1


def test_a_repeatable_survey_can_be_answered_again(chat: Chat, engine: Engine) -> None:
    for _ in range(2):
        assert chat.say("quick") == ["Was everything fine?"]
        assert chat.say("yes") == ["Thank you for your answers!"]
    with transaction(engine) as session:
        assert store.response_count(session, "quick") == 2


def test_stop_closes_the_survey_without_saving(chat: Chat, engine: Engine) -> None:
    chat.send("feedback")
    chat.send("3")
    assert chat.say("quit") == ["OK, the survey is closed. Thank you!"]
    with transaction(engine) as session:
        assert store.response_count(session, "feedback") == 0


def test_the_invitation_starts_the_survey(chat: Chat) -> None:
    [invite] = chat.send("surveys")
    assert buttons(invite) == ["Begin", "Not now"]
    intro, _ = chat.tap("survey:feedback", "Begin")
    assert body(intro) == "Two minutes of your time?"


def test_not_now(chat: Chat) -> None:
    chat.send("surveys")
    assert [body(p) for p in chat.tap("survey_later", "Not now")] == ["No problem. Thank you!"]


def test_no_survey_left_to_answer(chat: Chat, engine: Engine) -> None:
    with transaction(engine) as session:
        store.record_response(
            session, "feedback", WA_ID, [], once_per_contact=True, now=chat.clock.now
        )
    [invite] = chat.send("surveys")
    assert body(invite) == "Would you answer a few quick questions (quick)?"
