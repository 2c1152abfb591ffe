"""Handoff fixtures: the salon's business file, a customer and the staff member's contact rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from flows import FlowHandler, FlowSet, Hooks, load_flow, parse_flow
from flows.features.booking.hooks import register_booking_hooks
from flows.features.business import BusinessConfig, parse_business
from flows.features.handoff.hooks import register_handoff_hooks
from flows.features.surveys.hooks import register_survey_hooks
from storage.db import transaction
from storage.models import Contact
from tests.booking.conftest import SALON_YAML
from tests.flows.flowkit import Chat, Clock

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CUSTOMER = "34600111222"
STAFF = "34600999888"
FEATURES = Path(__file__).parents[2] / "flows" / "features"
STUB = (
    "schema: 1\nflow: {id}\nversion: 1\nstart: s\nstates:\n  s: {{say: '{id} here', end: true}}\n"
)


@pytest.fixture
def salon() -> BusinessConfig:
    """The salon's business file (notify number +34 600 999 888, ``staff_alert`` template)."""
    return parse_business(SALON_YAML, "salon.yaml")


def add_contact(
    engine: Engine, wa_id: str, *, wrote_ago: timedelta | None, **fields: object
) -> int:
    """Insert a contact who last wrote ``wrote_ago`` before :data:`NOW` (``None``: never)."""
    last = None if wrote_ago is None else NOW - wrote_ago
    with transaction(engine) as session:
        contact = Contact(wa_id=wa_id, last_inbound_at=last, **fields)
        session.add(contact)
        session.flush()
        return int(contact.id or 0)


def menu_chat(engine: Engine, business: BusinessConfig, language: str = "en") -> Chat:
    """Ana talking to the main menu, booking and survey flows (the shop flows are stubs) of a
    bot answering in ``language``."""
    hooks = Hooks()
    for register in (register_booking_hooks, register_survey_hooks, register_handoff_hooks):
        register(hooks, business)
    flows = [
        load_flow(FEATURES / feature / "flows" / f"{name}.yaml")
        for feature, name in (
            ("business", "main_menu"),
            ("booking", "booking"),
            ("surveys", "survey"),
        )
    ]
    flows += [parse_flow(STUB.format(id=name)) for name in ("purchase", "track_order")]
    handler = FlowHandler(
        FlowSet(flows),
        hooks,
        main_menu="main_menu",
        language=language,
        locale=business.business.locale,
    )
    return Chat(engine, handler, Clock())
