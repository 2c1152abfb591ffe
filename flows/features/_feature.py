"""The registration interface of a business feature, the way a Flask blueprint or a Django app is.

A feature is a folder under ``flows/features/`` holding its YAML flows, hooks, texts, tables
(``models.py``), CLI group (``cli.py``, the only module of it that imports click) and HTTP routes
(``web.py``, the only module of it that imports Flask). It tells the bootstrap what it brings by
subclassing :class:`Feature` and setting class attributes; the parts that live in its modules are
named as ``"module:attribute"`` (as entry points are) and imported only when asked for, so a bot
that never builds the CLI or the web app never loads click commands or routes.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from storage.errors import ConfigError

if TYPE_CHECKING:
    import click
    from flask import Blueprint
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from bot.config import Config
    from bot.turn import Handler, UpdateListener
    from flows import Flow, Hooks
    from flows.features.business._model import BusinessConfig


@dataclass(frozen=True)
class WebContext:
    """What a feature's HTTP routes work with: the database, the business file, and these.

    Attributes:
        after_commit: Called after a change queued messages (wakes the sender).
        environ: Where secrets are read (``os.environ`` when ``None``).
        config: The Cloud API settings, for pages that call it (the inbox downloads media).
    """

    engine: Engine
    business: BusinessConfig
    after_commit: Callable[[], None] | None = None
    environ: Mapping[str, str] | None = None
    config: Config | None = None

    def wake(self) -> None:
        """Wake the sender after a committed change queued messages (``after_commit``)."""
        if self.after_commit is not None:
            self.after_commit()


@dataclass(frozen=True)
class ConsoleLink:
    """An entry of the console's menu.

    Attributes:
        label: What the menu shows.
        endpoint: The Flask endpoint it opens (``"waflow_shop_console.orders"``).
        owner_only: Shown to owners only (the view must refuse agents too: ``owner_only``).
        rank: Its place in the menu, lowest first (the inbox is 10).
    """

    label: str
    endpoint: str
    owner_only: bool = False
    rank: int = 100


class PersonalData(Protocol):
    """What a feature keeps about one customer, for export and erasure (its ``personal_data``).

    Attributes:
        tables: The names of the tables it covers (every table holding a customer's data is
            covered by exactly one feature; the tests check it).
    """

    @property
    def tables(self) -> tuple[str, ...]:
        """The names of the tables covered."""
        ...

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every row about customer ``wa_id``, as JSON-ready dicts, by table name."""
        ...

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        """Delete customer ``wa_id``'s rows, or keep them with ``pseudonym`` in their place and
        the person's details cleared; return how many rows of each table changed."""
        ...


def _load(entry: str) -> Any:
    """The attribute an entry such as ``"flows.features.booking.cli:bookings"`` names."""
    module, _, attribute = entry.partition(":")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"feature entry {entry!r} cannot be loaded: {exc}") from exc


