"""Staff accounts, logins and sessions, and the audit log: the rules, free of HTTP and click.

Passwords are hashed with Argon2id (``argon2-cffi``'s defaults, rehashed when they change).
Repeated failures lock an account for a while that doubles with each further failure, so a
password cannot be guessed online; an unknown e-mail costs the same hash as a known one.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.errors import WaflowError
from flows.features.business.timestamps import as_utc
from flows.features.console.models import ROLES, AuditEvent, ConsoleSecret, StaffSession, StaffUser
from storage.db import insert_ignoring, read_session, transaction

log = logging.getLogger(__name__)

MIN_PASSWORD = 10
"""The shortest password accepted."""
MAX_PASSWORD = 1024
"""The longest password accepted (the login form reads no more)."""
FREE_FAILURES = 5
"""Failed logins allowed before the account locks."""
FIRST_LOCK = timedelta(seconds=30)
"""How long the first lock lasts; each further failure doubles it, up to :data:`LONGEST_LOCK`."""
LONGEST_LOCK = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
"""A login lasts this long, however active."""
IDLE_LIFETIME = timedelta(hours=2)
"""A login unused for this long ends."""
SEEN_EVERY = timedelta(minutes=1)
"""How often a session's last use is written (not on every page)."""

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("waflow: no such account")


class StaffError(WaflowError):
    """A staff account command or form was given something it cannot do."""


def _email(value: str) -> str:
    email = value.strip().lower()
    local, at, domain = email.partition("@")
    if (
        not at
        or not local
        or "." not in domain
        or len(email) > 254
        or any(c.isspace() for c in email)
    ):
        raise StaffError(f"{value!r} is not an e-mail address")
    return email


def _role(value: str) -> str:
    if value not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}, got {value!r}")
    return value


def _password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise StaffError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(value) > MAX_PASSWORD:
        raise StaffError(f"a password has at most {MAX_PASSWORD} characters")
    return value


def find_staff(session: Session, email: str) -> StaffUser | None:
    """The account of ``email`` (any case), or ``None``."""
    return session.exec(select(StaffUser).where(StaffUser.email == email.strip().lower())).first()


def _existing(session: Session, email: str) -> StaffUser:
    user = find_staff(session, email)
    if user is None:
        raise StaffError(f"no staff member {email.strip().lower()!r}")
    return user


def add_staff(session: Session, email: str, role: str, password: str) -> StaffUser:
    """Create an account.

    Raises:
        StaffError: A bad e-mail, role or password, or the e-mail is taken.
    """
    email = _email(email)
    if find_staff(session, email) is not None:
        raise StaffError(f"{email} already has an account")
    user = StaffUser(email=email, role=_role(role), password_hash=_hasher.hash(_password(password)))
    session.add(user)
    session.flush()
    return user


def list_staff(session: Session) -> list[StaffUser]:
    """Every account, owners first."""
    return list(
        session.exec(select(StaffUser).order_by(col(StaffUser.role).desc(), StaffUser.email))
    )


def _owners(session: Session) -> int:
    return session.exec(select(func.count()).where(StaffUser.role == "owner")).one()


def remove_staff(session: Session, email: str) -> StaffUser:
    """Delete an account and end its sessions.

    Raises:
        StaffError: No such account, or it is the last owner.
    """
    user = _existing(session, email)
    if user.is_owner and _owners(session) == 1:
        raise StaffError("cannot remove the last owner: add another owner first")
    session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == user.id))
    session.delete(user)
    return user


def set_role(session: Session, email: str, role: str) -> StaffUser:
    """Change an account's role.

    Raises:
        StaffError: No such account, a bad role, or it would leave no owner.
    """
    user = _existing(session, email)
    if user.is_owner and _role(role) != "owner" and _owners(session) == 1:
        raise StaffError("cannot demote the last owner: add another owner first")
    user.role = role
    session.add(user)
    return user


