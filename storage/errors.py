"""The root of waflow's one exception tree, kept in the lowest layer so storage can raise it.

Storage imports nothing from the packages above it, yet every error waflow raises derives from
one base class. That base, :class:`WaflowError`, and :class:`ConfigError` (what storage raises for
a bad ``DATABASE_URL``) therefore live here; :mod:`bot.errors` re-exports both, so
``bot.errors.WaflowError`` and ``bot.ConfigError`` are these very classes. The whole tree is drawn
in :mod:`bot.errors`.
"""

from __future__ import annotations


class WaflowError(Exception):
    """Root of every exception raised by waflow."""


class ConfigError(WaflowError):
    """The configuration is missing a value or holds an invalid one."""


__all__ = ["ConfigError", "WaflowError"]
