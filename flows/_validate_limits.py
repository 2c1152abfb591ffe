"""WhatsApp's hard limits, held against every message a flow can send, by sending it on paper.

This module owns the limit checks of ``waflow validate`` and keeps no picture of a payload of
its own: each message goes through the engine's renderer (:mod:`flows._render`) and the
builders of :mod:`bot.messages`, whose :class:`~bot.errors.LimitError` is the finding. The
renderer gets a ``fit`` that keeps text whole and a ``text`` function that chooses each
string's value. Each flow string is sent alone, every other one standing in as a short
placeholder (``p0``, ``p1``... or a URL), so each breach is reported at its own key path: as
written (a template by its literal parts: an error) and rendered with the sample context (a
warning: the engine would cut it). A breach that placeholders alone cause (four buttons, a
caption on audio) belongs to the message, reported at the key its payload field names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from jinja2 import TemplateError, nodes

from bot.errors import FlowError, LimitError
from flows._choice import page_of
from flows._compile import Sent, choice_labels, sent_messages
from flows._conversation import EXTRA_CONTEXT_NAMES
from flows._model import Flow
from flows._render import render_message, render_prompt
from flows._template import ENV, Raw, compile_template, is_template
from flows._validate_base import Report, Text, question_texts, texts_of

SAMPLE_TO = "15550001111"
"""The recipient of every sample message, and the sample contact's ``wa_id``."""
SAMPLE_NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
"""``now`` in the sample context."""
_URL = "https://example.com/"
_BUTTONS_HINT = (
    "; WhatsApp shows at most 3 reply buttons: use a list, or give the options in "
    "expect.options and the engine sends more than 3 as a list"
)
_ROWS_HINT = (
    "; give the options in expect.options instead: the engine pages long lists with a 'More…' row"
)
_LABELS = (
    (r"reply\.title$", "a button title"),
    (r"reply\.id$", "a button id"),
    (r"rows\[\d+\]\.title$", "a row title"),
    (r"rows\[\d+\]\.id$", "a row id"),
    (r"description$", "a row description"),
    (r"sections\[\d+\]\.title$", "a section title"),
    (r"header", "the header"),
    (r"footer", "the footer"),
    (r"body", "the message text"),
    (r"action\.button$", "the list button"),
    (r"display_text$", "the button text"),
    (r"url$", "the URL"),
    (r"link$", "the media link"),
    (r"caption$", "the caption"),
    (r"buttons", "a reply-button message"),
    (r"sections|rows", "a list message"),
    (r"^template\.components", "a component"),
    (r"^template", "a template message"),
    (r"^(image|video|audio|document|sticker)\b", "a {0} message"),
)
"""A payload field's name in messages, by pattern; the first match wins."""
_KEYS = {
    "caption": "media.caption",
    "link": "media.link",
    "url": "cta.url",
    "display_text": "cta.display_text",
    "button": "list.button",
}
"""The flow key of a message-level payload field that no flow string fills."""

Key = tuple[str, str]
"""A string the renderer asks for: its source and the key path the renderer names."""


def _label(field: str) -> str:
    for pattern, label in _LABELS:
        if match := re.search(pattern, field):
            return label.format(match.group(0))
    return "this message"


def _literal(source: str) -> str:
    """What a template always prints: its top-level literal parts."""
    try:
        tree = ENV.parse(source)
    except TemplateError:
        return ""
    parts = [
        child.data
        for output in tree.body
        if isinstance(output, nodes.Output)
        for child in output.nodes
        if isinstance(child, nodes.TemplateData)
    ]
    return "".join(parts).strip()


def _only(key: Key, value: str, others: Callable[[Key], str]) -> Callable[[Key], str]:
    """Choose ``value`` for the string ``key`` and ``others(k)`` for every other one."""
    return lambda k: value if k == key else others(k)


