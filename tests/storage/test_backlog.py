"""The backlog's count reads a small partial index, whatever the history of done rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.dialects import sqlite

from storage import backlog
from storage.db import create_schema, make_engine, read_connection
from storage.models import INBOUND_BACKLOG, INBOUND_BACKLOG_STATES


def test_the_counted_states_are_the_indexed_ones() -> None:
    assert backlog.INBOX_STATES == INBOUND_BACKLOG_STATES
    assert INBOUND_BACKLOG == "state IN ('pending', 'failed')"


def test_sqlite_counts_the_inbox_backlog_from_its_partial_index(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'waflow.db'}")
    create_schema(engine)
    query = str(backlog._INBOX_QUERY.compile(dialect=sqlite.dialect()))

    with read_connection(engine) as conn:
        plan = " ".join(row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))

    assert "ix_waflow_inbound_backlog" in plan, plan
    engine.dispose()
