"""The registration interface of a business feature, the way a Flask blueprint or a Django app is.

A feature is a folder under ``flows/features/`` holding its YAML flows, hooks, texts, tables
(``models.py``), CLI group (``cli.py``, the only module of it that imports click) and HTTP routes
(``web.py``, the only module of it that imports Flask). It tells the bootstrap what it brings
by subclassing :class:`Feature`: class attributes for what is static, methods for what needs
the business file. Every method has a default doing nothing, so a feature overrides only what
it has. The CLI and the web modules are imported lazily, inside :meth:`Feature.cli` and
:meth:`Feature.blueprint`, so a bot without them never loads click commands or routes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import click
    from flask import Blueprint
    from sqlalchemy.engine import Engine

    from bot.turn import Handler
    from flows import Flow, Hooks
    from flows.features.business._model import BusinessConfig


@dataclass(frozen=True)
class WebContext:
    """What a feature's HTTP routes work with.

    Attributes:
        engine: The database.
        business: The business configuration.
        after_commit: Called after a change queued messages (wakes the sender).
        environ: Where secrets are read (``os.environ`` when ``None``).
    """

    engine: Engine
    business: BusinessConfig
    after_commit: Callable[[], None] | None = None
    environ: Mapping[str, str] | None = None


class Feature:
    """One business capability: subclass it, set the class attributes, override what you need.

    Attributes:
        name: The feature's name (``shop``, ``booking``...).
        flows_dir: The directory of YAML flows the feature ships, or ``None``.
    """

    name: ClassVar[str]
    flows_dir: ClassVar[Path | None] = None

    def register_hooks(self, hooks: Hooks, business: BusinessConfig) -> None:
        """Register the hooks the feature's flows call (a hook file may replace them later).

        Raises:
            FlowError: A hook name is already registered.
        """

    def flows(self, business: BusinessConfig) -> Iterable[Flow]:
        """Flows generated from the business file (besides those in :attr:`flows_dir`)."""
        return ()

    def wrap_handler(self, handler: Handler, business: BusinessConfig) -> Handler:
        """The conversation logic with this feature's own handling around it."""
        return handler

    def cli(self) -> click.Group | None:
        """The feature's ``waflow`` command group, if it has one."""
        return None

    def blueprint(self, ctx: WebContext) -> Blueprint | None:
        """The feature's HTTP routes, if it has any."""
        return None

    def __repr__(self) -> str:
        return f"<Feature {self.name}>"


__all__ = ["Feature", "WebContext"]
