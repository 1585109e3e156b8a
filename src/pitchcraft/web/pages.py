"""The pages an account manager uses, server-rendered in Chinese; no script runs in the browser.

A page session is a signed HttpOnly SameSite cookie holding the user's id and the CSRF token that
every form carries back. Drafts (a profile being worked on, with the manager's choices) and proposals
are found by their random ids, and only their owner (or, read-only, an admin) sees them.
"""

from __future__ import annotations

from urllib.parse import quote
import re

import datetime as dt
import hmac
import secrets
import tempfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from pitchcraft.errors import InputError, PitchcraftError, Problem

from . import auth, errors, forms, service
from .api import NOT_FOUND, search, send_file, visible
from .state import State, state_of, user_from_header
from .db import Draft, User, now

router = APIRouter()
COOKIE = "pitchcraft_session"
MAX_UPLOAD = 1024 * 1024
LEVELS = {"明确": "sure", "待确认": "ask", "无": "none"}  # a link's confidence -> its tag's CSS class


# --- sessions, CSRF, rendering -----------------------------------------------------------------


def _session(request: Request) -> dict:
    if "pc_session" not in request.scope:
        st = state_of(request)
        data = st.signer.load(st.signer.session, request.cookies.get(COOKIE), auth.SESSION_AGE) or {}
        request.scope["pc_session"] = data
    return request.scope["pc_session"]


def current_user(request: Request) -> User | None:
    if "pc_user" in request.scope:
        return request.scope["pc_user"]
    st = state_of(request)
    user = user_from_header(request)
    uid = _session(request).get("u")
    if user is None and isinstance(uid, int):
        with st.db.session() as s:
            found = s.get(User, uid)
            user = found if found is not None and found.active else None
    request.scope["pc_user"] = user
    return user


def need_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(303, "请先登录", headers={"Location": "/login"})
    return user


def csrf_token(request: Request) -> str:
    sess = _session(request)
    if not sess.get("c"):
        sess["c"] = secrets.token_urlsafe(24)
        request.scope["pc_session_dirty"] = True
    return sess["c"]


def check_csrf(request: Request, form) -> None:
    expected = _session(request).get("c") or ""
    given = form.get("csrf") or ""
    if not expected or not hmac.compare_digest(str(given), expected):
        raise HTTPException(403, "页面已过期或来源不明（安全校验未通过），请返回刷新后重试")


def _set_session(request: Request, response: Response, data: dict) -> None:
    st = state_of(request)
    response.set_cookie(COOKIE, st.signer.session.dumps(data), max_age=auth.SESSION_AGE, httponly=True,
                        samesite="lax", secure=st.settings.secure_cookies, path="/")


def render(request: Request, name: str, status: int = 200, **ctx) -> Response:
    st = state_of(request)
    user = current_user(request)
    token = csrf_token(request)
    response = st.templates.TemplateResponse(request, name, {
        "user": user, "csrf": token, "pdf_available": st.settings.pdf, "INDUSTRY_LABEL": forms.INDUSTRY_LABEL,
        "FILE_LABELS": service.FILE_LABELS, "LEVELS": LEVELS, **ctx}, status_code=status)
    if request.scope.get("pc_session_dirty"):
        _set_session(request, response, _session(request))
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, detail, headers=None) -> Response:
    if status == 303 and headers and "Location" in headers:
        return redirect(headers["Location"])
    message = errors.message(status, None if status == 404 else detail)  # every 404 alike: no hint of what exists
    resp = render(request, "error.html", status=status, title=errors.title(status), message=message)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


async def _form(request: Request):
    form = await request.form(max_files=1, max_fields=400)
    check_csrf(request, form)
    return form


async def _upload(request: Request, field: str) -> tuple[bytes, str]:
    """A form's uploaded file (CSRF checked): its bytes (b"" when none was chosen) and the last part
    of its name, which is only ever shown, never a path."""
    upload = (await _form(request)).get(field)
    raw = await upload.read(MAX_UPLOAD + 1) if hasattr(upload, "read") else b""
    return raw, Path(getattr(upload, "filename", "") or "").name


# --- login ------------------------------------------------------------------------------------


@router.get("/")
def home(request: Request):
    return redirect("/proposals/new" if current_user(request) else "/login")


