"""What the staff command groups (``waflow orders``, ``bookings``, ``survey``, ``handoff``) share.

Each works on the ``--business`` file and the database of ``DATABASE_URL``, on one clock
(:data:`clock`), and reports a problem in red with exit status 2: one line, or every mistake of
a business file one a line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

import click
from sqlalchemy.engine import Engine

from bot.config import Config
from bot.errors import WaflowError
from flows.features.business import BusinessConfig, BusinessConfigError, load_business
from storage.db import create_schema, make_engine
from storage.models import utcnow

clock: Callable[[], datetime] = utcnow
"""The staff commands' clock (tests replace it)."""


@dataclass(frozen=True)
class Shop:
    """What every staff command works on: the business file and the database."""

    business: BusinessConfig
    engine: Engine


def fail(message: str) -> NoReturn:
    """Print one red error line and exit with status 2."""
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(2)


@contextmanager
def reporting(*errors: type[Exception]) -> Iterator[None]:
    """Turn a ``WaflowError`` (or one of ``errors``) raised inside into :func:`fail`.

    A business file's mistakes (a :class:`BusinessConfigError`, or what it caused) are printed
    all, one a line in file order.
    """
    caught: tuple[type[Exception], ...] = (WaflowError, *errors)
    try:
        yield
    except caught as exc:
        fail(_shown(exc))


def _shown(exc: BaseException) -> str:
    """The message of ``exc``, or every mistake of the business file that caused it."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, BusinessConfigError):
        cause = cause.__cause__
    if cause is None or len(cause.errors) < 2:
        return str(exc)
    found = "\n".join(f"  {error}" for error in cause.errors)
    return f"the business file has {len(cause.errors)} mistakes:\n{found}"


pass_shop = click.make_pass_decorator(Shop)
"""Passes a staff command the :class:`Shop` its group opened."""


def staff_group(name: str, help_text: str) -> click.Group:
    """The ``waflow <name>`` group, which opens ``--business FILE`` and the database."""

    @click.group(name, help=help_text)
    @click.option(
        "--business",
        "business_file",
        envvar="WAFLOW_BUSINESS",
        required=True,
        type=click.Path(dir_okay=False),
        help="The business YAML file (or set WAFLOW_BUSINESS).",
    )
    @click.pass_context
    def group(ctx: click.Context, business_file: str) -> None:
        with reporting():
            business = load_business(business_file)
            engine = make_engine(Config.from_env().database_url)
            create_schema(engine)
        ctx.obj = Shop(business, engine)

    return group


__all__ = ["Shop", "clock", "fail", "pass_shop", "reporting", "staff_group"]
