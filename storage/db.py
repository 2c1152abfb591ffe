"""Engines and transactions: one place that knows the differences between SQLite and PostgreSQL.

SQLite is the embedded default (its locking lives in :mod:`storage._sqlite`): writing
transactions (:func:`transaction`) take the write lock up front, read-only ones
(:func:`read_session`, :func:`read_connection`) never wait for it. PostgreSQL uses row locks
(``FOR UPDATE``, ``SKIP LOCKED``) so several processes share the work. Database errors never
carry a statement's values (phone numbers, message text) into logs, and
:func:`is_transient_error` tells a passing failure, worth retrying, from one caused by the data.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, ExceptionContext, make_url
from sqlalchemy.pool import StaticPool
from sqlalchemy.schema import CreateColumn, Table
from sqlalchemy.sql import Insert
from sqlmodel import Session, SQLModel, create_engine

import storage.models  # noqa: F401  (registers the runtime's tables)
from storage._sqlite import READ_ONLY, URGENT, sqlite_engine
from storage.errors import ConfigError

log = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """Map common spellings of a database URL onto the drivers waflow installs.

    ``postgres://`` and ``postgresql://`` (as printed by most hosting providers) become
    ``postgresql+psycopg://``.
    """
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for ``DATABASE_URL``.

    Args:
        url: A SQLAlchemy URL: ``sqlite:///file.db``, ``sqlite://`` (in memory, one shared
            connection: for tests and inline mode only, see :func:`is_shared_memory`), or
            ``postgresql://user:pass@host/db``.
        echo: Log every SQL statement.

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
        return sqlite_engine(url, in_memory=parsed.database in (None, "", ":memory:"), echo=echo)
    if backend == "postgresql":
        try:
            engine = create_engine(
                url,
                echo=echo,
                hide_parameters=True,
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=20,
            )
        except ModuleNotFoundError as exc:
            raise ConfigError(
                "DATABASE_URL points at PostgreSQL but its driver is missing: "
                "pip install 'waflow[postgres]'"
            ) from exc
        event.listen(engine, "handle_error", _hide_error_detail)
        return engine
    raise ConfigError(f"DATABASE_URL: unsupported database {backend!r} (use sqlite or postgresql)")


_DETAIL_HIDDEN = "(detail hidden: it may quote the row's values)"


_QUOTING_FIELDS = ("message_detail", "context", "internal_query", "message_hint")
"""PostgreSQL's diagnostic fields that may quote a row's values: DETAIL ("Key (wa_id)=(…)
already exists"), CONTEXT ("JSON data, line 1: …"), the internal query and the hint."""


def _hide_error_detail(context: ExceptionContext) -> None:
    # hide_parameters keeps values out of SQLAlchemy's text, but PostgreSQL's DETAIL and CONTEXT
    # quote them themselves; the error keeps its SQLSTATE and primary message.
    orig = context.original_exception
    diag = getattr(orig, "diag", None)
    quoted = [getattr(diag, name, None) for name in _QUOTING_FIELDS]
    hidden = sorted({q for q in quoted if isinstance(q, str) and q.strip()}, key=len)[::-1]
    if not hidden:
        return
    for error in (orig, context.sqlalchemy_exception):
        if error is not None and error.args and isinstance(error.args[0], str):
            message = error.args[0]
            for text in hidden:  # longest first: one field may hold another
                message = message.replace(text, _DETAIL_HIDDEN)
            error.args = (message, *error.args[1:])


def is_shared_memory(engine: Engine) -> bool:
    """True for an in-memory SQLite engine, whose one connection serves one thread at a time."""
    memory = isinstance(engine.pool, StaticPool) or engine.url.database in (None, "", ":memory:")
    return engine.dialect.name == "sqlite" and memory


_TRANSIENT_SQLSTATES = ("08", "40", "53", "57", "55P03")
"""Classes connection exception, transaction rollback (deadlock, serialization), resources and
operator intervention, and the code lock not available."""


def is_transient_error(exc: BaseException) -> bool:
    """True when a database error is worth retrying later rather than a problem of the data.

    Transient: lost connections, pool timeouts, SQLite's ``OperationalError`` ("database is
    locked"), PostgreSQL's lock timeouts (55P03) and SQLSTATE classes 08, 40 (deadlocks,
    serialization failures), 53 and 57. Anything else (``IntegrityError``, ``DataError``…) would
    fail the same way again.
    """
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "sqlstate", None)
        if isinstance(state, str) and state.startswith(_TRANSIENT_SQLSTATES):
            return True
        return isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
    return isinstance(exc, sa_exc.TimeoutError | sa_exc.DisconnectionError)


