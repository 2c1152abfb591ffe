"""WhatsApp's hard limits on outbound messages, and :func:`check`, the one checker that holds them.

This module owns every number of cloud-api.md §3.2 as a named constant (the one table the
builders, the docs and the flow validator share) and the checker that holds any outbound payload
against it, built or written by hand. A breach raises :class:`~bot.errors.LimitError` naming the
field by its path (``interactive.action.buttons[0].reply.title``) and what was found; characters
are counted with ``len()``, so an emoji counts as one. A message is checked once: a builder
returns what it checked as :class:`Checked`, and the runtime checks only the other payloads before
storing them (:func:`check_unless_built`), so the sender never checks again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from bot.errors import LimitError

# The limit table (cloud-api.md §3.2). Counts are characters unless the name says otherwise.
MAX_TEXT: Final = 4096  # text.body (at least 1)
MAX_CAPTION: Final = 1024  # media caption (image, video, document)
MAX_BUTTONS: Final = 3  # reply buttons per message (at least 1)
MAX_BUTTON_ID: Final = 256  # reply.id, no leading or trailing spaces, unique
MAX_BUTTON_TITLE: Final = 20  # reply.title, unique
MAX_HEADER_TEXT: Final = 60  # interactive.header.text
MAX_FOOTER: Final = 60  # interactive.footer.text
MAX_INTERACTIVE_BODY: Final = 1024  # interactive.body.text (the list page allows 4096; we don't)
MAX_LIST_BUTTON: Final = 20  # list action.button label
MAX_LIST_SECTIONS: Final = 10  # list sections (at least 1)
MAX_LIST_ROWS: Final = 10  # list rows, in total across all sections
MAX_ROW_ID: Final = 200  # list row id, unique
MAX_ROW_TITLE: Final = 24  # list row title
MAX_ROW_DESCRIPTION: Final = 72  # list row description
MAX_SECTION_TITLE: Final = 24  # list and product_list section title
MAX_CTA_DISPLAY_TEXT: Final = 20  # cta_url parameters.display_text
MAX_PRODUCT_SECTIONS: Final = 10  # product_list sections
MAX_PRODUCTS: Final = 30  # product_list products, in total across all sections
MAX_FLOW_CTA: Final = 30  # flow parameters.flow_cta
MAX_CONTACTS: Final = 5  # contact cards per contacts message (at least 1)
MAX_TEMPLATE_TEXT_PARAM: Final = 32768  # one template text parameter (at least 1)
MAX_TEMPLATE_BUTTON_INDEX: Final = 9  # template button index, "0" to "9"
MAX_CALLBACK_DATA: Final = 512  # biz_opaque_callback_data
MEDIA_KINDS: Final = ("image", "video", "audio", "document", "sticker")
CAPTION_KINDS: Final = ("image", "video", "document")


# -- field checks: one field held to a type, a length or a count ----------------------------------


def _join(path: str, key: str) -> str:
    """Extend a field path by one key (``""`` is the payload root)."""
    return f"{path}.{key}" if path else key


def short_repr(value: Any) -> str:
    """Render a found value for an error message, missing values and long strings included."""
    if value is None:
        return "missing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: Any) -> str:
    """Name the type of a value found in the wrong place, for an error message."""
    return "missing" if value is None else type(value).__name__


def _count(n: int, noun: str) -> str:
    """Count a noun: ``1 row``, ``2 rows``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def req_obj(value: Any, path: str) -> Mapping[str, Any]:
    """Return ``value``, which must be an object (a mapping); ``path`` names it in the error."""
    if not isinstance(value, Mapping):
        raise LimitError(path, "an object", _kind(value))
    return value


def req_text(
    parent: Mapping[str, Any], key: str, path: str, maximum: int | None, minimum: int = 1
) -> str:
    """Return the required string ``parent[key]`` after checking its length."""
    field = _join(path, key)
    value = parent.get(key)
    if not isinstance(value, str):
        raise LimitError(field, "a string", _kind(value))
    if maximum is not None and len(value) > maximum:
        raise LimitError(field, f"at most {maximum} characters", _count(len(value), "character"))
    if len(value) < minimum:
        raise LimitError(field, f"at least {_count(minimum, 'character')}", "an empty string")
    return value


def opt_text(parent: Mapping[str, Any], key: str, path: str, maximum: int | None) -> str | None:
    """Like :func:`req_text` for a field that may be absent; present, it must not be empty."""
    return req_text(parent, key, path, maximum) if key in parent else None


def req_inner_text(
    parent: Mapping[str, Any], key: str, path: str, field: str, maximum: int | None
) -> str:
    """Return the required string ``parent[key][field]``; ``parent[key]`` must be an object."""
    where = _join(path, key)
    return req_text(req_obj(parent.get(key), where), field, where, maximum)


