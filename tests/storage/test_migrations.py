"""Schema revisions: a database of the release before migrations upgrades with every row intact,
the revisions build exactly the models' schema, and several processes upgrade safely at once.

The release databases in ``tests/storage/release/`` were written by that release's own code
(``make_release_fixture.py`` says how). Each test runs on SQLite and on PostgreSQL, where it gets
a database of its own on the test server.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import flows.features  # noqa: F401  (every built-in feature's tables, as the bootstrap has them)
from storage import migrations
from storage.db import create_schema, make_engine, read_connection, reset_schema
from storage.migrations import SchemaVersionError
from webhooks.cli import cli

RELEASE = Path(__file__).parent / "release"
ROOT = Path(__file__).parents[2]

Rows = dict[str, list[tuple[str, ...]]]


@pytest.fixture
def empty_url(db_url: str) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new database on the PostgreSQL server."""
    if make_url(db_url).get_backend_name() == "sqlite":
        yield db_url
        return
    with _postgres_database(db_url) as url:
        yield url


@pytest.fixture
def release_url(empty_url: str, tmp_path: Path) -> str:
    """A database written by the release before migrations (its conversations and orders)."""
    return _release_copy(empty_url, tmp_path)


def test_waflow_db_upgrade_keeps_every_row_of_a_release_database(release_url: str) -> None:
    before = _rows(release_url)

    result = _waflow(release_url, "db", "upgrade")

    assert result.exit_code == 0, result.output
    assert result.output == f"schema at revision {migrations.head()} (was none)\n"
    assert _revision(release_url) == migrations.head()
    assert _rows(release_url, like=before) == before
    assert _differences(release_url) == []
    with read_connection(make_engine(release_url)) as conn:
        count = "SELECT count(*) FROM waflow_{}"
        counts = {t: conn.execute(text(count.format(t))).scalar() for t in ("contact", "inbound")}
        order = conn.execute(
            text("SELECT fulfilment, status, total FROM waflow_order WHERE wa_id = '34611000010'")
        ).one()
        booked = conn.execute(text("SELECT service FROM waflow_booking")).scalars().all()
    assert counts == {"contact": 13, "inbound": 106}
    assert tuple(order) == ("delivery", "pending_payment", 5200)
    assert booked == ["wedding"]


def test_upgrading_again_changes_nothing(release_url: str) -> None:
    assert _waflow(release_url, "db", "upgrade").exit_code == 0
    before = _rows(release_url)

    result = _waflow(release_url, "db", "upgrade")

    assert result.output == f"schema at revision {migrations.head()}\n"
    assert _rows(release_url) == before


def test_the_bot_starts_on_a_release_database(release_url: str) -> None:
    create_schema(make_engine(release_url))  # what every start does

    assert _revision(release_url) == migrations.head()
    assert _differences(release_url) == []


def test_a_dropped_index_is_reported_then_recreated(release_url: str) -> None:
    engine = make_engine(release_url)
    create_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_waflow_outbox_due"))

    check = _waflow(release_url, "db", "check")
    upgrade = _waflow(release_url, "db", "upgrade")

    assert check.exit_code == 1
    assert (
        "differs from the models: add_index ix_waflow_outbox_due on waflow_outbox" in check.output
    )
    assert "re-created the missing index ix_waflow_outbox_due" in upgrade.output
    assert _waflow(release_url, "db", "check").output == "the schema matches the models\n"


def test_the_revisions_build_exactly_the_models_schema(empty_url: str) -> None:
    """Fails when a model changed without a revision: write one (docs/operations.md)."""
    with make_engine(empty_url).begin() as conn:
        migrations.upgrade(conn)
        found = [migrations.describe(d) for d in migrations.differences(conn, SQLModel.metadata)]

    assert found == [], (
        "the models differ from the newest schema revision: "
        + "; ".join(found)
        + ". Write a revision: waflow db revision -m 'what changed'"
    )


def test_a_model_change_without_a_revision_is_named(empty_url: str) -> None:
    changed = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(changed)
    contact = changed.tables["waflow_contact"]
    contact.append_column(Column("nickname", String(40), nullable=True))
    Table("waflow_nicknames", changed, Column("id", Integer, primary_key=True))

    with make_engine(empty_url).begin() as conn:
        migrations.upgrade(conn)
        found = [migrations.describe(d) for d in migrations.differences(conn, changed)]

    assert sorted(found) == [
        "add_column waflow_contact.nickname",
        "add_table waflow_nicknames",
    ]


def test_a_business_own_tables_are_not_waflows_to_revise(empty_url: str) -> None:
    with_own = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(with_own)
    Table("bakery_loyalty_card", with_own, Column("id", Integer, primary_key=True))

    with make_engine(empty_url).begin() as conn:
        migrations.upgrade(conn)
        found = [migrations.describe(d) for d in migrations.differences(conn, with_own)]

    assert found == []  # its hooks' models: created by create_schema, never a revision


@pytest.mark.parametrize("build", ["create_schema", "reset_schema"])
def test_a_new_database_is_the_models_schema_at_the_newest_revision(
    empty_url: str, build: str
) -> None:
    engine = make_engine(empty_url)

    {"create_schema": create_schema, "reset_schema": reset_schema}[build](engine)
    create_schema(engine)  # and again: nothing to do

    assert _revision(empty_url) == migrations.head()
    assert _differences(empty_url) == []


