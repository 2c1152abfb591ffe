"""The staff console (:class:`ConsoleFeature`): accounts, login, the audit log, the web shell.

The modules are ``models`` (staff, sessions, audit events), ``accounts`` (the rules: passwords,
throttled logins, sessions, :func:`audit`), ``cli`` (``waflow staff``) and ``web`` (the shell
every feature's console pages are built on: ``console_blueprint``, ``owner_only``, ``render``).
"""

from __future__ import annotations

from flows.features._feature import ConsoleLink, Feature
from flows.features.console.accounts import StaffError, add_staff, audit, login
from flows.features.console.models import ROLES, AuditEvent, StaffSession, StaffUser


class ConsoleFeature(Feature):
    """The console's shell and staff accounts: ``/console/``, ``waflow staff``."""

    name = "console"
    command_group = "flows.features.console.cli:staff"
    console_factory = "flows.features.console.web:console_pages"
    console_links = (
        ConsoleLink("Staff", "waflow_console.staff_page", owner_only=True, rank=90),
        ConsoleLink("Audit log", "waflow_console.audit_page", owner_only=True, rank=91),
    )


__all__ = [
    "ROLES",
    "AuditEvent",
    "ConsoleFeature",
    "StaffError",
    "StaffSession",
    "StaffUser",
    "add_staff",
    "audit",
    "login",
]
