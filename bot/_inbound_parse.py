"""Walk a webhook POST body into typed updates, without ever raising and without losing data.

This module owns the envelope walk (``entry[] -> changes[] -> value``), the split of one
``value`` into one update per item (``messages[]``, ``statuses[]``, ``errors[]``,
``user_preferences[]``), the matching of items to ``contacts[]``, and the building of each
update's self-contained ``raw_value``. Reading one message item is delegated to
:mod:`bot._inbound_parse_message`.

Anything not understood becomes an :class:`~bot.inbound.UnknownChange`, so a caller that stores
every update stores everything Meta sent. Values that are not JSON objects are wrapped as
``{"waflow_unparsed": value}`` in ``raw_value``, so that ``parse_value(u.field, u.raw_value)``
gives back ``[u]`` for every update ``u``, including those.
"""

from __future__ import annotations

import logging
from typing import Any

from bot._inbound_fields import (
    as_dict,
    opt_str,
    parse_contact,
    parse_errors,
    parse_pricing,
    to_datetime,
)
from bot._inbound_parse_message import parse_message
from bot._inbound_types import (
    Contact,
    Status,
    UnknownChange,
    Update,
    UserPreference,
    ValueErrors,
)

logger = logging.getLogger(__name__)

WABA_OBJECT = "whatsapp_business_account"
UNPARSED_KEY = "waflow_unparsed"

_WALKED_FIELDS = frozenset({"messages", "user_preferences"})
_BASE_KEYS = ("messaging_product", "metadata")
_KNOWN_KEYS = frozenset(
    {*_BASE_KEYS, "contacts", "messages", "statuses", "errors", "user_preferences"}
)

_NO_MATCH: tuple[dict[str, Any] | None, Contact | None] = (None, None)


def parse_payload(payload: object) -> list[Update]:
    """Parse a whole webhook POST body (decoded JSON) into updates.

    Walks every ``entry[]``, every ``changes[]`` and every item of each value. Never raises:
    a payload that is not a WhatsApp Business Account webhook, or any part of one that cannot be
    read, comes back as an :class:`~bot.inbound.UnknownChange` carrying the raw data.

    Args:
        payload: The decoded JSON body.

    Returns:
        The updates, in payload order.
    """
    try:
        return _walk_payload(payload)
    except Exception as exc:  # never raise on the webhook path; keep the data instead
        logger.warning("unreadable webhook payload (%s); kept as unknown", type(exc).__name__)
        return [_unknown("", payload)]


def parse_value(field: str, value: object) -> list[Update]:
    """Parse the ``value`` of one change.

    This is also how a stored update is read back: ``parse_value(u.field, u.raw_value)``
    returns ``[u]``. Never raises.

    Args:
        field: The change's ``field``, for example ``"messages"``.
        value: The change's ``value``.

    Returns:
        One update per item of the value; an :class:`~bot.inbound.UnknownChange` for fields
        other than ``messages`` and ``user_preferences`` and for anything unreadable.
    """
    try:
        return _parse_value(field, value)
    except Exception as exc:  # never raise on the webhook path; keep the data instead
        logger.warning("unreadable %.64s change (%s); kept as unknown", field, type(exc).__name__)
        return [_unknown(field, value)]


def _walk_payload(payload: object) -> list[Update]:
    if not isinstance(payload, dict) or payload.get("object") != WABA_OBJECT:
        logger.info("payload is not a WhatsApp Business Account webhook; kept as unknown")
        return [_unknown("", payload)]
    entries = payload.get("entry")
    if not isinstance(entries, list):
        logger.info("webhook payload without an entry list; kept as unknown")
        return [_unknown("", payload)]
    updates: list[Update] = []
    for entry in entries:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            updates.append(_unknown("", entry))
            continue
        for change in changes:
            field = change.get("field") if isinstance(change, dict) else None
            if isinstance(field, str):
                updates.extend(parse_value(field, change.get("value")))
            else:
                updates.append(_unknown("", change))
    return updates