def is_postgres(bind: Engine | Connection | Session) -> bool:
    """True when the engine (or connection, or session's bind) is PostgreSQL."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name == "postgresql"


def create_schema(engine: Engine) -> None:
    """Create every table SQLModel's metadata knows that does not exist yet (safe to repeat).

    That is the runtime's tables and those of every module imported so far (the features'
    tables once ``flows.features`` is imported). Nullable columns a newer waflow added to an
    existing table are added too, so a database of an earlier version keeps working.
    """
    SQLModel.metadata.create_all(engine)
    _add_missing_columns(engine)


def _add_missing_columns(engine: Engine) -> None:
    """``ALTER TABLE … ADD COLUMN`` for each missing nullable column without a default."""
    missing: list[tuple[str, Any]] = []
    with read_connection(engine) as conn:
        existing = inspect(conn)
        for table in SQLModel.metadata.sorted_tables:
            if existing.has_table(table.name):
                present = {c["name"] for c in existing.get_columns(table.name)}
                missing += [(table.name, c) for c in table.columns if _addable(c, present)]
    if not missing:
        return
    with engine.begin() as conn:
        for table_name, column in missing:
            ddl = CreateColumn(column).compile(dialect=engine.dialect)
            conn.exec_driver_sql(f'ALTER TABLE "{table_name}" ADD COLUMN {ddl}')
            log.info("added column %s.%s", table_name, column.name)


def _addable(column: Any, present: set[str]) -> bool:
    new = column.name not in present and not column.primary_key
    return new and column.nullable and column.server_default is None


def reset_schema(engine: Engine) -> None:
    """Drop and re-create every table SQLModel's metadata knows. Destroys all data."""
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)


@contextmanager
def transaction(engine: Engine, *, urgent: bool = False) -> Iterator[Session]:
    """Open a session in one transaction (on SQLite it takes the write lock up front).

    Committed on success, rolled back on any error.

    Args:
        urgent: Someone waits for this write (a webhook answer): on SQLite it goes before the
            other writers of this process.
    """
    options = {URGENT: True} if urgent else {}
    with (
        Session(engine, expire_on_commit=False, execution_options=options) as session,
        session.begin(),
    ):
        yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """Open a session for reading only (rolled back at the end; do not write through it).

    On SQLite it reads a snapshot (deferred ``BEGIN``): it and the writers never wait for each other.
    """
    with Session(engine, expire_on_commit=False, execution_options={READ_ONLY: True}) as session:
        yield session


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A Core connection for reading only (deferred ``BEGIN`` on SQLite), e.g. a health check."""
    with engine.connect() as conn:
        conn.execution_options(**{READ_ONLY: True})
        yield conn


def insert_ignoring(
    session: Session | Connection,
    table: Table,
    *,
    unique: Sequence[str],
    returning: Sequence[str] = (),
) -> Insert:
    """``INSERT … ON CONFLICT (unique) DO NOTHING [RETURNING …]`` in ``session``'s dialect.

    Built once without values: execute it with the rows as parameters, ``session.execute(stmt,
    rows)``. It is then the same object on every call and SQLAlchemy compiles it once per engine,
    which :func:`insert_ignoring_conflicts` (values baked into a copy of it) cannot offer.
    """
    return _insert_ignoring(is_postgres(session), table, tuple(unique), tuple(returning))


@cache
def _insert_ignoring(
    postgres: bool, table: Table, unique: tuple[str, ...], returning: tuple[str, ...]
) -> Insert:
    insert = postgresql.insert if postgres else sqlite.insert
    stmt: Insert = insert(table).on_conflict_do_nothing(index_elements=list(unique))
    return stmt.returning(*(table.c[name] for name in returning)) if returning else stmt


def insert_ignoring_conflicts(
    session: Session, table: Any, rows: Sequence[dict[str, Any]], *, unique: Sequence[str]
) -> Insert:
    """:func:`insert_ignoring` with ``rows`` baked in as ``VALUES``; add ``.returning(...)`` as needed."""
    return insert_ignoring(session, table, unique=unique).values(list(rows))


__all__ = [
    "READ_ONLY",
    "URGENT",
    "create_schema",
    "insert_ignoring",
    "insert_ignoring_conflicts",
    "is_postgres",
    "is_shared_memory",
    "is_transient_error",
    "make_engine",
    "normalize_url",
    "read_connection",
    "read_session",
    "reset_schema",
    "transaction",
]