@router.get("/login")
def login_page(request: Request):
    if current_user(request):
        return redirect("/proposals/new")
    return render(request, "login.html", username="", error="")


@router.post("/login")
async def login(request: Request):
    st = state_of(request)
    form = await _form(request)
    username = str(form.get("username") or "")
    try:
        user = await run_in_threadpool(auth.authenticate, st.db, username, str(form.get("password") or ""))
    except auth.Throttled as t:
        resp = render(request, "login.html", status=429, username=username,
                      error=f"登录失败次数过多，请 {wait_text(t.retry_after)}后再试。")
        resp.headers["Retry-After"] = str(t.retry_after)
        return resp
    if user is None:
        return render(request, "login.html", status=401, username=username, error="用户名或密码错误。")
    resp = redirect("/proposals/new")
    _set_session(request, resp, {"u": user.id, "c": secrets.token_urlsafe(24)})  # a new token after login
    return resp


def wait_text(seconds: int) -> str:
    """A wait as a person reads it: whole minutes from one minute on (300 or 301 -> 5 分钟), else seconds."""
    seconds = max(int(seconds), 1)
    return f"{max(1, round(seconds / 60))} 分钟" if seconds >= 60 else f"{seconds} 秒"


@router.post("/logout")
async def logout(request: Request):
    await _form(request)
    resp = redirect("/login")
    resp.delete_cookie(COOKIE, path="/")
    return resp


# --- the profile form -------------------------------------------------------------------------


def _new_form(user: User) -> dict:
    values = forms.form_from_profile({})
    values["visit_manager"] = user.display_name
    values["visit_phone"] = user.phone
    values["contacts"] = []
    return values


def _profile_page(request: Request, values: dict, *, errors=None, top=None, action="/proposals/new",
                  status=200, title="新建方案"):
    values = dict(values)
    contacts = list(values.get("contacts") or [])
    while len(contacts) < max(forms.CONTACT_ROWS, len(contacts)):
        contacts.append({"name": "", "title": "", "role": "", "attitude": ""})
    values["contacts"] = contacts
    return render(request, "profile.html", status=status, v=values, errors=errors or {}, top=top or [],
                  action=action, title=title, NEED_AREAS=forms.NEED_AREAS, INDUSTRIES=forms.INDUSTRIES,
                  TIERS=forms.TIERS, ROLES=forms.ROLES, ATTITUDES=forms.ATTITUDES)


@router.get("/proposals/new")
def new_profile(request: Request):
    user = need_user(request)
    return _profile_page(request, _new_form(user))


def _own_draft(st: State, user: User, draft_id: str) -> Draft:
    if not draft_id.isalnum() or len(draft_id) > 32:
        raise HTTPException(404, NOT_FOUND["detail"])
    with st.db.session() as s:
        d = s.get(Draft, draft_id)
    if d is None or d.user_id != user.id:
        raise HTTPException(404, NOT_FOUND["detail"])
    return d


async def _submit_profile(request: Request, draft: Draft | None):
    st = state_of(request)
    user = need_user(request)
    form = await _form(request)
    action = f"/drafts/{draft.id}/edit" if draft else "/proposals/new"
    values = forms.form_values(form)
    if form.get("action") == "add_contact":
        values["contacts"].append({"name": "", "title": "", "role": "", "attitude": ""})
        return _profile_page(request, values, action=action)
    keep = service.load_yaml_data(draft.profile_yaml.encode("utf-8")) if draft else None
    data = forms.profile_from_form(form, keep)
    if draft is None:
        data = service.with_manager(data, user, _company(st))
    raw = service.profile_yaml(data)
    try:
        service.check(st.pipeline, raw, "表单")
    except InputError as exc:
        by_field, top = forms.place(exc.problems, forms.contact_rows(form))
        return _profile_page(request, values, errors=by_field, top=top, action=action, status=422)
    draft_id = _save_draft(st, user, raw.decode("utf-8"), draft)
    return redirect(f"/drafts/{draft_id}")


def _company(st: State):
    return st.pipeline.session().content.company


def _with_manager_yaml(st: State, user: User, raw: bytes) -> bytes:
    """A profile file made elsewhere, with the manager's own name, phone and branch where it has
    none (the file as it came when nothing was missing, its comments kept)."""
    data = service.load_yaml_data(raw)
    filled = service.with_manager(data, user, _company(st))
    return raw if filled == data else service.profile_yaml(filled)


