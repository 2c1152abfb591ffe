"""Payload skeletons of questions, laid out as the engine lays out prompts.

This module owns the question half of the payloads ``waflow validate`` checks, mirroring
:func:`flows._render.render_prompt`: a choice of up to three options whose titles fit becomes
reply buttons, more becomes a list (every page of a long list, with its "More…" row), a yes/no
question gets Yes/No buttons, a location question a location request, and a text re-prompt
replaces the body of its question's prompt. Messages that are not questions are built as they
are by :class:`flows._validate_payloads.PayloadBuilder`.
"""

from __future__ import annotations

from typing import Any

from bot.messages import MAX_BUTTON_TITLE, MAX_BUTTONS, MAX_LIST_ROWS
from flows._choice import MORE_ID, PAGE_SIZE, page_of
from flows._model import ExpectSpec, MessageSpec, Option, State
from flows._validate_base import Sent
from flows._validate_payloads import MARKERS, Body, Payload, PayloadBuilder, literal_text


def _shown(source: str) -> str:
    """What is known of a string before rendering: itself, or a template's literal parts."""
    return literal_text(source) if any(marker in source for marker in MARKERS) else source


class PromptBuilder(PayloadBuilder):
    """Builds every payload a flow can send, questions laid out as the engine does."""

    def choice(self, spec: MessageSpec, expect: ExpectSpec, body: Body) -> list[Payload]:
        """A choice as :func:`flows._render.choice_message` lays it out: buttons or list pages."""
        options = expect.options
        if not options:
            return []
        if len(options) <= MAX_BUTTONS and all(
            len(_shown(o.title)) <= MAX_BUTTON_TITLE for o in options
        ):
            container = self.key(expect.path, "options")
            return [self.buttons(spec, body, options, container, chrome=False)]
        if expect.list_button is not None:
            button = (expect.list_button, self.key(expect.path, "list_button"))
        else:
            button = (self.flow.settings.list_button, self.key("settings", "list_button"))
        count = 1 if len(options) <= MAX_LIST_ROWS else -(-len(options) // PAGE_SIZE)
        return [self.page(spec, body, button, options, number) for number in range(count)]

    def page(
        self,
        spec: MessageSpec,
        body: Body,
        button: Body,
        options: tuple[Option, ...],
        number: int,
    ) -> Payload:
        """One page of a choice sent as a list: rows grouped by section, then "More…"."""
        p = Payload(spec.path)
        page = page_of(options, number)
        groups: dict[str | None, list[Option]] = {}
        for option in page.options:
            groups.setdefault(option.section, []).append(option)
        sections: list[dict[str, Any]] = []
        for i, (name, members) in enumerate(groups.items()):
            field = f"interactive.action.sections[{i}]"
            section: dict[str, Any] = {"rows": self.rows(p, f"{field}.rows", tuple(members))}
            if list(groups) != [None]:
                where = self.key(members[0].path, "section")
                section["title"] = self.leaf(
                    p, f"{field}.title", name or "Other", where, "a section title"
                )
            sections.append(section)
        if page.more:
            rows = sections[-1]["rows"]
            field = f"interactive.action.sections[{len(sections) - 1}].rows[{len(rows)}]"
            more = self.flow.settings.more_title
            where = self.key("settings", "more_title")
            following = page_of(options, page.number + 1).number
            title = self.fixed(p, f"{field}.title", more, where, "the 'More…' row")
            rows.append({"id": f"{MORE_ID}{following}", "title": title})
        label = self.leaf(p, "interactive.action.button", *button, "the list button")
        action = {"button": label, "sections": sections}
        return self.interactive("list", spec, body, action, p, chrome=False)

    def prompt(self, state: State, body: Body) -> list[Payload]:
        """The payloads of ``state``'s question, as :func:`flows._render.render_prompt` lays it out."""
        spec, expect = state.ask, state.expect
        if spec is None or expect is None:
            return []
        if spec.kind != "text":
            return self.message(spec, body)
        if expect.type == "choice":
            return self.choice(spec, expect, body)
        p = Payload(spec.path)
        if expect.type == "yes_no":
            yes = {"type": "reply", "reply": {"id": "yes", "title": "Yes"}}
            no = {"type": "reply", "reply": {"id": "no", "title": "No"}}
            return [self.interactive("button", spec, body, {"buttons": [yes, no]}, p, chrome=False)]
        if expect.type == "location" and expect.request:
            action = {"name": "send_location"}
            return [
                self.interactive("location_request_message", spec, body, action, p, chrome=False)
            ]
        return self.message(spec, body)

    def payloads(self, sent: Sent) -> list[Payload]:
        """The payloads one sent message can take."""
        spec, state = sent.spec, sent.state
        if state is None or state.ask is None or state.expect is None:
            return [] if spec.ref is not None else self.message(spec)
        if sent.reprompt and spec.kind != "text":
            return [] if spec.ref is not None else self.message(spec)
        where = self.key(spec.path, "text")
        payloads = self.prompt(state, (spec.text or "", where))
        for payload in payloads:
            payload.question = True
        return payloads


__all__ = ["PromptBuilder"]
