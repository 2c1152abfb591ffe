"""The flow engine's :class:`~bot.turn.Handler`: which flow and which event each message leads to.

This module owns :class:`FlowHandler`, which the runtime calls once per inbound message. It decides,
in order: stay silent (the contact is paused; reactions, revokes and system notices answer nothing),
thank for an answer to a call permission request (unless a flow's payload trigger takes it), read an
edit as the corrected answer or acknowledge it once, recover a conversation whose flow or state
vanished, expire a timed-out session (from stored timestamps and ``turn.now``, never timers), switch
flows on an explicit trigger (an ad referral, a template button, a stale menu tap), fire a global
intent, or read the message as the answer. A message that starts a conversation is routed by
triggers, then the default flow, then the main menu. The per-turn mechanics live in
:mod:`flows._conversation`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot import inbound
from bot.config import mask
from flows._choice import IntentIndex
from flows._compile import Compiler, effective_intents
from flows._conversation import LoopGuard, Runner
from flows._flowset import FlowSet
from flows._hooks import Hooks
from flows._i18n import BUILTIN, SOURCE, Catalogs, Texts, language_of, texts_for
from flows._inputs import typed_text
from flows._model import END, HANDOFF, Flow, Intent, State, flow_target
from flows._moments import localize

if TYPE_CHECKING:
    from bot.turn import Turn
    from storage.models import Contact

log = logging.getLogger(__name__)

_SILENT = (inbound.ReactionMessage, inbound.RevokeMessage, inbound.SystemMessage)
# Keys of the conversation's data: the customer's latest message, when an edit of it can
# correct it, with where the conversation waited before it; and the ids of edited messages
# already acknowledged (the last _KEPT).
_EDITABLE = "editable"
_EDITS_SEEN = "edits_seen"
_KEPT = 20
_NOT_KEPT = frozenset({_EDITABLE, _EDITS_SEEN, "expires_at"})


def _snapshot(runner: Runner) -> dict[str, Any] | None:
    """The question the conversation waits at, as stored, to come back to; ``None`` if none.

    Without the engine's notes about edits, and without the deadline: the time the customer
    has to answer is counted from their answer, as for any question.
    """
    conv = runner.turn.conversation
    if conv.status != "active" or not conv.flow or not conv.state:
        return None
    data = {k: v for k, v in (conv.data or {}).items() if k not in _NOT_KEPT}
    return {
        "flow": conv.flow,
        "version": conv.flow_version,
        "state": conv.state,
        "slots": dict(conv.slots or {}),
        "call_stack": [dict(frame) for frame in conv.call_stack or []],
        "data": data,
    }


def _unsupported(message: inbound.Message, kind: str) -> bool:
    """True for a message Meta sent as unsupported, naming ``kind`` as its real type."""
    return isinstance(message, inbound.UnsupportedMessage) and message.unsupported_type == kind


class FlowHandler:
    """Runs YAML flows as the bot's conversation logic (implements :class:`bot.turn.Handler`).

    Every flow is compiled when the handler is built, so a flow that names a missing state,
    flow or hook fails at startup. The texts below are the engine's own words, in English:
    they are the message ids of the ``waflow`` gettext catalogs, and each customer gets them in
    their language (docs/languages.md). Subclass to change them; a text in no catalog is sent
    as it is.

    Args:
        main_menu: The flow to fall back to (after a recovery, or when nothing else matches).
        default_flow: The flow for a message that matches no trigger; by default the flow
            with ``triggers: {default: true}``, else ``main_menu``.
        language: The default language customers are answered in (a locale tag such as
            ``es_ES``; ``en`` when unknown); a customer's remembered ``Contact.language`` wins.
        locale: The locale amounts and dates are written in when the customer's language is
            its language (``es_MX``); another language is written the way it is in that
            country when Babel knows it, else as in its most likely country.
        catalogs: The message catalogs (the business's own and waflow's; waflow's alone by
            default). The flows' texts are their message ids.

    Raises:
        FlowError: A named flow is missing, or a flow does not compile.
    """

    RECOVERED_TEXT = (
        "Sorry, this conversation was updated while you were away and I lost my place. "
        "Let's start again."
    )
    EXHAUSTED_TEXT = (
        "Sorry, I still couldn't understand. Let's stop here — send me a message to start again."
    )
    STOPPED_TEXT = "Let's stop here — send me a message to start again."
    ERROR_TEXT = "Sorry, something went wrong on our side. Please try again in a moment."
    HANDOFF_TEXT = "I'm passing you to a person. They'll answer here as soon as they can."
    INVALID_TEXT = "Sorry, that answer can't be accepted. Please try again."
    EDIT_TEXT = (
        "Got your edit, but I had already gone on with your earlier message. "
        "If something should change, please tell me in a new message."
    )
    CALL_ACCEPTED_TEXT = "Thank you! You have allowed us to call you on WhatsApp."
    CALL_REJECTED_TEXT = "OK, we won't call you. You can keep writing to us here."
    NOTHING_TEXT = "Hello! I can't help with that here yet."

    def __init__(
        self,
        flows: FlowSet,
        hooks: Hooks,
        *,
        main_menu: str | None = None,
        default_flow: str | None = None,
        language: str = SOURCE,
        locale: str | None = None,
        catalogs: Catalogs = BUILTIN,
    ) -> None:
        self.language = language_of(language)
        self.locale = locale
        self.catalogs = catalogs
        self.flows = flows
        self.hooks = hooks
        self.compiler = Compiler(flows, hooks)
        self.main_menu = flows.get(main_menu) if main_menu else None
        chosen = flows.get(default_flow) if default_flow else flows.default
        self.default_flow = chosen or self.main_menu
        for flow in flows:
            self.compiler.get(flow)
        self._fresh_intents = IntentIndex.of(
            effective_intents(self.default_flow, flows)
            if self.default_flow
            else flows.shared_intents()
        )

    def texts(self, contact: Contact) -> Texts:
        """The words and formats of ``contact``: their remembered language, else the default."""
        return texts_for(
            contact.language, self.language, locale=self.locale, catalogs=self.catalogs
        )

    def translate(self, text: str, contact: Contact) -> str:
        """``text`` (one of the engine's words) in ``contact``'s language, else the default."""
        return self.texts(contact)(text)

    # -- the Handler contract ------------------------------------------------------------------

    def handle(self, turn: Turn) -> None:
        """Handle one inbound message; all effects go through ``turn`` (see :class:`bot.turn.Turn`).

        Raises:
            FlowError: A bug in a flow showed at run time (a template reading an undefined name,
                no ``next`` branch matching). The runtime rolls the turn back and apologises;
                an auto-advance loop is caught here instead and ends the conversation.
        """
        message, who = turn.message, mask(turn.contact.wa_id)
        if turn.contact.bot_paused(turn.now):
            log.info("%s is with a person (paused); the bot stays silent", who)
            return
        if isinstance(message, _SILENT) or _unsupported(message, "reaction"):
            log.debug("no answer to a %s from %s", message.type, who)
            return
        runner = Runner(self, turn)
        if isinstance(message, inbound.CallPermissionReply) and not self.flows.route(
            message, ("payload",)
        ):
            self._call_permission(runner, message)
            return
        if isinstance(message, inbound.EditMessage) or _unsupported(message, "edit"):
            # Meta may also send an edit as unsupported (unsupported.type "edit"), content unknown
            edited = (
                self._correction(runner, message)
                if isinstance(message, inbound.EditMessage)
                else None
            )
            if edited is None:
                self._acknowledge_edit(runner, getattr(message, "original_message_id", ""))
                return
            log.info("%s corrected their answer by editing it", who)
            turn.message = edited  # read the new content as the answer the old one was
            runner = Runner(self, turn)  # _correction may have taken the conversation back
        before = _snapshot(runner)
        try:
            self._dispatch(runner)
        except LoopGuard as exc:
            log.error("flow %s stopped: %s", runner.flow_id, exc.message)
            runner.send_text(self.ERROR_TEXT)
            runner.end("error")
        self._remember(runner, before)
        runner.commit()

    # -- edits ---------------------------------------------------------------------------------

    @staticmethod
    def _remember(runner: Runner, before: dict[str, Any] | None) -> None:
        """Note that an edit of this turn's message can correct it (see :meth:`_correction`).

        It can when the message answered a question (``before``: where the conversation
        waited) and what followed can be taken back: the conversation is still in the same
        flow, at the same depth of sub-flows, and no action hook ran. Then an edit puts the
        conversation back at ``before`` and reads the new content there.
        """
        runner.data = {k: v for k, v in runner.data.items() if k != _EDITABLE}
        if before is None or runner.status != "active" or runner.flow_id != before["flow"]:
            return
        if runner.actions == 0 and len(runner.stack) == len(before["call_stack"]):
            runner.data[_EDITABLE] = {"id": runner.turn.message.id, "back": before}

    @staticmethod
    def _correction(runner: Runner, edit: inbound.EditMessage) -> inbound.Message | None:
        """The new content of an edit that corrects an answer, with the conversation put back.

        That is an edit of the customer's latest message (nothing was sent since, but
        reactions) into something typed or tapped (an edited caption is no answer), which
        :meth:`_remember` noted as correctable. Anything else is acknowledged instead.
        """
        edited = edit.edited
        note = runner.data.get(_EDITABLE)
        if edited is None or typed_text(edited) is None or not isinstance(note, dict):
            return None
        if note.get("id") != edit.original_message_id:
            return None
        back = note.get("back")
        if not isinstance(back, dict):
            return None
        conv = runner.turn.conversation  # back to the question the edited message answered
        conv.flow, conv.flow_version, conv.state = back["flow"], back["version"], back["state"]
        conv.slots, conv.call_stack = back["slots"], back["call_stack"]
        seen = runner.data.get(_EDITS_SEEN)
        conv.data = {**back["data"], **({_EDITS_SEEN: seen} if seen else {})}
        conv.status = "active"
        return edited

    # -- kinds that are not answers ------------------------------------------------------------

    def _acknowledge_edit(self, runner: Runner, original_id: str) -> None:
        """Say once per edited message that the edit changes nothing that already happened.

        Only the list of acknowledged ids is written back: the conversation stays as it was.
        """
        conv = runner.turn.conversation
        data = dict(conv.data or {})
        seen = [i for i in data.get(_EDITS_SEEN, []) if isinstance(i, str)]
        if original_id in seen:
            log.debug("another edit of the same message from %s", mask(conv.wa_id))
            return
        conv.data = {**data, _EDITS_SEEN: [*seen[-(_KEPT - 1) :], original_id]}
        runner.send_text(self.EDIT_TEXT)

    def _call_permission(self, runner: Runner, reply: inbound.CallPermissionReply) -> None:
        """Thank for an answer to a call permission request; the conversation stays where it is.

        An automatic one (the customer called the business, or unanswered calls revoked the
        permission) gets no answer: the customer did not write.
        """
        if reply.is_permanent or reply.expires_at is None:
            how = "for good" if reply.is_permanent else "no expiry given"
        else:
            how = f"until {reply.expires_at:%Y-%m-%d %H:%M} UTC"
        log.info(
            "%s %s calls (%s, %s)",
            mask(runner.turn.contact.wa_id),
            "allows" if reply.accepted else "refuses",
            how,
            reply.response_source or "source unknown",
        )
        if not reply.automatic:
            runner.send_text(self.CALL_ACCEPTED_TEXT if reply.accepted else self.CALL_REJECTED_TEXT)

    # -- dispatch ------------------------------------------------------------------------------

    def _dispatch(self, runner: Runner) -> None:
        conv = runner.turn.conversation
        if conv.status == "active" and conv.flow and conv.state:
            state = self._resume(runner)
            if state is not None:
                self._continue(runner, state)
                return
            if runner.status == "active":
                return  # recovered, or expired into a new question: the message is consumed
        self._fresh(runner)

    def _resume(self, runner: Runner) -> State | None:
        """Load the stored conversation, recovering or expiring it; the question it waits at."""
        conv, who = runner.turn.conversation, mask(runner.turn.contact.wa_id)
        flow = self.flows.find(conv.flow or "")
        state = flow.states.get(conv.state or "") if flow else None
        if flow is None or state is None or state.kind != "ask":
            log.warning(
                "conversation of %s was at %s.%s (v%s), which no longer exists; recovering",
                who, conv.flow, conv.state, conv.flow_version,
            )  # fmt: skip
            self._recover(runner, flow)
            return None
        if conv.flow_version != flow.version:
            log.info(
                "conversation of %s moves from %s v%s to v%d",
                who,
                flow.id,
                conv.flow_version,
                flow.version,
            )
        runner.use(flow)
        if self._expired(runner, state):
            log.info("session of %s in %s.%s expired", who, flow.id, state.name)
            runner.fire("timeout")
            runner.advance()
            if runner.status != "active":
                runner.data = {**runner.data, "ended": "timeout"}
            return None
        return state

    def _recover(self, runner: Runner, flow: Flow | None) -> None:
        runner.send_text(self.RECOVERED_TEXT)
        target = self.main_menu or flow or self.default_flow
        if target is None:
            runner.end("recovered")
        else:
            runner.restart(target)

    def _expired(self, runner: Runner, state: State) -> bool:
        now = runner.turn.now
        deadline = runner.data.get("expires_at")
        if isinstance(deadline, str):
            try:
                return localize(datetime.fromisoformat(deadline), UTC) <= now
            except ValueError:
                log.warning("ignoring a bad expires_at %r", deadline)
        timeout = runner.timeout(state)
        last = runner.turn.conversation.last_inbound_at
        return timeout is not None and last is not None and localize(last, UTC) + timeout <= now

    def _continue(self, runner: Runner, state: State) -> None:
        message = runner.turn.message
        switch = self._explicit_trigger(message, state)
        if switch is not None:
            log.info("%s switches to flow %s", mask(runner.turn.contact.wa_id), switch.id)
            runner.restart(switch)
            return
        intent = self._intent(runner.compiled.index, message, state)
        if intent is not None:
            runner.fire(f"intent:{intent.name}")
            runner.advance()
            return
        if isinstance(message, inbound.RequestWelcome):
            runner.send_prompt(state)  # the chat was reopened: ask again
            return
        runner.answer(state)

    def _fresh(self, runner: Runner) -> None:
        """Start a conversation: triggers, then global intents, then the default flow."""
        message = runner.turn.message
        flow = self.flows.route(message)
        if flow is None:
            intent = self._intent(self._fresh_intents, message, None)
            if intent is not None and self._fresh_intent(runner, intent):
                return
        flow = flow or self.default_flow
        if flow is None:
            log.warning(
                "no flow for a message from %s and no default flow", mask(runner.turn.contact.wa_id)
            )
            runner.send_text(self.NOTHING_TEXT)
            return
        runner.restart(flow)

    def _fresh_intent(self, runner: Runner, intent: Intent) -> bool:
        """Act on an intent outside any conversation; ``False`` lets the default flow start."""
        owner = self.flows.get(intent.flow)
        runner.use(owner)
        runner.send(intent.say)
        if intent.goto == HANDOFF:
            runner.handoff()
            return True
        if intent.goto == END:
            runner.end("done")
            return bool(intent.say)
        target = flow_target(intent.goto or "")
        if target is not None:
            runner.start(self.flows.get(target))
        elif intent.goto is not None:
            runner.start(owner, state=intent.goto)
        else:
            return False
        runner.advance()
        return True

    # -- matching ------------------------------------------------------------------------------

    def _explicit_trigger(self, message: inbound.Message, state: State) -> Flow | None:
        """A flow the customer explicitly asked for mid-conversation, or ``None``.

        Ad referrals and template buttons always win; an interactive reply whose id is not an
        option of the current question (a tap on an older menu) wins when a payload trigger
        names it. Typed keywords never switch flows mid-conversation (use intents for that).
        """
        choice = message.choice_id
        options = {o.id for o in state.expect.options} if state.expect else set()
        explicit = message.referral is not None or isinstance(message, inbound.TemplateButtonReply)
        stale_tap = choice is not None and choice not in options and choice not in ("yes", "no")
        return self.flows.route(message, ("referral", "payload")) if explicit or stale_tap else None

    def _intent(
        self, intents: IntentIndex, message: inbound.Message, state: State | None
    ) -> Intent | None:
        """The first intent the message fires in ``state`` (``None`` state: no conversation)."""
        choice, text = message.choice_id, typed_text(message)
        options = {o.id for o in state.expect.options} if state and state.expect else set()
        if choice is not None and choice in options:
            return None  # a tap on one of this question's options is an answer
        for intent in intents.fired(choice, text):
            if state is None or state.allows(intent.name):
                return intent
        return None
