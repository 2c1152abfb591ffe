"""What the broadcast tests share: the test bakery with a ``broadcasts`` section, customers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from storage.models import Contact
from tests.shop.shopkit import SHOP_FILE

NOW = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
SETTINGS = {"rate": "10", "messaging_limit": "unlimited", "doubt_period": "5m"}
"""The test bakery's ``broadcasts`` settings besides its templates."""


TEMPLATES = (
    "[{name: spring_sale, params: [name, code]}, "
    "{name: class_news, params: [code], category: utility}]"
)
"""The broadcast templates of the test bakery: declared in its ``broadcasts`` section."""


def shop_yaml(templates: str = TEMPLATES, **settings: str) -> str:
    """The test bakery's file with a ``broadcasts`` section: ``templates``, :data:`SETTINGS`
    and ``settings``."""
    lines = [f"  {key}: {value}" for key, value in {**SETTINGS, **settings}.items()]
    section = ["", "broadcasts:", f"  templates: {templates}", *lines, ""]
    return SHOP_FILE.read_text(encoding="utf-8") + "\n".join(section)


def add_customer(
    session: Session,
    wa_id: str,
    name: str | None = "Ana",
    *,
    last_inbound_at: datetime | None = NOW - timedelta(days=3),
    opted_out: bool = False,
) -> Contact:
    """A customer who last wrote at ``last_inbound_at`` (``None``: never)."""
    contact = Contact(
        wa_id=wa_id, name=name, last_inbound_at=last_inbound_at, marketing_opt_out=opted_out
    )
    session.add(contact)
    session.flush()
    return contact