def _save_draft(st: State, user: User, text: str, draft: Draft | None = None) -> str:
    with st.db.session.begin() as s:
        if draft is None:
            d = Draft(user_id=user.id, profile_yaml=text, created_at=now(), updated_at=now())
            s.add(d)
        else:
            d = s.get(Draft, draft.id)
            d.profile_yaml, d.updated_at = text, now()
        s.flush()
        return d.id


@router.post("/proposals/new")
async def create_profile(request: Request):
    return await _submit_profile(request, None)


@router.get("/drafts/{draft_id}/edit")
def edit_draft(request: Request, draft_id: str):
    st, user = state_of(request), need_user(request)
    d = _own_draft(st, user, draft_id)
    values = forms.form_from_profile(service.load_yaml_data(d.profile_yaml.encode("utf-8")))
    return _profile_page(request, values, action=f"/drafts/{d.id}/edit", title="修改档案")


@router.post("/drafts/{draft_id}/edit")
async def save_draft(request: Request, draft_id: str):
    st, user = state_of(request), need_user(request)
    return await _submit_profile(request, _own_draft(st, user, draft_id))


@router.post("/profiles/upload")
async def upload_profile(request: Request):
    """A profile file made elsewhere (the command line, a colleague): checked, then a draft."""
    st, user = state_of(request), need_user(request)
    raw, name = await _upload(request, "profile_file")
    name = name or "需求档案.yaml"
    problems: list[Problem] = []
    if not raw:
        problems = [Problem(name, None, None, "", "请选择一个 YAML 需求档案文件")]
    else:
        try:
            service.check(st.pipeline, raw, name)
        except InputError as exc:
            problems = exc.problems
    if problems:  # the form filled with what the file had (as far as it parses), each problem beside its field
        data = _parsed(raw)
        try:
            values = forms.form_from_profile(data) if data else _new_form(user)
        except (AttributeError, TypeError):  # a section of the wrong shape: start from an empty form
            data, values = {}, _new_form(user)
        by_field, _rest = forms.place(problems) if data else ({}, [])
        return _profile_page(request, values, errors=by_field, status=422,
                             top=[f"上传的档案有问题：{p.location()} {p.field + '：' if p.field else ''}{p.message}"
                                  for p in problems])
    draft_id = _save_draft(st, user, _with_manager_yaml(st, user, raw).decode("utf-8-sig"))
    return redirect(f"/drafts/{draft_id}")


def _parsed(raw: bytes) -> dict:
    """A rejected upload's data as far as YAML reads it ({} when it does not), to refill the form."""
    try:
        return service.load_yaml_data(raw)
    except Exception:  # noqa: BLE001 - broken YAML or encoding: nothing to refill, the problems say why
        return {}


@router.get("/drafts/{draft_id}/profile.yaml")
def draft_yaml(request: Request, draft_id: str):
    st, user = state_of(request), need_user(request)
    d = _own_draft(st, user, draft_id)

    client = (service.load_yaml_data(d.profile_yaml.encode("utf-8")).get("client") or {}).get("name") or "需求档案"
    safe = "".join(ch for ch in str(client) if ch not in '\\/:*?"<>|\r\n\t')[:60]
    return Response(d.profile_yaml.encode("utf-8"), media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=\"profile.yaml\"; "
                                                    f"filename*=UTF-8''{quote(safe + '.yaml')}"})


# --- the recommendation and the manager's choices ----------------------------------------------


def _choices(data: dict) -> dict:
    c = data.get("choices") if isinstance(data.get("choices"), dict) else {}
    return {"add": list(c.get("add") or []), "drop": list(c.get("drop") or []),
            "quantities": dict(c.get("quantities") or {})}