def _parse_value(field: str, value: object) -> list[Update]:
    if not isinstance(value, dict):
        return [_unknown(field, value)]
    if len(value) == 1 and UNPARSED_KEY in value:
        return [UnknownChange(field=field, raw_value=value, value=value[UNPARSED_KEY])]
    phone_number_id = opt_str(as_dict(value.get("metadata")), "phone_number_id")
    if field not in _WALKED_FIELDS:
        logger.debug("%.64s change is not parsed; kept as unknown", field)
        return [
            UnknownChange(
                field=field, phone_number_id=phone_number_id, raw_value=value, value=value
            )
        ]
    return _walk_value(field, value, phone_number_id)


def _walk_value(field: str, value: dict[str, Any], phone_number_id: str | None) -> list[Update]:
    base = {key: value[key] for key in _BASE_KEYS if key in value}
    leftover = {key: item for key, item in value.items() if key not in _KNOWN_KEYS}
    contacts = value.get("contacts", [])
    if not isinstance(contacts, list):
        leftover["contacts"] = contacts
        contacts = []
    matcher = _ContactMatcher(contacts)
    updates: list[Update] = []

    def raw(key: str, item: object, contact_raw: dict[str, Any] | None) -> dict[str, Any]:
        single = {**base, key: [item]}
        if contact_raw is not None:
            single["contacts"] = [contact_raw]
        return single

    def unknown(key: str, item: object, raw_value: dict[str, Any]) -> UnknownChange:
        logger.warning("unreadable %s item in a %.64s change; kept as unknown", key, field)
        return UnknownChange(
            field=field, phone_number_id=phone_number_id, raw_value=raw_value, value=item
        )

    for key in ("messages", "statuses", "user_preferences"):
        if key not in value:
            continue
        items = value[key]
        if not isinstance(items, list):
            leftover[key] = items
            continue
        for item in items:
            if not isinstance(item, dict):
                contact_raw, contact = matcher.match(None, None)
                updates.append(unknown(key, item, raw(key, item, contact_raw)))
                continue
            if key == "messages":
                contact_raw, contact = matcher.match(item.get("from"), item.get("from_user_id"))
            elif key == "statuses":
                contact_raw, contact = matcher.match(
                    item.get("recipient_id"), item.get("recipient_user_id")
                )
            else:
                contact_raw, contact = matcher.match(item.get("wa_id"), item.get("user_id"))
            raw_value = raw(key, item, contact_raw)
            try:
                if key == "messages":
                    update = parse_message(item, field, phone_number_id, raw_value, contact)
                elif key == "statuses":
                    update = _status(item, field, phone_number_id, raw_value)
                else:
                    update = _preference(item, field, phone_number_id, raw_value, contact)
            except Exception as exc:  # one bad item must not cost the others
                logger.warning("parser error on a %s item: %s", key, type(exc).__name__)
                update = UnknownChange(
                    field=field, phone_number_id=phone_number_id, raw_value=raw_value, value=item
                )
            if type(update) is UnknownChange:
                logger.warning("unreadable %s item in a %.64s change; kept as unknown", key, field)
            updates.append(update)

    if "errors" in value:
        errors = value["errors"]
        if not isinstance(errors, list):
            leftover["errors"] = errors
        elif errors:
            updates.append(
                ValueErrors(
                    field=field,
                    phone_number_id=phone_number_id,
                    raw_value={**base, "errors": errors},
                    errors=parse_errors(errors),
                )
            )

    if leftover:
        rest = {**base, **leftover}
        updates.append(unknown("unrecognised", rest, rest))
    elif not updates:
        logger.info("%.64s change with nothing in it; kept as unknown", field)
        updates.append(
            UnknownChange(
                field=field, phone_number_id=phone_number_id, raw_value=value, value=value
            )
        )
    return updates


