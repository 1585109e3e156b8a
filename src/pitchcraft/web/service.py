"""The web app's use of the pipeline: one loaded session per process, profiles from JSON or forms,
recommendations and proposals archived under random ids.

Only the stable entry points of the pipeline are used (:mod:`pitchcraft.pipeline`, :mod:`pitchcraft.report`,
:mod:`pitchcraft.errors`, :mod:`pitchcraft.workspace`, and :func:`pitchcraft.load.issuer_for` for who issues
the documents); the offer is the one thing taken from :func:`pitchcraft.pipeline.quote`, and what the client's
documents contain from :func:`pitchcraft.pipeline.documents_quote`, as :meth:`Session.build` computes it.
"""

from __future__ import annotations

import re
import unicodedata

import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import time
import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

from pitchcraft.errors import InputError, Problem
from pitchcraft.load import issuer_for
from pitchcraft.pipeline import Session, cases_digest, documents_quote, profile_from_bytes, quote, templates_digest
from pitchcraft.report import to_json
from pitchcraft.workspace import Workspace

from .db import Database, Proposal, User, new_id

CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
    ".yaml": "application/yaml; charset=utf-8",
    ".json": "application/json",
}
# What each file is called on the pages and in a download's name.
FILE_LABELS = {
    "proposal.docx": ("下载建议书（Word）", "建议书"),
    "pitch.pptx": ("下载PPT", "汇报PPT"),
    "brief.docx": ("下载拜访简报", "拜访简报（内部）"),
    "proposal.pdf": ("下载PDF", "建议书"),
    "pitch.pdf": ("下载PPT的PDF", "汇报PPT"),
    "profile.yaml": ("下载需求档案（YAML）", "需求档案"),
    "manifest.json": ("下载生成记录", "生成记录"),
}
FILE_ORDER = list(FILE_LABELS)


# --- profiles as bytes -------------------------------------------------------------------------


def profile_yaml(data) -> bytes:
    """A profile given as a JSON object, as the YAML the pipeline (and a manager's editor) reads."""
    if not isinstance(data, dict):
        raise InputError([Problem("请求", None, None, "", "需求档案应为 JSON 对象（如 {\"client\": …}）")])
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 5x faster, the same text
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False).encode("utf-8")


def load_yaml_data(raw: bytes) -> dict:
    """A profile's YAML as plain data (already checked by the pipeline), for the form and the choices."""
    data = yaml.safe_load(raw.decode("utf-8-sig")) or {}
    return data if isinstance(data, dict) else {}


def problems_json(problems: list[Problem]) -> list[dict]:
    """The contract's ``problems``: field and message (the line would be of YAML the caller never saw)."""
    return [{"field": problem_field(p), "message": p.message} for p in problems]


def problem_field(p: Problem) -> str:
    """The field a problem is about; a missing field is reported at its parent, named in the message
    (as the importer reads it too)."""

    m = re.match(r"缺少必填字段 (\w+)", p.message)
    if m and not p.field.endswith(m.group(1)):
        return f"{p.field}.{m.group(1)}" if p.field else m.group(1)
    return p.field


def read(raw: bytes, source: str = "需求档案"):
    """(Profile, raw, warnings); InputError for a profile that breaks the contract."""
    return profile_from_bytes(raw, source)


def check(pipeline: "Pipeline", raw: bytes, source: str = "需求档案") -> None:
    """InputError for a profile whose documents could not be made: the contract broken, or a
    ``visit.branch`` that catalog/company.yaml does not have."""
    profile, raw, _warnings = read(raw, source)
    issuer_json(pipeline.session(), profile, raw, documents=True)


# --- the session, reloaded when the content changes --------------------------------------------


class Pipeline:
    """The workspace's session, loaded once per process. Before use (at most once a second) the
    content's file times and sizes are compared; when they moved, the checksums decide whether the
    content really changed, and only then is a new session loaded."""

    CHECK_EVERY = 1.0

    def __init__(self, ws: Workspace):
        self.ws = ws
        self._lock = threading.Lock()
        self._session: Session | None = None
        self._stamp = None
        self._checked = 0.0
        self.loads = 0

    def _files(self) -> list[Path]:
        roots = [self.ws.root / "templates"]
        files = [self.ws.catalog_file]
        if self.ws.cases_dir.is_dir():
            files += sorted(self.ws.cases_dir.glob("*.md"))
        for root in roots:
            if root.is_dir():
                files += sorted(p for p in root.rglob("*") if p.is_file())
        return files

    def _stat(self):
        out = []
        for p in self._files():
            try:
                st = p.stat()
                out.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(p), None, None))
        return tuple(out)

    def _digests(self) -> tuple[str, str, str]:
        catalog = hashlib.sha256(self.ws.catalog_file.read_bytes()).hexdigest()
        return catalog, cases_digest(self.ws.cases_dir), templates_digest(self.ws)

    def session(self) -> Session:
        with self._lock:
            t = time.monotonic()
            if self._session is not None and t - self._checked < self.CHECK_EVERY:
                return self._session
            self._checked = t
            stamp = self._stat()
            if self._session is not None and stamp == self._stamp:
                return self._session
            if self._session is not None:
                inp = self._session.inputs
                if self._digests() == (inp.catalog_sha256, inp.cases_sha256, inp.templates_sha256):
                    self._stamp = stamp
                    return self._session
            session = Session.open(self.ws, long_lived=True)
            session.inputs  # noqa: B018 - fingerprint now, not inside a request
            session.matcher  # noqa: B018
            self._session, self._stamp = session, stamp
            self.loads += 1
            return session


