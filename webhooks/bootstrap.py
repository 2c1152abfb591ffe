"""Assembling a bot from configuration: engine, conversation handler, client, runtime, app.

``waflow run`` and ``gunicorn 'webhooks.bootstrap:app_from_env()'`` both build the bot here.
``WAFLOW_BUSINESS`` (a business file) switches on the features' flows, hooks and routes,
``WAFLOW_FLOWS`` and ``WAFLOW_HOOKS`` add the application's own on top (replacing built-ins of the
same id or name); with none of them the built-in starter menu answers.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Flask
from sqlalchemy.engine import Engine

import flows
from bot.client import RetryPolicy, Sender, make_client
from bot.config import Config
from bot.errors import ConfigError, FlowError
from bot.runtime import Runtime
from bot.starter import StarterHandler
from bot.turn import Handler
from flows.features import BUILTIN, Feature, WebContext, flow_dirs
from flows.features.business import BusinessConfig, load_business
from flows.features.console.web import install_console
from storage.db import create_schema, make_engine
from webhooks.app import create_app
from webhooks.logs import configure_logging

BUILTIN_FLOWS = flow_dirs()
"""The directories of the features' YAML flows (used when a business file is configured)."""

OUTBOX_RETRY = RetryPolicy(max_attempts=2, max_delay=2.0)
"""In-call retries of the runtime's client: short, because the outbox retries durably and a
send must finish well within the sender's lease (see ``storage.outbox``)."""


STOP_TIMEOUT = 20.0
"""Seconds a stopping runtime spends finishing turns and sends: within gunicorn's default
``--graceful-timeout`` of 30 s, which also covers the requests in progress."""

_SERVING: list[Runtime] = []
"""The runtimes :func:`app_from_env` started in this process, for :func:`stop_serving`."""


def load_hooks(path: str | Path) -> flows.Hooks:
    """Import a hooks file (once per process) and return its ``hooks`` registry.

    Raises:
        ConfigError: The file is missing, fails to import, or defines no ``hooks`` registry.
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"WAFLOW_HOOKS: no such file: {file}")
    name = "waflow_user_hooks_" + hashlib.sha256(str(file.resolve()).encode()).hexdigest()[:16]
    module = sys.modules.get(name) or _import_file(name, file)
    hooks = getattr(module, "hooks", None)
    if not isinstance(hooks, flows.Hooks):
        raise ConfigError(
            f"WAFLOW_HOOKS: {file} defines no `hooks` registry (expected hooks = flows.Hooks())"
        )
    return hooks


def _import_file(name: str, file: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ConfigError(f"WAFLOW_HOOKS: cannot import {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise ConfigError(f"WAFLOW_HOOKS: importing {file} failed: {exc}") from exc
    return module


def flow_paths(config: Config) -> list[Path]:
    """The flow files and directories named by ``WAFLOW_FLOWS``."""
    raw = config.extra.get("WAFLOW_FLOWS", "")
    return [Path(p) for p in raw.split(":") if p.strip()]


def load_business_config(config: Config) -> BusinessConfig | None:
    """The business file named by ``WAFLOW_BUSINESS``, or ``None`` when there is none.

    Raises:
        ConfigError: The file is missing or invalid (the message names file, line and key).
    """
    path = config.extra.get("WAFLOW_BUSINESS", "").strip()
    if not path:
        return None
    try:
        return load_business(path)
    except FlowError as exc:
        raise ConfigError(f"invalid business file: {exc}") from exc


def builtin_flows(
    business: BusinessConfig, features: tuple[Feature, ...] = BUILTIN
) -> list[flows.Flow]:
    """The flows the features ship (their YAML files) or generate from the business file."""
    found = list(flows.load_flows(*flow_dirs(features)))
    for feature in features:
        found.extend(feature.flows(business))
    return found


def make_hooks(config: Config, business: BusinessConfig | None = None) -> flows.Hooks:
    """The hook registry: the features' (with a business file), then ``WAFLOW_HOOKS``, by name."""
    hooks = flows.Hooks()
    if business is not None:
        for feature in BUILTIN:
            feature.register_hooks(hooks, business)
    hooks_path = config.extra.get("WAFLOW_HOOKS", "").strip()
    if hooks_path:
        hooks.update(load_hooks(hooks_path))
    return hooks


def make_flow_set(config: Config, business: BusinessConfig | None = None) -> flows.FlowSet:
    """The flows to run: the features' (with a business file), then ``WAFLOW_FLOWS``, by id."""
    by_id = {flow.id: flow for flow in builtin_flows(business)} if business is not None else {}
    paths = flow_paths(config)
    if paths:
        by_id.update((flow.id, flow) for flow in flows.load_flows(*paths))
    return flows.FlowSet(by_id.values())


