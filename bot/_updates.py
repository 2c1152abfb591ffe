"""Updates that are not customer messages: delivery statuses, marketing preferences, errors.

:func:`apply_update` is what processing does with them, inside the update's transaction:
statuses are stored monotonically (:mod:`storage.statuses`), a ``user_preferences`` stop or
resume flips the contact's marketing opt-out unless an older one arrives late, and errors Meta
reports at the value level are logged. Anything else is only kept in the inbox.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from sqlmodel import Session

from bot import inbound
from bot.config import mask
from storage.models import Contact
from storage.statuses import record_status

log = logging.getLogger(__name__)


def apply_update(
    session: Session,
    update: inbound.Update | None,
    contact: Contact | None,
) -> None:
    """Apply one stored update that is not a customer message (see the module docstring).

    Args:
        session: The update's transaction.
        update: The parsed update (``None`` when its value held nothing understood).
        contact: Its contact, locked, or ``None`` for updates about no contact.
    """
    if isinstance(update, inbound.Status):
        record_status(
            session,
            update.id,
            update.status,
            at=update.timestamp,
            recipient_id=update.recipient_id,
            errors=[_error_dict(e) for e in update.errors],
            pricing=dataclasses.asdict(update.pricing) if update.pricing else None,
        )
        if update.status == "failed":
            log.warning(
                "message to %s failed: %s",
                mask(update.recipient_id),
                "; ".join(f"{e.code} {e.title or e.message}" for e in update.errors) or "?",
            )
    elif isinstance(update, inbound.UserPreference) and contact is not None:
        changed = contact.marketing_changed_at
        stale = changed is not None and changed > update.timestamp
        # Meta does not guarantee order: an older stop/resume delivered late is ignored.
        if update.value in ("stop", "resume") and not stale:
            contact.marketing_opt_out = update.value == "stop"
            contact.marketing_changed_at = update.timestamp
            session.add(contact)
    elif isinstance(update, inbound.ValueErrors):
        log.warning(
            "Meta reported errors: %s",
            "; ".join(f"{e.code} {e.title or e.message}: {e.details}" for e in update.errors),
        )
    else:
        kind = type(update).__name__ if update is not None else "nothing"
        log.info("stored update of kind %s needs no processing", kind)


def _error_dict(error: inbound.ErrorInfo) -> dict[str, Any]:
    return {"code": error.code, "title": error.title, "details": error.details}


__all__ = ["apply_update"]