def set_password(session: Session, email: str, password: str, now: datetime) -> StaffUser:
    """Change a password, unlock the account and end every session of it.

    Raises:
        StaffError: No such account, or the password is too short.
    """
    user = _existing(session, email)
    user.password_hash = _hasher.hash(_password(password))
    user.password_changed_at = now
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == user.id))
    return user


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt gave: the account and a session token, or why not.

    Attributes:
        user: The account, when the password matched.
        token: The new session's token (for the cookie), when it matched.
        locked_until: Set when the account is locked (matching or not).
    """

    user: StaffUser | None = None
    token: str | None = None
    locked_until: datetime | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(
    engine: Engine, email: str, password: str, now: datetime, *, start_session: bool = True
) -> LoginResult:
    """Check a password; on success start a session (and audit it), on failure count it.

    The password is checked outside any transaction (Argon2 is slow on purpose: it must not
    hold the database's write lock), then the outcome is written in a short one, with the
    account's row locked, so parallel guesses are all counted. A locked account costs the same
    hashing as any other.

    Args:
        start_session: ``False`` only checks (the account page asking for the current password).
    """
    with read_session(engine) as session:
        found = find_staff(session, email)
    if found is None:
        _verify(_DUMMY_HASH, password)  # the same work as for a real account
        return LoginResult()
    matched = _verify(found.password_hash, password)
    with transaction(engine) as session:
        user = session.get(StaffUser, found.id, with_for_update=True)
        if user is None or user.password_hash != found.password_hash:
            return LoginResult()  # removed, or its password changed, meanwhile
        if user.locked_until is not None and as_utc(user.locked_until) > now:
            return LoginResult(locked_until=as_utc(user.locked_until))
        if not matched:
            user.failed_logins += 1
            if user.failed_logins >= FREE_FAILURES:
                extra = 2 ** min(user.failed_logins - FREE_FAILURES, 10)
                user.locked_until = now + min(FIRST_LOCK * extra, LONGEST_LOCK)
                log.warning(
                    "staff account #%s locked after %d failed logins", user.id, user.failed_logins
                )
            session.add(user)
            return LoginResult(locked_until=user.locked_until)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins = 0
        user.locked_until = None
        session.add(user)
        if not start_session:
            return LoginResult(user=user)
        return LoginResult(user=user, token=_start_session(session, user, now))


def _start_session(session: Session, user: StaffUser, now: datetime) -> str:
    """Open a session for ``user`` (their ended ones are deleted); audit it; its token."""
    assert user.id is not None
    ended = (col(StaffSession.expires_at) <= now) | (
        col(StaffSession.last_seen_at) <= now - IDLE_LIFETIME
    )
    session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == user.id, ended))
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_token_hash(token),
            staff_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    audit(session, user, "staff.login")
    return token


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LiveSession:
    """A session that has not ended: its account, and when it was last used."""

    user: StaffUser
    last_seen_at: datetime

    def stale(self, now: datetime) -> bool:
        """Whether its last use is old enough to be written again (:func:`touch_session`)."""
        return now - self.last_seen_at > SEEN_EVERY


def session_user(session: Session, token: str, now: datetime) -> LiveSession | None:
    """The live session of a token, or ``None`` when it ended or never existed (reads only)."""
    row = session.exec(
        select(StaffSession).where(StaffSession.token_hash == _token_hash(token))
    ).first()
    if row is None:
        return None
    seen = as_utc(row.last_seen_at)
    if as_utc(row.expires_at) <= now or seen + IDLE_LIFETIME <= now:
        return None
    user = session.get(StaffUser, row.staff_id)
    return None if user is None else LiveSession(user, seen)


def touch_session(session: Session, token: str, now: datetime) -> None:
    """Record that a session was used now (it then stays alive :data:`IDLE_LIFETIME` longer)."""
    session.execute(
        update(StaffSession)
        .where(col(StaffSession.token_hash) == _token_hash(token))
        .values(last_seen_at=now)
    )


def logout(session: Session, token: str) -> None:
    """End the session of ``token`` (nothing happens when it already ended)."""
    session.execute(delete(StaffSession).where(col(StaffSession.token_hash) == _token_hash(token)))


def audit(
    session: Session,
    staff: StaffUser | None,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one staff action in the caller's transaction (``staff`` ``None``: the CLI)."""
    event = AuditEvent(
        staff_id=None if staff is None else staff.id,
        staff_email=None if staff is None else staff.email,
        action=action,
        target=target[:200],
        detail=detail or {},
    )
    session.add(event)
    return event


def audit_log(session: Session, limit: int = 200) -> list[AuditEvent]:
    """The latest staff actions, newest first."""
    query = select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)
    return list(session.exec(query))


def signing_key(session: Session) -> str:
    """The database's own signing key, made on first use (when ``WAFLOW_SECRET_KEY`` is unset)."""
    table = ConsoleSecret.__table__  # type: ignore[attr-defined]
    values = {"id": 1, "value": secrets.token_hex(32)}
    session.execute(insert_ignoring(session, table, unique=["id"]), [values])
    row = session.get(ConsoleSecret, 1)
    assert row is not None
    return row.value


__all__ = [
    "FREE_FAILURES",
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "LiveSession",
    "LoginResult",
    "StaffError",
    "add_staff",
    "audit",
    "audit_log",
    "find_staff",
    "list_staff",
    "login",
    "logout",
    "remove_staff",
    "session_user",
    "set_password",
    "set_role",
    "signing_key",
    "touch_session",
]
