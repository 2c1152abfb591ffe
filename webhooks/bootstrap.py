"""Assembling a bot from configuration: engine, conversation handler, client, runtime, app.

The CLI and WSGI servers use these functions, so ``waflow run`` and
``gunicorn 'webhooks.bootstrap:app_from_env()'`` build exactly the same bot.

Which conversation logic runs is configured with two variables (in the environment or ``.env``):
``WAFLOW_FLOWS`` (flow files or directories, separated by ``:``) and ``WAFLOW_HOOKS`` (a Python
file defining ``hooks = flows.Hooks()``). Without ``WAFLOW_FLOWS`` the built-in starter menu
answers.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.engine import Engine

from bot.client import RetryPolicy, Sender, make_client
from bot.config import Config
from bot.errors import ConfigError, FlowError
from bot.runtime import Runtime
from bot.starter import StarterHandler
from bot.turn import Handler
from storage.db import create_schema, make_engine
from webhooks.app import create_app

log = logging.getLogger(__name__)

OUTBOX_RETRY = RetryPolicy(max_attempts=2, max_delay=2.0)
"""In-call retries of the runtime's client: short, because the outbox retries durably and a
send must finish well within the sender's 60-second lease."""


def load_hooks(path: str | Path) -> Any:
    """Import a hooks file and return its ``hooks`` registry.

    Raises:
        ConfigError: The file is missing, fails to import, or defines no ``hooks``.
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"WAFLOW_HOOKS: no such file: {file}")
    name = f"waflow_user_hooks_{abs(hash(file.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ConfigError(f"WAFLOW_HOOKS: cannot import {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise ConfigError(f"WAFLOW_HOOKS: importing {file} failed: {exc}") from exc
    hooks = getattr(module, "hooks", None)
    if hooks is None:
        raise ConfigError(f"WAFLOW_HOOKS: {file} defines no `hooks` (expected hooks = Hooks())")
    return hooks


def flow_paths(config: Config) -> list[Path]:
    """The flow files and directories named by ``WAFLOW_FLOWS``."""
    raw = config.extra.get("WAFLOW_FLOWS", "")
    return [Path(p) for p in raw.split(":") if p.strip()]


def make_handler(config: Config) -> Handler:
    """The conversation logic the configuration asks for.

    Raises:
        ConfigError: A flow file or the hooks file is invalid.
    """
    paths = flow_paths(config)
    if not paths:
        return StarterHandler()
    import flows

    hooks_path = config.extra.get("WAFLOW_HOOKS", "")
    hooks = load_hooks(hooks_path) if hooks_path else flows.Hooks()
    try:
        return flows.FlowHandler(
            flows.load_flows(*paths),
            hooks,
            main_menu=config.extra.get("WAFLOW_MAIN_MENU") or None,
            default_flow=config.extra.get("WAFLOW_DEFAULT_FLOW") or None,
        )
    except FlowError as exc:
        raise ConfigError(f"invalid flow: {exc}") from exc


def make_runtime(
    config: Config,
    *,
    inline: bool = False,
    engine: Engine | None = None,
    handler: Handler | None = None,
    client: Sender | None = None,
    echo: Callable[[dict[str, Any]], None] | None = None,
    **kwargs: Any,
) -> Runtime:
    """Build a runtime from configuration; the schema is created if missing.

    Args:
        config: The configuration (checked here).
        inline: Process and send inside each webhook request.
        engine: Use this engine instead of one from ``DATABASE_URL``.
        handler: Use this conversation logic instead of the configured one.
        client: Use this sender instead of the configured one.
        echo: In sandbox mode, called with every outbound message.
        **kwargs: Passed to :class:`~bot.runtime.Runtime`.

    Raises:
        ConfigError: The configuration is unsafe or invalid.
    """
    config.check()
    engine = engine or make_engine(config.database_url)
    create_schema(engine)
    return Runtime(
        engine=engine,
        handler=handler or make_handler(config),
        client=client or make_client(config, echo=echo, retry=OUTBOX_RETRY),
        inline=inline,
        **kwargs,
    )


def make_app(runtime: Runtime, config: Config) -> Flask:
    """The Flask app serving ``runtime`` with the configuration's secrets."""
    return create_app(runtime, app_secret=config.app_secret, verify_token=config.verify_token)


def app_from_env() -> Flask:
    """WSGI entry point for production servers: a background runtime per worker process."""
    config = Config.from_env()
    runtime = make_runtime(config)
    runtime.start()
    return make_app(runtime, config)


__all__ = ["app_from_env", "flow_paths", "load_hooks", "make_app", "make_handler", "make_runtime"]
