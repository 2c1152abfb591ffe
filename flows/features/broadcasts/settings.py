"""The ``broadcasts`` section of the business file: the templates a broadcast may use, and pacing.

.. code-block:: yaml

    broadcasts:
      templates: [spring_sale]   # declared under templates.approved (or {name, params} here)
      rate: 20                 # messages per second (Meta allows 80 in all, replies included)
      messaging_limit: 2000    # the portfolio's tier: unique out-of-window users per 24 h
      doubt_period: 10m        # how long a cut-off send waits for its status webhook
      reply_window: 24h        # a STOP within this time of a broadcast answers it

Every entry is optional; :func:`broadcast_settings` reads the section checked as a whole, and
:func:`check_broadcasts` checks it when the file is loaded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from flows import Record, Text, parse_duration, problem, read_typed
from flows.features.business import BusinessConfig, TemplateRef
from storage.errors import ConfigError


def _span(value: Any) -> timedelta:
    return value if isinstance(value, timedelta) else parse_duration(value)


def _limit(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() == "unlimited":
        return "unlimited"
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise problem(f"expected a positive number of customers or 'unlimited', got {value!r}")
    return value


Span = Annotated[timedelta, BeforeValidator(_span)]
Limit = Annotated[int | Literal["unlimited"], BeforeValidator(_limit)]


class BroadcastSettings(Record, what="broadcasts"):
    """The ``broadcasts`` section.

    Attributes:
        templates: The approved templates a broadcast may send: names of templates declared
            under ``templates.approved``, or templates declared here (``category``
            ``marketing`` unless given); see :func:`broadcast_settings`.
        rate: Broadcast messages per second (replies and other messages are not counted).
        messaging_limit: The business's messaging limit: unique customers outside their
            24-hour window reached per rolling 24 hours, or ``unlimited``.
        doubt_period: How long a broadcast message whose send was cut off waits for its status
            webhook before it is sent again.
        lease: How long one send may take before it counts as cut off.
        reply_window: A stop word within this time of a broadcast is its opt-out
            (``broadcast_reply``); a message within it counts as a reply in the report.
        name_fallback: What ``{name}`` becomes for a customer without a profile name.
    """

    templates: tuple[TemplateRef, ...] = ()
    rate: float = Field(20.0, gt=0, le=1000)
    messaging_limit: Limit = 250
    doubt_period: Span = timedelta(minutes=10)
    lease: Span = timedelta(minutes=2)
    reply_window: Span = timedelta(hours=24)
    name_fallback: Text = "there"

    @property
    def daily_limit(self) -> int | None:
        """:attr:`messaging_limit` as a number (``None``: unlimited)."""
        return None if self.messaging_limit == "unlimited" else self.messaging_limit

    def template(self, name: str) -> TemplateRef | None:
        """The declared template called ``name``, if any."""
        return next((t for t in self.templates if t.name == name), None)


def broadcast_settings(business: BusinessConfig) -> BroadcastSettings:
    """The business file's ``broadcasts`` section, its templates resolved.

    A template given by name (and language) is the one declared under ``templates.approved``
    (or by another use); one given with ``params`` or ``category`` is declared here, ``marketing``
    unless told. Either is in ``templates.language`` unless it names its own. Loading the file
    checks all this (:func:`check_broadcasts`), so a loaded file never fails here.

    Raises:
        ConfigError: The section cannot be read, or :func:`check_broadcasts` finds a problem.
    """
    settings, problems = _settings(business)
    if settings is None or problems:
        message, path = problems[0]
        raise ConfigError(f"{path}: {message}")
    return settings


def check_broadcasts(business: BusinessConfig) -> list[tuple[str, str]]:
    """The problems of the ``broadcasts`` section against the whole file, as ``(message, path)``.

    Each template must be declared (under ``templates.approved``, another use, or here with its
    ``params``), never differently from elsewhere, must not be an ``authentication`` template, and
    is listed once. Staff fill every parameter of a broadcast by name, so any names will do.
    """
    return _settings(business)[1]


def _settings(business: BusinessConfig) -> tuple[BroadcastSettings | None, list[tuple[str, str]]]:
    settings, errors = read_typed(
        BroadcastSettings, dict(business.broadcasts), file=business.file, path="broadcasts"
    )
    if settings is None:
        return None, [(error.message, error.path or "broadcasts") for error in errors]
    refs, problems = business.templates.resolve(
        settings.templates, _WHERE, use="a broadcast", defaults={"category": "marketing"}
    )
    first: dict[tuple[str, str], int] = {}
    for index, ref in enumerate(settings.templates):
        chosen = "language" in ref.model_fields_set
        key = (ref.name, ref.language if chosen else business.templates.language)
        if (seen := first.setdefault(key, index)) != index:
            problems.append((
                f"template {ref.name!r} ({key[1]}) is listed twice (also at {_WHERE}[{seen}])",
                f"{_WHERE}[{index}]",
            ))  # fmt: skip
    object.__setattr__(settings, "templates", refs)
    return settings, problems


_WHERE = "broadcasts.templates"


__all__ = ["BroadcastSettings", "broadcast_settings", "check_broadcasts"]
