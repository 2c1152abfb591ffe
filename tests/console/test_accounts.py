"""Staff accounts: hashing, throttled logins, sessions that end on the server, the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from flows.features.console import StaffError, StaffSession, StaffUser, add_staff, audit, login
from flows.features.console.accounts import (
    FREE_FAILURES,
    IDLE_LIFETIME,
    audit_log,
    logout,
    remove_staff,
    session_user,
    set_password,
    set_role,
    signing_key,
    touch_session,
)
from storage.db import transaction

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def owner(engine: Engine) -> str:
    with transaction(engine) as session:
        add_staff(session, "Owner@Bakery.test ", "owner", "owner password 1")
    return "owner@bakery.test"


def test_a_password_is_stored_as_an_argon2id_hash(engine: Engine, owner: str) -> None:
    with transaction(engine) as session:
        user = session.exec(select(StaffUser)).one()
    assert user.email == owner
    assert user.password_hash.startswith("$argon2id$")
    assert "owner password 1" not in user.password_hash


@pytest.mark.parametrize(
    ("email", "role", "password", "problem"),
    [
        ("not-an-address", "owner", "long enough pw", "is not an e-mail address"),
        ("a@b.test", "admin", "long enough pw", "role must be one of owner, agent"),
        ("a@b.test", "agent", "short", "at least 10 characters"),
        ("owner@bakery.test", "agent", "long enough pw", "already has an account"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason(
    engine: Engine, owner: str, email: str, role: str, password: str, problem: str
) -> None:
    with pytest.raises(StaffError, match=problem), transaction(engine) as session:
        add_staff(session, email, role, password)


def test_a_login_gives_a_session_that_logout_ends(engine: Engine, owner: str) -> None:
    result = login(engine, owner, "owner password 1", NOW)
    assert result.user is not None
    assert result.token is not None
    with transaction(engine) as session:
        live = session_user(session, result.token, NOW + timedelta(minutes=5))
        assert live is not None
        assert live.user.email == owner
        logout(session, result.token)
    with transaction(engine) as session:
        assert session_user(session, result.token, NOW + timedelta(minutes=6)) is None


def test_an_idle_session_ends_and_use_keeps_it_alive(engine: Engine, owner: str) -> None:
    token = login(engine, owner, "owner password 1", NOW).token
    assert token is not None
    later = NOW + IDLE_LIFETIME - timedelta(minutes=1)
    with transaction(engine) as session:
        live = session_user(session, token, later)
        assert live is not None
        assert live.stale(later)
        touch_session(session, token, later)
    with transaction(engine) as session:
        assert session_user(session, token, NOW + IDLE_LIFETIME) is not None
        assert session_user(session, token, later + IDLE_LIFETIME) is None


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    engine: Engine, owner: str
) -> None:
    for attempt in range(FREE_FAILURES):
        result = login(engine, owner, f"guess {attempt}", NOW)
        assert result.user is None
    assert result.locked_until == NOW + timedelta(seconds=30)
    assert login(engine, owner, "owner password 1", NOW).user is None
    later = login(engine, owner, "owner password 1", NOW + timedelta(seconds=31))
    assert later.user is not None


def test_each_further_failure_doubles_the_lock(engine: Engine, owner: str) -> None:
    for attempt in range(FREE_FAILURES):
        login(engine, owner, f"guess {attempt}", NOW)
    later = NOW + timedelta(seconds=31)
    result = login(engine, owner, "one more guess", later)
    assert result.locked_until == later + timedelta(seconds=60)


def test_a_password_change_ends_every_session(engine: Engine, owner: str) -> None:
    tokens = [login(engine, owner, "owner password 1", NOW).token for _ in range(2)]
    with transaction(engine) as session:
        set_password(session, owner, "another password", NOW)
    with transaction(engine) as session:
        assert [session_user(session, t or "", NOW) for t in tokens] == [None, None]
    assert login(engine, owner, "another password", NOW).user is not None


def test_a_login_is_audited_and_a_check_only_starts_no_session(engine: Engine, owner: str) -> None:
    checked = login(engine, owner, "owner password 1", NOW, start_session=False)
    assert checked.user is not None
    assert checked.token is None
    with transaction(engine) as session:
        assert session.exec(select(StaffSession)).all() == []
    login(engine, owner, "owner password 1", NOW)
    with transaction(engine) as session:
        assert [e.action for e in audit_log(session)] == ["staff.login"]


def test_a_password_longer_than_the_login_form_reads_is_refused(engine: Engine) -> None:
    with pytest.raises(StaffError, match="at most 1024"), transaction(engine) as session:
        add_staff(session, "long@bakery.test", "agent", "x" * 1025)


def test_the_last_owner_can_be_neither_removed_nor_demoted(engine: Engine, owner: str) -> None:
    with pytest.raises(StaffError, match="last owner"), transaction(engine) as session:
        remove_staff(session, owner)
    with pytest.raises(StaffError, match="last owner"), transaction(engine) as session:
        set_role(session, owner, "agent")


def test_the_audit_log_keeps_who_did_what_newest_first(engine: Engine, owner: str) -> None:
    with transaction(engine) as session:
        user = session.exec(select(StaffUser)).one()
        audit(session, user, "order.paid", "A-1001", {"amount": "12.00"})
        audit(session, None, "staff.add", "x@y.test")
    with transaction(engine) as session:
        events = audit_log(session)
    assert [(e.action, e.staff_email, e.target) for e in events] == [
        ("staff.add", None, "x@y.test"),
        ("order.paid", owner, "A-1001"),
    ]
    assert events[1].detail == {"amount": "12.00"}


def test_the_signing_key_is_made_once_and_shared(engine: Engine) -> None:
    with transaction(engine) as session:
        first = signing_key(session)
    with transaction(engine) as session:
        assert signing_key(session) == first
    assert len(first) == 64
