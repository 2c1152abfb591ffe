"""Alembic's environment for waflow's revisions (see :mod:`storage.migrations`).

It runs on the connection in ``config.attributes["connection"]`` (what waflow does), else on
``DATABASE_URL``; ``--sql`` (offline) prints the SQL for the URL in ``sqlalchemy.url`` or
``DATABASE_URL``. Every revision uses batch operations, which SQLite needs for most ``ALTER``s
and which are plain ``ALTER``s on PostgreSQL.
"""

from __future__ import annotations

import os
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the runtime's tables)
from storage.db import make_engine, normalize_url
from storage.migrations import own_object, render_type

config = context.config
metadata = config.attributes.get("metadata", SQLModel.metadata)
options: dict[str, Any] = {
    "target_metadata": metadata,
    "render_as_batch": True,
    "compare_type": True,
    "render_item": render_type,
    # waflow's tables only: a business's own (its hooks' models) are not waflow's to revise
    "include_object": own_object,
}


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("set DATABASE_URL to the database to migrate")
    return normalize_url(url)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=_url(), literal_binds=True, **options)
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    _run(given)
else:
    engine = make_engine(_url())
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()
