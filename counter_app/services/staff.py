"""Staff accounts and logins: argon2 password hashes, expiring bearer tokens, lockout."""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import ParamSpec, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from counter_app.domain.errors import (
    AccountDisabled,
    AccountLocked,
    BadCredentials,
    InvalidInput,
    LastAdmin,
    NotFound,
    StaffExists,
    TokenExpired,
)
from counter_app.domain.roles import Role
from counter_app.domain.staff import LockoutPolicy, check_password, normalise_username
from counter_app.services import audit, events
from counter_app.services.actor import Actor
from counter_app.storage.database import Store
from counter_app.storage.models import AuthToken, LoginAttempt, Staff, StaffRole
from counter_app.storage.types import utcnow

P = ParamSpec("P")
R = TypeVar("R")

_hasher = PasswordHasher()
# Verifying against this keeps a wrong username as slow as a wrong password (no user probing).
# A literal, not computed at import: hashing here cost every start ~130 ms.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$AF9ELzFhR6w1eYpOmG+dKw$"
    "TTbgSh52RWsyiYlLWvOmvRmfBMtP21ZAyUyk15GEnlQ"
)


@dataclass(frozen=True)
class StaffMember:
    id: uuid.UUID
    username: str
    display_name: str
    roles: frozenset[Role]
    active: bool


@dataclass(frozen=True)
class Login:
    token: str
    expires_at: datetime
    staff: StaffMember


