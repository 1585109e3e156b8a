"""The web app's archive: accounts, drafts and proposals, through SQLAlchemy.

The schema is owned by the Alembic migrations in :mod:`pitchcraft.web.migrations` (never by
``create_all``), so a province's PostgreSQL server and a manager's SQLite file are migrated the same
way on start. Generated files live in a folder beside the database, named by proposal id only.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import secrets
from pathlib import Path

from alembic import command
from sqlalchemy import text

from sqlalchemy import (JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, create_engine, event,
                        select)
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker

from ..errors import UsageError

ROLES = ("manager", "admin")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def new_id() -> str:
    """An archive id: random, so ids say nothing about how many proposals exist or whose they are."""
    return secrets.token_hex(12)


class UTC(TypeDecorator):
    """A point in time, stored as UTC and read back time-zone aware on every database (SQLite
    keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    branch: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16), default="manager")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, default=now)

    @property
    def label(self) -> str:
        return self.display_name or self.username


class Draft(Base):
    """A profile being worked on in the pages: the form's result plus the manager's choices."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    profile_yaml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, default=now)


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, default=now, index=True)
    profile_yaml: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[dict] = mapped_column(JSON)
    files: Mapped[list] = mapped_column(JSON)        # [{"name", "sha256", "size"}]
    unmatched: Mapped[list] = mapped_column(JSON)    # the need statements nothing answered
    version: Mapped[str] = mapped_column(String(32))
    catalog_sha256: Mapped[str] = mapped_column(String(64))
    cases_sha256: Mapped[str] = mapped_column(String(64))
    templates_sha256: Mapped[str] = mapped_column(String(64))
    profile_sha256: Mapped[str] = mapped_column(String(64))
    regenerated_from: Mapped[str | None] = mapped_column(String(32), nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Base):
    """Failed logins per user name (existing or not), shared by every server process."""

    __tablename__ = "login_failures"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[dt.datetime] = mapped_column(UTC, default=now)


class Setting(Base):
    """Server-wide values every process must agree on (the signing key)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- engine and migrations -------------------------------------------------------------------


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (the driver this package depends on)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_url(workspace: Path) -> str:
    return f"sqlite:///{workspace / '.pitchcraft' / 'web.db'}"


# the engines this package has a driver for (pyproject.toml): sqlite3 and psycopg 3
_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgres", "postgresql+psycopg")


def check_url(url: str) -> None:
    """Refuse, in Chinese, a URL of an engine without a driver here (mysql://: SQLAlchemy would
    fail importing MySQLdb) or a text that is no URL at all."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in _SCHEMES or (scheme.lower().startswith("sqlite") and not rest.startswith("/")):
        shown = (scheme + "://…") if sep else (url[:40] or "（空）")
        raise UsageError(f"不支持的数据库地址 {shown}：只支持 sqlite:///文件路径 和 postgresql://用户:密码@主机/库名")


def make_engine(url: str) -> Engine:
    check_url(url)
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # concurrent readers beside one writer, across processes
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL's usual setting: no fsync per commit
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; safe when several processes start at once
    (PostgreSQL: an advisory lock; SQLite: a lock file beside the database)."""
    from alembic.config import Config  # deferred: alembic only when the schema is migrated (once per start)

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with _migration_lock(engine):
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")


class _migration_lock:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.conn = None
        self.fd = None

    def __enter__(self):
        if self.engine.dialect.name == "postgresql":

            self.conn = self.engine.connect()
            self.conn.execute(text("SELECT pg_advisory_lock(727001)"))
            self.conn.commit()
        elif self.engine.url.database and self.engine.url.database != ":memory:":

            self.fd = os.open(self.engine.url.database + ".lock", os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.conn is not None:

            self.conn.execute(text("SELECT pg_advisory_unlock(727001)"))
            self.conn.commit()
            self.conn.close()
        if self.fd is not None:

            os.close(self.fd)
        return False


class Database:
    """An engine, its sessions, and the files folder beside it."""

    def __init__(self, url: str, files_dir: Path):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self.files_dir = Path(files_dir)
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        migrate(self.engine)
        self.files_dir.mkdir(parents=True, exist_ok=True)

    def proposal_dir(self, proposal_id: str) -> Path:
        if not proposal_id.isalnum():  # ids are made here; anything else never reaches a path
            raise ValueError(proposal_id)
        return self.files_dir / proposal_id[:2] / proposal_id

    def user_by_name(self, s, username: str) -> User | None:
        return s.scalar(select(User).where(User.username == username))

    def dispose(self) -> None:
        self.engine.dispose()
