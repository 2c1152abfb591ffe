"""The shop's message templates as WhatsApp Manager lists them, against the business file's.

This helper module owns reading ``GET /<WABA id>/message_templates`` (through
:meth:`bot.client.CloudClient.get_list`, every page), comparing the templates the business
file declares (:meth:`~flows.features.business.Templates.declared`) with Meta's, and printing
the approved ones as a ``templates.approved`` section to paste into the file. The comparison
is pure: ``waflow templates check`` (:mod:`flows.features.business.templates_cli`) only
fetches and prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.client import CloudClient
from flows.features.business._model import TemplateRef

FIELDS = "name,language,status,category,parameter_format,components"
"""The template fields asked of the Cloud API."""
_VARIABLE_RE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


@dataclass(frozen=True)
class ListedTemplate:
    """One template as the Cloud API lists it (components' types are uppercase there).

    Attributes:
        name: Its name.
        language: Its language code (``en_US``).
        status: ``APPROVED``, ``PENDING``, ``REJECTED``, ``PAUSED``...; only ``APPROVED`` sends.
        category: ``marketing``, ``utility`` or ``authentication`` (lowercase, as the business
            file writes it).
        body: The body text, with its variables (``{{1}}`` or ``{{name}}``).
        variables: The body's variables, each once, in the order they first appear.
        named: The template uses named variables (``parameter_format: NAMED``).
        other_variables: Where else it has variables (``header``, ``button``): waflow fills
            only the body.
    """

    name: str
    language: str
    status: str
    category: str
    body: str = ""
    variables: tuple[str, ...] = ()
    named: bool = False
    other_variables: tuple[str, ...] = ()

    @classmethod
    def from_graph(cls, item: Mapping[str, Any]) -> ListedTemplate | None:
        """Read one item of the list; ``None`` when it lacks a name or a language."""
        name, language = item.get("name"), item.get("language")
        if not isinstance(name, str) or not isinstance(language, str):
            return None
        body, elsewhere = "", []
        components = item.get("components")
        for component in components if isinstance(components, list) else ():
            if not isinstance(component, dict):
                continue
            kind = str(component.get("type", "")).upper()
            if kind == "BODY":
                body = str(component.get("text") or "")
            elif kind == "HEADER" and _VARIABLE_RE.search(str(component.get("text") or "")):
                elsewhere.append("header")
            elif kind == "BUTTONS" and any(
                isinstance(button, dict) and _VARIABLE_RE.search(str(button.get("url") or ""))
                for button in component.get("buttons") or ()
            ):
                elsewhere.append("button")
        variables = tuple(dict.fromkeys(_VARIABLE_RE.findall(body)))
        named = item.get("parameter_format") == "NAMED" or any(not v.isdigit() for v in variables)
        return cls(
            name=name,
            language=language,
            status=str(item.get("status", "")).upper(),
            category=str(item.get("category", "")).lower(),
            body=body,
            variables=variables,
            named=named,
            other_variables=tuple(elsewhere),
        )


def fetch(client: CloudClient, business_account_id: str) -> list[ListedTemplate]:
    """Every template of the WhatsApp Business Account, all pages read.

    Raises:
        GraphError: The Cloud API refused (a wrong WABA id, a token without
            ``whatsapp_business_management``...).
    """
    items = client.get_list(
        f"{business_account_id}/message_templates", {"fields": FIELDS, "limit": "100"}
    )
    return [found for item in items if (found := ListedTemplate.from_graph(item)) is not None]


def compare(
    declared: Iterable[TemplateRef], listed: Sequence[ListedTemplate]
) -> list[tuple[TemplateRef, list[str]]]:
    """What is wrong with each declared template, by what WhatsApp Manager lists.

    Returns:
        Each declared template with its problems (an empty list: it matches): missing (or only
        in other languages), not ``APPROVED``, another category, another number of body
        variables than ``params``, variables waflow does not fill (named ones, or outside the
        body).
    """
    by_key = {(t.name, t.language): t for t in listed}
    return [(ref, _problems(ref, by_key.get((ref.name, ref.language)), listed)) for ref in declared]


def _problems(
    ref: TemplateRef, found: ListedTemplate | None, listed: Sequence[ListedTemplate]
) -> list[str]:
    if found is None:
        others = sorted(t.language for t in listed if t.name == ref.name)
        where = f" (it exists in {', '.join(others)})" if others else ""
        return [f"not in WhatsApp Manager in {ref.language}{where}"]
    problems = []
    if found.status != "APPROVED":
        problems.append(f"status {found.status or 'unknown'}: only APPROVED templates can be sent")
    if found.category != ref.category:
        problems.append(
            f"category {found.category or 'unknown'} in WhatsApp Manager, {ref.category} in the "
            "business file"
        )
    if len(found.variables) != len(ref.params):
        shown = ", ".join(f"{{{{{v}}}}}" for v in found.variables) or "none"
        problems.append(
            f"the body has {len(found.variables)} variable(s) ({shown}); params names "
            f"{len(ref.params)} ({', '.join(ref.params) or 'none'})"
        )
    if found.named:
        problems.append("it uses named variables; waflow fills body variables by position")
    problems += [
        f"its {where} has a variable; waflow fills only the body" for where in found.other_variables
    ]
    return problems


def approved_yaml(listed: Iterable[ListedTemplate]) -> str:
    """The ``APPROVED`` templates as a ``templates.approved`` section to paste into the file.

    Positional variables get the names ``var1``, ``var2``...: rename each to what the feature
    that uses the template fills (the body is above each entry, as a comment).
    """
    lines = ["templates:", "  approved:"]
    approved = sorted(
        (t for t in listed if t.status == "APPROVED"), key=lambda t: (t.name, t.language)
    )
    for template in approved:
        params = [v if template.named else f"var{v}" for v in template.variables]
        if template.body:
            lines.append(f"    # {' '.join(template.body.split())[:200]}")
        lines.append(
            f"    - {{name: {template.name}, language: {template.language}, "
            f"category: {template.category}, params: [{', '.join(params)}]}}"
        )
    if not approved:
        lines[-1] += " []"
    return "\n".join(lines) + "\n"


__all__ = ["FIELDS", "ListedTemplate", "approved_yaml", "compare", "fetch"]