def make_handler(config: Config, business: BusinessConfig | None = None) -> Handler:
    """The starter menu without flows or business file, else a wrapped :class:`flows.FlowHandler`.

    With a business file each feature wraps the handler (the shop accepts catalog orders).

    Raises:
        ConfigError: A flow, the hooks file or the business file is invalid.
    """
    if business is None and not flow_paths(config):
        return StarterHandler()
    try:
        flow_set = make_flow_set(config, business)
        default_menu = "main_menu" if business is not None else None
        handler: Handler = flows.FlowHandler(
            flow_set,
            make_hooks(config, business),
            main_menu=config.extra.get("WAFLOW_MAIN_MENU") or default_menu,
            default_flow=config.extra.get("WAFLOW_DEFAULT_FLOW") or None,
            language=business.business.language or "en" if business is not None else "en",
            locale=business.business.locale if business is not None else None,
            catalogs=business.catalogs if business is not None else flows.BUILTIN_CATALOGS,
        )
    except FlowError as exc:
        raise ConfigError(f"invalid flow: {exc}") from exc
    if business is not None:
        for feature in BUILTIN:
            handler = feature.wrap_handler(handler, business)
    return handler


def make_runtime(
    config: Config,
    *,
    inline: bool = False,
    engine: Engine | None = None,
    handler: Handler | None = None,
    client: Sender | None = None,
    echo: Callable[[dict[str, Any]], None] | None = None,
    business: BusinessConfig | None = None,
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
        business: The business configuration (``load_business_config``), if any: its
            features also listen to the updates that are not customer messages and run their
            periodic tasks.
        **kwargs: Passed to :class:`~bot.runtime.Runtime`.

    Raises:
        ConfigError: The configuration is unsafe or invalid.
    """
    config.check()
    engine = engine or make_engine(config.database_url)
    create_schema(engine)
    kwargs.setdefault("read_receipts", config.read_receipts)
    if business is not None:
        listeners = (feature.listener(business) for feature in BUILTIN)
        kwargs.setdefault("listeners", tuple(x for x in listeners if x is not None))
        tasks = (feature.task(engine, business) for feature in BUILTIN)
        kwargs.setdefault("tasks", tuple(x for x in tasks if x is not None))
    return Runtime(
        engine=engine,
        handler=handler or make_handler(config, business),
        client=client or make_client(config, echo=echo, retry=OUTBOX_RETRY),
        inline=inline,
        **kwargs,
    )


def make_app(runtime: Runtime, config: Config, business: BusinessConfig | None = None) -> Flask:
    """The Flask app serving ``runtime``, plus the features' routes with a business file."""
    app = create_app(
        runtime,
        app_secret=config.app_secret,
        verify_token=config.verify_token,
        metrics_token=config.metrics_token,
    )
    if business is not None:
        context = WebContext(runtime.engine, business, runtime.wake_sender, config=config)
        for feature in BUILTIN:
            if (blueprint := feature.blueprint(context)) is not None:
                app.register_blueprint(blueprint)
        links = sorted(
            (link for feature in BUILTIN for link in feature.console_links),
            key=lambda link: link.rank,
        )
        install_console(app, runtime.engine, links, config.extra)
        for feature in BUILTIN:
            if (pages := feature.console(context)) is not None:
                app.register_blueprint(pages)
        from webhooks.simulator import install_simulator  # here: the simulator imports this module

        install_simulator(app, runtime, config, business)
    return app


def app_from_env() -> Flask:
    """WSGI entry point for production servers: a background runtime per worker process.

    Logs go to standard error in ``WAFLOW_LOG_FORMAT`` unless the server configured logging.
    The runtime stops gracefully when the worker exits: a gunicorn worker told to stop
    (SIGTERM) finishes its requests, then its turns in progress and their replies (see
    :meth:`~bot.runtime.Runtime.stop`), within gunicorn's ``--graceful-timeout``. waflow's
    gunicorn settings call :func:`stop_serving` from the ``worker_exit`` hook, while the
    interpreter still runs the sender's thread pools; under another server it runs at exit
    (``atexit``), when Python may already have shut them down.
    """
    config = Config.from_env()
    configure_logging(config.log_format)
    business = load_business_config(config)
    runtime = make_runtime(config, business=business)
    runtime.start()
    _SERVING.append(runtime)
    atexit.register(stop_serving)
    return make_app(runtime, config, business)


def stop_serving() -> None:
    """Stop, gracefully, every runtime :func:`app_from_env` started in this process (each
    within :data:`STOP_TIMEOUT`); calling it again does nothing."""
    while _SERVING:
        _SERVING.pop().stop(STOP_TIMEOUT)


__all__ = [
    "BUILTIN_FLOWS",
    "STOP_TIMEOUT",
    "app_from_env",
    "builtin_flows",
    "flow_paths",
    "load_business_config",
    "load_hooks",
    "make_app",
    "make_flow_set",
    "make_handler",
    "make_hooks",
    "make_runtime",
    "stop_serving",
]
