"""Accounts, roles, dashboard sessions, CSRF tokens and API bearer tokens.

Roles are ordered: a **viewer** sees aggregates, messages and sitreps; an **analyst** also sees the silence
board, outages and the watch-list; an **admin** also manages users, tokens and the watch-list.

* Passwords are hashed with argon2id (``argon2-cffi``), a memory-hard KDF; a login for an unknown user still
  spends one verification so response time does not reveal which users exist.
* A dashboard session is a random 256-bit id in an ``HttpOnly``, ``SameSite=Strict`` cookie; the store keeps
  only its SHA-256 and the session's CSRF token, so a stolen database cannot be replayed as cookies.
* API tokens are random 256-bit secrets shown once; the store keeps their SHA-256. A fast hash is right here
  (the secret has full entropy, unlike a password) and keeps every API request cheap.

Example:
    >>> from vigil.store import open_store
    >>> with open_store(":memory:") as store:
    ...     _ = add_user(store, "amal", "correct horse battery", role="analyst")
    ...     authenticate(store, "amal", "correct horse battery").role
    'analyst'
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import NotFoundError, UsageError
from ..message import format_ts
from ..store import Store

__all__ = [
    "ANONYMOUS",
    "MIN_PASSWORD",
    "ROLES",
    "TOKEN_PREFIX",
    "Principal",
    "Token",
    "User",
    "add_user",
    "authenticate",
    "create_session",
    "create_token",
    "end_session",
    "has_admin",
    "list_tokens",
    "list_users",
    "remove_user",
    "revoke_token",
    "role_allows",
    "session_principal",
    "set_password",
    "token_principal",
]

ROLES = ("viewer", "analyst", "admin")
MIN_PASSWORD = 10
_RANK = {role: i for i, role in enumerate(ROLES)}
# argon2id with the library's defaults (RFC 9106 "low memory" profile: t=3, m=64 MiB, p=4)
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("vigil: no such user, spend the same time")
TOKEN_PREFIX = "vgl_"


@dataclass(frozen=True)
class User:
    """A dashboard/API user (never carries the password hash out of this module)."""

    user_id: int
    username: str
    role: str
    created_at: str
    disabled: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"username": self.username, "role": self.role, "created_at": self.created_at,
                "disabled": self.disabled}


@dataclass(frozen=True)
class Principal:
    """Who is making a request: a user (by session or token) or nobody.

    ``csrf`` is the session's CSRF token (``None`` for bearer tokens, which are not sent by browsers on their
    own and so need none).
    """

    username: str
    role: str
    via: str
    csrf: str | None = None

    @property
    def authenticated(self) -> bool:
        """True unless anonymous."""
        return self.via != "anonymous"

    def allows(self, needed: str) -> bool:
        """True when this principal's role is ``needed`` or above."""
        return self.authenticated and role_allows(self.role, needed)


ANONYMOUS = Principal("", "", "anonymous")


@dataclass(frozen=True)
class Token:
    """An API token's public facts (the secret itself is never stored)."""

    token_id: int
    username: str
    name: str
    prefix: str
    created_at: str
    revoked: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"id": self.token_id, "username": self.username, "name": self.name, "prefix": self.prefix,
                "created_at": self.created_at, "revoked": self.revoked}


def role_allows(role: str, needed: str) -> bool:
    """True when ``role`` is at least ``needed`` (viewer < analyst < admin).

    >>> role_allows("admin", "analyst"), role_allows("viewer", "analyst")
    (True, False)
    """
    return role in _RANK and _RANK[role] >= _RANK[needed]


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _check_role(role: str) -> str:
    if role not in _RANK:
        raise UsageError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return role


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password is too short: use at least {MIN_PASSWORD} characters (a passphrase is best)")
    if len(password) > 1024:
        raise UsageError("the password is too long (over 1024 characters)")


