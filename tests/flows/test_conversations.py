"""Whole conversations through FlowHandler: re-prompts, intents, sub-flows, timeouts, recovery."""

from __future__ import annotations

import logging

import pytest

from bot.errors import FlowError
from flows import HookContext, Hooks, Refusal
from flows._template import ZWSP
from tests.flows import flowkit as kit
from tests.flows.flowkit import MakeChat

ORDER = """\
schema: 1
flow: order
version: 1
start: ask_qty
triggers: {default: true}
slots: {qty: integer, note: string}
settings: {max_retries: 2, session_timeout: 30m}
intents:
  help: {match: {keywords: [help, "?"]}, say: "Send how many cakes you want.", then: resume}
  cancel: {match: {keywords: [cancel]}, say: "Order cancelled.", goto: end}
  agent: {match: {keywords: [agent]}, goto: handoff}
states:
  ask_qty:
    ask: "How many cakes?"
    expect: {type: number, integer: true, min: 1, max: 5}
    reprompt:
      unrecognized: "Please send a number{% if received %} (I can't read {{ received }}){% endif %}."
      invalid: "{{ error }} We bake 1 to 5."
      on_exhausted: {say: "Let's skip that.", goto: ask_note}
    save: qty
    next:
      - {if: "slots.qty >= 4", goto: big}
      - ask_note
  big:
    say: "Big order!"
    next: ask_note
  ask_note:
    ask: "Any note for the baker?"
    interrupts: [cancel]
    expect: {type: text, max_length: 50}
    save: note
    next: done
  done:
    say: "Got it: {{ slots.qty }} cakes, note: {{ slots.note }}"
    end: true
"""


@pytest.fixture
def chat(make_chat: MakeChat) -> kit.Chat:
    """A chat on the ORDER flow (its default trigger starts it)."""
    return make_chat(ORDER)


def test_new_conversation_enters_the_start_state(chat: kit.Chat) -> None:
    assert chat.say("hello") == ["How many cakes?"]
    conversation = chat.conversation
    assert (conversation.flow, conversation.flow_version, conversation.state) == (
        "order",
        1,
        "ask_qty",
    )
    assert conversation.status == "active"


def test_answers_are_saved_and_branches_taken(chat: kit.Chat) -> None:
    chat.send("hi")
    assert chat.say("4") == ["Big order!", "Any note for the baker?"]
    assert chat.say("Less sugar") == ["Got it: 4 cakes, note: Less sugar"]
    conversation = chat.conversation
    assert conversation.slots == {"qty": 4, "note": "Less sugar"}
    assert (conversation.status, conversation.data) == ("ended", {"ended": "done"})


def test_unrecognized_and_invalid_reprompts_are_distinct(chat: kit.Chat) -> None:
    chat.send("hi")
    assert chat.say("lots") == ["Please send a number."]
    assert chat.say("9") == ["Please send a number from 1 to 5. We bake 1 to 5."]
    assert chat.conversation.data["retries"] == 2