@router.get("/drafts/{draft_id}")
async def show_draft(request: Request, draft_id: str):
    st, user = state_of(request), await run_in_threadpool(need_user, request)
    d = await run_in_threadpool(_own_draft, st, user, draft_id)
    raw = d.profile_yaml.encode("utf-8")
    data = service.load_yaml_data(raw)
    try:
        rec, _ms = await st.builds.recommend(raw, "需求档案")
    except InputError as exc:
        values = forms.form_from_profile(data)
        by_field, top = forms.place(exc.problems)
        return _profile_page(request, values, errors=by_field, top=top, action=f"/drafts/{d.id}/edit",
                             status=422, title="修改档案")
    choices = _choices(data)
    catalog = st.pipeline.session().content.catalog
    named = lambda names: [(n, catalog.resolve(str(n))) for n in names]  # noqa: E731
    lines = counted_quantities((rec.get("documents_quote") or {}).get("lines", []))
    add_text = request.query_params.get("add", "")[:100]
    return render(request, "recommendation.html", draft=d, rec=rec, data=data, choices=choices,
                  warnings=rec.get("warnings") or [], discount_notes=discount_notes(catalog),
                  add_text=add_text, add_error=bool(add_text), add_matches=containing(catalog, add_text),
                  qty_error=request.query_params.get("qty_error", ""),
                  dropped=named(choices["drop"]), added=named(choices["add"]),
                  quantities=[(n, catalog.resolve(str(n)), q) for n, q in choices["quantities"].items()],
                  quote_lines=lines, names={p.id: p.name for p in catalog.products},
                  pitched={p["id"] for p in rec["products"]}, asks=to_ask(rec), catalog=[p for p in catalog.products if p.active],
                  groups=product_groups(rec), riding_reason=riding_reason,
                  CATEGORY=dict(forms.NEED_AREAS), choice_error=request.query_params.get("error", ""))


def containing(catalog, text: str, limit: int = 8) -> list:
    """The active products whose name or an alias contains ``text`` (a partial name typed into the
    add box), for the manager to pick from."""
    key = "".join(text.split()).casefold()
    if not key:
        return []
    return [p for p in catalog.products if p.active
            and any(key in n.casefold() for n in (p.name, *p.aliases))][:limit]


def discount_notes(catalog) -> dict[str, str]:
    """What each discount rule of a quote is, in words (the catalog's bundles, the manager's own)."""
    names = {p.id: p.name for p in catalog.products}
    pricing = catalog.pricing
    notes = {f"bundle:{b.id}": f"同时选用{'、'.join(names.get(i, i) for i in b.products)}，"
                               f"这些产品的月费优惠 {_percent(b.discount)}" for b in pricing.bundles}
    notes["manager-discount"] = f"客户经理权限内的商务折让，最多 {_percent(pricing.manager_limit)}"
    return notes


def _percent(fraction) -> str:
    return f"{(fraction * 100).normalize():f}%"


def to_ask(rec: dict) -> list[tuple[str, list[str]]]:
    """The questions of the 待确认 links, each once, with the products it decides."""
    asks: dict[str, list[str]] = {}
    for p in rec["products"]:
        for link in p.get("links") or []:
            if link.get("question"):
                names = asks.setdefault(link["question"], [])
                if p["name"] not in names:
                    names.append(p["name"])
    return list(asks.items())


def counted_quantities(lines: list[dict]) -> dict[str, dict]:
    """Per product, the quantity its quote counted (members, sites …): the units of its first
    counted price item, the bands of a graduated price added up. Products priced once per client
    have none, and no quantity to change."""

    out: dict[str, dict] = {}
    for ln in lines:
        if ln.get("rule") == "fixed":
            continue
        item = re.sub(r"（第 [^）]*）$", "", ln["item"])
        basis = (ln.get("source") or {}).get("basis", "")
        entry = out.setdefault(ln["product_id"], {"item": item, "quantity": 0, "unit": ln["unit"], "basis": basis})
        if entry["item"] == item:
            entry["quantity"] += ln["quantity"]
    return out


