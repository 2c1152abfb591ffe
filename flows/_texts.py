"""The texts a flow can send a customer, each where it is written: what a catalog translates.

The engine renders each text's translation (:mod:`flows._conversation`), looked up by the
text as written in the flow file; this lists those texts for ``waflow i18n extract`` and for
``waflow validate``'s check of a business's catalogs (docs/languages.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from flows._compile import sent_messages
from flows._model import Flow
from flows._render import spec_strings

_NOT_WORDS = frozenset({"cta.url", "media.link"})
"""Keys of a message that are addresses, not words."""
_EXPRESSIONS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass(frozen=True)
class FlowText:
    """One text a flow sends, and where it is written.

    Attributes:
        text: The text as written (a message id of the business's catalogs).
        file: The flow file, when known.
        line: The 1-based line of its key, when known.
        path: Its key path (``states.ask_size.ask.text``).
    """

    text: str
    file: str | None
    line: int | None
    path: str


def has_words(text: str) -> bool:
    """Whether ``text`` has something to translate: not only ``{{ expressions }}`` and spaces."""
    return any(char.isalpha() for char in _EXPRESSIONS.sub("", text))


def flow_texts(flow: Flow) -> Iterator[FlowText]:
    """Every text ``flow`` can send a customer, in file order by kind, each once per place.

    The messages it says and asks (text, header, footer, list button, section, option titles
    and descriptions), the choices of its questions, its re-prompts and fallbacks, and its
    ``validate`` rules' messages.
    Addresses (a call-to-action's URL, a media link) and texts made only of ``{{ expressions }}``
    are left out: there is nothing to translate.
    """
    seen: set[str] = set()

    def found(text: str, path: str) -> Iterator[FlowText]:
        if path not in seen and has_words(text):
            seen.add(path)
            yield FlowText(text, flow.file, flow.line_of(path), path)

    for sent in sent_messages(flow):
        for source, _at, base, key in spec_strings(sent.spec):
            if key not in _NOT_WORDS:
                yield from found(source, f"{base}.{key}")
    if "settings.list_button" in flow.lines:  # the flow names its own
        yield from found(flow.settings.list_button, "settings.list_button")
    for state in flow.states.values():
        expect = state.expect
        if expect is not None:  # the choices the engine lays out itself
            if expect.list_button:
                yield from found(expect.list_button, f"{expect.path}.list_button")
            for option in expect.options:
                yield from found(option.title, f"{option.path}.title")
                if option.description:
                    yield from found(option.description, f"{option.path}.description")
        for rule in state.validate:
            if rule.message is not None:
                yield from found(rule.message, f"{rule.path}.message")
