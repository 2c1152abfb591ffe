"""Engines and transactions: one place that knows the differences between SQLite and PostgreSQL.

SQLite is the embedded default. Its connections are put in WAL mode and every transaction starts
with ``BEGIN IMMEDIATE``, so writers queue on the database lock up front instead of failing when
a read transaction tries to upgrade. PostgreSQL (``postgresql+psycopg://…``) uses row locks
(``FOR UPDATE``, ``SKIP LOCKED``) so several processes can share the work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import Insert
from sqlmodel import Session, SQLModel, create_engine

from bot.errors import ConfigError

log = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """Map common spellings of a database URL onto the drivers waflow installs.

    ``postgres://`` and ``postgresql://`` (as printed by most hosting providers) become
    ``postgresql+psycopg://``.
    """
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for ``DATABASE_URL``.

    Args:
        url: A SQLAlchemy URL: ``sqlite:///file.db``, ``sqlite://`` (in memory, one shared
            connection: for tests), or ``postgresql://user:pass@host/db``.
        echo: Log every SQL statement.

    Returns:
        The engine.

    Raises:
        ConfigError: The URL names an unsupported database or a driver that is not installed.
    """
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigError(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, in_memory=parsed.database in (None, "", ":memory:"), echo=echo)
    if backend == "postgresql":
        try:
            return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
        except ModuleNotFoundError as exc:
            raise ConfigError(
                "DATABASE_URL points at PostgreSQL but its driver is missing: "
                "pip install 'waflow[postgres]'"
            ) from exc
    raise ConfigError(f"DATABASE_URL: unsupported database {backend!r} (use sqlite or postgresql)")


def _sqlite_engine(url: str, *, in_memory: bool, echo: bool) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite; BEGIN is emitted below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def is_postgres(engine_or_session: Engine | Session) -> bool:
    """True when the engine (or the session's bind) is PostgreSQL."""
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "postgresql"


def _register_tables() -> None:
    """Import every module that defines tables, so that SQLModel's metadata knows them all."""
    import storage.bookings
    import storage.commerce
    import storage.models
    import storage.surveys  # noqa: F401


def create_schema(engine: Engine) -> None:
    """Create every waflow table that does not exist yet (safe to call at each start)."""
    _register_tables()
    SQLModel.metadata.create_all(engine)


def reset_schema(engine: Engine) -> None:
    """Drop and re-create every waflow table. Destroys all data."""
    _register_tables()

    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """Open a session in one transaction: committed on success, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def insert_ignoring_conflicts(
    session: Session, table: Any, rows: Sequence[dict[str, Any]], *, unique: Sequence[str]
) -> Insert:
    """Build ``INSERT … ON CONFLICT (unique) DO NOTHING`` for the session's database.

    Args:
        session: The session whose dialect decides the SQL.
        table: The table (``Model.__table__``).
        rows: The rows to insert.
        unique: The columns of the unique constraint that may conflict.

    Returns:
        The statement (add ``.returning(...)`` as needed and execute it).
    """
    if is_postgres(session):
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(list(rows)).on_conflict_do_nothing(index_elements=unique)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).values(list(rows)).on_conflict_do_nothing(index_elements=unique)


__all__ = [
    "create_schema",
    "insert_ignoring_conflicts",
    "is_postgres",
    "make_engine",
    "normalize_url",
    "reset_schema",
    "transaction",
]
