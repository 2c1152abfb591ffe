"""Write the databases of the last release before migrations, that the upgrade tests start from.

``tests/storage/test_migrations.py`` upgrades copies of them and checks that every row survives.
They must be written by that release's code, not by the code under test, so run this script
from a checkout of the release (the commit before Alembic arrived, ``25710d6``)::

    git worktree add /tmp/release 25710d6
    cd /tmp/release
    PYTHONPATH=. python <this checkout>/tests/storage/make_release_fixture.py \
        <this checkout>/tests/storage/release

It plays the shop example's conversation fixtures (an order paid by transfer, a delivery, a
booking, a survey, a handoff, the global words ``stop`` and ``start``...) into one database
through the real runtime: signed webhook, inbox, turn, outbox, the sandbox Cloud API. Output:
``release.sqlite``, and ``release.postgres.sql`` (``pg_dump`` of the same conversations on
PostgreSQL) when ``WAFLOW_TEST_POSTGRES_URL`` names an empty database and ``pg_dump`` is on the
PATH (``scripts/with-postgres.sh`` provides both).

Make a new pair only for a new release that databases in the field were created by, next to
these (never overwrite them: they stand for databases that exist).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

import webhooks.fixtures._runner as runner
from storage.db import make_engine

SHOP_FIXTURES = Path("examples/shop_bot/fixtures")


def play_into(engine: Engine) -> None:
    """Play every shop fixture of the release into ``engine``'s database."""
    files = sorted(SHOP_FIXTURES.glob("*.fixture.yaml"))
    if not files:
        sys.exit(f"run from a checkout of the release: {SHOP_FIXTURES} not found")
    runner.make_engine = lambda _url: engine  # type: ignore[assignment]  # one database for all
    for number, file in enumerate(files, 1):
        # A customer and message ids of its own per conversation, as in a real inbox.
        runner._wamid = lambda n, k=number: f"wamid.RELEASE.{k:02d}.{n:04d}"  # type: ignore[assignment]
        fixture = runner.load_fixture(file)
        contact = fixture.contact.model_copy(update={"wa_id": f"3461100{number:04d}"})
        result = runner.run_fixture(fixture.model_copy(update={"contact": contact}))
        # Diverging is expected: the fixtures' record checks name their own customer.
        print(f"{'played' if result.passed else 'played (diverged)'}: {file.name}")


def write_sqlite(out: Path) -> None:
    target = out / "release.sqlite"
    target.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{target}")
    play_into(engine)
    engine.dispose()
    with sqlite3.connect(target) as conn:  # one self-contained file: no WAL beside it
        conn.execute("PRAGMA journal_mode=DELETE")
    with sqlite3.connect(target) as conn:
        conn.execute("VACUUM")
    for leftover in out.glob("release.sqlite-*"):
        leftover.unlink()
    print(f"wrote {target}")


def write_postgres(out: Path, url: str) -> None:
    engine = make_engine(url)
    play_into(engine)
    engine.dispose()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    dump = subprocess.run(  # noqa: S603 - pg_dump of our own database
        ["pg_dump", "--no-owner", "--no-privileges", "--column-inserts", plain],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    target = out / "release.postgres.sql"
    target.write_text(dump, encoding="utf-8")
    print(f"wrote {target}")


def main() -> None:
    if importlib.util.find_spec("storage.migrations") is not None:
        sys.exit("this code has migrations: run from a checkout of the release, with PYTHONPATH=.")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write the databases into")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    write_sqlite(out)
    if url := os.environ.get("WAFLOW_TEST_POSTGRES_URL"):
        write_postgres(out, url)


if __name__ == "__main__":
    main()
