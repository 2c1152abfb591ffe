"""What the staff command groups (``waflow orders``, ``bookings``, ``survey``, ``handoff``) share.

Each works on the ``--business`` file and the database of ``DATABASE_URL``, on one clock
(:data:`clock`), and reports a problem in red with exit status 2: one line, or every mistake of
a business file one a line. ``--business`` is taken before the subcommand (``waflow orders
--business F list``) and after it (``waflow orders list --business F``), the latter winning;
without either, ``WAFLOW_BUSINESS`` (which ``waflow`` also reads from ``.env``). The file and
the database are opened by the subcommand, so ``waflow orders list --help`` needs neither.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Concatenate, NoReturn, ParamSpec, TypeVar

import click
from sqlalchemy.engine import Engine

from bot.config import Config, mask
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


_P = ParamSpec("_P")
_R = TypeVar("_R")
_BUSINESS_KEY = "waflow.business_file"
"""Where ``--business`` is kept in the click context's ``meta`` (shared by group and command)."""
_BUSINESS_ENV = "WAFLOW_BUSINESS"


def _remember_business(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """Keep a ``--business`` given on the group or the command (the command's is read later)."""
    if value:
        ctx.meta[_BUSINESS_KEY] = value


def _business_option(help_text: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """The ``--business FILE`` option, on a staff group and on each of its commands."""
    return click.option(
        "--business",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_remember_business,
        help=help_text,
    )


def _open_shop() -> Shop:
    """The business file of ``--business`` (else ``WAFLOW_BUSINESS``) and the database."""
    ctx = click.get_current_context()
    business_file = ctx.meta.get(_BUSINESS_KEY) or os.environ.get(_BUSINESS_ENV)
    if not business_file:
        raise click.UsageError(
            f"Missing option '--business' (a business YAML file, or set {_BUSINESS_ENV}).", ctx
        )
    with reporting():
        business = load_business(business_file)
        engine = make_engine(Config.from_env().database_url)
        create_schema(engine)
    return Shop(business, engine)


def pass_shop(command: Callable[Concatenate[Shop, _P], _R]) -> Callable[_P, _R]:
    """Give a staff command ``--business FILE`` and pass it the opened :class:`Shop`."""

    @_business_option("The business YAML file (or set WAFLOW_BUSINESS); also before the command.")
    @functools.wraps(command)
    def with_shop(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        return command(_open_shop(), *args, **kwargs)

    return with_shop


full_numbers_option = click.option(
    "--full-numbers", is_flag=True, help="Show customers' whole WhatsApp numbers (masked: …1234)."
)
"""``--full-numbers``, for a staff command whose output names customers by number."""


def shown_number(wa_id: str, full: bool) -> str:
    """A customer's number as a staff command shows it: ``+34600111222`` or ``…1222``."""
    return f"+{wa_id}" if full else mask(wa_id)


def staff_group(name: str, help_text: str) -> click.Group:
    """The ``waflow <name>`` group; it and each of its commands take ``--business FILE``."""

    @click.group(name, help=help_text)
    @_business_option("The business YAML file (or set WAFLOW_BUSINESS); also after the command.")
    def group() -> None:
        """The commands open the business file and the database themselves."""

    return group


__all__ = [
    "Shop",
    "clock",
    "fail",
    "full_numbers_option",
    "pass_shop",
    "reporting",
    "shown_number",
    "staff_group",
]