def req_const(parent: Mapping[str, Any], key: str, path: str, expected: str) -> None:
    """Check that ``parent[key]`` is exactly the string ``expected``."""
    if parent.get(key) != expected:
        raise LimitError(_join(path, key), f'"{expected}"', short_repr(parent.get(key)))


def req_http_url(parent: Mapping[str, Any], key: str, path: str) -> None:
    """Check that ``parent[key]`` is an ``http://`` or ``https://`` URL with a host."""
    value = req_text(parent, key, path, None)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LimitError(_join(path, key), "an http:// or https:// URL", short_repr(value))


def req_items(
    parent: Mapping[str, Any], key: str, path: str, maximum: int | None, noun: str
) -> Sequence[Any]:
    """Return the list (or tuple) ``parent[key]``, checked to hold 1 to ``maximum`` items."""
    field = _join(path, key)
    value = parent.get(key)
    if not isinstance(value, list | tuple):
        raise LimitError(field, f"a list of {noun}s", short_repr(value))
    if not value:
        raise LimitError(field, f"at least 1 {noun}", f"0 {noun}s")
    if maximum is not None and len(value) > maximum:
        raise LimitError(
            f"{field}[{maximum}]", f"at most {_count(maximum, noun)}", _count(len(value), noun)
        )
    return value


def check_total(groups: Sequence[tuple[str, Sequence[Any]]], maximum: int, noun: str) -> None:
    """Name the first item past ``maximum`` when the groups together hold too many."""
    total = sum(len(items) for _, items in groups)
    seen = 0
    for path, items in groups:
        if total > maximum and seen + len(items) > maximum:
            raise LimitError(
                f"{path}[{maximum - seen}]",
                f"at most {_count(maximum, noun)} across all sections",
                _count(total, noun),
            )
        seen += len(items)


def check_unique(seen: dict[str, str], value: str, field: str) -> None:
    """Record ``value`` at ``field`` in ``seen``, unless an earlier field already used it."""
    if value in seen:
        raise LimitError(
            field,
            "unique within the message",
            f"{short_repr(value)}, already used by {seen[value]}",
        )
    seen[value] = field


# -- message types --------------------------------------------------------------------------------

_Checker = Callable[[Mapping[str, Any]], None]


def _media_source(obj: Mapping[str, Any], path: str) -> None:
    if ("id" in obj) == ("link" in obj):
        raise LimitError(path, "exactly one of id or link", "both" if "id" in obj else "neither")
    if "id" in obj:
        req_text(obj, "id", path, None)
    else:
        req_http_url(obj, "link", path)


def _check_media(root: Mapping[str, Any], kind: str) -> None:
    obj = req_obj(root.get(kind), kind)
    _media_source(obj, kind)
    if "caption" in obj and kind not in CAPTION_KINDS:
        raise LimitError(f"{kind}.caption", "absent: only image, video and document take a caption")
    if "filename" in obj and kind != "document":
        raise LimitError(f"{kind}.filename", "absent: only document takes a filename")
    opt_text(obj, "caption", kind, MAX_CAPTION)
    opt_text(obj, "filename", kind, None)


def _check_text(root: Mapping[str, Any], kind: str) -> None:
    obj = req_obj(root.get(kind), kind)
    req_text(obj, "body", kind, MAX_TEXT)
    if not isinstance(obj.get("preview_url", False), bool):
        raise LimitError("text.preview_url", "true or false", short_repr(obj.get("preview_url")))


def _check_location(root: Mapping[str, Any], kind: str) -> None:
    obj = req_obj(root.get(kind), kind)
    for key, bound in (("latitude", 90), ("longitude", 180)):
        value = obj.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > bound:
            raise LimitError(
                f"location.{key}", f"a number from -{bound} to {bound}", short_repr(value)
            )
    opt_text(obj, "name", kind, None)
    opt_text(obj, "address", kind, None)


def _check_reaction(root: Mapping[str, Any], kind: str) -> None:
    obj = req_obj(root.get(kind), kind)
    req_text(obj, "message_id", kind, None)
    req_text(obj, "emoji", kind, None, minimum=0)  # "" removes the reaction


def _check_contacts(root: Mapping[str, Any], kind: str) -> None:
    for i, item in enumerate(req_items(root, "contacts", "", MAX_CONTACTS, "contact card")):
        path = f"contacts[{i}]"
        card = req_obj(item, path)
        req_inner_text(card, "name", path, "formatted_name", None)


