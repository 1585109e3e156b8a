"""Shared by the web tests (no tests here): databases (SQLite, and PostgreSQL when .ci/run started
one), an app on a copy of the workspace, users, profiles as JSON.

PostgreSQL: ``PITCHCRAFT_TEST_POSTGRES_URL`` names a server where the test user may create
databases; every test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_workspace

EXAMPLE = ROOT / "examples" / "precision-manufacturing.yaml"
PG_ENV = "PITCHCRAFT_TEST_POSTGRES_URL"
PASSWORD = "correct-horse-battery"
NO_PG = f"no PostgreSQL server for the tests: {PG_ENV} is not set (.ci/run starts one and sets it)"


def profile_json(path: Path = EXAMPLE, **client) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    data["client"].update(client)
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def _pg_database():
    import psycopg

    base = os.environ[PG_ENV]
    name = "pc_test_" + secrets.token_hex(6)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + "/" + name
    return name, url


def _pg_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ[PG_ENV], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The test's own empty database, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'web.db'}"
        return
    if not os.environ.get(PG_ENV):
        pytest.skip(NO_PG)
    name, url = _pg_database()
    try:
        yield url
    finally:
        _pg_drop(name)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'db' / 'web.db'}"


@pytest.fixture
def web_workspace(tmp_path) -> Path:
    ws = tmp_path / "ws"
    copy_workspace(ws)
    return ws


class Web:
    """An app (TestClient) on a workspace copy and a database, with helpers to add users and log in."""

    def __init__(self, ws: Path, url: str, files: Path, **settings):
        from fastapi.testclient import TestClient

        from pitchcraft.web.app import Settings, create_app
        from pitchcraft.web.db import Database

        settings.setdefault("pdf", False)  # PDFs take LibreOffice seconds: asked for where tested
        self.settings = Settings(workspace=ws, database_url=url, files_dir=files, **settings)
        self.asgi = create_app(self.settings)
        self.app = self.asgi.app  # the FastAPI app inside the guard
        self.db = Database(url, files)
        self.client = TestClient(self.asgi)
        self._clients = []

    @property
    def state(self):
        return self.app.state.pc

    def add_user(self, name: str, role: str = "manager", display_name: str = "", **kw):
        from pitchcraft.web.auth import add_user

        return add_user(self.db, name, PASSWORD, role, display_name or name, **kw)

    def token(self, name: str) -> dict:
        r = self.client.post("/api/login", json={"username": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def browser(self, name: str | None = None):
        """A separate cookie jar (a person's browser), logged in through the login page when named."""
        from fastapi.testclient import TestClient

        c = TestClient(self.asgi, follow_redirects=False)
        self._clients.append(c)
        if name:
            page = c.get("/login")
            r = c.post("/login", data={"username": name, "password": PASSWORD, "csrf": csrf_of(page.text)})
            assert r.status_code == 303, r.text
        return c

    def close(self):
        for c in self._clients + [self.client]:
            c.close()
        self.db.dispose()
        self.state.db.dispose()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "the page has no CSRF token"
    return m.group(1)


@pytest.fixture
def web(web_workspace, database_url, tmp_path):
    w = Web(web_workspace, database_url, tmp_path / "files")
    yield w
    w.close()


@pytest.fixture
def web_sqlite(web_workspace, sqlite_url, tmp_path):
    w = Web(web_workspace, sqlite_url, tmp_path / "files")
    yield w
    w.close()


def word_text(data) -> str:
    """Every paragraph of a Word file (bytes or a path), the tables' cells included, as a reader sees them."""
    import io

    from docx import Document
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    return "\n".join(Paragraph(el, doc.part).text for el in doc.element.body.iter(qn("w:p")))


def deck_text(data) -> tuple[str, str]:
    """A PowerPoint file's slide text (tables included) and its speaker notes."""
    import io

    from pptx import Presentation

    prs = Presentation(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    texts, notes = [], []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            notes.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(texts), "\n".join(notes)


def test_the_web_session_matches_with_numpy_and_recommends_as_the_command_line():
    """A build process serves many profiles: it takes numpy's faster path (the one-shot CLI does not),
    and the recommendations are the same."""
    from pitchcraft.pipeline import Session, read_profile
    from pitchcraft.web.service import Pipeline
    from pitchcraft.workspace import Workspace

    ws = Workspace.open(ROOT)
    served, one_shot = Pipeline(ws).session(), Session.open(ws)
    assert served.matcher.arrays is not None and one_shot.matcher.arrays is None
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        profile = read_profile(path)[0]
        a, b = served.recommend(profile), one_shot.recommend(profile)
        assert [(s.statement, [(e.product.id, e.score, e.confidence.level) for e in s.products])
                for s in a.statements] == \
               [(s.statement, [(e.product.id, e.score, e.confidence.level) for e in s.products])
                for s in b.statements]
        assert [m.product.id for m in a.products] == [m.product.id for m in b.products]
