"""Engines and transactions: one place that knows the differences between SQLite and PostgreSQL.

SQLite is the embedded default (its locking lives in :mod:`storage._sqlite`): writing
transactions (:func:`transaction`) take the write lock up front, read-only ones
(:func:`read_session`, :func:`read_connection`) never wait for it. PostgreSQL uses row locks
(``FOR UPDATE``, ``SKIP LOCKED``) so several processes share the work. Database errors never
carry a statement's values (phone numbers, message text) into logs, and
:func:`is_transient_error` picks out a passing failure, worth retrying soon, and
:func:`is_permanent_data_error` one caused by the data, which no retry will fix.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, ExceptionContext, make_url
from sqlalchemy.pool import StaticPool
from sqlalchemy.schema import Table
from sqlalchemy.sql import Insert
from sqlmodel import Session, SQLModel, create_engine

import storage.models  # noqa: F401  (registers the runtime's tables)
from storage import migrations
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
    """True when a database error is likely to pass within seconds or minutes: retry soon.

    Transient: lost connections, pool timeouts, SQLite's ``OperationalError`` ("database is
    locked"), PostgreSQL's lock timeouts (55P03) and SQLSTATE classes 08, 40 (deadlocks,
    serialization failures), 53 and 57. Anything else is either the data's fault
    (:func:`is_permanent_data_error`) or a failure that lasts until someone acts (a read-only
    replica, a revoked grant, a missing table).
    """
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "sqlstate", None)
        if isinstance(state, str) and state.startswith(_TRANSIENT_SQLSTATES):
            return True
        return isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
    return isinstance(exc, sa_exc.TimeoutError | sa_exc.DisconnectionError)


_DATA_ERRORS = (ValueError, TypeError, RecursionError, OverflowError)
"""What Python raises for a value that cannot be bound: ``UnicodeEncodeError`` (a lone
surrogate, a ``ValueError``), a value the JSON encoder refuses, nesting too deep."""


def is_permanent_data_error(exc: BaseException) -> bool:
    """True when the data itself is refused, so storing it again would fail the same way.

    Permanent: ``DataError`` and ``IntegrityError`` (SQLSTATE classes 22 and 23: a value too
    long, a NUL in text, a broken constraint) and the Python errors raised while a value is
    bound (``UnicodeError``, ``ValueError``, ``TypeError``, ``RecursionError``,
    ``OverflowError``), bare or wrapped in SQLAlchemy's ``StatementError``. Anything else
    will pass once the database or its operator recovers, even when it is not
    :func:`is_transient_error`: a read-only replica after a failover (25006), a revoked grant
    (42501), a table or column an upgrade has not created yet (42P01, 42703).
    """
    if isinstance(exc, sa_exc.DataError | sa_exc.IntegrityError):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        return False  # the driver's own refusal: its class says whether the data is at fault
    if isinstance(exc, sa_exc.StatementError):
        return isinstance(exc.orig, _DATA_ERRORS)
    return isinstance(exc, _DATA_ERRORS)


def database_reason(exc: BaseException) -> str:
    """The database's own words for a failure ("database is locked", "database or disk is
    full"): the first line of the driver's error, the one that quotes no row, cut to 200
    characters, for a log line."""
    error = getattr(exc, "orig", None) or exc
    return (str(error).strip().splitlines() or ["-"])[0][:200]


def is_postgres(bind: Engine | Connection | Session) -> bool:
    """True when the engine (or connection, or session's bind) is PostgreSQL."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name == "postgresql"


def create_schema(engine: Engine) -> None:
    """Bring the database to this waflow's schema: safe to repeat, and from several processes.

    - An empty database gets every table SQLModel's metadata knows and is stamped with the
      newest revision (:func:`storage.migrations.head`), without running the revisions.
    - A database with a revision runs the revisions after it (Alembic's ``upgrade head``).
    - A database with waflow's tables but no revision, made by the release before migrations,
      is stamped with :data:`~storage.migrations.INITIAL_REVISION` and then upgraded; its
      missing indexes are created, and whatever else differs from the models is logged
      (``waflow db check`` lists it).

    Then any table of the metadata still missing is created: the tables of a feature the
    revisions do not cover. Metadata holds the runtime's tables and those of every module imported
    so far (the features' tables once ``flows.features`` is imported). Everything happens in one
    transaction holding a lock (SQLite's write lock, a PostgreSQL advisory lock), so workers
    starting together upgrade once and the others find the work done.

    Raises:
        SchemaVersionError: A newer waflow upgraded the database (its revision is unknown here).
    """
    with _schema_transaction(engine) as conn:
        revision = migrations.current_revision(conn)
        adopted = revision is None
        if revision is None:
            if not _has_waflow_tables(conn):
                SQLModel.metadata.create_all(conn)
                migrations.stamp(conn, "head")
                return
            revision = migrations.INITIAL_REVISION
            log.info("a database made before migrations: taken as revision %s", revision)
            migrations.stamp(conn, revision)
        migrations.check_known(revision)
        if revision != migrations.head():
            log.info("upgrading the schema from revision %s to %s", revision, migrations.head())
            migrations.upgrade(conn)
        SQLModel.metadata.create_all(conn)
        if adopted:
            for name in migrations.restore_indexes(conn, SQLModel.metadata):
                log.info("created the missing index %s", name)
            for difference in migrations.differences(conn, SQLModel.metadata):
                log.warning("schema differs from the models: %s", migrations.describe(difference))


_SCHEMA_LOCK = 0x77616677  # "wafw": PostgreSQL advisory lock key of schema changes


@contextmanager
def _schema_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that no other process changes the schema during.

    SQLite's writing transactions take the database's write lock up front (``BEGIN
    IMMEDIATE``); on PostgreSQL a transaction-level advisory lock serializes schema changes
    (DDL is transactional on both, so a failed upgrade leaves nothing half done).
    """
    with engine.begin() as conn:
        if is_postgres(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        yield conn


def _has_waflow_tables(conn: Connection) -> bool:
    return not set(SQLModel.metadata.tables).isdisjoint(inspect(conn).get_table_names())


def reset_schema(engine: Engine) -> None:
    """Drop and re-create every table SQLModel's metadata knows. Destroys all data."""
    with _schema_transaction(engine) as conn:
        SQLModel.metadata.drop_all(conn)
        conn.execute(text(f"DROP TABLE IF EXISTS {migrations.VERSION_TABLE}"))
        SQLModel.metadata.create_all(conn)
        migrations.stamp(conn, "head")


_writing = threading.local()


@contextmanager
def transaction(engine: Engine, *, urgent: bool = False) -> Iterator[Session]:
    """Open a session in one transaction (on SQLite it takes the write lock up front).

    Committed on success, rolled back on any error. Make no network call inside it: on SQLite
    every other writer (a webhook being stored) waits for it to end
    (:func:`in_write_transaction` lets a test or a debugging hook check).

    Args:
        urgent: Someone waits for this write (a webhook answer): on SQLite it goes before the
            other writers of this process.
    """
    options = {URGENT: True} if urgent else {}
    _writing.depth = getattr(_writing, "depth", 0) + 1
    try:
        with (
            Session(engine, expire_on_commit=False, execution_options=options) as session,
            session.begin(),
        ):
            yield session
    finally:
        _writing.depth -= 1


def in_write_transaction() -> bool:
    """True while this thread is inside :func:`transaction` (a network call must wait)."""
    return getattr(_writing, "depth", 0) > 0


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
    "database_reason",
    "in_write_transaction",
    "insert_ignoring",
    "insert_ignoring_conflicts",
    "is_permanent_data_error",
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
