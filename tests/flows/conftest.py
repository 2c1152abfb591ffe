"""Fixtures of the flow-engine tests: a database, a clock, hooks, and a chat factory.

They build on one another: ``db`` (in-memory SQLite with the waflow tables) and ``clock`` feed
``make_chat``, which turns YAML sources (or a flow set) into a :class:`~tests.flows.flowkit.Chat`
with a fresh :class:`~flows.FlowHandler`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

import storage.models  # noqa: F401 - registers the tables on SQLModel.metadata
from flows import FlowHandler, FlowSet, Hooks
from tests.flows.flowkit import Chat, Clock, MakeChat, flowset


@pytest.fixture
def db() -> Iterator[Engine]:
    """An in-memory SQLite database with every waflow table."""
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    """The turn clock, starting on Monday 2025-03-03 10:00 UTC."""
    return Clock()


@pytest.fixture
def hooks() -> Hooks:
    """An empty hook registry; tests register what they need."""
    return Hooks()


@pytest.fixture
def make_chat(db: Engine, clock: Clock, hooks: Hooks) -> MakeChat:
    """Build a chat from YAML sources (or a flow set): ``make_chat(SRC, main_menu="menu")``."""

    def make(*sources: str | FlowSet, name: str | None = "Ana", **options: Any) -> Chat:
        first = sources[0]
        flows = first if isinstance(first, FlowSet) else flowset(*(str(s) for s in sources))
        handler = FlowHandler(flows, hooks, **options)
        return Chat(db, handler, clock, name=name)

    return make