def _check_template(root: Mapping[str, Any], kind: str) -> None:
    obj = req_obj(root.get(kind), kind)
    req_text(obj, "name", kind, None)
    req_inner_text(obj, "language", kind, "code", None)
    if "components" not in obj or obj["components"] == []:
        return
    for i, item in enumerate(req_items(obj, "components", kind, None, "component")):
        path = f"template.components[{i}]"
        component = req_obj(item, path)
        if req_text(component, "type", path, None) == "button":
            index = component.get("index")
            if not (isinstance(index, str) and len(index) == 1 and "0" <= index <= "9"):
                raise LimitError(f"{path}.index", 'a string from "0" to "9"', short_repr(index))
        if "parameters" in component and component["parameters"] != []:
            for j, param in enumerate(req_items(component, "parameters", path, None, "parameter")):
                param_path = f"{path}.parameters[{j}]"
                param_obj = req_obj(param, param_path)
                if param_obj.get("type") == "text":
                    req_text(param_obj, "text", param_path, MAX_TEMPLATE_TEXT_PARAM)
                elif param_obj.get("type") == "payload":
                    req_text(param_obj, "payload", param_path, None)


def _check_reply_buttons(action: Mapping[str, Any]) -> None:
    ids: dict[str, str] = {}
    titles: dict[str, str] = {}
    for i, item in enumerate(
        req_items(action, "buttons", "interactive.action", MAX_BUTTONS, "button")
    ):
        path = f"interactive.action.buttons[{i}]"
        button = req_obj(item, path)
        req_const(button, "type", path, "reply")
        reply = req_obj(button.get("reply"), f"{path}.reply")
        button_id = req_text(reply, "id", f"{path}.reply", MAX_BUTTON_ID)
        if button_id != button_id.strip():
            raise LimitError(
                f"{path}.reply.id", "free of leading and trailing spaces", short_repr(button_id)
            )
        check_unique(ids, button_id, f"{path}.reply.id")
        title = req_text(reply, "title", f"{path}.reply", MAX_BUTTON_TITLE)
        check_unique(titles, title, f"{path}.reply.title")


def _sections(
    action: Mapping[str, Any], maximum: int, key: str, noun: str, total: int
) -> list[tuple[str, Sequence[Any]]]:
    """Check a list's or product list's titled sections; return each one's items with their path."""
    sections = req_items(action, "sections", "interactive.action", maximum, "section")
    groups = []
    for i, item in enumerate(sections):
        path = f"interactive.action.sections[{i}]"
        section = req_obj(item, path)
        if len(sections) > 1 and "title" not in section:
            raise LimitError(
                f"{path}.title", "present when there is more than one section", "missing"
            )
        opt_text(section, "title", path, MAX_SECTION_TITLE)
        groups.append((f"{path}.{key}", req_items(section, key, path, None, noun)))
    check_total(groups, total, noun)
    return groups


def _check_list(action: Mapping[str, Any]) -> None:
    req_text(action, "button", "interactive.action", MAX_LIST_BUTTON)
    groups = _sections(action, MAX_LIST_SECTIONS, "rows", "row", MAX_LIST_ROWS)
    ids: dict[str, str] = {}
    for rows_path, rows in groups:
        for j, item in enumerate(rows):
            path = f"{rows_path}[{j}]"
            row = req_obj(item, path)
            check_unique(ids, req_text(row, "id", path, MAX_ROW_ID), f"{path}.id")
            req_text(row, "title", path, MAX_ROW_TITLE)
            opt_text(row, "description", path, MAX_ROW_DESCRIPTION)


def _check_cta_url(action: Mapping[str, Any]) -> None:
    req_const(action, "name", "interactive.action", "cta_url")
    path = "interactive.action.parameters"
    params = req_obj(action.get("parameters"), path)
    req_text(params, "display_text", path, MAX_CTA_DISPLAY_TEXT)
    req_http_url(params, "url", path)


def _check_product(action: Mapping[str, Any]) -> None:
    req_text(action, "catalog_id", "interactive.action", None)
    req_text(action, "product_retailer_id", "interactive.action", None)


def _check_product_list(action: Mapping[str, Any]) -> None:
    req_text(action, "catalog_id", "interactive.action", None)
    groups = _sections(action, MAX_PRODUCT_SECTIONS, "product_items", "product", MAX_PRODUCTS)
    for items_path, products in groups:
        for j, item in enumerate(products):
            path = f"{items_path}[{j}]"
            req_text(req_obj(item, path), "product_retailer_id", path, None)


def _check_flow(action: Mapping[str, Any]) -> None:
    req_const(action, "name", "interactive.action", "flow")
    req_inner_text(action, "parameters", "interactive.action", "flow_cta", MAX_FLOW_CTA)