@router.post("/drafts/{draft_id}/choices")
async def change_choices(request: Request, draft_id: str):
    st, user = state_of(request), need_user(request)
    d = _own_draft(st, user, draft_id)
    form = await _form(request)
    data = service.load_yaml_data(d.profile_yaml.encode("utf-8"))
    catalog = st.pipeline.session().content.catalog
    action = form.get("action") or ""
    typed = str(form.get("product") or "").strip()
    product = catalog.resolve(typed)
    if product is None:
        if action == "add" and typed:  # the message, the text and the products it names, beside the box
            return redirect(f"/drafts/{d.id}?add=" + _q(typed[:100]) + "#add")
        return redirect(f"/drafts/{d.id}?error=" + _q("产品目录中没有这个产品，请从列表中选择"))
    c = _choices(data)
    same = lambda n: catalog.resolve(str(n)) is product  # noqa: E731 - names, aliases and ids alike
    if action == "drop":
        c["add"] = [n for n in c["add"] if not same(n)]
        if not any(same(n) for n in c["drop"]):
            c["drop"].append(product.name)
    elif action == "undo_drop":
        c["drop"] = [n for n in c["drop"] if not same(n)]
    elif action == "add":
        c["drop"] = [n for n in c["drop"] if not same(n)]
        if not any(same(n) for n in c["add"]):
            c["add"].append(product.name)
    elif action == "undo_add":
        c["add"] = [n for n in c["add"] if not same(n)]
    elif action == "quantity":
        text = str(form.get("quantity") or "").strip()
        if not text.isdigit() or not 1 <= int(text) <= 10_000_000:
            return redirect(f"/drafts/{d.id}?qty_error={product.id}#p-{product.id}")
        c["quantities"] = {k: v for k, v in c["quantities"].items() if not same(k)}
        c["quantities"][product.name] = int(text)
        _drop_old_quantity(data, same)
    elif action == "undo_quantity":
        c["quantities"] = {k: v for k, v in c["quantities"].items() if not same(k)}
    else:
        raise HTTPException(403, "未知的操作")
    c = {k: v for k, v in c.items() if v}
    if c:
        data["choices"] = c
    else:
        data.pop("choices", None)
    raw = service.profile_yaml(data)
    try:
        service.read(raw, "需求档案")
    except InputError as exc:
        return redirect(f"/drafts/{d.id}?error=" + _q("；".join(p.message for p in exc.problems)))
    _save_draft(st, user, raw.decode("utf-8"), d)
    return redirect(f"/drafts/{d.id}#{_anchor(action, product.id, str(form.get('from') or ''))}")


def _anchor(action: str, product_id: str, section: str) -> str:
    """Where the page continues after a change: at the product added or changed, else at the
    section the manager was working in (a dropped product is gone from the list)."""
    if action in ("add", "quantity"):
        return f"p-{product_id}"
    if action == "drop" and section in ("documents", "to-confirm"):
        return section
    return "adjust"


def _drop_old_quantity(data: dict, same) -> None:
    """The product's figure under the older top-level ``quantities:`` (which earlier versions of
    these pages wrote beside the choice) goes once the manager sets one under ``choices.quantities``,
    so the file holds one figure per product."""
    old = data.get("quantities")
    if isinstance(old, dict):
        kept = {k: v for k, v in old.items() if not same(k)}
        if kept:
            data["quantities"] = kept
        else:
            data.pop("quantities", None)


def _q(text: str) -> str:

    return quote(text)


@router.post("/drafts/{draft_id}/generate")
async def generate(request: Request, draft_id: str):
    st, user = state_of(request), need_user(request)
    d = _own_draft(st, user, draft_id)
    form = await _form(request)
    pdf = bool(form.get("pdf")) and st.settings.pdf
    return await _make_and_show(request, st, user, d.profile_yaml.encode("utf-8"), pdf, None,
                                f"/drafts/{d.id}")


async def _make_and_show(request, st: State, user: User, raw: bytes, pdf: bool, regenerated_from, back: str):
    try:
        made, _ms = await st.builds.make(user.id, raw, pdf=pdf, brief=True, regenerated_from=regenerated_from)
    except InputError as exc:
        return render(request, "error.html", status=422, title="档案有问题，未生成任何文件",
                      message="；".join(f"{p.field + '：' if p.field else ''}{p.message}" for p in exc.problems),
                      back=back)
    except PitchcraftError as exc:
        return render(request, "error.html", status=500, title="生成失败", message=str(exc), back=back)
    return redirect(f"/proposals/{made['id']}?made=1")


# --- the archive -------------------------------------------------------------------------------


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/proposals")
def archive(request: Request, client: str = "", industry: str = "", since: str = "", until: str = ""):
    st, user = state_of(request), need_user(request)
    rows = search(st, user, client=client or None, industry=industry or None, since=_day(since), until=_day(until),
                  words_match_industry=True)
    return render(request, "archive.html", rows=rows, q={"client": client, "industry": industry, "since": since,
                                                          "until": until}, INDUSTRIES=forms.INDUSTRIES)


