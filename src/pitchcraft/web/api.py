"""The JSON API of contracts/web.md, under /api, with bearer tokens."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

import datetime as dt
import json
import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import or_, select

from pitchcraft.errors import InputError, PitchcraftError, Problem

from . import auth, service
from .forms import INDUSTRIES
from .state import State, state_of, user_from_header
from .db import Proposal, User

router = APIRouter(prefix="/api")

NOT_FOUND = {"detail": "没有这个方案"}
BAD_LOGIN = {"detail": "用户名或密码错误"}


MAX_JSON_DEPTH = 32  # a profile is four levels deep; json.loads recurses (RecursionError past ~1000)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_body(raw: bytes):
    """The request's JSON, or bad input (422, Chinese): not UTF-8 or not JSON, nested deeper than
    :data:`MAX_JSON_DEPTH`, or a string with a lone surrogate (``"\\ud800"``: no character, which the
    YAML of the command line refuses too)."""
    try:
        data = json.loads(raw.decode("utf-8-sig")) if raw else None
    except (UnicodeDecodeError, ValueError):
        raise InputError([Problem("请求", None, None, "", "请求内容不是有效的 JSON（UTF-8）")]) from None
    except RecursionError:
        raise InputError([Problem("请求", None, None, "", f"请求的 JSON 嵌套过深（最多 {MAX_JSON_DEPTH} 层）")]) from None
    _check_json(data)
    return data


def _check_json(data) -> None:
    stack = [(data, 1, "")]
    while stack:
        value, depth, at = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InputError([Problem("请求", None, None, "", f"请求的 JSON 嵌套过深（最多 {MAX_JSON_DEPTH} 层）")])
        if isinstance(value, dict):
            for key, sub in value.items():
                if _LONE_SURROGATE.search(key):
                    raise InputError([Problem("请求", None, None, at, "字段名中的 \\u 转义不是有效的字符编码（单独的代理项）")])
                stack.append((sub, depth + 1, f"{at}.{key}" if at else key))
        elif isinstance(value, list):
            stack.extend((sub, depth + 1, f"{at}[{i}]") for i, sub in enumerate(value))
        elif isinstance(value, str) and _LONE_SURROGATE.search(value):
            raise InputError([Problem("请求", None, None, at, "\\u 转义不是有效的字符编码（单独的代理项，如 \\ud800），请删除或改正")])


def problems_response(exc: InputError) -> JSONResponse:
    return JSONResponse({"problems": service.problems_json(exc.problems)}, status_code=422)


def api_user(request: Request) -> User:
    st = state_of(request)
    user = user_from_header(request)
    if user is None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        data = st.signer.load(st.signer.token, token.strip(), auth.TOKEN_AGE) if scheme.lower() == "bearer" else None
        if data and isinstance(data.get("u"), int):
            with st.db.session() as s:
                found = s.get(User, data["u"])
                if found is not None and found.active:
                    user = found
    if user is None:
        raise HTTPException(401, "未登录或令牌无效", headers={"WWW-Authenticate": "Bearer"})
    return user


def visible(st: State, user: User, proposal_id: str) -> Proposal:
    """The proposal if this user may see it; otherwise the same 404 as an id that does not exist."""
    if not proposal_id.isalnum() or len(proposal_id) > 32:
        raise HTTPException(404, NOT_FOUND["detail"])
    with st.db.session() as s:
        p = s.get(Proposal, proposal_id)
    if p is None or (user.role != "admin" and p.user_id != user.id):
        raise HTTPException(404, NOT_FOUND["detail"])
    return p


def file_url(pid: str, name: str) -> str:
    return f"/api/proposals/{pid}/files/{name}"


@router.post("/login")
async def login(request: Request):
    st = state_of(request)
    try:
        data = _json_body(await request.body())
    except InputError as exc:
        return problems_response(exc)
    if not isinstance(data, dict):
        return JSONResponse(BAD_LOGIN, status_code=401)
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return JSONResponse(BAD_LOGIN, status_code=401)

    try:
        user = await run_in_threadpool(auth.authenticate, st.db, username, password)
    except auth.Throttled as t:
        return JSONResponse({"detail": f"登录失败次数过多，请 {t.retry_after} 秒后再试"}, status_code=429,
                            headers={"Retry-After": str(t.retry_after)})
    if user is None:
        return JSONResponse(BAD_LOGIN, status_code=401)
    return {"token": st.signer.token.dumps({"u": user.id}), "expires_in": auth.TOKEN_AGE,
            "user": {"username": user.username, "role": user.role, "display_name": user.display_name}}


def _profile_bytes(st: State, user: User, data) -> bytes:
    """The profile as YAML, with the caller's own name, phone and branch where it leaves them empty."""
    if isinstance(data, dict):
        data = service.with_manager(data, user, st.pipeline.session().content.company)
    return service.profile_yaml(data)


@router.post("/recommend")
async def recommend(request: Request, user: User = Depends(api_user)):
    st = state_of(request)
    try:
        raw = _profile_bytes(st, user, _json_body(await request.body()))
        out, ms = await st.builds.recommend(raw, "请求")
    except InputError as exc:
        return problems_response(exc)
    return JSONResponse(out, headers=_timing(ms))


