"""Accounts: argon2 password hashes, signed session cookies and API tokens, login throttling.

The signing key is made once and kept in the database, so every server process behind a load
balancer accepts the cookies and tokens of the others. Failed logins are counted per user name in
the database for the same reason; an unknown name is counted and answered exactly like a known one.
"""

from __future__ import annotations

import datetime as dt
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .db import ROLES, Database, LoginFailure, Setting, User, now

MAX_FAILURES = 5                  # then the user name is paused
PAUSE = dt.timedelta(minutes=5)   # how long, counted from the last failure
SESSION_AGE = 12 * 3600           # a working day
TOKEN_AGE = 12 * 3600

_hasher = PasswordHasher()
# Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(Exception):
    """A request about accounts that cannot be carried out; the message is for the person."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def signing_key(db: Database) -> str:
    with db.session() as s:
        row = s.get(Setting, "signing_key")
        if row is not None:
            return row.value
    try:
        with db.session.begin() as s:
            s.add(Setting(key="signing_key", value=secrets.token_urlsafe(48)))
    except IntegrityError:  # another process made it first
        pass
    with db.session() as s:
        return s.get(Setting, "signing_key").value


class Signer:
    def __init__(self, key: str):
        self.session = URLSafeTimedSerializer(key, salt="pitchcraft.session")
        self.token = URLSafeTimedSerializer(key, salt="pitchcraft.api-token")

    def load(self, which: URLSafeTimedSerializer, value: str | None, max_age: int) -> dict | None:
        if not value:
            return None
        try:
            data = which.loads(value, max_age=max_age)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None


# --- login -------------------------------------------------------------------------------------


class Throttled(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


def _paused(row: LoginFailure | None) -> int:
    """Seconds until the user name may try again; 0 when it may now."""
    if row is None or row.failures < MAX_FAILURES:
        return 0
    left = (row.last_at + PAUSE - now()).total_seconds()
    return max(0, int(left) + 1)


def authenticate(db: Database, username: str, password: str) -> User | None:
    """The active user with this name and password, or None; raises Throttled while paused."""
    username = (username or "").strip()[:64]
    with db.session.begin() as s:
        row = s.get(LoginFailure, username)
        wait = _paused(row)
        if wait:
            raise Throttled(wait)
        user = db.user_by_name(s, username) if username else None
        ok = check_password(user.password_hash if user else _DUMMY_HASH, password or "")
        if ok and user is not None and user.active:
            if row is not None:
                s.delete(row)
            return user
    _count_failure(db, username)
    return None


def _count_failure(db: Database, username: str) -> None:
    for _attempt in range(3):
        try:
            with db.session.begin() as s:
                # names tried a day ago and not since are forgotten, so made-up names do not pile up
                s.execute(delete(LoginFailure).where(LoginFailure.last_at < now() - dt.timedelta(days=1)))
                row = s.get(LoginFailure, username, with_for_update=True)
                if row is None:
                    s.add(LoginFailure(username=username, failures=1, last_at=now()))
                else:
                    if row.last_at + PAUSE < now():
                        row.failures = 0  # an old run of mistakes is forgotten
                    row.failures += 1
                    row.last_at = now()
            return
        except IntegrityError:
            continue


# --- accounts (pitchcraft users …) -------------------------------------------------------------


def add_user(db: Database, username: str, password: str, role: str, display_name: str = "", phone: str = "",
             branch: str = "") -> User:
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise AccountError("用户名不能为空、不能含空格，最长 64 个字符")
    if role not in ROLES:
        raise AccountError(f"角色应为 {' 或 '.join(ROLES)}")
    if len(password) < 8:
        raise AccountError("密码至少 8 个字符")
    with db.session.begin() as s:
        if db.user_by_name(s, username) is not None:
            raise AccountError(f"用户 {username} 已存在")
        user = User(username=username, password_hash=hash_password(password), role=role,
                    display_name=display_name.strip(), phone=phone.strip(), branch=branch.strip(), active=True)
        s.add(user)
    return user


def list_users(db: Database) -> list[User]:
    with db.session() as s:
        return list(s.scalars(select(User).order_by(User.username)))


def set_active(db: Database, username: str, active: bool) -> User:
    with db.session.begin() as s:
        user = db.user_by_name(s, username)
        if user is None:
            raise AccountError(f"没有用户 {username}")
        user.active = active
    return user