@router.get("/proposals/{proposal_id}")
def proposal_page(request: Request, proposal_id: str):
    st, user = state_of(request), need_user(request)
    p = visible(st, user, proposal_id)
    session = st.pipeline.session()
    current = session.inputs
    outdated = (p.catalog_sha256, p.cases_sha256, p.templates_sha256, p.version) != (
        current.catalog_sha256, current.cases_sha256, current.templates_sha256, current.version)
    rec = p.recommendation or {}
    groups = product_groups(rec)
    return render(request, "proposal.html", p=p, rec=rec, own=p.user_id == user.id,
                  outdated=outdated, made=request.query_params.get("made") == "1",
                  in_docs=[(m, product_line(m)) for m in groups["in_docs"]],
                  asked=groups["to_confirm"], options=groups["options"],
                  riding=[(m, riding_reason(m)) for m in groups["riding"]],
                  docs_quote=rec.get("documents_quote"))


CHOSEN_PREFIX = "客户经理选定："


def in_documents(m: dict) -> bool:
    """Whether the client's documents pitch a product of a stored recommendation; records made before
    ``in_documents`` was stored are read by the same rule (a 明确 link, or the manager's choice)."""
    if "in_documents" in m:
        return bool(m["in_documents"])
    return bool(m.get("chosen")) or any(link.get("confidence") == "明确" for link in m.get("links") or [])


def rides(m: dict) -> bool:
    """Whether a product of a stored recommendation only rides on a statement another product answers
    (:func:`pitchcraft.match.pitched.rides`, read from ``recommend --json``): not in the documents, no
    alternative to another, and every link 明确, so nothing about it is left to confirm with the client."""
    links = m.get("links") or []
    return (not in_documents(m) and not m.get("alternative_to") and bool(links)
            and all(link.get("confidence") == "明确" for link in links))


def riding_reason(m: dict) -> str:
    """Why a rider is left out, as the matcher says it (its reason that starts 这句话要的是)."""
    return next((r for r in m.get("reasons") or [] if r.startswith("这句话要的是")), "另一产品已回应客户的这句话")


def product_groups(rec: dict) -> dict[str, list[dict]]:
    """A stored recommendation's products as the documents treat them: pitched (``in_docs``), to be
    confirmed with the client (``to_confirm``), named only as an option (``options``), or left out
    because another product answers the statement they ride on (``riding``); each product in one group."""
    products = rec.get("products", [])
    return {
        "in_docs": [m for m in products if in_documents(m)],
        "to_confirm": [m for m in products if not in_documents(m) and not m.get("alternative_to") and not rides(m)],
        "options": [m for m in products if not in_documents(m) and m.get("alternative_to")],
        "riding": [m for m in products if rides(m)],
    }


def product_line(m: dict) -> str:
    """One line on why a product is in the documents: its first reason, without the 客户经理选定 its
    tag already says, and with the needs an extension answers where the reason says “以下需求”."""
    reasons = list(m.get("reasons") or [])
    if m.get("existing") and reasons and "以下需求" in reasons[0]:
        needs = [link["statement"] for link in m.get("links") or [] if link.get("confidence") == "明确"]
        needs = needs or list(m.get("matched_needs") or [])
        named = "、".join(f"“{s}”" for s in needs) if needs else "相关需求"
        return reasons[0].replace("以下需求", f"客户提到的{named}", 1)
    first = reasons[0] if reasons else ""
    return first[len(CHOSEN_PREFIX):] if m.get("chosen") and first.startswith(CHOSEN_PREFIX) else first


@router.get("/proposals/{proposal_id}/files/{name}")
def proposal_file(request: Request, proposal_id: str, name: str):
    st, user = state_of(request), need_user(request)
    return send_file(st, visible(st, user, proposal_id), name)


@router.post("/proposals/{proposal_id}/regenerate")
async def regenerate(request: Request, proposal_id: str):
    st, user = state_of(request), need_user(request)
    p = visible(st, user, proposal_id)
    form = await _form(request)
    if p.user_id != user.id:
        raise HTTPException(403, "只能重新生成自己的方案（管理员只读）")
    return await _make_and_show(request, st, user, p.profile_yaml.encode("utf-8"),
                                bool(form.get("pdf")) and st.settings.pdf, p.id, f"/proposals/{p.id}")


