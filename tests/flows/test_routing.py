"""Which flow a message lands in, and how every kind of inbound message is answered."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import FlowError
from flows import FlowHandler, Hooks
from tests.flows import flowkit as kit
from tests.flows.flowkit import MakeChat

MENU = """\
schema: 1
flow: menu
version: 1
start: pick
triggers: {keywords: [menu], default: true}
intents:
  agent: {global: true, match: {keywords: [agent, human], payloads: [AGENT]}, say: "A person will answer.", goto: handoff}
  menu: {global: true, match: {keywords: [menu]}, goto: "flow:menu"}
states:
  pick:
    ask: "What would you like?"
    expect: {type: choice, options: [{id: order, title: Order}, {id: hours, title: Hours}]}
    save: pick
    next: [{if: "slots.pick == 'order'", goto: "flow:order"}, hours]
  hours: {say: "9 to 5.", end: true}
"""

ORDER = """\
schema: 1
flow: order
version: 1
start: ask_cake
triggers:
  keywords: [cake, "order a cake"]
  payloads: [ORDER_CAKE]
  referrals: [{headline: cakes}, {source_id: "120214582356730621"}]
slots: {cake: choice, when: date}
states:
  ask_cake:
    ask: "Which cake?"
    expect: {type: choice, options: [Lemon, Chocolate, Carrot]}
    save: cake
    next: ask_when
  ask_when:
    ask: "When?"
    expect: date
    save: when
    next: done
  done: {say: "Done.", end: true}
"""

SUPPORT = """\
schema: 1
flow: support
version: 1
start: intro
triggers: {referrals: [{ctwa: true}]}
states:
  intro: {say: "Thanks for clicking our ad!", handoff: true}
"""


@pytest.fixture
def chat(make_chat: MakeChat) -> kit.Chat:
    return make_chat(MENU, ORDER, main_menu="menu")


@pytest.mark.parametrize(
    ("message", "first_reply"),
    [
        pytest.param(kit.text("Cake!"), "Which cake?", id="keyword-forgiving"),
        pytest.param(kit.text("order a cake"), "Which cake?", id="keyword-phrase"),
        pytest.param(kit.template_button("ORDER_CAKE"), "Which cake?", id="template-payload"),
        pytest.param(kit.button("ORDER_CAKE", "Order"), "Which cake?", id="button-payload"),
        pytest.param(kit.text("hello"), "What would you like?", id="default-flow"),
        pytest.param(kit.media("sticker"), "What would you like?", id="sticker-starts-default"),
        pytest.param({"type": "request_welcome"}, "What would you like?", id="request-welcome"),
    ],
)
def test_triggers_choose_the_flow(
    chat: kit.Chat, message: dict[str, Any], first_reply: str
) -> None:
    chat.deliver(message)
    assert chat.texts[0] == first_reply


@pytest.mark.parametrize(
    ("referral", "flow"),
    [
        pytest.param(
            {"headline": "Fresh CAKES today", "source_type": "ad"}, "order", id="headline-substring"
        ),
        pytest.param(
            {"source_id": "120214582356730621", "source_type": "ad"}, "order", id="source-id"
        ),
        pytest.param({"headline": "Bread", "ctwa_clid": "ARAkL"}, "support", id="any-ctwa-ad"),
        pytest.param({"headline": "Bread", "source_type": "post"}, "menu", id="no-match-default"),
    ],
)
def test_click_to_whatsapp_referrals(
    make_chat: MakeChat, referral: dict[str, str], flow: str
) -> None:
    chat = make_chat(MENU, ORDER, SUPPORT, main_menu="menu")
    chat.deliver(kit.text("Hi! Is this available?"), referral=referral)
    assert chat.conversation.flow == flow


def test_ad_click_mid_conversation_switches_flow(make_chat: MakeChat) -> None:
    chat = make_chat(MENU, ORDER, main_menu="menu")
    chat.send("hello")
    chat.deliver(kit.text("I saw your ad"), referral={"headline": "Cakes!", "source_type": "ad"})
    assert (chat.conversation.flow, chat.texts) == ("order", ["Which cake?"])


def test_keywords_do_not_switch_flows_mid_conversation(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.send("lemon")
    assert chat.say("cake") == [  # the example date is a week from the clock
        "Sorry, I didn't understand that. Please send a date, like 10/03/2025."
    ]


def test_tap_on_an_old_menu_button_switches_flow(chat: kit.Chat) -> None:
    chat.send("hello")
    chat.tap("hours", "Hours")
    chat.send("menu")
    chat.tap("ORDER_CAKE", "Order a cake")  # a button of an earlier template
    assert chat.conversation.flow == "order"


def test_flow_target_jumps_to_another_flow(chat: kit.Chat) -> None:
    chat.send("hello")
    assert [kit.body(p) for p in chat.pick("order", "Order")] == ["Which cake?"]
    assert (chat.conversation.flow, chat.conversation.call_stack) == ("order", [])


def test_shared_menu_intent_from_another_flow(chat: kit.Chat) -> None:
    chat.send("cake")
    assert chat.say("menu") == ["What would you like?"]
    assert chat.conversation.flow == "menu"


def test_handoff_intent_without_a_conversation(chat: kit.Chat) -> None:
    assert chat.say("human") == ["A person will answer."]
    assert chat.contact.paused
    assert chat.conversation.status == "ended"


def test_handoff_state_says_its_own_words(make_chat: MakeChat) -> None:
    chat = make_chat(SUPPORT, main_menu="support")
    assert chat.say("hi") == ["Thanks for clicking our ad!"]
    assert chat.contact.paused
    assert chat.conversation.data == {"ended": "handoff"}


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(kit.reaction("❤️"), id="reaction"),
        pytest.param(kit.reaction(""), id="reaction-removed"),
        pytest.param(
            {"type": "revoke", "revoke": {"original_message_id": "wamid.OLD"}}, id="revoke"
        ),
        pytest.param(
            {
                "type": "system",
                "system": {"body": "changed", "wa_id": "1555", "type": "user_changed_number"},
            },
            id="system",
        ),
    ],
)
def test_messages_that_need_no_answer(chat: kit.Chat, message: dict[str, Any]) -> None:
    chat.send("cake")
    before = chat.conversation
    assert chat.deliver(message) == []
    after = chat.conversation
    assert (after.state, after.data) == (before.state, before.data)


def test_edits_get_a_note_and_change_nothing(chat: kit.Chat) -> None:
    chat.send("cake")
    edit = {
        "type": "edit",
        "edit": {"original_message_id": "wamid.OLD", "message": kit.text("lemon")},
    }
    chat.deliver(edit)
    assert chat.texts == [chat.handler.EDIT_TEXT]
    assert chat.conversation.state == "ask_cake"


def edit_of(original_id: str, message: dict[str, Any]) -> dict[str, Any]:
    """A message object editing the customer's message ``original_id`` into ``message``."""
    return {"type": "edit", "edit": {"original_message_id": original_id, "message": message}}


