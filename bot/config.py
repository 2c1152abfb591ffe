"""Configuration: read once from the environment (and a ``.env`` file) into a frozen object.

The variable names are fixed and documented in ``.env.example``. With ``WHATSAPP_ACCESS_TOKEN``
set the bot talks to the real Cloud API and must have an app secret; without it the bot runs in
*sandbox* mode, where outbound messages are kept locally and shown to the developer.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from bot.errors import ConfigError

DEFAULT_API_VERSION = "v23.0"
DEFAULT_API_BASE_URL = "https://graph.facebook.com"
DEFAULT_DATABASE_URL = "sqlite:///waflow.db"

LogFormat = Literal["text", "json"]
"""How ``waflow run`` and the WSGI entry point write log lines: ``text`` (one readable line) or
``json`` (one JSON object per line: time, level, logger, message, exception)."""
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")

ReadReceipts = Literal["typing", "read", "off"]
"""What the bot does with each customer message as it arrives: mark it read and show the typing
indicator until the reply (``typing``), only mark it read (``read``), or nothing (``off``)."""
READ_RECEIPTS: tuple[ReadReceipts, ...] = ("typing", "read", "off")


def mask(value: str | None, keep: int = 4) -> str:
    """Hide all but the last ``keep`` characters of a phone number or secret, for logs.

    Returns:
        For example ``"…1234"``; ``"-"`` when there is no value.
    """
    if not value:
        return "-"
    if len(value) <= keep:
        return "…" + value[-1:]
    return "…" + value[-keep:]


@dataclass(frozen=True)
class Config:
    """Everything waflow reads from the environment.

    Attributes:
        access_token: ``WHATSAPP_ACCESS_TOKEN``; empty means sandbox mode.
        phone_number_id: ``WHATSAPP_PHONE_NUMBER_ID``, the business number that sends.
        business_account_id: ``WHATSAPP_BUSINESS_ACCOUNT_ID``, the WhatsApp Business Account
            (WABA) that owns the number and its message templates; empty when not set.
        app_secret: ``WHATSAPP_APP_SECRET``, the key of the webhook signature.
        verify_token: ``WHATSAPP_VERIFY_TOKEN``, the token of the GET handshake.
        api_version: ``WHATSAPP_API_VERSION``, a Graph version such as ``v23.0``.
        api_base_url: ``WHATSAPP_API_BASE_URL``, Meta's Graph host or a local mock.
        database_url: ``DATABASE_URL``, a SQLAlchemy URL; SQLite file by default.
    """

    access_token: str = ""
    phone_number_id: str = "sandbox"
    business_account_id: str = ""
    app_secret: str = ""
    verify_token: str = ""
    api_version: str = DEFAULT_API_VERSION
    api_base_url: str = DEFAULT_API_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def sandbox(self) -> bool:
        """True when no access token is configured: nothing is sent to Meta."""
        return not self.access_token

    @property
    def read_receipts(self) -> ReadReceipts:
        """``WAFLOW_READ_RECEIPTS``: ``typing`` (the default), ``read`` or ``off``.

        An unknown value reads as the default here; :meth:`check` refuses it.
        """
        value = self.extra.get("WAFLOW_READ_RECEIPTS", "").strip().lower() or "typing"
        return value if value in READ_RECEIPTS else "typing"

    @property
    def log_format(self) -> LogFormat:
        """``WAFLOW_LOG_FORMAT``: ``text`` (the default) or ``json``.

        An unknown value reads as the default here; :meth:`check` refuses it.
        """
        value = self.extra.get("WAFLOW_LOG_FORMAT", "").strip().lower() or "text"
        return value if value in LOG_FORMATS else "text"

    @property
    def metrics_token(self) -> str:
        """``WAFLOW_METRICS_TOKEN``: the Bearer token of ``GET /metrics``; empty turns it off."""
        return self.extra.get("WAFLOW_METRICS_TOKEN", "").strip()

    @property
    def messages_url(self) -> str:
        """The Cloud API endpoint that sends messages for this number."""
        base = self.api_base_url.rstrip("/")
        return f"{base}/{self.api_version}/{self.phone_number_id}/messages"

    def with_overrides(self, **changes: Any) -> Config:
        """Return a copy with some fields replaced (handy in tests)."""
        return replace(self, **changes)

    def check(self) -> None:
        """Refuse configurations that would run unsafely.

        Raises:
            ConfigError: A real access token without an app secret (webhooks could be forged),
                or without a phone number id; an unknown ``WAFLOW_READ_RECEIPTS`` or
                ``WAFLOW_LOG_FORMAT``.
        """
        if self.access_token and not self.app_secret:
            raise ConfigError(
                "WHATSAPP_ACCESS_TOKEN is set but WHATSAPP_APP_SECRET is not: without the app "
                "secret anyone could forge webhooks. Set WHATSAPP_APP_SECRET (App Dashboard > "
                "App settings > Basic), or unset the token to run in sandbox mode."
            )
        if self.access_token and (not self.phone_number_id or self.phone_number_id == "sandbox"):
            raise ConfigError(
                "WHATSAPP_ACCESS_TOKEN is set but WHATSAPP_PHONE_NUMBER_ID is not. Copy the "
                "phone number ID from WhatsApp Manager > API Setup."
            )
        receipts = self.extra.get("WAFLOW_READ_RECEIPTS", "").strip().lower()
        if receipts and receipts not in READ_RECEIPTS:
            raise ConfigError(
                f"WAFLOW_READ_RECEIPTS must be one of {', '.join(READ_RECEIPTS)}, got {receipts!r}"
            )
        log_format = self.extra.get("WAFLOW_LOG_FORMAT", "").strip().lower()
        if log_format and log_format not in LOG_FORMATS:
            raise ConfigError(
                f"WAFLOW_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, got {log_format!r}"
            )
        if not self.api_version.startswith("v"):
            raise ConfigError(
                f"WHATSAPP_API_VERSION must look like 'v23.0', got {self.api_version!r}"
            )
        if not self.api_base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"WHATSAPP_API_BASE_URL must start with http:// or https://, "
                f"got {self.api_base_url!r}"
            )

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        dotenv: str | Path | None = ".env",
    ) -> Config:
        """Build the configuration from environment variables.

        Args:
            environ: The variables to read; ``os.environ`` by default.
            dotenv: A ``.env`` file whose values fill in what ``environ`` lacks; ``None`` to
                skip it.

        Returns:
            The configuration (not yet checked: call :meth:`check`).
        """
        values: dict[str, str] = {}
        if dotenv is not None and Path(dotenv).is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)

        def get(name: str, default: str) -> str:
            value = values.get(name, "").strip()
            return value or default

        return cls(
            access_token=get("WHATSAPP_ACCESS_TOKEN", ""),
            phone_number_id=get("WHATSAPP_PHONE_NUMBER_ID", "sandbox"),
            business_account_id=get("WHATSAPP_BUSINESS_ACCOUNT_ID", ""),
            app_secret=get("WHATSAPP_APP_SECRET", ""),
            verify_token=get("WHATSAPP_VERIFY_TOKEN", ""),
            api_version=get("WHATSAPP_API_VERSION", DEFAULT_API_VERSION),
            api_base_url=get("WHATSAPP_API_BASE_URL", DEFAULT_API_BASE_URL),
            database_url=get("DATABASE_URL", DEFAULT_DATABASE_URL),
            extra={k: v for k, v in values.items() if k.startswith("WAFLOW_")},
        )


def bearer_valid(header: str, token: str) -> bool:
    """Whether an ``Authorization`` header carries ``Bearer <token>`` (constant-time compare).

    An empty ``token`` (the setting is not configured) accepts nothing.
    """
    scheme, _, credential = header.partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    given = credential.strip().encode("utf-8", "replace")
    return hmac.compare_digest(given, token.encode("utf-8"))


__all__ = [
    "DEFAULT_API_BASE_URL",
    "DEFAULT_API_VERSION",
    "DEFAULT_DATABASE_URL",
    "LOG_FORMATS",
    "READ_RECEIPTS",
    "Config",
    "LogFormat",
    "ReadReceipts",
    "bearer_valid",
    "mask",
]