@router.post("/proposals/{proposal_id}/edit")
async def edit_proposal(request: Request, proposal_id: str):
    """A new draft from an archived proposal's profile, to change and generate again."""
    st, user = state_of(request), need_user(request)
    p = visible(st, user, proposal_id)
    await _form(request)
    if p.user_id != user.id:
        raise HTTPException(403, "只能修改自己的方案（管理员只读）")
    return redirect(f"/drafts/{_save_draft(st, user, p.profile_yaml)}")


# --- CRM import --------------------------------------------------------------------------------


@router.get("/import")
def import_page(request: Request):
    need_user(request)
    return render(request, "import.html", result=None, drafts={}, error="")


@router.post("/import")
async def import_upload(request: Request):
    st, user = state_of(request), need_user(request)
    raw, filename = await _upload(request, "crm_file")
    suffix = Path(filename).suffix.lower()
    if not raw or suffix not in (".xlsx", ".csv"):
        return render(request, "import.html", status=422, result=None, drafts={},
                      error="请选择 CRM 导出的 .xlsx 或 .csv 文件")
    result, drafts, error = await run_in_threadpool(_import, st, user, raw, filename, suffix)
    return render(request, "import.html", status=422 if error else 200, result=result, drafts=drafts, error=error)


def _import(st: State, user: User, raw: bytes, filename: str, suffix: str):
    from pitchcraft.prep.importer import import_clients, name_key  # deferred: openpyxl, only for an upload

    with tempfile.TemporaryDirectory(prefix="pitchcraft-import-") as tmp:
        source = Path(tmp) / ("clients" + suffix)  # the upload's own name never becomes a path
        source.write_bytes(raw)
        out = Path(tmp) / "profiles"
        try:
            result = import_clients(source, out, st.pipeline.session().content.catalog)
        except (InputError, PitchcraftError) as exc:
            problems = getattr(exc, "problems", None)
            text = "；".join(p.message for p in problems) if problems else str(exc)
            return None, {}, text.replace(str(source), filename)
        drafts, existing, known = {}, {}, _draft_clients(st, user, name_key)
        for row in result.rows:
            if row.imported and row.file and name_key(row.client) in known:
                existing[row.row] = known[name_key(row.client)]  # imported before: not a second draft
            elif row.imported and row.file:
                raw = _with_manager_yaml(st, user, (out / row.file).read_bytes())
                drafts[row.row] = _save_draft(st, user, raw.decode("utf-8-sig"))
                known[name_key(row.client)] = drafts[row.row]
        rows = [{"row": r.row, "client": r.client, "imported": r.imported and r.row not in existing,
                 "reason": "已有同名客户的档案（以前导入或新建），未重复导入；请打开已有档案修改" if r.row in existing
                 else r.reason, "existing": existing.get(r.row)} for r in result.rows]
        return {"rows": rows, "notes": result.notes, "filename": filename}, drafts, ""


def _draft_clients(st: State, user: User, name_key) -> dict[str, str]:
    """The manager's drafts by client name (as the importer compares names), newest last: a row of a
    list imported again names a client that already has its draft, and is skipped, as the command
    line skips a profile file that exists."""
    with st.db.session() as s:
        found = list(s.scalars(select(Draft).where(Draft.user_id == user.id).order_by(Draft.updated_at)))
    out = {}
    for d in found:
        try:
            client = service.load_yaml_data(d.profile_yaml.encode("utf-8")).get("client") or {}
        except Exception:  # noqa: BLE001 - a draft that does not parse names no client
            continue
        if isinstance(client, dict) and str(client.get("name") or "").strip():
            out[name_key(str(client["name"]))] = d.id
    return out


# --- admin ------------------------------------------------------------------------------------


@router.get("/admin/gaps")
def gap_report(request: Request):
    st, user = state_of(request), need_user(request)
    if user.role != "admin":
        raise HTTPException(404, NOT_FOUND["detail"])
    rows = search(st, user, limit=100_000)
    with st.db.session() as s:
        managers = {u.id: u for u in s.scalars(select(User))}
    return render(request, "gaps.html", gaps=service.product_gaps(rows), total=len(rows), managers=managers)
