"""What ``waflow send --template`` sends: the template's language, category and parameters.

With a business file the template is the one it declares (``templates`` and ``broadcasts``):
its language and category come from there and ``--param NAME=VALUE`` fills its declared
parameters by name. Without one (or for a template the file does not declare, given an explicit
``--category``) the values fill the body's ``{{1}}``, ``{{2}}``... in the order given.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.errors import ConfigError
from flows.features.broadcasts.settings import broadcast_settings
from flows.features.business import BusinessConfig, TemplateRef
from storage import outbox

DEFAULT_LANGUAGE = "en_US"
"""The language of a template without a business file, unless ``--language`` says otherwise."""
DEFAULT_CATEGORY: outbox.Category = "marketing"
"""The category of a template the business file does not declare: the conservative choice,
never sent to a customer who opted out of marketing."""


@dataclass(frozen=True)
class Outgoing:
    """A message ``waflow send`` queues: its payload and its outbox category (``None``: a reply)."""

    payload: dict[str, Any]
    category: outbox.Category | None


def template_message(
    to: str,
    name: str,
    business: BusinessConfig | None,
    *,
    language: str | None,
    category: outbox.Category | None,
    params: Sequence[str],
) -> Outgoing:
    """The template ``name`` to ``to``, as the business file declares it (if there is one).

    Args:
        to: The recipient's WhatsApp id.
        name: The template's name.
        business: The business file, or ``None``.
        language: ``--language``, or ``None`` for the declared one (``en_US`` without a file).
        category: ``--category``, or ``None`` for the declared one (``marketing`` without one).
        params: The ``--param`` values, each ``NAME=VALUE``.

    Raises:
        ConfigError: A parameter is not ``NAME=VALUE``, missing or unknown; the template (or its
            language) is not declared and no ``--category`` is given; ``--category`` disagrees
            with the declared one.
    """
    values = _parsed(params)
    ref = _declared(name, business, language, category)
    if ref is None:
        fallback = business.templates.language if business is not None else DEFAULT_LANGUAGE
        ordered = [value for _name, value in values]
        return Outgoing(
            _payload(to, name, language or fallback, ordered), category or DEFAULT_CATEGORY
        )
    if category is not None and category != ref.category:
        raise ConfigError(
            f"template {name!r} is declared {ref.category} in the business file, "
            f"not {category}: leave out --category"
        )
    return Outgoing(_payload(to, name, ref.language, _filled(ref, values)), ref.category)


def _payload(to: str, name: str, language: str, params: Sequence[str]) -> dict[str, Any]:
    components = [messages.body_params(*params)] if params else None
    return messages.template(to, name, language, components)


def _parsed(params: Sequence[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for param in params:
        key, sep, value = param.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--param expects NAME=VALUE, got {param!r}")
        found.append((key.strip(), value))
    return found


def _declared(
    name: str,
    business: BusinessConfig | None,
    language: str | None,
    category: outbox.Category | None,
) -> TemplateRef | None:
    """The declaration of ``name`` (in ``language`` if given); ``None``: send it undeclared."""
    if business is None:
        return None
    known = _known(business)
    same_name = [ref for ref in known if ref.name == name]
    if not same_name:
        if category is not None:
            return None
        names = sorted({ref.name for ref in known})
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        listed = ", ".join(names) or "none"
        raise ConfigError(
            f"template {name!r} is not declared in the business file (declared: {listed}).{hint} "
            "Declare it under templates.approved, or give its --category to send it anyway"
        )
    wanted = language or business.templates.language
    found = next((ref for ref in same_name if ref.language == wanted), None)
    if found is None and language is None and len(same_name) == 1:
        found = same_name[0]
    if found is None:
        languages = ", ".join(sorted(ref.language for ref in same_name))
        raise ConfigError(
            f"template {name!r} is not declared in {wanted} (declared in: {languages}): "
            "give one of those with --language"
        )
    return found


def _known(business: BusinessConfig) -> list[TemplateRef]:
    """The templates the file declares (``templates``, then ``broadcasts``), once each."""
    found: dict[tuple[str, str], TemplateRef] = {}
    for ref in (*business.templates.declared(), *broadcast_settings(business).templates):
        found.setdefault((ref.name, ref.language), ref)
    return list(found.values())


def _filled(ref: TemplateRef, values: Sequence[tuple[str, str]]) -> list[str]:
    """``values`` in ``ref``'s declared parameter order; each declared one given exactly once."""
    given = dict(values)
    expected = ", ".join(ref.params) or "none"
    unknown = [key for key, _value in values if key not in ref.params]
    missing = [param for param in ref.params if param not in given]
    counts = Counter(key for key, _value in values)
    repeated = sorted(key for key, count in counts.items() if count > 1)
    if unknown or missing or repeated:
        problems = [
            *(f"unknown parameter {key!r}" for key in unknown),
            *(f"missing parameter {key!r}" for key in missing),
            *(f"parameter {key!r} given twice" for key in repeated),
        ]
        raise ConfigError(
            f"template {ref.name!r}: {'; '.join(problems)} (expected, in order: {expected}; "
            "give each as --param NAME=VALUE)"
        )
    return [given[param] for param in ref.params]