def test_db_current_names_both_revisions(empty_url: str) -> None:
    make_engine(empty_url).connect().close()  # an empty database (SQLite: an empty file)
    assert _waflow(empty_url, "db", "current").output == (
        "database: none (an empty database: `waflow db upgrade` creates the schema)\n"
        f"waflow:   {migrations.head()}\n"
    )
    create_schema(make_engine(empty_url))
    assert _waflow(empty_url, "db", "current").output.startswith(f"database: {migrations.head()}\n")


def test_reading_commands_tell_a_release_database_apart_and_leave_it_alone(
    release_url: str,
) -> None:
    current = _waflow(release_url, "db", "current")
    status = _waflow(release_url, "db", "status")
    check = _waflow(release_url, "db", "check")

    assert current.output.startswith(
        "database: none (made before schema revisions: run `waflow db upgrade`)\n"
    )
    assert status.exit_code == 2  # counting needs the tables the revisions add
    assert "run `waflow db upgrade`" in status.output
    assert check.exit_code == 1
    assert "made before schema revisions" in check.output
    assert _revision(release_url) is None  # not upgraded behind the operator's back


def test_db_check_refuses_a_revision_it_does_not_know(empty_url: str) -> None:
    engine = make_engine(empty_url)
    create_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))

    check = _waflow(empty_url, "db", "check")

    assert check.exit_code == 1
    assert "0099 (newer than this waflow's" in check.output
    assert "matches" not in check.output


def test_reading_commands_create_no_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"

    for command in ("status", "current", "check"):
        result = _waflow(f"sqlite:///{missing}", "db", command)
        assert result.exit_code == 2, command
        assert f"no database file {missing}" in result.output
    assert not missing.exists()


def test_a_database_of_a_newer_waflow_is_refused(empty_url: str) -> None:
    engine = make_engine(empty_url)
    create_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    with pytest.raises(SchemaVersionError, match="revision 9999, which this waflow does not know"):
        create_schema(engine)
    result = _waflow(empty_url, "db", "upgrade")

    assert result.exit_code == 2
    assert "a newer waflow upgraded it" in result.output
    assert _revision(empty_url) == "9999"


@pytest.mark.parametrize("start", ["empty", "release"])
def test_workers_starting_together_upgrade_once(empty_url: str, tmp_path: Path, start: str) -> None:
    url = _release_copy(empty_url, tmp_path) if start == "release" else empty_url
    script = (
        "import sys, flows.features\n"
        "from storage.db import create_schema, make_engine\n"
        "create_schema(make_engine(sys.argv[1]))\n"
    )
    workers = [
        subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-c", script, url], cwd=ROOT, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    errors = [w.communicate(timeout=120)[1] for w in workers]

    assert [w.returncode for w in workers] == [0] * 4, errors
    with read_connection(make_engine(url)) as conn:
        stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert stamped == [migrations.head()]
    assert _differences(url) == []


# -- helpers -----------------------------------------------------------------------------------


def _release_copy(empty_url: str, tmp_path: Path) -> str:
    """The release database, copied into ``empty_url`` (SQLite: a copy of the file)."""
    if make_url(empty_url).get_backend_name() == "sqlite":
        copy = tmp_path / "release.sqlite"
        shutil.copyfile(RELEASE / "release.sqlite", copy)
        return f"sqlite:///{copy}"
    _load_dump(empty_url, RELEASE / "release.postgres.sql")
    return empty_url


def _waflow(url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env={"DATABASE_URL": url})


def _revision(url: str) -> str | None:
    with read_connection(make_engine(url)) as conn:
        return migrations.current_revision(conn)


def _differences(url: str) -> list[str]:
    with read_connection(make_engine(url)) as conn:
        return [migrations.describe(d) for d in migrations.differences(conn, SQLModel.metadata)]


def _rows(url: str, like: Rows | None = None) -> Rows:
    """Every row of every table as ``column=value`` texts, sorted; given ``like``, only its
    tables and the columns they had (a revision may add columns)."""
    engine = make_engine(url)
    found: Rows = {}
    with read_connection(engine) as conn:
        names = inspect(conn).get_table_names()
        for table in sorted(names):
            if table == migrations.VERSION_TABLE:
                continue
            columns = sorted(c["name"] for c in inspect(conn).get_columns(table))
            query = text(f'SELECT {", ".join(columns)} FROM "{table}"')  # noqa: S608 (known names)
            found[table] = sorted(
                tuple(f"{name}={value}" for name, value in zip(columns, row, strict=True))
                for row in conn.execute(query)
            )
    engine.dispose()
    if like is None:
        return found
    kept: Rows = {}
    for table, rows in like.items():
        had = {item.partition("=")[0] for row in rows for item in row}
        kept[table] = [tuple(i for i in row if i.partition("=")[0] in had) for row in found[table]]
    return kept


def _admin(url: str) -> Any:
    import psycopg  # PostgreSQL runs only

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(plain, autocommit=True)


@contextmanager
def _postgres_database(server: str) -> Iterator[str]:
    """A new database on the server of ``server`` (a URL), dropped afterwards."""
    name = f"waflow_migrations_{uuid.uuid4().hex[:12]}"
    with _admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin(server) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _load_dump(url: str, dump: Path) -> None:
    """Run a plain ``pg_dump`` file (its psql meta-commands, ``\\restrict``..., left out)."""
    lines = dump.read_text(encoding="utf-8").splitlines()
    script = "\n".join(line for line in lines if not line.startswith("\\"))
    with _admin(url) as conn:
        conn.execute(script)