def _status(
    item: dict[str, Any], field: str, phone_number_id: str | None, raw_value: dict[str, Any]
) -> Update:
    status_id = item.get("id")
    status = item.get("status")
    timestamp = to_datetime(item.get("timestamp"))
    if not (status_id and isinstance(status_id, str) and status and isinstance(status, str)):
        return UnknownChange(
            field=field, phone_number_id=phone_number_id, raw_value=raw_value, value=item
        )
    if timestamp is None:
        return UnknownChange(
            field=field, phone_number_id=phone_number_id, raw_value=raw_value, value=item
        )
    conversation = item.get("conversation")
    return Status(
        field=field,
        phone_number_id=phone_number_id,
        raw_value=raw_value,
        id=status_id,
        status=status,
        timestamp=timestamp,
        recipient_id=opt_str(item, "recipient_id"),
        errors=parse_errors(item.get("errors")),
        pricing=parse_pricing(item.get("pricing")),
        conversation=conversation if isinstance(conversation, dict) else None,
        biz_opaque_callback_data=opt_str(item, "biz_opaque_callback_data"),
    )


def _preference(
    item: dict[str, Any],
    field: str,
    phone_number_id: str | None,
    raw_value: dict[str, Any],
    contact: Contact | None,
) -> Update:
    # Some deliveries name the user only in contacts[] (PYWA test data): fall back to it.
    wa_id = opt_str(item, "wa_id") or (contact.wa_id if contact else None)
    category = opt_str(item, "category")
    choice = opt_str(item, "value")
    timestamp = to_datetime(item.get("timestamp"))
    if not (wa_id and category and choice and timestamp):
        return UnknownChange(
            field=field, phone_number_id=phone_number_id, raw_value=raw_value, value=item
        )
    return UserPreference(
        field=field,
        phone_number_id=phone_number_id,
        raw_value=raw_value,
        wa_id_=wa_id,
        category=category,
        value=choice,
        detail=opt_str(item, "detail"),
        timestamp=timestamp,
    )


def _unknown(field: str, value: object) -> UnknownChange:
    """Keep ``value`` as an unknown update; non-objects are wrapped so ``raw_value`` is a dict."""
    if isinstance(value, dict):
        try:
            phone_number_id = opt_str(as_dict(value.get("metadata")), "phone_number_id")
        except Exception:  # a dict subclass misbehaving; this is the last resort, keep going
            phone_number_id = None
        return UnknownChange(
            field=field, phone_number_id=phone_number_id, raw_value=value, value=value
        )
    return UnknownChange(field=field, raw_value={UNPARSED_KEY: value}, value=value)


class _ContactMatcher:
    """Find the ``contacts[]`` entry of an item: by WhatsApp id, then by BSUID.

    With a single contact, that contact is used whatever its ids (Meta warns that ``wa_id`` and
    ``from`` can differ, and ``wa_id`` may be empty for users known only by ``user_id``).
    """

    __slots__ = ("_by_user_id", "_by_wa_id", "_single")

    def __init__(self, contacts: list[Any]) -> None:
        entries = [(raw, parse_contact(raw)) for raw in contacts if isinstance(raw, dict)]
        self._single = entries[0] if len(entries) == 1 else _NO_MATCH
        self._by_wa_id: dict[str, tuple[dict[str, Any], Contact]] = {}
        self._by_user_id: dict[str, tuple[dict[str, Any], Contact]] = {}
        if len(entries) > 1:
            for raw, contact in reversed(entries):  # the first of duplicates wins
                if contact.wa_id:
                    self._by_wa_id[contact.wa_id] = (raw, contact)
                if contact.user_id:
                    self._by_user_id[contact.user_id] = (raw, contact)

    def match(self, wa_id: object, user_id: object) -> tuple[dict[str, Any] | None, Contact | None]:
        """Return the raw entry and the parsed contact for these ids, or ``(None, None)``."""
        if self._single is not _NO_MATCH:
            return self._single
        if isinstance(wa_id, str) and wa_id in self._by_wa_id:
            return self._by_wa_id[wa_id]
        if isinstance(user_id, str) and user_id in self._by_user_id:
            return self._by_user_id[user_id]
        return _NO_MATCH


__all__ = ["UNPARSED_KEY", "WABA_OBJECT", "parse_payload", "parse_value"]