_ACTIONS: Final[dict[str, _Checker]] = {
    "button": _check_reply_buttons,
    "list": _check_list,
    "cta_url": _check_cta_url,
    "location_request_message": lambda a: req_const(
        a, "name", "interactive.action", "send_location"
    ),
    "product": _check_product,
    "product_list": _check_product_list,
    "catalog_message": lambda a: req_const(a, "name", "interactive.action", "catalog_message"),
    "flow": _check_flow,
}
_BODY_REQUIRED: Final = frozenset(
    {"button", "list", "cta_url", "location_request_message", "product_list"}
)


def _check_header(obj: Mapping[str, Any], itype: str) -> None:
    if "header" not in obj:
        if itype == "product_list":
            raise LimitError("interactive.header", "present on a product_list message", "missing")
        return
    if itype == "product":
        raise LimitError("interactive.header", "absent: a product message takes no header")
    header = req_obj(obj["header"], "interactive.header")
    allowed = (
        ("text",) if itype in ("list", "product_list") else ("text", "image", "video", "document")
    )
    htype = header.get("type")
    if not isinstance(htype, str) or htype not in allowed:
        raise LimitError(
            "interactive.header.type", "one of " + ", ".join(allowed), short_repr(htype)
        )
    if htype == "text":
        req_text(header, "text", "interactive.header", MAX_HEADER_TEXT)
    else:
        where = f"interactive.header.{htype}"
        _media_source(req_obj(header.get(htype), where), where)


def _check_interactive(root: Mapping[str, Any], kind: str) -> None:
    obj = req_obj(root.get(kind), kind)
    itype = obj.get("type")
    if not isinstance(itype, str) or itype not in _ACTIONS:
        raise LimitError(
            "interactive.type", "one of " + ", ".join(sorted(_ACTIONS)), short_repr(itype)
        )
    _check_header(obj, itype)
    if "body" in obj or itype in _BODY_REQUIRED:
        req_inner_text(obj, "body", kind, "text", MAX_INTERACTIVE_BODY)
    if "footer" in obj:
        req_inner_text(obj, "footer", kind, "text", MAX_FOOTER)
    _ACTIONS[itype](req_obj(obj.get("action"), "interactive.action"))


_TYPES: Final[dict[str, Callable[[Mapping[str, Any], str], None]]] = {
    "text": _check_text,
    **dict.fromkeys(MEDIA_KINDS, _check_media),
    "interactive": _check_interactive,
    "template": _check_template,
    "reaction": _check_reaction,
    "contacts": _check_contacts,
    "location": _check_location,
}


def check(payload: Mapping[str, Any]) -> None:
    """Hold one ``POST /{phone-number-id}/messages`` body against every WhatsApp hard limit.

    A read receipt (``status: "read"``, see :func:`bot.messages.mark_read`) is accepted too.

    Raises:
        LimitError: The first breach found, naming the field by its path (``text.body``,
            ``interactive.action.buttons[3]``...), the limit, and what was found. An unknown
            ``type`` is a breach on ``type``.
    """
    root = req_obj(payload, "payload")
    req_const(root, "messaging_product", "", "whatsapp")
    if root.get("status") == "read" and "type" not in root:
        req_text(root, "message_id", "", None)
        if "typing_indicator" in root:
            indicator = req_obj(root["typing_indicator"], "typing_indicator")
            req_const(indicator, "type", "typing_indicator", "text")
        return
    req_text(root, "to", "", None)
    if root.get("recipient_type", "individual") not in ("individual", "group"):
        raise LimitError(
            "recipient_type", '"individual" or "group"', short_repr(root["recipient_type"])
        )
    if "context" in root:
        req_inner_text(root, "context", "", "message_id", None)
    if "biz_opaque_callback_data" in root:
        req_text(root, "biz_opaque_callback_data", "", MAX_CALLBACK_DATA, minimum=0)
    kind = root.get("type")
    if not isinstance(kind, str) or kind not in _TYPES:
        raise LimitError("type", "one of " + ", ".join(sorted(_TYPES)), short_repr(kind))
    _TYPES[kind](root, kind)


class Checked(dict[str, Any]):
    """An outbound payload that passed :func:`check` when a builder of :mod:`bot.messages` made it.

    A plain ``dict`` in every other way (it compares, copies and serialises as one). It only
    tells the runtime that this payload needs no second check before it is stored; change a
    built payload's recipient with :func:`bot.messages.with_recipient`, which keeps the mark.
    """


def checked(payload: dict[str, Any]) -> Checked:
    """Check a payload just built (raising :class:`LimitError`) and mark it :class:`Checked`."""
    check(payload)
    return Checked(payload)


def check_unless_built(payload: Mapping[str, Any]) -> None:
    """Check a payload about to be stored, unless a builder already did (it is :class:`Checked`)."""
    if not isinstance(payload, Checked):
        check(payload)
