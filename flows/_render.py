"""Turning message specs into Cloud API payloads with :mod:`bot.messages`, within every limit.

This module owns the last step before ``turn.reply``: a :class:`~flows._model.MessageSpec`,
its templates rendered by the caller's ``text`` function, becomes a payload built by
:mod:`bot.messages`. It also lays out the prompts the author left to the engine: reply buttons
for up to three short options, else a list (paged with a "More…" row past ten), Yes/No buttons,
a location request. Rendered text over a hard limit is cut with "…" and logged, never sent
broken; ``waflow validate`` renders through the same functions with a ``fit`` that keeps text
whole, so the builders name every breach.

The flow's own strings are translated by the caller's ``text`` function; the engine's words
of a prompt (the "More…" row and its "Options 10–18 of 24", the Yes/No buttons, a section
called "Other") are translated by the customer's :class:`~flows._i18n.Texts`, a parameter
that defaults to English.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from bot import messages as wa
from bot.messages import (
    MAX_BUTTON_TITLE,
    MAX_BUTTONS,
    MAX_CAPTION,
    MAX_CTA_DISPLAY_TEXT,
    MAX_FOOTER,
    MAX_HEADER_TEXT,
    MAX_INTERACTIVE_BODY,
    MAX_LIST_BUTTON,
    MAX_ROW_DESCRIPTION,
    MAX_ROW_TITLE,
    MAX_SECTION_TITLE,
    MAX_TEXT,
)
from flows._choice import MORE_ID, page_of
from flows._i18n import Texts
from flows._model import MessageSpec, Option, Settings, State

ENGLISH = Texts()

log = logging.getLogger(__name__)

TextFn = Callable[[str, str], str]
"""``text(source, path) -> rendered``: renders one template string of the flow."""
FitFn = Callable[[str, int, str], str]
"""``fit(value, limit, field) -> value``: what to do with rendered text longer than a limit."""


def fit(value: str, limit: int, field: str = "text") -> str:
    """Shorten ``value`` to ``limit`` characters with a trailing "…" (logged when it happens)."""
    if len(value) <= limit:
        return value
    log.warning("%s was %d characters, cut to the limit of %d", field, len(value), limit)
    return value[: limit - 1].rstrip() + "…"


def _opt(text: TextFn, source: str | None, path: str, limit: int, fit: FitFn) -> str | None:
    if source is None:
        return None
    rendered = text(source, path).strip()
    return fit(rendered, limit, path) if rendered else None


def render_message(
    spec: MessageSpec, *, to: str, text: TextFn, body: str | None = None, fit: FitFn = fit
) -> dict[str, Any]:
    """Build the payload of one message spec with :mod:`bot.messages`.

    Args:
        text: Renders a template string of the flow.
        body: Rendered text replacing the spec's own (a re-prompt keeps the question's
            buttons but changes its words).
        fit: Shortens text over a limit; the validator passes one that keeps it, so the
            builders of :mod:`bot.messages` report the breach.
    """
    path = spec.path
    main = body if body is not None else (text(spec.text, path) if spec.text is not None else "")
    header = _opt(text, spec.header, f"{path}.header", MAX_HEADER_TEXT, fit)
    footer = _opt(text, spec.footer, f"{path}.footer", MAX_FOOTER, fit)
    if spec.kind == "buttons":
        choices = [
            (o.id, fit(text(o.title, o.path), MAX_BUTTON_TITLE, o.path)) for o in spec.buttons
        ]
        interactive_body = fit(main, MAX_INTERACTIVE_BODY, path)
        return wa.buttons(to, interactive_body, choices, header=header, footer=footer)
    if spec.kind == "list":
        sections = [
            wa.Section(
                title=_opt(text, section.title, section.path, MAX_SECTION_TITLE, fit),
                rows=[_row(o, text, fit) for o in section.rows],
            )
            for section in spec.sections
        ]
        button = fit(text(spec.list_button or "Choose", path), MAX_LIST_BUTTON, f"{path}.button")
        interactive_body = fit(main, MAX_INTERACTIVE_BODY, path)
        return wa.list_message(to, interactive_body, button, sections, header=header, footer=footer)
    if spec.kind == "cta_url":
        shown = fit(main, MAX_INTERACTIVE_BODY, path)
        display = text(spec.display_text or "", path)
        label = fit(display, MAX_CTA_DISPLAY_TEXT, f"{path}.cta.display_text")
        url = text(spec.url or "", path).strip()
        return wa.cta_url(to, shown, label, url, header=header, footer=footer)
    if spec.kind == "location_request":
        return wa.location_request(to, fit(main, MAX_INTERACTIVE_BODY, path))
    if spec.kind == "media":
        caption = fit(main, MAX_CAPTION, path) if main.strip() else None
        return wa.media(
            to,
            cast(wa.MediaKind, spec.media_kind),
            media_id=spec.media_id,
            link=text(spec.link, path).strip() if spec.link else None,
            caption=caption,
            filename=spec.filename,
        )
    if spec.kind == "template":
        components = [_render_tree(c, text, path) for c in spec.components]
        return wa.template(
            to, spec.template_name or "", spec.language or "en_US", components or None
        )
    return wa.text(to, fit(main, MAX_TEXT, path), preview_url=spec.preview_url)


def spec_strings(spec: MessageSpec) -> Iterator[tuple[str, str, str, str]]:
    """Every template string of ``spec`` but template components, in the order it is written.

    Yields:
        ``(source, render path, base, key)``: the path :func:`render_message` renders the
        string at, and the flow key it is written under (``key`` below ``base``).
    """
    path = spec.path
    strings = [
        (spec.text, path, path, "media.caption" if spec.kind == "media" else "text"),
        (spec.header, f"{path}.header", path, "header"),
        (spec.footer, f"{path}.footer", path, "footer"),
        (spec.list_button, path, path, "list.button"),
        *((section.title, section.path, section.path, "title") for section in spec.sections),
    ]
    for option in spec.options:
        strings.append((option.title, option.path, option.path, "title"))
        where = f"{option.path}.description"
        strings.append((option.description, where, option.path, "description"))
    strings += [
        (spec.display_text, path, path, "cta.display_text"),
        (spec.url, path, path, "cta.url"),
        (spec.link, path, path, "media.link"),
    ]
    for source, at, base, key in strings:
        if source is not None:
            yield source, at, base, key


def _row(option: Option, text: TextFn, fit: FitFn) -> wa.Row:
    description = _opt(
        text, option.description, f"{option.path}.description", MAX_ROW_DESCRIPTION, fit
    )
    return wa.Row(
        option.id, fit(text(option.title, option.path), MAX_ROW_TITLE, option.path), description
    )


def _render_tree(value: Any, text: TextFn, path: str) -> Any:
    if isinstance(value, str):
        return text(value, path)
    if isinstance(value, Mapping):
        return {key: _render_tree(item, text, path) for key, item in value.items()}
    if isinstance(value, list):
        return [_render_tree(item, text, path) for item in value]
    return value


def choice_message(
    options: Sequence[Option],
    *,
    to: str,
    body: str,
    text: TextFn,
    page: int,
    list_button: str,
    more_title: str,
    fit: FitFn = fit,
    texts: Texts = ENGLISH,
) -> dict[str, Any]:
    """Lay out a choice: reply buttons when they fit, else a list.

    Args:
        body: The rendered question.
        text: Renders option titles and descriptions.
        page: The page to show, for more than ten options.
        more_title: The title of the "More…" row leading to the next page (shown as is).
        fit: Shortens text over a limit (see :func:`render_message`).
        texts: The customer's words (the "More…" row's description, a section "Other").
    """
    titles = [text(o.title, o.path) for o in options]
    if len(options) <= MAX_BUTTONS and all(len(t) <= MAX_BUTTON_TITLE for t in titles):
        return wa.buttons(
            to,
            fit(body, MAX_INTERACTIVE_BODY, "text"),
            list(zip((o.id for o in options), titles, strict=True)),
        )
    shown = page_of(options, page)
    rows = [(o.section, _row(o, text, fit)) for o in shown.options]
    if shown.more:
        following = page_of(options, shown.number + 1)
        last = following.first + len(following.options) - 1
        hint = texts(
            "Options {first}–{last} of {total}", first=following.first, last=last, total=shown.total
        )
        more = wa.Row(f"{MORE_ID}{following.number}", fit(more_title, MAX_ROW_TITLE, "text"), hint)
        rows.append((rows[-1][0], more))
    return wa.list_message(
        to,
        fit(body, MAX_INTERACTIVE_BODY, "text"),
        fit(list_button, MAX_LIST_BUTTON, "text"),
        _sections(rows, fit, texts),
    )


def _sections(
    rows: Iterable[tuple[str | None, wa.Row]], fit: FitFn, texts: Texts
) -> list[wa.Section]:
    groups: dict[str | None, list[wa.Row]] = {}
    for section, row in rows:
        groups.setdefault(section, []).append(row)
    if list(groups) == [None]:
        return [wa.Section(title=None, rows=groups[None])]
    return [
        wa.Section(title=fit(name or texts("Other"), MAX_SECTION_TITLE, "text"), rows=items)
        for name, items in groups.items()
    ]


def render_prompt(
    state: State,
    *,
    to: str,
    text: TextFn,
    settings: Settings,
    page: int = 0,
    body: str | None = None,
    fit: FitFn = fit,
    texts: Texts = ENGLISH,
) -> dict[str, Any]:
    """Build the prompt of an ``ask`` state, laying out choices the author left to the engine.

    Args:
        settings: The flow settings (list button label, "More…" title).
        page: The page of a long choice list.
        body: Rendered text replacing the question's own words (re-prompts).
        fit: Shortens text over a limit (see :func:`render_message`).
        texts: The customer's words: the "More…" title, the Yes/No buttons.
    """
    spec, expect = state.ask, state.expect
    assert spec is not None
    assert expect is not None
    if spec.kind != "text":
        return render_message(spec, to=to, text=text, body=body, fit=fit)
    main = body if body is not None else text(spec.text or "", spec.path)
    if expect.type == "choice":
        return choice_message(
            expect.options,
            to=to,
            body=main,
            text=text,
            page=page,
            list_button=text(expect.list_button or settings.list_button, expect.path),
            more_title=texts(settings.more_title),
            fit=fit,
            texts=texts,
        )
    if expect.type == "yes_no":
        yes_no = [("yes", texts("Yes")), ("no", texts("No"))]
        return wa.buttons(to, fit(main, MAX_INTERACTIVE_BODY, "text"), yes_no)
    if expect.type == "location" and expect.request:
        return wa.location_request(to, fit(main, MAX_INTERACTIVE_BODY, "text"))
    return render_message(spec, to=to, text=text, body=main, fit=fit)
