"""Schema revisions: Alembic's scripts ship inside the package, in ``versions/``.

No ``alembic.ini`` is needed: :func:`alembic_config` points Alembic at this folder, and
:func:`storage.db.create_schema` (run by ``waflow db create``, ``waflow db upgrade`` and every
start) brings a database to :func:`head`. ``env.py`` is Alembic's environment for these scripts:
it runs on the connection it is given (or ``DATABASE_URL``) and renders waflow's column types as
plain SQLAlchemy ones, so a revision never imports waflow's models. ``docs/operations.md``
("Upgrading") says how a developer adds a revision.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import MetaData, create_engine, inspect
from sqlalchemy.engine import Connection
from sqlmodel.sql.sqltypes import AutoString

from storage._types import UTCDateTime
from storage.errors import WaflowError

INITIAL_REVISION = "0001"
"""The schema of the last release before migrations: a database without a revision but with
waflow's tables is taken to be at it."""

VERSION_TABLE = "alembic_version"
"""The table holding the database's revision (Alembic's default name)."""

OWN_PREFIX = "waflow_"
"""waflow's tables, the ones its revisions make: a business's own tables (models its hooks
define) are created by :func:`storage.db.create_schema` and never compared or revised here."""


class SchemaVersionError(WaflowError):
    """The database is at a revision this waflow does not know: a newer waflow made it."""


def alembic_config(
    connection: Connection | None = None, metadata: MetaData | None = None
) -> Config:
    """Alembic's configuration for waflow's revisions, without an ``alembic.ini``.

    Args:
        connection: Run on this connection (in its transaction) instead of ``DATABASE_URL``.
        metadata: The tables to compare with (autogenerate); SQLModel's metadata by default.
    """
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    if metadata is not None:
        config.attributes["metadata"] = metadata
    return config


@cache
def scripts() -> ScriptDirectory:
    """The revisions shipped with this waflow (read once)."""
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision: the schema of this waflow's models."""
    revision = scripts().get_current_head()
    if revision is None:  # an installation that lost versions/
        raise SchemaVersionError("waflow's schema revisions are missing: reinstall waflow")
    return revision


def next_revision_id() -> str:
    """The id a new revision gets: the head's number plus one, four digits (``0002``)."""
    return f"{int(head()) + 1:04d}"


def current_revision(conn: Connection) -> str | None:
    """The database's revision, or None when it has none (empty, or made before migrations)."""
    return MigrationContext.configure(conn).get_current_revision()


def check_known(revision: str) -> None:
    """Refuse a revision this waflow does not ship.

    Raises:
        SchemaVersionError: A newer waflow upgraded the database.
    """
    known = {script.revision for script in scripts().walk_revisions()}
    if revision not in known:
        raise SchemaVersionError(
            f"the database is at schema revision {revision}, which this waflow does not know "
            f"(its newest is {head()}): a newer waflow upgraded it. Run that version, or "
            "restore a backup taken before the upgrade."
        )


SchemaKind = Literal["empty", "unversioned", "current", "behind", "newer"]


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against this waflow, read without changing anything.

    Attributes:
        revision: The database's revision (``None``: it has none).
        newest: This waflow's newest revision (:func:`head`).
        kind: ``empty`` (no waflow table), ``unversioned`` (made by the release before
            revisions), ``current``, ``behind`` (``waflow db upgrade`` brings it up to date) or
            ``newer`` (a newer waflow upgraded it).
    """

    revision: str | None
    newest: str
    kind: SchemaKind

    def describe(self) -> str:
        """One line for an operator: the revision, and what to do if it is not current."""
        return {
            "empty": "none (an empty database: `waflow db upgrade` creates the schema)",
            "unversioned": "none (made before schema revisions: run `waflow db upgrade`)",
            "current": f"{self.revision}",
            "behind": f"{self.revision} (behind {self.newest}: run `waflow db upgrade`)",
            "newer": f"{self.revision} (newer than this waflow's {self.newest}: a newer "
            "waflow upgraded it; run that version, or restore a backup taken before)",
        }[self.kind]


def schema_state(conn: Connection, metadata: MetaData) -> SchemaState:
    """Read where the database of ``conn`` stands (``metadata``: waflow's tables)."""
    revision, newest = current_revision(conn), head()
    if revision is None:
        tables = set(inspect(conn).get_table_names())
        kind: SchemaKind = "empty" if tables.isdisjoint(metadata.tables) else "unversioned"
    elif revision == newest:
        kind = "current"
    else:
        known = {script.revision for script in scripts().walk_revisions()}
        kind = "behind" if revision in known else "newer"
    return SchemaState(revision, newest, kind)


def stamp(conn: Connection, revision: str) -> None:
    """Record ``revision`` as the database's schema without running anything."""
    MigrationContext.configure(conn).stamp(scripts(), revision)


def upgrade(conn: Connection, revision: str = "head") -> None:
    """Run the revisions from the database's one to ``revision``, on ``conn``'s transaction."""
    command.upgrade(alembic_config(conn), revision)


def write_revision(message: str, metadata: MetaData) -> Path:
    """Write the next revision: what ``metadata`` has that the newest revision lacks.

    For waflow's developers (``waflow db revision``): a scratch SQLite database is built by
    running every revision, compared with ``metadata`` (Alembic's autogenerate), and the
    difference written to ``versions/`` for review.

    Returns:
        The new revision's file.
    """
    with tempfile.TemporaryDirectory(prefix="waflow-revision-") as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'head.db'}")
        try:
            with engine.begin() as conn:
                upgrade(conn)
                config = alembic_config(conn, metadata)
                written = command.revision(
                    config, message, autogenerate=True, rev_id=next_revision_id()
                )
        finally:
            engine.dispose()
    scripts.cache_clear()
    assert isinstance(written, Script)  # one revision, not a list: the history has no branches
    return Path(written.path)