class Sampler:
    """The sample context of one flow, and the ways each of its messages can go out."""

    def __init__(self, flow: Flow, report: Report) -> None:
        self.flow = flow
        self.report = report
        slots = {
            name: spec.example if spec.example is not None else spec.default
            for name, spec in flow.slots.items()
        }
        labels = {
            slot: Raw(titles.get(str(slots.get(slot)), next(iter(titles.values()))))
            for slot, titles in choice_labels(flow).items()
        }
        self.context: dict[str, Any] = {
            "slots": slots,
            "labels": labels,
            "contact": {"wa_id": SAMPLE_TO, "name": "Alex"},
            "flow": {"id": flow.id, "version": flow.version, "state": flow.start},
            "now": SAMPLE_NOW,
            "today": SAMPLE_NOW.date(),
            "retries": 0,
            "value": None,
            **dict.fromkeys(EXTRA_CONTEXT_NAMES["reprompt"], ""),  # error, received, hint
        }
        self._examples: dict[str, str | None] = {}

    def example(self, source: str) -> str | None:
        """``source`` rendered with the sample context; ``None`` when it cannot render."""
        if source not in self._examples:
            try:
                rendered: str | None = compile_template(source, error=FlowError)(self.context)
            except Exception:  # the template checks report why; here it means "no example"
                rendered = None
            self._examples[source] = rendered.strip() if rendered else None
        return self._examples[source]

    def check(self, sent: Sent) -> None:
        """Send ``sent`` on paper in every way it can go out, and report what breaks a limit."""
        ask, expect = (sent.state.ask, sent.state.expect) if sent.state else (None, None)
        if expect is not None and expect.type == "choice" and not expect.options:
            return  # nothing to lay out; the loader reports it
        # a question is sent as the engine lays it out; a re-prompt other than text on its own
        question = bool(ask and expect) and not (sent.reprompt and sent.spec.kind != "text")
        pages = 1
        if question and ask and ask.kind == "text" and expect and expect.type == "choice":
            while page_of(expect.options, pages).number:  # past the last page, the engine wraps
                pages += 1
        texts = list(self._texts(sent))
        for page in range(pages):
            _Message(self, sent, texts, page, question).check()

    def _texts(self, sent: Sent) -> Iterator[Text]:
        yield from texts_of(sent.spec, self.report)
        state, key = sent.state, self.report.key
        if state is None or state.ask is None or state.expect is None:
            return
        if sent.reprompt:
            yield from texts_of(state.ask, self.report)
        yield from question_texts(state.expect, self.report)
        for option in state.expect.options:
            if option.section is not None:
                yield Text(option.section, key(option.path, "section"))
        yield Text(self.flow.settings.more_title, key("settings", "more_title"))
        yield Text(self.flow.settings.list_button, key("settings", "list_button"))


