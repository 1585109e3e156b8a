"""The ASGI application: settings, the shared objects of a process, safety on every response.

``create_app(settings)`` builds it; :func:`factory` builds it from ``PITCHCRAFT_*`` environment
variables, which is how ``pitchcraft serve --workers N`` hands its options to each worker process.
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from pitchcraft.workspace import Workspace

from . import errors
from .auth import Signer, signing_key
from .db import Database
from .service import Pipeline
from .state import Settings, State

HERE = Path(__file__).parent

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


DRAIN_LIMIT = 32 * 1024 * 1024  # an oversized upload up to this is read to its end before the 413


async def _drain(receive) -> None:
    """Read a request body to its end and keep none of it."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


class Guard:
    """The outermost layer: the body limit, checked before the application sees the request
    (the declared length first, then the bytes as they arrive), and the security headers on every
    response, errors included."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False
        page = not scope["path"].startswith("/api/")

        async def send_guarded(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(SECURITY_HEADERS)]
                headers += SECURITY_HEADERS
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        declared = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await _plain(send_guarded, 400, "Content-Length 无效", page)
                if declared > self.max_body:
                    if declared <= DRAIN_LIMIT:  # read and drop it, so the browser shows the answer
                        await _drain(receive)  # (closing mid-upload shows "connection reset" instead)
                    return await _plain(send_guarded, 413, "请求过大（上限 1 MB）", page)
        if declared is not None or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            seen = 0

            async def receive_counted():  # a client that sends more than it declared is cut off
                nonlocal seen
                message = await receive()
                if message["type"] == "http.request":
                    seen += len(message.get("body", b""))
                    if seen > max(declared or 0, 0):
                        return {"type": "http.disconnect"}
                return message

            return await self.app(scope, receive_counted, send_guarded)
        # No declared length (chunked): the body is read here, up to the limit, before the app runs.
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:
                return await _plain(send_guarded, 413, "请求过大（上限 1 MB）", page)
            if not message.get("more_body"):
                break
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_guarded)


async def _plain(send, status: int, text: str, page: bool = False) -> None:
    """An answer made before the application runs: JSON for the API, a small page for a browser."""
    if page:
        body = errors.plain_page(status, text)
        kind = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": text}, ensure_ascii=False).encode("utf-8")
        kind = b"application/json"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings, *, migrate: bool = True):
    ws = Workspace.open(settings.workspace)
    db = Database(settings.database_url, settings.files_dir)
    if migrate:
        db.migrate()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    zone = settings.zone
    templates.env.filters["local"] = lambda t, fmt="%Y-%m-%d %H:%M": t.astimezone(zone).strftime(fmt) if t else ""
    state = State(settings, ws, db, Pipeline(ws), Signer(signing_key(db)), templates)
    from .workers import Builds  # deferred: the process pool only when build workers are asked for

    state.builds = Builds(state, settings.workers)

    @asynccontextmanager
    async def lifespan(_app):
        state.builds.start()
        try:
            await state.builds.warm()
            yield
        finally:
            state.builds.stop()
            db.dispose()

    app = FastAPI(title="pitchcraft", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.pc = state
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/api"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if is_api(request):
            return JSONResponse({"detail": errors.message(exc.status_code, exc.detail)}, status_code=exc.status_code,
                                headers=exc.headers)
        return pages.error_page(request, exc.status_code, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        problems = errors.validation_problems(exc.errors())
        if is_api(request):
            return JSONResponse({"detail": errors.message(422), "problems": problems}, status_code=422)
        return pages.error_page(request, 422, "；".join(p["message"] for p in problems) or None)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        """Whatever went wrong inside (logged by the server as it is): a Chinese answer, no traceback."""
        if is_api(request):
            return JSONResponse({"detail": errors.message(500)}, status_code=500)
        try:
            return pages.error_page(request, 500, None)
        except Exception:  # noqa: BLE001 - the page needs the database; the plain page does not
            body = errors.plain_page(500)
            return Response(body, status_code=500, media_type="text/html; charset=utf-8")

    return Guard(app, settings.max_body)


def factory():
    """For uvicorn's ``--factory`` and ``pitchcraft serve``: the settings from the environment."""
    return create_app(Settings.from_env())