def own_object(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's ``include_object``: only waflow's own tables (:data:`OWN_PREFIX`) and what
    belongs to them are compared or revised."""
    del reflected, compare_to
    table = name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table is None or str(table).startswith(OWN_PREFIX)


def differences(conn: Connection, metadata: MetaData) -> list[Any]:
    """What the database lacks or has differently from ``metadata`` (Alembic's diff tuples).

    Only waflow's own tables (:data:`OWN_PREFIX`) of ``metadata`` are compared: not the tables
    of the database that ``metadata`` does not know (another application's, a feature that is
    not loaded), nor a business's own.
    """

    def known(name: str | None, kind: str, _parent: Any) -> bool:  # the database's tables
        return kind != "table" or name in metadata.tables

    context = MigrationContext.configure(
        conn, opts={"compare_type": True, "include_name": known, "include_object": own_object}
    )
    return list(compare_metadata(context, metadata))


def restore_indexes(conn: Connection, metadata: MetaData) -> list[str]:
    """Create the indexes of ``metadata`` the database lacks (dropped by hand, say).

    An index holds no data of its own, so re-creating one is always safe.

    Returns:
        The names of the indexes created.
    """
    created = []
    for difference in differences(conn, metadata):
        if isinstance(difference, tuple) and difference[0] == "add_index":
            index = difference[1]
            index.create(conn)
            created.append(str(index.name))
    return created


def describe(difference: Any) -> str:
    """One line for a diff tuple of :func:`differences` (e.g. ``remove_index ix_... on t``)."""
    if isinstance(difference, list):  # column modifications come grouped
        return "; ".join(describe(item) for item in difference)
    kind, *rest = difference
    if kind in ("add_index", "remove_index"):
        index = rest[0]
        return f"{kind} {index.name} on {index.table.name}"
    if kind in ("add_table", "remove_table"):
        return f"{kind} {rest[0].name}"
    if kind in ("add_column", "remove_column"):
        return f"{kind} {rest[1]}.{rest[2].name}"
    if kind.startswith("modify_"):
        return f"{kind} {rest[1]}.{rest[2]}: {rest[-2]!r} -> {rest[-1]!r}"
    if kind in ("add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        constraint = rest[0]
        return f"{kind} {constraint.name or ''} on {constraint.table.name}".replace("  ", " ")
    return " ".join(str(part) for part in difference)


def render_type(kind: str, obj: Any, _context: AutogenContext) -> str | bool:
    """Render waflow's column types as the plain SQLAlchemy types they store (``env.py``).

    A revision must not change when a model does, so it never imports the models' types.
    """
    if kind != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


__all__ = [
    "INITIAL_REVISION",
    "OWN_PREFIX",
    "VERSION_TABLE",
    "SchemaKind",
    "SchemaState",
    "SchemaVersionError",
    "alembic_config",
    "check_known",
    "current_revision",
    "describe",
    "differences",
    "head",
    "next_revision_id",
    "own_object",
    "render_type",
    "restore_indexes",
    "schema_state",
    "scripts",
    "stamp",
    "upgrade",
    "write_revision",
]