def issuer_json(session: Session, profile, raw: bytes | None = None, *, documents: bool = False) -> dict | None:
    """Who issues this client's documents (catalog/company.yaml), as the pages show it, with what
    the manager should know about how it was chosen; None in a workspace without company.yaml.
    A branch the profile names that company.yaml lacks is bad input (InputError, visit.branch); with
    ``documents``, so is a client of another province with no branch named (client.region)."""
    company = session.content.company
    if company is None:
        return None
    issuer, notes = issuer_for(company, profile, None, raw, documents=documents)
    m = issuer.manager
    return {"full_name": issuer.full_name, "branch": issuer.branch.name if issuer.branch else None,
            "address": issuer.address, "hotline": issuer.hotline,
            "manager": {"name": m.name, "phone": m.phone, "email": m.email} if m else None,
            "notes": [n.message for n in notes]}


def recommendation(pipeline: Pipeline, raw: bytes, source: str = "需求档案", zone: dt.tzinfo | None = None) -> dict:
    """The JSON of ``recommend --json`` for a profile's bytes, with ``issuer`` (who would issue the
    documents), what the documents will contain (``in_documents``, ``documents_quote``) and
    ``warnings`` for the manager."""
    profile, raw, warnings = read(raw, source)
    session = pipeline.session()
    issuer = issuer_json(session, profile, raw)
    rec = session.recommend(profile)
    out = recommendation_json(rec, session.ws, dt.datetime.now(zone).date() if zone is not None else dt.date.today())
    out["issuer"] = issuer
    out["warnings"] = [w.message for w in warnings] + unknown_current_warnings(rec)
    return out


def recommendation_json(rec, ws: Workspace, date: dt.date) -> dict:
    """``recommend --json`` of a recommendation: per product ``in_documents`` and the documents' offer
    ``documents_quote`` beside ``quote``, both as :meth:`Session.build` computes them
    (:func:`pitchcraft.pipeline.documents_quote`), so the pages never promise more than the documents."""
    return to_json(rec, quote(rec, date, ws), documents_quote(rec, date, ws))


def unknown_current_warnings(rec) -> list[str]:
    """A current service the catalog does not know (as the visit brief words it)."""
    names = list(getattr(rec, "unknown_current", []) or [])
    return [f"现有业务中的“{'、'.join(names)}”在产品目录中找不到，请核实名称后更新档案"] if names else []


def with_manager(data: dict, user: User, company=None) -> dict:
    """A new profile with the logged-in manager's own name, phone and branch where it leaves them
    empty. The phone and branch are theirs only when the profile names no other manager; the branch
    only when company.yaml knows it and the client's region picks no branch of its own (the branch
    serving the client issues its documents, as on the command line)."""
    data = dict(data)
    visit = dict(data.get("visit") or {}) if isinstance(data.get("visit") or {}, dict) else None
    if visit is None:
        return data  # not a mapping: the pipeline reports it as it is
    named = str(visit.get("manager") or "").strip()
    if named and named not in (user.display_name, user.username):
        return data
    if not named and user.display_name:
        visit["manager"] = user.display_name
    if not visit.get("phone") and user.phone and visit.get("manager"):
        visit["phone"] = user.phone
    if not visit.get("branch") and user.branch and company is not None and company.branch(user.branch):
        client = data.get("client") if isinstance(data.get("client"), dict) else {}
        region = str(client.get("region") or "").strip()
        # a client of another province gets no branch by default: the manager names one, or nothing is made
        if not region or (company.branch_for(region) is None and company.foreign_province(region) is None):
            visit["branch"] = user.branch
    if visit:
        data["visit"] = visit
    return data


def soffice_available() -> bool:
    return shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


# --- proposals ---------------------------------------------------------------------------------


@dataclass
class Made:
    proposal: Proposal
    warnings: list[Problem]


