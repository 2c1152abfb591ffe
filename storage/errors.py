"""The root of waflow's one exception tree, kept in the lowest layer so storage can raise it.

:mod:`bot.errors` re-exports :class:`WaflowError` and :class:`ConfigError` (what storage raises
for a bad ``DATABASE_URL``) and draws the whole tree.
"""

from __future__ import annotations


class WaflowError(Exception):
    """Root of every exception raised by waflow."""


class ConfigError(WaflowError):
    """The configuration is missing a value or holds an invalid one."""


__all__ = ["ConfigError", "WaflowError"]
