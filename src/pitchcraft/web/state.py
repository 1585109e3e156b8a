"""What a process of the web app shares between its requests, and who is asking: the settings,
the shared objects and the single-sign-on header. Kept below the routes so that :mod:`.app`, which
mounts the routes, and the routes themselves both import it (no cycle)."""

from __future__ import annotations

import os
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from pitchcraft.workspace import Workspace

from pitchcraft.errors import UsageError

from .auth import Signer
from .db import Database, User, default_url
from .service import Pipeline, soffice_available

MAX_BODY = 1024 * 1024
TIME_ZONE_ENV = "PITCHCRAFT_TIME_ZONE"
DEFAULT_TIME_ZONE = "Asia/Shanghai"  # the account managers' clock, not the server's (often UTC)


@dataclass
class Settings:
    workspace: Path
    database_url: str = ""
    files_dir: Path | None = None
    # Single sign-on behind a reverse proxy: the header that carries the authenticated user name,
    # trusted only from these client addresses. Off (None) by default.
    trusted_user_header: str | None = None
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    secure_cookies: bool = False  # set when served over HTTPS (the cookie then says Secure)
    max_body: int = MAX_BODY
    pdf: bool | None = None       # offer PDFs; None: when LibreOffice is installed
    workers: int = 0              # build processes (pitchcraft.web.workers); 0: in this process
    time_zone: str = ""           # the zone the pages show times in; "": $PITCHCRAFT_TIME_ZONE, else Asia/Shanghai

    def __post_init__(self):
        self.workspace = Path(self.workspace).resolve()
        if not self.database_url:
            self.database_url = default_url(self.workspace)
        if self.files_dir is None:  # beside an SQLite file; for a server database, in the workspace
            path = self.database_url.split("///", 1)[1] if self.database_url.startswith("sqlite:///") else ""
            base = Path(path).parent if path and path != ":memory:" else self.workspace / ".pitchcraft"
            self.files_dir = base / "files"
        if self.pdf is None:
            self.pdf = soffice_available()
        self.time_zone = (self.time_zone or os.environ.get(TIME_ZONE_ENV) or DEFAULT_TIME_ZONE).strip()
        try:
            self.zone = zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"{TIME_ZONE_ENV}：不认识的时区 {self.time_zone!r}，应为如 Asia/Shanghai 的时区名") from None

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        header = env.get("PITCHCRAFT_TRUSTED_USER_HEADER") or None
        proxies = tuple(x.strip() for x in env.get("PITCHCRAFT_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if x.strip())
        files = env.get("PITCHCRAFT_FILES_DIR")
        return cls(workspace=Path(env.get("PITCHCRAFT_WORKSPACE", ".")),
                   workers=int(env.get("PITCHCRAFT_WORKERS", "0") or 0),
                   database_url=env.get("PITCHCRAFT_DATABASE_URL", ""),
                   files_dir=Path(files) if files else None, trusted_user_header=header, trusted_proxies=proxies,
                   secure_cookies=env.get("PITCHCRAFT_SECURE_COOKIES", "") == "1")

    def to_env(self) -> dict[str, str]:
        out = {"PITCHCRAFT_WORKSPACE": str(self.workspace), "PITCHCRAFT_DATABASE_URL": self.database_url,
               "PITCHCRAFT_FILES_DIR": str(self.files_dir),
               "PITCHCRAFT_TRUSTED_PROXIES": ",".join(self.trusted_proxies),
               "PITCHCRAFT_SECURE_COOKIES": "1" if self.secure_cookies else "",
               "PITCHCRAFT_WORKERS": str(self.workers), TIME_ZONE_ENV: self.time_zone}
        if self.trusted_user_header:
            out["PITCHCRAFT_TRUSTED_USER_HEADER"] = self.trusted_user_header
        return out


@dataclass
class State:
    """What one process shares between its requests."""

    settings: Settings
    ws: Workspace
    db: Database
    pipeline: Pipeline
    signer: Signer
    templates: Jinja2Templates
    builds: object = None         # pitchcraft.web.workers.Builds


def state_of(request: Request) -> State:
    return request.app.state.pc


def user_from_header(request: Request) -> User | None:
    """The single-sign-on mode: a user named by the trusted proxy's header (when it is on)."""
    st = state_of(request)
    header = st.settings.trusted_user_header
    if not header or request.client is None or request.client.host not in st.settings.trusted_proxies:
        return None
    name = request.headers.get(header)
    if not name:
        return None
    with st.db.session() as s:
        user = st.db.user_by_name(s, name.strip())
        return user if user is not None and user.active else None