def _view(staff: Staff) -> StaffMember:
    return StaffMember(
        id=staff.id,
        username=staff.username,
        display_name=staff.display_name,
        roles=frozenset(Role(r.role) for r in staff.roles),
        active=staff.active,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class ApprovalRefused(InvalidInput):
    code = "auth.approval_refused"


class LoginCache:
    """Tokens checked in the last few seconds, so an ordinary hub call reads no database.

    Every change to staff or tokens made through this hub clears it at once; a change made by
    another process on the same store (the admin command line) takes effect within ``ttl``.
    """

    def __init__(self, ttl: timedelta = timedelta(seconds=5)) -> None:
        self._ttl = ttl.total_seconds()
        self._entries: dict[str, tuple[Actor, datetime, float]] = {}
        self._lock = threading.Lock()

    def get(self, token_hash: str, workstation: str) -> Actor | None:
        with self._lock:
            entry = self._entries.get(token_hash)
        if entry is None:
            return None
        actor, expires_at, fresh_until = entry
        if time.monotonic() > fresh_until or expires_at <= utcnow():
            return None  # stale or expired: the database path decides and says why
        return actor if actor.workstation else replace(actor, workstation=workstation)

    def put(self, token_hash: str, actor: Actor, expires_at: datetime) -> None:
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()  # bounded: a branch has tens of logins, not thousands
            self._entries[token_hash] = (actor, expires_at, time.monotonic() + self._ttl)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _clears_logins(method: Callable[P, R]) -> Callable[P, R]:
    """Forget cached logins before and after a change to staff: a check running meanwhile
    cannot keep the old state in the cache."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        directory = args[0]
        assert isinstance(directory, StaffDirectory)
        directory._logins.clear()
        try:
            return method(*args, **kwargs)
        finally:
            directory._logins.clear()

    return wrapper


class StaffDirectory:
    """Adding, changing and listing staff; every change is audited."""

    def __init__(self, store: Store, logins: LoginCache | None = None) -> None:
        self._store = store
        self._logins = logins or LoginCache()

    def forget_logins(self) -> None:
        """Staff changed outside this directory (a publication from head office applied by
        the sync process): the next check reads roles and the active flag afresh."""
        self._logins.clear()

    def add(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        roles: frozenset[Role],
        password: str,
    ) -> StaffMember:
        actor.require(Role.ADMIN)
        name = normalise_username(username)
        check_password(password, name)
        display = display_name.strip() or name
        password_hash = _hasher.hash(password)
        with self._store.write() as session:
            if session.scalar(select(Staff).where(Staff.username == name)) is not None:
                raise StaffExists("username already in use", username=name)
            staff = Staff(username=name, display_name=display, password_hash=password_hash)
            staff.roles = [StaffRole(role=r.value) for r in sorted(roles)]
            session.add(staff)
            session.flush()
            audit.record(
                session,
                actor,
                "staff.add",
                name,
                {"display_name": display, "roles": sorted(r.value for r in roles)},
            )
            events.publish(session, events.STAFF_CHANGED, {"username": name})
            return _view(staff)

    def list(self, actor: Actor, include_inactive: bool = True) -> list[StaffMember]:
        actor.require(Role.ADMIN, Role.MANAGER)
        with self._store.read() as session:
            query = select(Staff).order_by(Staff.username)
            if not include_inactive:
                query = query.where(Staff.active.is_(True))
            return [_view(s) for s in session.scalars(query)]

    def with_roles(self, roles: frozenset[Role]) -> tuple[tuple[str, str], ...]:
        """(username, display name) of the active staff holding any of ``roles``: whom forms
        can be issued to. No role check: the caller's route decides who may ask."""
        with self._store.read() as session:
            rows = session.execute(
                select(Staff.username, Staff.display_name)
                .join(StaffRole, StaffRole.staff_id == Staff.id)
                .where(Staff.active.is_(True), StaffRole.role.in_([r.value for r in roles]))
                .distinct()
                .order_by(Staff.username)
            )
            return tuple((u, n) for u, n in rows)

    def display_names(self) -> dict[str, str]:
        """Username → display name, for reports that name the staff (no role needed: the
        caller's own service checked who may see the report)."""
        with self._store.read() as session:
            return {u: n for u, n in session.execute(select(Staff.username, Staff.display_name))}

    def _get(self, session: Session, username: str) -> Staff:
        staff = session.scalar(select(Staff).where(Staff.username == username.strip().lower()))
        if staff is None:
            raise NotFound("no such staff member", username=username)
        return staff

    def _ensure_admin_remains(self, session: Session, leaving: Staff) -> None:
        # Disabling or demoting the last active admin would lock the branch out of its own hub.
        admins = session.scalars(
            select(Staff)
            .join(StaffRole)
            .where(StaffRole.role == Role.ADMIN.value, Staff.active.is_(True))
        ).all()
        if [a.id for a in admins] == [leaving.id]:
            raise LastAdmin("the last active administrator cannot be removed")

    @_clears_logins
    def set_active(self, actor: Actor, username: str, active: bool) -> StaffMember:
        actor.require(Role.ADMIN)
        with self._store.write() as session:
            staff = self._get(session, username)
            if staff.active == active:
                return _view(staff)
            if not active:
                self._ensure_admin_remains(session, staff)
                # A disabled account's open logins end now, not at their expiry.
                for token in session.scalars(
                    select(AuthToken).where(
                        AuthToken.staff_id == staff.id, AuthToken.revoked_at.is_(None)
                    )
                ):
                    token.revoked_at = utcnow()
            staff.active = active
            action = "staff.enable" if active else "staff.disable"
            audit.record(session, actor, action, staff.username)
            events.publish(session, events.STAFF_CHANGED, {"username": staff.username})
            return _view(staff)

    @_clears_logins
    def set_roles(self, actor: Actor, username: str, roles: frozenset[Role]) -> StaffMember:
        actor.require(Role.ADMIN)
        with self._store.write() as session:
            staff = self._get(session, username)
            if Role.ADMIN not in roles:
                self._ensure_admin_remains(session, staff)
            before = sorted(r.role for r in staff.roles)
            staff.roles = [StaffRole(role=r.value) for r in sorted(roles)]
            session.flush()
            audit.record(
                session,
                actor,
                "staff.roles",
                staff.username,
                {"before": before, "after": sorted(r.value for r in roles)},
            )
            events.publish(session, events.STAFF_CHANGED, {"username": staff.username})
            return _view(staff)

    @_clears_logins
    def reset_password(self, actor: Actor, username: str, password: str) -> None:
        if actor.username != username.strip().lower():
            actor.require(Role.ADMIN)
        with self._store.write() as session:
            staff = self._get(session, username)
            check_password(password, staff.username)
            staff.password_hash = _hasher.hash(password)
            staff.password_changed_at = utcnow()
            for token in session.scalars(
                select(AuthToken).where(
                    AuthToken.staff_id == staff.id, AuthToken.revoked_at.is_(None)
                )
            ):
                token.revoked_at = utcnow()
            # A reset also lifts a lockout: the admin has just checked who the person is.
            session.add(LoginAttempt(username=staff.username, success=True, workstation="reset"))
            audit.record(session, actor, "staff.password_reset", staff.username)


class Authenticator:
    """Logs staff in and checks bearer tokens on every hub call."""

    def __init__(
        self,
        store: Store,
        token_ttl: timedelta,
        lockout: LockoutPolicy,
        logins: LoginCache | None = None,
    ) -> None:
        self._store = store
        self._ttl = token_ttl
        self._lockout = lockout
        self._logins = logins or LoginCache()

    def _failures_since_success(self, session: Session, username: str) -> list[datetime]:
        attempts = session.scalars(
            select(LoginAttempt)
            .where(LoginAttempt.username == username)
            .order_by(LoginAttempt.at.desc())
            .limit(self._lockout.max_failures * 2)
        ).all()
        failures: list[datetime] = []
        for attempt in attempts:
            if attempt.success:
                break
            failures.append(attempt.at)
        return failures

    def _verify(self, session: Session, username: str, password: str, workstation: str) -> Staff:
        """The staff member whose password this is, counting failures towards the lockout.

        A refusal commits its attempt and audit entry before raising, or the rollback would
        take them back."""
        name = username.strip().lower()[:64]
        now = utcnow()
        who = Actor(username=name or "?", workstation=workstation, roles=frozenset())
        until = self._lockout.locked_until(self._failures_since_success(session, name), now)
        if until is not None:
            audit.record(session, who, "auth.login_refused_locked", name)
            session.commit()
            raise AccountLocked("too many wrong passwords", until=until.isoformat())
        staff = session.scalar(select(Staff).where(Staff.username == name))
        try:
            _hasher.verify(staff.password_hash if staff else _DUMMY_HASH, password)
            ok = staff is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or staff is None:
            session.add(LoginAttempt(username=name, success=False, workstation=workstation))
            session.flush()
            failures = self._failures_since_success(session, name)
            locked = self._lockout.locked_until(failures, now)
            audit.record(
                session,
                who,
                "auth.login_failed",
                name,
                {"failures": len(failures), "locked": locked is not None},
            )
            session.commit()
            if locked is not None:
                raise AccountLocked("too many wrong passwords", until=locked.isoformat())
            raise BadCredentials("wrong username or password")
        if not staff.active:
            audit.record(session, who, "auth.login_refused_disabled", name)
            session.commit()
            raise AccountDisabled("account disabled")
        return staff

    def approve(self, username: str, password: str, workstation: str, what: str) -> Actor:
        """A supervisor's approval at someone else's counter (a void): their own password,
        checked like a login and audited, without starting a session for them."""
        with self._store.write() as session:
            try:
                staff = self._verify(session, username, password, workstation)
            except (BadCredentials, AccountDisabled):
                # Not the caller's own login failing: a 401 would log the clerk out.
                raise ApprovalRefused("the supervisor's name or password is wrong") from None
            session.add(
                LoginAttempt(username=staff.username, success=True, workstation=workstation)
            )
            approver = _actor(staff, workstation)
            audit.record(session, approver, "auth.approval", what)
            return approver

    def login(self, username: str, password: str, workstation: str) -> Login:
        now = utcnow()
        with self._store.write() as session:
            staff = self._verify(session, username, password, workstation)
            name = staff.username
            if _hasher.check_needs_rehash(staff.password_hash):
                staff.password_hash = _hasher.hash(password)
            token = secrets.token_urlsafe(32)
            expires = now + self._ttl
            session.add(
                AuthToken(
                    token_hash=_token_hash(token),
                    staff_id=staff.id,
                    workstation=workstation,
                    issued_at=now,
                    expires_at=expires,
                )
            )
            session.add(LoginAttempt(username=name, success=True, workstation=workstation))
            audit.record(session, _actor(staff, workstation), "auth.login", name)
            return Login(token=token, expires_at=expires, staff=_view(staff))

    def cached(self, token: str, workstation: str) -> Actor | None:
        """The actor from the login cache, or None: no database, safe on the event loop."""
        return self._logins.get(_token_hash(token), workstation)

    def check(self, token: str, workstation: str) -> Actor:
        """The actor behind a bearer token; the workstation is the one the token was issued to."""
        token_hash = _token_hash(token)
        with self._store.read() as session:
            found = (
                session.execute(
                    select(AuthToken, Staff)
                    .join(Staff, Staff.id == AuthToken.staff_id)
                    .where(AuthToken.token_hash == token_hash)
                    .options(joinedload(Staff.roles))
                )
                .unique()
                .first()
            )
            if found is None or found[0].revoked_at is not None:
                raise BadCredentials("unknown or revoked token")
            row, staff = found
            if row.expires_at <= utcnow():
                raise TokenExpired("login expired")
            if not staff.active:
                raise AccountDisabled("account disabled")
            cached = _actor(staff, row.workstation, staff_id=staff.id)
            self._logins.put(token_hash, cached, row.expires_at)
            return cached if cached.workstation else replace(cached, workstation=workstation)

    def logout(self, token: str) -> None:
        try:
            self._logout(token)
        finally:
            self._logins.clear()  # after the commit: the revoked token is not served again

    def _logout(self, token: str) -> None:
        with self._store.write() as session:
            row = session.get(AuthToken, _token_hash(token))
            if row is None or row.revoked_at is not None:
                return
            row.revoked_at = utcnow()
            staff = session.get(Staff, row.staff_id)
            if staff is not None:
                audit.record(session, _actor(staff, row.workstation), "auth.logout", staff.username)


def _actor(staff: Staff, workstation: str, staff_id: uuid.UUID | None = None) -> Actor:
    return Actor(
        username=staff.username,
        workstation=workstation,
        roles=frozenset(Role(r.role) for r in staff.roles),
        staff_id=staff_id or staff.id,
    )