def make_proposal(db: Database, pipeline: Pipeline, user_id: int, raw: bytes, *, pdf: bool = False,
                  brief: bool = True, regenerated_from: str | None = None, source: str = "需求档案",
                  zone: dt.tzinfo | None = None) -> Made:
    """Build one proposal in memory, write its files under a new id, then record it. The files are
    in place before the row exists, so a listed proposal always has its files. ``zone``: the
    managers' clock (PITCHCRAFT_TIME_ZONE), which dates the documents; else the server's."""
    prof = read(raw, source)
    session = pipeline.session()
    now = dt.datetime.now(zone) if zone is not None else dt.datetime.now().astimezone()
    built = session.build(Path("profile.yaml"), now=now, pdf=pdf and soffice_available(), profile=prof,
                          brief=brief)
    files = dict(built.files)
    files["manifest.json"] = json.dumps(built.manifest, ensure_ascii=False, indent=2).encode("utf-8")
    pid = new_id()
    folder = db.proposal_dir(pid)
    _write_files(folder, files)
    rec_json = recommendation_json(built.recommendation, session.ws, now.date())
    rec_json["issuer"] = issuer_json(session, built.profile, raw)
    inputs = session.inputs
    row = Proposal(
        id=pid, user_id=user_id, client=built.profile.name, industry=built.profile.industry,
        created_at=now.astimezone(dt.timezone.utc), profile_yaml=raw.decode("utf-8-sig"),
        recommendation=rec_json,
        files=[{"name": n, "sha256": hashlib.sha256(files[n]).hexdigest(), "size": len(files[n])}
               for n in sorted(files, key=_file_rank)],
        unmatched=catalog_gaps(session, built.profile, built.recommendation), version=inputs.version,
        catalog_sha256=inputs.catalog_sha256, cases_sha256=inputs.cases_sha256,
        templates_sha256=inputs.templates_sha256, profile_sha256=built.profile_sha256,
        regenerated_from=regenerated_from)
    try:
        with db.session() as s, s.begin():
            s.add(row)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Made(row, built.warnings)


def catalog_gaps(session: Session, profile, rec) -> list[str]:
    """The statements no product of the catalog answers, for the gap report: a statement left open
    only because the manager dropped the product that answers it is no gap in the catalog."""
    if not profile.choices.drop:
        return list(rec.unmatched)
    plain = session.recommend(dataclasses.replace(profile, choices=dataclasses.replace(profile.choices, drop=())))
    return [s for s in rec.unmatched if s in set(plain.unmatched)]


def _file_rank(name: str) -> int:
    return FILE_ORDER.index(name) if name in FILE_ORDER else len(FILE_ORDER)


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    """All files into a hidden sibling folder, synced, then renamed into place in one step."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    staging.mkdir()
    try:
        for name, data in files.items():
            with open(staging / name, "wb") as fh:
                fh.write(data)
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def file_path(db: Database, proposal: Proposal, name: str) -> Path | None:
    """A stored file of a proposal, only by a name its record lists (never a path from a URL)."""
    if name not in {f["name"] for f in proposal.files}:
        return None
    path = db.proposal_dir(proposal.id) / name
    return path if path.is_file() else None


def download_name(proposal: Proposal, name: str, zone: dt.tzinfo | None = None) -> str:
    label = FILE_LABELS.get(name, ("", Path(name).stem))[1]
    date = proposal.created_at.astimezone(zone).date().isoformat() if proposal.created_at else ""
    safe_client = "".join(ch for ch in proposal.client if ch not in '\\/:*?"<>|\r\n\t')[:60]
    return f"{date}-{safe_client}-{label}{Path(name).suffix}"


def summary(p: Proposal) -> dict:
    """What a list or a new proposal's answer shows of it: plain data, so that a build process hands
    it back with the id and the server need not read the row it has just written."""
    return {"id": p.id, "client": p.client, "industry": p.industry, "created_at": p.created_at, "files": p.files}


def proposal_json(p: Proposal | dict, url_for_file) -> dict:
    p = p if isinstance(p, dict) else summary(p)
    return {"id": p["id"], "client": p["client"], "industry": p["industry"],
            "created_at": p["created_at"].isoformat() if p["created_at"] else None,
            "files": [{"name": f["name"], "url": url_for_file(p["id"], f["name"]), "sha256": f["sha256"]}
                      for f in p["files"]]}


def product_gaps(proposals: list[Proposal]) -> list[dict]:
    """Need statements nothing in the catalog answered, across proposals: most frequent first."""

    gaps: dict[str, dict] = {}
    for p in proposals:
        for statement in p.unmatched or []:
            key = "".join(unicodedata.normalize("NFKC", statement).split()).casefold()
            g = gaps.setdefault(key, {"statement": statement, "count": 0, "clients": [], "industries": [],
                                      "last": p.created_at})
            g["count"] += 1
            if p.client not in g["clients"]:
                g["clients"].append(p.client)
            if p.industry not in g["industries"]:
                g["industries"].append(p.industry)
            if p.created_at and g["last"] and p.created_at > g["last"]:
                g["last"] = p.created_at
    return sorted(gaps.values(), key=lambda g: (-g["count"], g["statement"]))