class _Message:
    """One message (one page of a long choice) rendered with chosen values for its strings."""

    def __init__(
        self, sampler: Sampler, sent: Sent, texts: list[Text], page: int, question: bool
    ) -> None:
        self.sampler = sampler
        self.report = sampler.report
        self.sent = sent
        self.texts = texts
        self.page = page
        self.asked: dict[Key, int] = {}
        self.places: dict[Key, str] = {}
        self.over: list[str] = []
        self.cut: set[str] = set()
        state, spec = sent.state, sent.spec
        specs = (spec, state.ask) if state is not None and state.ask is not None else (spec,)
        self.urls = {url for s in specs for url in (s.url, s.link) if url is not None}
        self.question = question

    def where(self, key: Key) -> str:
        """The key path of the flow string the renderer asked for with ``key``."""
        if key not in self.places:
            source, path = key
            same = [text.path for text in self.texts if text.source == source]
            inside = [p for p in same if p == path or p.startswith((f"{path}.", f"{path}["))]
            self.places[key] = (inside or same or [path])[0]
        return self.places[key]

    def placeholder(self, key: Key) -> str:
        """A short stand-in for a string, unique within the message."""
        index = self.asked.setdefault(key, len(self.asked))
        source = key[0]
        if source in self.urls:
            return _URL
        if ".template.components" in self.where(key) and not is_template(source):
            return source  # a component's type, index or sub_type: structure, not text
        return f"p{index}"

    def real(self, key: Key) -> str:
        """The string as written: a template's literal parts (a placeholder when none or a URL)."""
        source, placeholder = key[0], self.placeholder(key)
        if not is_template(source):
            return source
        literal = _literal(source)
        return literal if literal and placeholder != _URL else placeholder

    def render(self, choose: Callable[[Key], str]) -> LimitError | None:
        """Render the message with ``choose(key)`` for each string; the limit it breaks, if any.

        Words the engine adds itself (the "More…" row, section names) that break a limit are
        reported where the flow sets them, then cut as the engine cuts them. Options of a
        question that are not told apart are the duplicate-option check's finding, not ours.
        """
        err, words = self._render(choose)
        while err is not None and "character" in err.limit and words:
            self.report.error("limit", words[0].path, self.describe(err))
            self.cut.add(words[0].source)
            err, words = self._render(choose)
        if err is not None and self.question and "unique" in err.limit:
            return None
        return err

    def _render(self, choose: Callable[[Key], str]) -> tuple[LimitError | None, list[Text]]:

        def text(source: str, path: str) -> str:
            key = (source, path)
            self.placeholder(key)  # record it
            given.add(choose(key))
            return choose(key)

        def keep(value: str, limit: int, _field: str) -> str:
            if len(value) > limit and value in self.cut:
                return value[:limit]  # already reported
            if len(value) > limit:  # where the engine would cut: remember what
                self.over.append(value)
            return value

        self.over.clear()
        given: set[str] = set()

        spec, state = self.sent.spec, self.sent.state
        try:
            if not self.question or state is None:
                render_message(spec, to=SAMPLE_TO, text=text, fit=keep)
            else:
                body = None if spec is state.ask else text(spec.text or "", spec.path)
                render_prompt(
                    state,
                    to=SAMPLE_TO,
                    text=text,
                    settings=self.sampler.flow.settings,
                    page=self.page,
                    body=body,
                    fit=keep,
                )
        except LimitError as err:  # the builders of bot.messages check what they build
            words = [t for t in self.texts if t.source in self.over and t.source not in given]
            return err, words
        return None, []

    def locate(self, field: str) -> str:
        """The flow key path of a payload field, through the strings rendered into it."""
        spec = self.sent.spec
        tokens = re.findall(r"[a-z_]+\[\d+\]", field)
        places = [self.where(key) for key in self.asked]
        for count in range(len(tokens), 0, -1):
            tail = ".".join(tokens[-count:])
            for place in places:
                at = place.find(tail)
                end = at + len(tail)
                if at > 0 and place[at - 1] == "." and place[end : end + 1] in ("", ".", "["):
                    found = place[:end]
                    return self.report.key(found, "title") if field.endswith("title") else found
        sub = _KEYS.get(field.rsplit(".", 1)[-1])
        return self.report.key(spec.path, sub) if sub else spec.path

    def describe(self, err: LimitError) -> str:
        """The finding's words: which string, which limit, what was found, and a hint."""
        actual = err.actual or ""
        if ", already used by " in actual:
            value, _, other = actual.partition(", already used by ")
            actual = f"{value}, already used by {self.locate(other)}"
        counted = err.limit.startswith("at most") and "character" not in err.limit
        text = f"{_label(err.field)} {'can have' if counted else 'must be'} {err.limit}"
        if actual:
            text += f" (got {actual})"
        if counted and "button" in err.limit:
            text += _BUTTONS_HINT
        elif counted and ("row" in err.limit or "section" in err.limit):
            text += _ROWS_HINT
        return text

    def check(self) -> None:
        """Render with placeholders, then each string as written and with samples, alone.

        When the message fits with every plain string as written at once, each of them fits
        alone too (placeholders are short and unique), so they are not rendered one by one.
        """
        err = self.render(self.placeholder)
        if err is not None:  # not any one string: the layout (four buttons, audio captioned)
            self.report.error("limit", self.locate(err.field), self.describe(err))
            return
        keys = list(self.asked)
        plain = {key for key in keys if not is_template(key[0])}
        if plain and self._render(lambda k: k[0] if k in plain else self.placeholder(k))[0]:
            plain = set()  # something breaks: find which string, one at a time
        for key in keys:
            if key in plain:
                continue  # it fits, as written with every other plain string
            real = self.real(key)
            same = real == self.placeholder(key)  # then it renders as the first time: it fits
            err = None if same else self.render(_only(key, real, self.placeholder))
            if err is not None:
                self.report.error("limit", self.where(key), self.describe(err))
                continue
            example = self.sampler.example(key[0]) if real != key[0] else None
            if not example or example == real:
                continue
            err = self.render(_only(key, example, self.placeholder))
            if err is not None:
                shown = example if len(example) <= 40 else example[:37] + "..."
                message = f"with the slot examples it renders as {shown!r}: {self.describe(err)}"
                self.report.warning(
                    "limit-may-exceed", self.where(key), f"{message}; the engine would cut it"
                )
        if not self.question:
            err = self.render(self.real)
            if err is not None and "unique" in err.limit:
                self.report.error("limit", self.locate(err.field), self.describe(err))


def check_limits(flow: Flow, report: Report) -> None:
    """Check every message of ``flow`` against WhatsApp's hard limits, into ``report``."""
    sampler = Sampler(flow, report)
    for sent in (*map(Sent, flow.messages.values()), *sent_messages(flow)):
        if sent.spec.ref is None:  # a {ref: name} copy is checked where the name is declared
            sampler.check(sent)