def test_media_where_text_was_expected_is_named(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.deliver(kit.media("sticker", animated=True))
    assert chat.texts == ["Please send a number (I can't read stickers)."]


def test_default_unrecognized_names_a_voice_message(make_chat: MakeChat) -> None:
    chat = make_chat(ORDER.replace("      unrecognized: ", "      #"))
    chat.send("hi")
    chat.deliver(kit.media("audio", voice=True))
    assert chat.texts == ["I can't read voice messages yet — please reply with a number."]


def test_retries_are_capped_then_fall_back(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.send("lots")
    chat.send("heaps")
    assert chat.say("many") == ["Let's skip that.", "Any note for the baker?"]
    assert chat.conversation.state == "ask_note"
    assert chat.conversation.data["retries"] == 0


def test_exhaustion_without_fallback_apologises_and_ends(make_chat: MakeChat) -> None:
    chat = make_chat(
        ORDER.replace('      on_exhausted: {say: "Let\'s skip that.", goto: ask_note}\n', "")
    )
    chat.send("hi")
    for _ in range(2):
        chat.send("?!")
    chat.send("still no")
    assert chat.texts == [chat.handler.EXHAUSTED_TEXT]
    assert chat.conversation.status == "ended"


def test_exhaustion_after_a_refused_answer_says_why_not_that_it_did_not_understand(
    make_chat: MakeChat,
) -> None:
    chat = make_chat(
        ORDER.replace('      on_exhausted: {say: "Let\'s skip that.", goto: ask_note}\n', "")
    )
    chat.send("hi")
    for _ in range(2):
        chat.send("9")
    assert chat.say("7") == ["Please send a number from 1 to 5.", chat.handler.STOPPED_TEXT]
    assert "understand" not in chat.handler.STOPPED_TEXT
    assert chat.conversation.status == "ended"


def test_exhaustion_after_a_refused_answer_says_why_before_the_fallback(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.send("9")
    chat.send("8")
    reason, *rest = chat.say("7")
    assert reason == "Please send a number from 1 to 5."
    assert rest == ["Let's skip that.", "Any note for the baker?"]


def test_help_interrupts_and_returns_to_the_same_question(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.send("lots")
    assert chat.say("help") == ["Send how many cakes you want.", "How many cakes?"]
    assert chat.conversation.state == "ask_qty"
    assert chat.conversation.data["retries"] == 1  # help is not a failed answer
    assert chat.say("2") == ["Any note for the baker?"]


def test_cancel_ends_mid_flow(chat: kit.Chat) -> None:
    chat.send("hi")
    assert chat.say("cancel") == ["Order cancelled."]
    assert chat.conversation.status == "ended"
    assert chat.say("hello again") == ["How many cakes?"]


def test_state_opt_out_makes_intent_words_answers(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.send("2")
    assert chat.say("help") == ["Got it: 2 cakes, note: help"]  # ask_note allows only cancel


def test_handoff_intent_pauses_the_contact_and_the_bot_goes_silent(chat: kit.Chat) -> None:
    chat.send("hi")
    assert chat.say("agent") == [chat.handler.HANDOFF_TEXT]
    assert chat.contact.paused
    assert chat.send("hello?") == []
    chat.set_paused(False)
    assert chat.say("hi") == ["How many cakes?"]


def test_customer_template_syntax_is_echoed_verbatim(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.send("1")
    assert chat.say("{{ 7*7 }}") == ["Got it: 1 cakes, note: {{ 7*7 }}"]


def test_formatting_characters_from_customer_data_are_escaped(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.send("1")
    (reply,) = chat.say("*urgent* please")
    assert reply == f"Got it: 1 cakes, note: {ZWSP}*{ZWSP}urgent{ZWSP}*{ZWSP} please"


def test_literal_formatting_in_the_flow_is_kept(make_chat: MakeChat) -> None:
    chat = make_chat(
        ORDER.replace('ask: "How many cakes?"', 'ask: "How *many* cakes, {{ contact.name }}?"'),
        name="_Zoe_",
    )
    assert chat.say("hi") == [f"How *many* cakes, {ZWSP}_{ZWSP}Zoe{ZWSP}_{ZWSP}?"]


def test_very_long_text_is_refused_by_max_length(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.send("1")
    assert chat.say("x" * 5000) == ["Please keep it under 50 characters (yours has 5000)."]


@pytest.mark.parametrize(
    ("minutes", "expired"),
    [pytest.param(29, False, id="inside-timeout"), pytest.param(31, True, id="after-timeout")],
)
def test_session_timeout_uses_the_stored_clock(chat: kit.Chat, minutes: int, expired: bool) -> None:
    chat.send("hi")
    chat.send("2")
    chat.clock.advance(minutes=minutes)
    replies = chat.say("extra candles")
    if expired:  # the old order ended quietly; the message starts a new conversation
        assert replies == ["How many cakes?"]
        assert chat.conversation.slots == {}
    else:
        assert replies == ["Got it: 2 cakes, note: extra candles"]


def test_timeout_with_say_and_goto(make_chat: MakeChat) -> None:
    source = ORDER.replace(
        "settings: {max_retries: 2, session_timeout: 30m}",
        'settings: {max_retries: 2, session_timeout: 30m, on_timeout: {say: "Welcome back!", goto: ask_qty}}',
    )
    chat = make_chat(source)
    chat.send("hi")
    chat.send("2")
    chat.clock.advance(hours=3)
    assert chat.say("hello") == ["Welcome back!", "How many cakes?"]
    assert chat.conversation.state == "ask_qty"


def test_state_timeout_overrides_the_session_timeout(make_chat: MakeChat) -> None:
    chat = make_chat(
        ORDER.replace("    interrupts: [cancel]", "    interrupts: [cancel]\n    timeout: 2m")
    )
    chat.send("hi")
    chat.send("2")
    assert chat.conversation.data["expires_at"] == "2025-03-03T10:02:00+00:00"
    chat.clock.advance(minutes=3)
    assert chat.say("late note") == ["How many cakes?"]


def test_version_change_keeps_conversations_whose_state_still_exists(make_chat: MakeChat) -> None:
    chat = make_chat(ORDER.replace("version: 1", "version: 2"))
    chat.send("hi")
    chat.set_conversation(flow_version=1)
    assert chat.say("3") == ["Any note for the baker?"]
    assert chat.conversation.flow_version == 2


def test_version_change_with_a_vanished_state_recovers(
    make_chat: MakeChat, caplog: pytest.LogCaptureFixture
) -> None:
    chat = make_chat(ORDER.replace("version: 1", "version: 2"))
    chat.send("hi")
    chat.set_conversation(flow_version=1, state="ask_flavour")
    with caplog.at_level(logging.WARNING, logger="flows"):
        replies = chat.say("vanilla")
    assert replies == [chat.handler.RECOVERED_TEXT, "How many cakes?"]
    assert (chat.conversation.state, chat.conversation.flow_version) == ("ask_qty", 2)
    assert "no longer exists" in caplog.text
    assert kit.WA_ID not in caplog.text  # phone numbers are masked in logs


def test_a_deleted_flow_recovers_to_the_main_menu(make_chat: MakeChat) -> None:
    menu = ORDER.replace("flow: order", "flow: menu").replace("triggers: {default: true}\n", "")
    chat = make_chat(ORDER, menu, main_menu="menu")
    chat.send("hi")
    chat.set_conversation(flow="retired_flow")
    chat.send("1")
    assert chat.conversation.flow == "menu"
    assert chat.texts[0] == chat.handler.RECOVERED_TEXT


PARENT = """\
schema: 1
flow: shop
version: 1
start: ask_name
triggers: {default: true}
slots: {name: string, address: json, note: string}
states:
  ask_name:
    ask: "Your name?"
    save: name
    next: get_address
  get_address:
    call: address
    args: {recipient: "{{ slots.name }}", attempts: "{{ 1 + 1 }}"}
    returns: {address: full}
    next: confirm
  confirm:
    say: "Shipping to {{ slots.name }} at {{ slots.address }}"
    end: true
"""

CHILD = """\
schema: 1
flow: address
version: 1
start: ask_street
slots: {recipient: string, attempts: integer, street: string, full: string}
states:
  ask_street:
    ask: "Street for {{ slots.recipient }}? (attempts: {{ slots.attempts }})"
    save: street
    next: build
  build:
    run: address.format
    save: full
    next: end
"""


def test_sub_flow_call_and_return(make_chat: MakeChat, hooks: Hooks) -> None:
    @hooks.action("address.format")
    def format_address(ctx: HookContext) -> str:
        assert "name" not in ctx.slots  # slots are scoped per flow
        return f"{ctx.slots['street']} (for {ctx.slots['recipient']})"

    chat = make_chat(PARENT, CHILD)
    chat.send("hi")
    assert chat.say("Ana") == ["Street for Ana? (attempts: 2)"]
    conversation = chat.conversation
    assert conversation.flow == "address"
    assert conversation.slots == {"recipient": "Ana", "attempts": 2}
    assert conversation.call_stack == [
        {"flow": "shop", "version": 1, "state": "get_address", "slots": {"name": "Ana"}}
    ]
    assert chat.say("1 Main St") == ["Shipping to Ana at 1 Main St (for Ana)"]
    conversation = chat.conversation
    assert (conversation.flow, conversation.call_stack) == ("shop", [])
    assert conversation.slots == {"name": "Ana", "address": "1 Main St (for Ana)"}


def test_intent_end_inside_a_sub_flow_ends_everything(make_chat: MakeChat, hooks: Hooks) -> None:
    hooks.action("address.format")(lambda ctx: "x")
    child = CHILD.replace(
        "states:", "intents:\n  cancel: {match: {keywords: [cancel]}, goto: end}\nstates:"
    )
    chat = make_chat(PARENT, child)
    chat.send("hi")
    chat.send("Ana")
    chat.send("cancel")
    assert (chat.conversation.status, chat.conversation.call_stack) == ("ended", [])


def test_shared_intents_work_in_every_flow(make_chat: MakeChat, hooks: Hooks) -> None:
    hooks.action("address.format")(lambda ctx: "x")
    parent = PARENT.replace(
        "states:",
        'intents:\n  help: {global: true, match: {keywords: [help]}, say: "I can help.", then: resume}\nstates:',
    )
    chat = make_chat(parent, CHILD)
    chat.send("hi")
    chat.send("Ana")
    assert chat.say("help") == ["I can help.", "Street for Ana? (attempts: 2)"]


RUN = """\
schema: 1
flow: pay
version: 1
start: charge
triggers: {default: true}
slots: {receipt: json}
states:
  charge:
    on_enter: [{hook: audit.log, args: {step: charge}}]
    run: payments.charge
    args: {amount: "{{ 10 * 2 }}"}
    save: receipt
    on_error: {say: "Payment failed: {{ error }}", goto: sorry}
    next: paid
  paid:
    say: "Paid, receipt {{ slots.receipt.id }}"
    end: true
  sorry:
    say: "Please try another card."
    end: true
"""


@pytest.fixture
def audit(hooks: Hooks) -> list[str]:
    log: list[str] = []
    hooks.action("audit.log")(lambda ctx: log.append(ctx.args["step"]))
    return log


def test_run_hook_result_is_saved(make_chat: MakeChat, hooks: Hooks, audit: list[str]) -> None:
    @hooks.action("payments.charge")
    def charge(ctx: HookContext) -> dict[str, object]:
        assert ctx.args == {"amount": 20}
        assert ctx.to == kit.WA_ID
        return {"id": "R-1", "amount": ctx.args["amount"]}

    chat = make_chat(RUN)
    assert chat.say("pay") == ["Paid, receipt R-1"]
    assert chat.conversation.slots == {"receipt": {"id": "R-1", "amount": 20}}
    assert audit == ["charge"]


def test_failing_hook_follows_on_error_and_rolls_back_its_writes(
    make_chat: MakeChat, hooks: Hooks, audit: list[str]
) -> None:
    from storage.models import OutboxMessage

    @hooks.action("payments.charge")
    def charge(ctx: HookContext) -> None:
        ctx.session.add(OutboxMessage(wa_id="x", payload={"half": "written"}))
        ctx.session.flush()
        raise RuntimeError("card declined")

    chat = make_chat(RUN)
    assert chat.say("pay") == ["Payment failed: card declined", "Please try another card."]
    from sqlmodel import Session, select

    with Session(chat.engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []


@pytest.mark.parametrize(
    ("error", "level", "traceback"),
    [
        pytest.param(Refusal("card declined"), logging.INFO, False, id="expected-outcome"),
        pytest.param(RuntimeError("card declined"), logging.ERROR, True, id="bug"),
    ],
)
def test_a_refusal_is_logged_at_info_without_a_traceback(
    make_chat: MakeChat,
    hooks: Hooks,
    audit: list[str],
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    level: int,
    traceback: bool,
) -> None:
    @hooks.action("payments.charge")
    def charge(ctx: HookContext) -> None:
        raise error

    chat = make_chat(RUN)
    with caplog.at_level(logging.INFO, logger="flows"):
        assert chat.say("pay") == ["Payment failed: card declined", "Please try another card."]
    [record] = [r for r in caplog.records if "payments.charge" in r.getMessage()]
    assert (record.levelno, record.exc_info is not None) == (level, traceback)


def test_hook_can_reply_and_set_slots(make_chat: MakeChat, hooks: Hooks, audit: list[str]) -> None:
    from bot import messages

    @hooks.action("payments.charge")
    def charge(ctx: HookContext) -> dict[str, str]:
        ctx.reply(messages.text(ctx.to, "Charging…"))
        ctx.set_slot("receipt", {"id": "R-9"})
        return {"id": "R-2"}

    chat = make_chat(RUN.replace("    save: receipt\n", ""))
    assert chat.say("pay") == ["Charging…", "Paid, receipt R-9"]


def test_validate_rules_with_expressions_and_hooks(make_chat: MakeChat, hooks: Hooks) -> None:
    @hooks.validator("stock.available")
    def available(ctx: HookContext, value: int) -> bool | str:
        return value != 3 or "Only 2 left, sorry."

    source = ORDER.replace(
        "    save: qty\n",
        "    validate:\n"
        "      - {check: 'value != 2', message: 'Two is unlucky, {{ contact.name }}.'}\n"
        "      - {hook: stock.available}\n"
        "    save: qty\n",
    )
    chat = make_chat(source)
    chat.send("hi")
    assert chat.say("2") == ["Two is unlucky, Ana. We bake 1 to 5."]
    assert chat.say("3") == ["Only 2 left, sorry. We bake 1 to 5."]


def test_condition_hooks_choose_branches(make_chat: MakeChat, hooks: Hooks) -> None:
    hooks.condition("customers.vip")(lambda ctx: ctx.contact.name == "Ana")
    source = ORDER.replace(
        '      - {if: "slots.qty >= 4", goto: big}', "      - {when: customers.vip, goto: big}"
    )
    chat = make_chat(source)
    chat.send("hi")
    assert chat.say("1") == ["Big order!", "Any note for the baker?"]


LOOP = """\
schema: 1
flow: loop
version: 1
start: a
triggers: {default: true}
settings: {step_limit: 5}
states:
  a: {say: "A", next: b}
  b: {say: "B", next: a}
"""


def test_auto_advance_loop_is_stopped(
    make_chat: MakeChat, caplog: pytest.LogCaptureFixture
) -> None:
    chat = make_chat(LOOP)
    with caplog.at_level(logging.ERROR, logger="flows"):
        replies = chat.say("go")
    assert replies[-1] == chat.handler.ERROR_TEXT
    assert len(replies) <= 6
    assert chat.conversation.status == "ended"
    assert "states entered in one turn" in caplog.text


def test_no_matching_branch_is_a_flow_error(make_chat: MakeChat) -> None:
    chat = make_chat(ORDER.replace("      - ask_note\n", ""))
    chat.send("hi")
    with pytest.raises(FlowError, match="no 'next' branch of 'ask_qty' matched"):
        chat.send("1")


def test_exhaustion_can_hand_off_to_a_person(make_chat: MakeChat) -> None:
    source = ORDER.replace(
        '      on_exhausted: {say: "Let\'s skip that.", goto: ask_note}',
        '      on_exhausted: {say: "A person will help you.", goto: handoff}',
    )
    chat = make_chat(source)
    chat.send("hi")
    chat.send("lots")
    chat.send("heaps")
    assert chat.say("many") == ["A person will help you."]
    assert chat.contact.paused
    assert chat.conversation.data == {"ended": "handoff"}


def test_timeout_falls_back_to_last_inbound_at(chat: kit.Chat) -> None:
    chat.send("hi")
    chat.set_conversation(data={"retries": 0, "page": 0})  # no stored deadline
    chat.clock.advance(minutes=45)
    assert chat.say("3") == ["How many cakes?"]  # expired: started over


def test_context_names_are_published(make_chat: MakeChat) -> None:
    from flows._conversation import CONTEXT_NAMES

    names = " ".join(f"{name}={{{{ {name} is defined }}}}" for name in sorted(CONTEXT_NAMES))
    chat = make_chat(ORDER.replace('ask: "How many cakes?"', f'ask: "{names}"'))
    assert chat.say("hi") == [" ".join(f"{name}=True" for name in sorted(CONTEXT_NAMES))]