def _timing(ms: float) -> dict:
    """How long the work itself took (the rest of the wait is the queue and HTTP): Server-Timing."""
    return {"Server-Timing": f"build;dur={ms:.1f}"}


@router.post("/proposals", status_code=201)
async def create(request: Request, user: User = Depends(api_user)):
    st = state_of(request)
    try:
        body = _json_body(await request.body())
        if not isinstance(body, dict) or "profile" not in body:
            raise InputError([Problem("请求", None, None, "profile", "请求应为 {\"profile\": {…}}")])
        raw = _profile_bytes(st, user, body["profile"])
        made, ms = await st.builds.make(user.id, raw, pdf=bool(body.get("pdf")) and st.settings.pdf,
                                       brief=body.get("brief", True) is not False, source="请求")
    except InputError as exc:
        return problems_response(exc)
    except PitchcraftError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=500)
    return JSONResponse(service.proposal_json(made, file_url), status_code=201, headers=_timing(ms))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise HTTPException(422, "日期格式应为 2026-12-01")


def search(st: State, user: User, *, client: str | None = None, industry: str | None = None,
           since: dt.date | None = None, until: dt.date | None = None, limit: int = 500,
           words_match_industry: bool = False) -> list[Proposal]:
    """The caller's own proposals (an admin's: everyone's), newest first, filtered. ``client`` is
    split on whitespace and every word must be in the client's name (or, for the pages' search
    box, ``words_match_industry``: in the name or the industry's label)."""
    q = select(Proposal)
    if user.role != "admin":
        q = q.where(Proposal.user_id == user.id)
    for word in (client or "").split():
        industries = [key for key, label in INDUSTRIES if word in label] if words_match_industry else []
        q = q.where(or_(Proposal.client.contains(word, autoescape=True), Proposal.industry.in_(industries))
                    if industries else Proposal.client.contains(word, autoescape=True))
    if industry:
        q = q.where(Proposal.industry == industry)
    tz = st.settings.zone  # the days the manager means, in the pages' zone
    if since:
        q = q.where(Proposal.created_at >= dt.datetime.combine(since, dt.time(), tz))
    if until:
        q = q.where(Proposal.created_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tz))
    q = q.order_by(Proposal.created_at.desc(), Proposal.id).limit(limit)
    with st.db.session() as s:
        return list(s.scalars(q).unique())


@router.get("/proposals")
def list_proposals(request: Request, client: str | None = None, industry: str | None = None,
                   since: str | None = None, until: str | None = None,
                   limit: int = Query(500, ge=1, le=5000), user: User = Depends(api_user)):
    st = state_of(request)
    rows = search(st, user, client=client, industry=industry, since=_date(since), until=_date(until), limit=limit)
    return [service.proposal_json(p, file_url) for p in rows]


@router.get("/proposals/{proposal_id}")
def show(request: Request, proposal_id: str, user: User = Depends(api_user)):
    st = state_of(request)
    p = visible(st, user, proposal_id)
    return {**service.proposal_json(p, file_url), "profile": service.load_yaml_data(p.profile_yaml.encode("utf-8")),
            "profile_yaml": p.profile_yaml, "recommendation": p.recommendation, "version": p.version,
            "catalog_sha256": p.catalog_sha256, "cases_sha256": p.cases_sha256,
            "templates_sha256": p.templates_sha256, "profile_sha256": p.profile_sha256,
            "manager": {"username": p.user.username, "display_name": p.user.display_name},
            "regenerated_from": p.regenerated_from}


@router.get("/proposals/{proposal_id}/files/{name}")
def download(request: Request, proposal_id: str, name: str, user: User = Depends(api_user)):
    st = state_of(request)
    p = visible(st, user, proposal_id)
    return send_file(st, p, name)


def send_file(st: State, p: Proposal, name: str) -> FileResponse:
    path = service.file_path(st.db, p, name)
    if path is None:
        raise HTTPException(404, NOT_FOUND["detail"])
    filename = service.download_name(p, name, st.settings.zone)
    return FileResponse(path, media_type=service.CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
                        headers={"Content-Disposition": f"attachment; filename=\"{name}\"; "
                                                        f"filename*=UTF-8''{quote(filename)}"})


@router.post("/proposals/{proposal_id}/regenerate", status_code=201)
async def regenerate(request: Request, proposal_id: str, user: User = Depends(api_user)):
    """The same profile, made again with today's catalog, cases and templates: a new proposal."""
    st = state_of(request)
    p = visible(st, user, proposal_id)
    if p.user_id != user.id:
        raise HTTPException(403, "只能重新生成自己的方案")
    try:
        made, _ms = await st.builds.make(user.id, p.profile_yaml.encode("utf-8"), regenerated_from=p.id)
    except InputError as exc:
        return problems_response(exc)
    return JSONResponse(service.proposal_json(made, file_url), status_code=201)


@router.get("/gaps")
def gaps(request: Request, user: User = Depends(api_user)):
    """The product-gap report (admin): need statements nothing answered, across the archive."""
    if user.role != "admin":
        raise HTTPException(403, "仅管理员可查看")
    st = state_of(request)
    rows = search(st, user, limit=100_000)
    return [{**g, "last": g["last"].isoformat() if g["last"] else None} for g in service.product_gaps(rows)]