class Feature:
    """One business capability: subclass it and set the class attributes it has.

    Each method loads the entry its attribute names, or does nothing without one.

    Attributes:
        name: The feature's name (``shop``, ``booking``...).
        flows_dir: The directory of YAML flows the feature ships, or ``None``.
        hook_registrar: ``function(hooks, business)`` registering the hooks its flows call.
        flow_generator: ``function(business)`` returning flows made from the business file.
        handler_wrapper: ``wrapper(handler, business)`` returning the conversation logic with
            the feature's own handling around it.
        update_listener: ``function(business)`` returning a :class:`~bot.turn.UpdateListener`,
            called with every stored update that is not a customer message (an echo...).
        periodic_task: ``function(engine, business, now)`` that a running bot (``waflow run``,
            gunicorn) calls about once a minute; it returns whether it queued messages.
        command_group: Its ``waflow`` command group (a ``click.Group``).
        blueprint_factory: ``function(engine, business, *, environ, after_commit)`` returning
            its Flask blueprint.
        console_factory: ``function(context)`` returning the blueprint of its console pages
            (made with ``flows.features.console.web.console_blueprint``).
        console_links: Its entries in the console's menu.
        personal_data: A :class:`PersonalData` (``export`` and ``erase`` of one customer's rows
            in the feature's tables), for ``waflow privacy`` and the customers' requests.
    """

    name: ClassVar[str]
    flows_dir: ClassVar[Path | None] = None
    hook_registrar: ClassVar[str | None] = None
    flow_generator: ClassVar[str | None] = None
    handler_wrapper: ClassVar[str | None] = None
    update_listener: ClassVar[str | None] = None
    periodic_task: ClassVar[str | None] = None
    command_group: ClassVar[str | None] = None
    blueprint_factory: ClassVar[str | None] = None
    console_factory: ClassVar[str | None] = None
    console_links: ClassVar[tuple[ConsoleLink, ...]] = ()
    personal_data: ClassVar[str | None] = None

    def register_hooks(self, hooks: Hooks, business: BusinessConfig) -> None:
        """Register the hooks the feature's flows call (a hook file may replace them later).

        Raises:
            FlowError: A hook name is already registered.
        """
        if self.hook_registrar is not None:
            _load(self.hook_registrar)(hooks, business)

    def flows(self, business: BusinessConfig) -> Iterable[Flow]:
        """Flows generated from the business file (besides those in :attr:`flows_dir`)."""
        if self.flow_generator is None:
            return ()
        return cast("Iterable[Flow]", _load(self.flow_generator)(business))

    def wrap_handler(self, handler: Handler, business: BusinessConfig) -> Handler:
        """The conversation logic with this feature's own handling around it."""
        if self.handler_wrapper is None:
            return handler
        return cast("Handler", _load(self.handler_wrapper)(handler, business))

    def listener(self, business: BusinessConfig) -> UpdateListener | None:
        """What the feature does with updates that are not customer messages, if anything."""
        if self.update_listener is None:
            return None
        return cast("UpdateListener", _load(self.update_listener)(business))

    def task(self, engine: Engine, business: BusinessConfig) -> Callable[[datetime], bool] | None:
        """The feature's periodic work as ``task(now)``, if it has any."""
        if self.periodic_task is None:
            return None
        return functools.partial(_load(self.periodic_task), engine, business)

    def cli(self) -> click.Group | None:
        """The feature's ``waflow`` command group, if it has one."""
        if self.command_group is None:
            return None
        return cast("click.Group", _load(self.command_group))

    def blueprint(self, ctx: WebContext) -> Blueprint | None:
        """The feature's HTTP routes, if it has any."""
        if self.blueprint_factory is None:
            return None
        make = _load(self.blueprint_factory)
        return cast(
            "Blueprint",
            make(ctx.engine, ctx.business, environ=ctx.environ, after_commit=ctx.after_commit),
        )

    def console(self, ctx: WebContext) -> Blueprint | None:
        """The blueprint of the feature's console pages, if it has any."""
        if self.console_factory is None:
            return None
        return cast("Blueprint", _load(self.console_factory)(ctx))

    def personal(self) -> PersonalData | None:
        """What the feature keeps about a customer, if it keeps anything."""
        if self.personal_data is None:
            return None
        return cast("PersonalData", _load(self.personal_data))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _defined.append(cls)

    def __repr__(self) -> str:
        return f"<Feature {self.name}>"


_defined: list[type[Feature]] = []
"""Every feature class defined (imported), in that order."""


def all_personal_data() -> tuple[PersonalData, ...]:
    """The :class:`PersonalData` of every feature defined, in the order they were defined.

    A feature says what it keeps about a customer with its ``personal_data`` entry; defining
    the class (importing its package, as ``flows.features`` does for the built-in ones) is
    enough for ``waflow privacy`` and the customers' requests to export and erase it.

    Raises:
        ConfigError: An entry cannot be loaded.
    """
    found: dict[str, PersonalData] = {}
    for cls in _defined:
        entry = cls.__dict__.get("personal_data")
        if isinstance(entry, str) and entry not in found:
            found[entry] = cast("PersonalData", _load(entry))
    return tuple(found.values())