def add_user(store: Store, username: str, password: str, *, role: str = "viewer",
             now: datetime | None = None) -> User:
    """Create a user with an argon2id password hash.

    Raises:
        UsageError: unknown role, short password, bad or taken username.
    """
    name = username.strip()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise UsageError(f"bad username {username!r}: use 1-64 letters, digits and . _ - @")
    _check_role(role)
    _check_password(password)
    if store.query("SELECT 1 FROM serve_users WHERE username = ?", (name,)):
        raise UsageError(f"user {name!r} exists already; use `vigil user passwd` to change the password")
    store.execute("INSERT INTO serve_users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                  (name, role, _HASHER.hash(password), format_ts(_now(now))))
    return _user(store, name)


def set_password(store: Store, username: str, password: str) -> None:
    """Replace a user's password and end all their sessions."""
    _check_password(password)
    user = _user(store, username)
    with store.transaction() as conn:
        conn.execute("UPDATE serve_users SET password_hash = ? WHERE user_id = ?",
                     (_HASHER.hash(password), user.user_id))
        conn.execute("DELETE FROM serve_sessions WHERE user_id = ?", (user.user_id,))


def remove_user(store: Store, username: str) -> None:
    """Delete a user with their sessions and tokens."""
    user = _user(store, username)
    with store.transaction() as conn:
        conn.execute("DELETE FROM serve_sessions WHERE user_id = ?", (user.user_id,))
        conn.execute("DELETE FROM serve_tokens WHERE user_id = ?", (user.user_id,))
        conn.execute("DELETE FROM serve_users WHERE user_id = ?", (user.user_id,))


def list_users(store: Store) -> list[User]:
    """Every user, by name."""
    return [User(int(r[0]), r[1], r[2], r[3], bool(r[4])) for r in store.query(
        "SELECT user_id, username, role, created_at, disabled FROM serve_users ORDER BY username")]


def has_admin(store: Store) -> bool:
    """True when at least one enabled admin exists (required to bind beyond loopback)."""
    return bool(store.query("SELECT 1 FROM serve_users WHERE role = 'admin' AND disabled = 0 LIMIT 1"))


def _user(store: Store, username: str) -> User:
    rows = store.query("SELECT user_id, username, role, created_at, disabled FROM serve_users WHERE username = ?",
                       (username.strip(),))
    if not rows:
        raise NotFoundError(f"no user {username!r} (see `vigil user list`)")
    r = rows[0]
    return User(int(r[0]), r[1], r[2], r[3], bool(r[4]))


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The user if the password is right (and the user enabled), else ``None``."""
    rows = store.query("SELECT user_id, username, role, created_at, disabled, password_hash FROM serve_users "
                       "WHERE username = ?", (username.strip()[:64],))
    stored = rows[0][5] if rows else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password[:1024])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not rows or rows[0][4]:
        return None
    r = rows[0]
    if _HASHER.check_needs_rehash(stored):  # parameters were raised since: upgrade on a successful login
        store.execute("UPDATE serve_users SET password_hash = ? WHERE user_id = ?", (_HASHER.hash(password), r[0]))
    return User(int(r[0]), r[1], r[2], r[3], bool(r[4]))


def create_session(store: Store, user: User, *, hours: int = 12, now: datetime | None = None) -> tuple[str, str]:
    """Start a dashboard session; return ``(session_id, csrf_token)`` (the id goes in the cookie)."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    at = _now(now)
    with store.transaction() as conn:
        conn.execute("DELETE FROM serve_sessions WHERE expires_at < ?", (format_ts(at),))
        conn.execute("INSERT INTO serve_sessions (session_hash, user_id, csrf, created_at, expires_at) "
                     "VALUES (?, ?, ?, ?, ?)", (_sha256(session_id), user.user_id, csrf, format_ts(at),
                                                format_ts(at + timedelta(hours=hours))))
    return session_id, csrf


def session_principal(store: Store, session_id: str, *, now: datetime | None = None) -> Principal | None:
    """The principal of a live session cookie, or ``None``."""
    if not session_id or len(session_id) > 128:
        return None
    rows = store.query("SELECT u.username, u.role, s.csrf FROM serve_sessions s JOIN serve_users u "
                       "ON u.user_id = s.user_id WHERE s.session_hash = ? AND s.expires_at > ? AND u.disabled = 0",
                       (_sha256(session_id), format_ts(_now(now))))
    return Principal(rows[0][0], rows[0][1], "session", rows[0][2]) if rows else None


def end_session(store: Store, session_id: str) -> None:
    """Log out: forget the session."""
    store.execute("DELETE FROM serve_sessions WHERE session_hash = ?", (_sha256(session_id),))


def create_token(store: Store, username: str, name: str = "api", *, now: datetime | None = None) -> str:
    """Create an API token for ``username``; return the secret (shown once, stored only as a hash)."""
    user = _user(store, username)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    store.execute("INSERT INTO serve_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                  (user.user_id, name.strip()[:100] or "api", _sha256(secret), secret[:10], format_ts(_now(now))))
    return secret


def token_principal(store: Store, secret: str) -> Principal | None:
    """The principal of a bearer token, or ``None`` if unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 128:
        return None
    digest = _sha256(secret)
    rows = store.query("SELECT u.username, u.role, t.token_hash FROM serve_tokens t JOIN serve_users u "
                       "ON u.user_id = t.user_id WHERE t.token_hash = ? AND t.revoked = 0 AND u.disabled = 0",
                       (digest,))
    if not rows or not hmac.compare_digest(rows[0][2], digest):
        return None
    return Principal(rows[0][0], rows[0][1], "token")


def list_tokens(store: Store) -> list[Token]:
    """Every token's public facts."""
    return [Token(int(r[0]), r[1], r[2], r[3], r[4], bool(r[5])) for r in store.query(
        "SELECT t.token_id, u.username, t.name, t.prefix, t.created_at, t.revoked "
        "FROM serve_tokens t JOIN serve_users u ON u.user_id = t.user_id ORDER BY t.token_id")]


def revoke_token(store: Store, token_id: int) -> None:
    """Revoke a token by id."""
    if store.execute("UPDATE serve_tokens SET revoked = 1 WHERE token_id = ?", (token_id,)) == 0:
        raise NotFoundError(f"no token {token_id}")