def test_an_edit_of_a_refused_answer_is_read_as_the_answer(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.deliver(kit.text("lemn"), id="wamid.TYPO")
    assert chat.texts[0].startswith("Sorry")

    chat.deliver(edit_of("wamid.TYPO", kit.text("lemon")))

    assert chat.texts == ["When?"]
    assert (chat.conversation.state, chat.conversation.slots["cake"]) == ("ask_when", "lemon")


def test_an_edit_refused_again_can_be_edited_again(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.deliver(kit.text("lemn"), id="wamid.TYPO")
    chat.deliver(edit_of("wamid.TYPO", kit.text("lemmn")))
    assert chat.conversation.state == "ask_cake"
    chat.deliver(edit_of("wamid.TYPO", kit.text("lemon")))
    assert chat.conversation.state == "ask_when"


def test_an_edit_before_the_next_answer_takes_the_conversation_back(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.deliver(kit.text("lemon"), id="wamid.OK")
    assert chat.texts == ["When?"]

    chat.deliver(edit_of("wamid.OK", kit.text("chocolate")))
    assert chat.texts == ["When?"]  # answered again, from the corrected answer
    assert (chat.conversation.state, chat.conversation.slots["cake"]) == ("ask_when", "chocolate")
    chat.deliver(edit_of("wamid.OK", kit.text("carrot")))  # and again
    assert chat.conversation.slots["cake"] == "carrot"


def test_an_edit_after_the_next_answer_is_acknowledged_once(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.deliver(kit.text("lemon"), id="wamid.OK")
    chat.deliver(kit.text("next week sometime"))  # refused: but the customer wrote again

    chat.deliver(edit_of("wamid.OK", kit.text("chocolate")))
    assert chat.texts == [chat.handler.EDIT_TEXT]
    chat.deliver(edit_of("wamid.OK", kit.text("carrot")))
    assert chat.last == []  # the same message edited again: said once is enough
    assert (chat.conversation.state, chat.conversation.slots["cake"]) == ("ask_when", "lemon")


def test_an_edit_is_acknowledged_once_an_action_hook_ran(make_chat: MakeChat, hooks: Hooks) -> None:
    saved: list[str] = []
    hooks.action("notes.save")(lambda ctx: saved.append(ctx.slots["name"]))
    chat = make_chat(NOTE)
    chat.send("note")
    chat.deliver(kit.text("Ana"), id="wamid.NAME")
    assert chat.texts == ["Anything else?"]

    chat.deliver(edit_of("wamid.NAME", kit.text("Anna")))

    assert chat.texts == [chat.handler.EDIT_TEXT]
    assert saved == ["Ana"]
    assert chat.conversation.slots["name"] == "Ana"


def test_an_edit_of_the_message_that_started_the_conversation_is_acknowledged(
    chat: kit.Chat,
) -> None:
    chat.deliver(kit.text("cake"), id="wamid.START")
    chat.deliver(edit_of("wamid.START", kit.text("menu")))
    assert chat.texts == [chat.handler.EDIT_TEXT]
    assert chat.conversation.flow == "order"


NOTE = """\
schema: 1
flow: note
version: 1
start: ask_name
triggers: {keywords: [note]}
states:
  ask_name: {ask: "Your name?", expect: text, save: name, next: keep}
  keep: {run: notes.save, next: ask_more}
  ask_more: {ask: "Anything else?", expect: text, save: more, next: done}
  done: {say: "Noted.", end: true}
"""


def test_an_edit_of_an_older_message_is_acknowledged(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.deliver(kit.text("lemn"), id="wamid.FIRST")
    chat.deliver(kit.text("lemmn"), id="wamid.SECOND")

    chat.deliver(edit_of("wamid.FIRST", kit.text("lemon")))

    assert chat.texts == [chat.handler.EDIT_TEXT]
    assert chat.conversation.state == "ask_cake"


def test_an_edited_caption_is_no_answer_and_no_cant_read(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.deliver(kit.media("image", caption="lemn"), id="wamid.PHOTO")

    chat.deliver(edit_of("wamid.PHOTO", kit.media("image", caption="lemon")))

    assert chat.texts == [chat.handler.EDIT_TEXT]
    assert chat.conversation.state == "ask_cake"


def test_an_edit_or_reaction_meta_marks_unsupported_is_not_cant_read(chat: kit.Chat) -> None:
    chat.send("cake")
    before = chat.conversation

    assert chat.deliver({"type": "unsupported", "unsupported": {"type": "reaction"}}) == []
    chat.deliver({"type": "unsupported", "unsupported": {"type": "edit"}})

    assert chat.texts == [chat.handler.EDIT_TEXT]
    after = chat.conversation
    assert (after.state, after.data["retries"]) == (before.state, before.data["retries"])


def call_permission(response: str, source: str = "user_action") -> dict[str, Any]:
    """A customer's answer to a call permission request, as Meta sends it."""
    reply = {
        "response": response,
        "is_permanent": False,
        "expiration_timestamp": "1774085520",
        "response_source": source,
    }
    return {
        "type": "interactive",
        "context": {"from": "15550783881", "id": "wamid.REQUEST"},
        "interactive": {"type": "call_permission_reply", "call_permission_reply": reply},
    }


@pytest.mark.parametrize(
    ("response", "text"),
    [("accept", FlowHandler.CALL_ACCEPTED_TEXT), ("reject", FlowHandler.CALL_REJECTED_TEXT)],
)
def test_a_call_permission_reply_is_thanked_and_the_question_stays(
    chat: kit.Chat, response: str, text: str
) -> None:
    chat.send("cake")
    before = chat.conversation

    chat.deliver(call_permission(response))

    assert chat.texts == [text]
    after = chat.conversation
    assert (after.state, after.data, after.slots) == (before.state, before.data, before.slots)


def test_an_automatic_call_permission_change_gets_no_answer(chat: kit.Chat) -> None:
    chat.send("cake")
    assert chat.deliver(call_permission("reject", source="automatic")) == []


CALLS = """\
schema: 1
flow: calls
version: 1
start: thanks
triggers: {payloads: ["call_permission:accept"]}
states:
  thanks: {say: "We will call you about your order today.", end: true}
"""


def test_a_flow_can_start_on_a_call_permission_reply(make_chat: MakeChat) -> None:
    chat = make_chat(MENU, ORDER, CALLS, main_menu="menu")
    chat.send("cake")

    chat.deliver(call_permission("accept"))

    assert chat.texts == ["We will call you about your order today."]


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(kit.media("sticker"), id="sticker"),
        pytest.param({"type": "unsupported", "unsupported": {"type": "poll_creation"}}, id="poll"),
        pytest.param({"type": "gif_party", "gif_party": {}}, id="unknown-type"),
    ],
)
def test_a_kind_the_bot_cannot_read_is_answered_once(
    chat: kit.Chat, message: dict[str, Any]
) -> None:
    chat.send("cake")
    assert len(chat.deliver(message)) == 1
    for _ in range(4):
        assert chat.deliver(message) == []
    assert chat.conversation.data["retries"] == 1  # the silent ones use up no retries
    assert chat.say("lemon") == ["When?"]


def test_each_kind_the_bot_cannot_read_gets_its_own_answer(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.deliver(kit.media("sticker"))
    chat.deliver({"type": "unsupported", "unsupported": {"type": "poll_creation"}})
    assert chat.texts[0].startswith("I can't read this kind of message yet")
    chat.deliver({"type": "unsupported", "unsupported": {"type": "pin"}})
    assert chat.texts[0].startswith("I can't read this kind of message yet")
    assert chat.say("lemn")[0].startswith("Sorry")  # text is always answered


def test_a_new_conversation_answers_a_kind_again(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.deliver(kit.media("sticker"))
    chat.send("lemon")
    chat.send("24/12/2025")  # the flow ends
    chat.send("cake")
    assert len(chat.deliver(kit.media("sticker"))) == 1


@pytest.mark.parametrize(
    ("message", "words"),
    [
        pytest.param(
            {"type": "unsupported", "unsupported": {"type": "poll_creation"}},
            "I can't read this kind of message yet",
            id="unsupported",
        ),
        pytest.param(
            {"type": "order", "order": {"catalog_id": "1", "text": "", "product_items": []}},
            "I can't read orders yet",
            id="order",
        ),
        pytest.param(kit.location(), "I can't read locations yet", id="location"),
        pytest.param(
            kit.media("document", filename="x.pdf"), "I can't read documents yet", id="document"
        ),
    ],
)
def test_every_other_message_gets_an_answer(
    chat: kit.Chat, message: dict[str, Any], words: str
) -> None:
    chat.send("cake")
    chat.deliver(message)
    assert chat.texts[0].startswith(words)
    assert kit.buttons(chat.last[0]) == ["Lemon", "Chocolate", "Carrot"]  # the question comes again


def test_paused_contact_gets_silence(chat: kit.Chat) -> None:
    chat.send("cake")
    chat.set_paused(True)
    assert chat.send("lemon") == []
    assert chat.conversation.state == "ask_cake"


def test_no_flow_at_all_still_answers(make_chat: MakeChat) -> None:
    chat = make_chat(ORDER)
    assert chat.say("hello") == [FlowHandler.NOTHING_TEXT]


def test_unknown_main_menu_is_refused() -> None:
    with pytest.raises(FlowError, match="unknown flow 'nope'"):
        FlowHandler(kit.flowset(MENU), Hooks(), main_menu="nope")


MANY = """\
schema: 1
flow: many
version: 1
start: pick
triggers: {default: true}
settings: {more_title: "More options"}
states:
  pick:
    ask: "Pick a town"
    expect:
      type: choice
      list_button: Towns
      options: [Aberdeen, Bath, Bristol, Cardiff, Derby, Dover, Ely, Exeter, Leeds, Luton, York, Zennor]
    save: town
    next: done
  done: {say: "{{ labels.town }} it is.", end: true}
"""


def test_long_choice_lists_are_paged(make_chat: MakeChat) -> None:
    chat = make_chat(MANY)
    (first,) = chat.send("hi")
    assert first["interactive"]["action"]["button"] == "Towns"
    assert kit.rows(first)[-1] == ("__more__:1", "More options")
    assert len(kit.rows(first)) == 10
    (second,) = chat.pick("__more__:1", "More options")
    assert [title for _, title in kit.rows(second)] == ["Luton", "York", "Zennor", "More options"]
    assert chat.conversation.data["retries"] == 0
    assert chat.say("2") == ["York it is."]  # ordinals count on the page shown


def test_typing_more_shows_the_next_page_and_titles_match_on_any_page(make_chat: MakeChat) -> None:
    chat = make_chat(MANY)
    chat.send("hi")
    chat.send("more")
    assert chat.conversation.data["page"] == 1
    assert chat.say("aberdeen") == ["Aberdeen it is."]


YES_NO_AND_LOCATION = """\
schema: 1
flow: survey
version: 1
start: ok
triggers: {default: true}
states:
  ok:
    ask: "Shall we deliver?"
    expect: yes_no
    save: deliver
    next: where
  where:
    ask: "Where to?"
    expect: location
    save: place
    next: bye
  bye: {say: "Delivering to {{ slots.place.name }}.", end: true}
"""


def test_yes_no_gets_buttons_and_location_gets_a_request(make_chat: MakeChat) -> None:
    chat = make_chat(YES_NO_AND_LOCATION)
    (question,) = chat.send("hi")
    assert kit.buttons(question) == ["Yes", "No"]
    (where,) = chat.tap("yes", "Yes")
    assert where["interactive"]["type"] == "location_request_message"
    assert chat.say("my house") == [
        "Sorry, I didn't understand that. Please share a location: tap 📎 (or +) and choose Location."
    ]
    chat.deliver(kit.location(51.5, -0.1, name="Tower"))
    assert chat.texts == ["Delivering to Tower."]
    assert chat.conversation.slots["deliver"] is True
