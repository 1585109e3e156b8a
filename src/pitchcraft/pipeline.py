"""The whole path as library calls: load -> match -> quote -> compose -> render -> write.

Everything is gathered, checked and rendered in memory first; files are written last, atomically,
so a failure at any stage leaves nothing behind.

:func:`generate` is the one-shot path of ``pitchcraft generate``. A :class:`Session` holds what does
not change from one profile to the next — the catalog, the cases, the matcher's index and the
fingerprint of those inputs — so a batch worker loads them once and then turns profile after
profile into documents (:meth:`Session.build`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, write
from . import quantities as qty
from . import value as worth
from .content.copy import load_copy
from .errors import InputError, OutputExistsError, Problem, UsageError
from .fsutil import write_file
from .load import issuer_for, load_cases, load_catalog, load_company, profile_from, with_regions
from .model.company import Company, Issuer
from .match import Recommendation, recommend
from .match.cases import sample_warnings
from .match.pitched import client_view
from .match.recommend import VECTORISE_FROM, Matcher
from .model.case import Case
from .model.catalog import Catalog
from .model.profile import Profile
from .quote import Quote, for_recommendation
from .workspace import Workspace, packaged_templates
from .reading import os_message, read_regular
from .yamlsrc import PROFILE_LIMITS, decode, parse, read_bytes, read_yaml, too_large, value_limit

if TYPE_CHECKING:  # the brief's type only; importing compose at run time would load jinja2
    from .compose.brief import Brief


@dataclass
class Content:
    catalog: Catalog
    cases: list[Case]
    warnings: list[Problem]
    company: Company | None = None  # the issuer; None only for callers that match, never for documents


def load_content(ws: Workspace) -> Content:
    catalog, warnings = load_catalog(ws.catalog_file)
    cases, case_warnings = load_cases(ws.cases_dir, catalog)
    company, company_warnings = None, []
    if ws.company_file.is_file():  # matching needs no issuer; documents do (Session.company)
        company, company_warnings = load_company(ws.company_file)
        company = with_regions(company, ws.template_optional("regions.yaml"))
        # the sample data a client's documents would carry is told per profile (load.issuer_for)
        company_warnings = [w for w in company_warnings if w.rule != "company-example"]
    return Content(catalog, cases, company_warnings + warnings + case_warnings, company)


def profile_from_bytes(raw: bytes, source: str) -> tuple[Profile, bytes, list[Problem]]:
    """A needs profile given as bytes (an upload, or a file already read), checked as a file is:
    within the limits of its kind (1 MiB, 20,000 values), UTF-8, YAML, the profile's spec.
    ``source`` names it in the messages. Returns the profile, the same bytes (copied next to the
    proposal, their checksum recorded) and the warnings; raises :class:`InputError` otherwise."""
    file = Path(source)
    raw = bytes(raw)
    if len(raw) > PROFILE_LIMITS.max_bytes:
        raise InputError([too_large(file, len(raw), PROFILE_LIMITS.max_bytes, PROFILE_LIMITS.what)])
    text, problems = decode(raw, file)
    if text is None:
        raise InputError(problems)
    too_many = value_limit(text, file, PROFILE_LIMITS)
    if too_many:
        raise InputError(too_many)
    src, parsed = parse(text, file)
    profile, warnings = profile_from(src, problems + parsed)  # decode's warnings (characters dropped) too
    return profile, raw, warnings


def read_profile(path: Path) -> tuple[Profile, bytes, list[Problem]]:
    """A needs profile file, read once: :func:`profile_from_bytes` of its bytes."""
    path = Path(path)
    raw, problems = read_bytes(path, PROFILE_LIMITS.max_bytes, PROFILE_LIMITS.what)
    if raw is None:
        raise InputError(problems)
    return profile_from_bytes(raw, str(path))


def quote(rec: Recommendation, date: dt.date, ws: Workspace | None = None) -> Quote:
    """The offer for a recommendation: its bundle priced by the catalog's rules on ``date``, its
    quantities and value read with the workspace's tables (templates/quantities.yaml, value.yaml)."""
    table, rules = offer_tables(ws) if ws is not None else (None, None)
    return for_recommendation(rec, rec.pricing, date, table, rules)


def documents_quote(rec: Recommendation, date: dt.date, ws: Workspace | None = None) -> Quote:
    """The offer the client's proposal and deck show: only the products they pitch (a 明确 link or
    the manager's choice, :func:`pitchcraft.match.pitched.in_documents`), priced as :func:`quote`.
    ``generate``, ``quote`` and the web all price with this, so the Word and the CLI agree."""
    table, rules = offer_tables(ws) if ws is not None else (None, None)
    # the whole recommendation beside the view: a product the manager added is counted by its links
    return for_recommendation(client_view(rec), rec.pricing, date, table, rules, full=rec)


def offer_tables(ws: Workspace) -> tuple[qty.Table, worth.Rules]:
    """The reading table and the value rules: the workspace's own files when it has them, else the
    packaged ones; a broken file is bad input with its file (and line, where YAML knows it)."""
    return tuple(_offer_table(ws.template(name), build) for name, build in  # type: ignore[return-value]
                 (("quantities.yaml", qty.Table.from_dict), ("value.yaml", worth.Rules.from_dict)))


TABLE_BYTES = 1024 * 1024  # quantities.yaml / value.yaml: the shipped ones are 4-8 KB


def _offer_table(path: Path, build):
    stat = path.stat()
    return _offer_table_cached(str(path), stat.st_mtime_ns, stat.st_size, build)


@lru_cache(maxsize=16)
def _offer_table_cached(path: str, _mtime: int, _size: int, build):
    src, problems = read_yaml(Path(path), TABLE_BYTES)
    if src is None or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    if not isinstance(src.data, dict):
        raise InputError([Problem(path, 1, None, "", "最外层应为键值对")])
    shipped = packaged_templates() / Path(path).name
    if shipped.is_file() and Path(path).resolve() != shipped.resolve():
        reference, _ = read_yaml(shipped, TABLE_BYTES)
        problems = _shape_problems(src, reference.data if reference else None, src.data, (), shipped)
        if problems:
            raise InputError(problems[:20])
    try:
        return build(src.data)
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        raise InputError([Problem(path, None, None, "", "无法读取这张表：格式与内置的同名文件不一致；"
                                  f"请对照 {shipped} 检查")]) from None


_KINDS = {"dict": "键值对（名称: 值）", "list": "列表（[…]，或每行以“- ”开头）", "number": "数字", "text": "文字"}


def _kind(value) -> str:
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list):
        return "list"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number"
    return "text"


def _typical(ref: dict):
    """The entry a key the shipped table does not have is checked against (a new product id under
    ``bill:``): the first of the kind most of the shipped entries have."""
    kinds = [_kind(v) for v in ref.values() if v is not None]
    if not kinds:
        return None
    common = max(set(kinds), key=kinds.count)
    return next(v for v in ref.values() if v is not None and _kind(v) == common)


def _shape_problems(src, ref, value, at: tuple, shipped: Path) -> list[Problem]:
    """Where a workspace's table differs in shape from the shipped one (a dict where the shipped
    file has a list, text where it has a number …), each at its file:line, in Chinese."""
    if ref is None or value is None:
        return []
    want, got = _kind(ref), _kind(value)
    if want == "number" and got == "text":
        try:
            ok = Decimal(str(value)).is_finite()
        except ArithmeticError:
            ok = False
        if ok:
            return []
    if want != got and not (want == "text" and got == "number"):
        shown = f"“{str(value)[:40]}”" if got in ("number", "text") else ""
        return [src.problem(at, f"这里应为{_KINDS[want]}，写成了{_KINDS[got]}{shown}（请对照 {shipped} 检查格式）")]
    out: list[Problem] = []
    if got == "dict":
        for key, sub in value.items():
            typical = _typical(ref) if at else None  # the top level's names are fixed: an unknown one is not read
            out += _shape_problems(src, ref[key] if key in ref else typical, sub, (*at, key), shipped)
    elif got == "list" and ref:
        for i, sub in enumerate(value):
            out += _shape_problems(src, ref[0], sub, (*at, i), shipped)
    return out


def recommend_for(ws: Workspace, profile_path: Path) -> tuple[Profile, Recommendation, list[Problem]]:
    """Match one profile; the warnings include how its documents would be issued (branch, manager)."""
    profile, raw, warnings = read_profile(profile_path)
    content = load_content(ws)
    if content.company is not None:
        warnings = warnings + issuer_for(content.company, profile, Path(profile_path), raw, documents=False)[1]
    rec = recommend(profile, content.catalog, content.cases)
    return profile, rec, warnings + content.warnings + sample_warnings(rec.cases)


# --- what a proposal depends on ---------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree_digest(files: list[tuple[str, Path]]) -> str:
    """One checksum over named files: their names and contents, in name order."""
    h = hashlib.sha256()
    for name, path in sorted(files):
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(read_regular(path)).digest())
    return h.hexdigest()


def cases_digest(folder: Path) -> str:
    """Every Markdown file of the case library (a README too: a change there only costs a redo)."""
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    return _tree_digest([(p.name, p) for p in files if p.is_file()])


def template_files(ws: Workspace) -> dict[str, Path]:
    """The effective template set: every file of the packaged defaults and of the workspace's
    templates/, each resolved as the pipeline resolves it (the workspace's own file wins)."""
    names: set[str] = set()
    for root in (packaged_templates(), ws.root / "templates"):
        if root.is_dir():
            names.update(p.relative_to(root).as_posix() for p in root.rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("."))
    return {name: ws.template(name) for name in sorted(names)}


def templates_digest(ws: Workspace) -> str:
    return _tree_digest(list(template_files(ws).items()))


@dataclass(frozen=True)
class Inputs:
    """The fingerprint of everything besides the profile that a proposal is made from."""

    catalog_sha256: str
    cases_sha256: str
    templates_sha256: str
    company_sha256: str = ""
    version: str = __version__

    def as_manifest(self) -> dict:
        return {"version": self.version, "catalog_sha256": self.catalog_sha256,
                "cases_sha256": self.cases_sha256, "templates_sha256": self.templates_sha256,
                "company_sha256": self.company_sha256}

    def matches(self, manifest: dict) -> bool:
        """Whether a folder's manifest was written from these same inputs."""
        return all(manifest.get(k) == v for k, v in self.as_manifest().items())


# --- a loaded workspace, reused for many profiles -----------------------------------------------


@dataclass
class Built:
    """One proposal, rendered in memory, not yet written."""

    profile_path: Path
    profile: Profile
    profile_sha256: str
    recommendation: Recommendation
    folder_name: str
    files: dict[str, bytes]
    manifest: dict
    warnings: list[Problem]


@dataclass
class Generated:
    folder: Path
    files: list[Path]
    recommendation: Recommendation
    warnings: list[Problem]


@dataclass
class Session:
    """A workspace with its content loaded, its matcher built and its inputs fingerprinted."""

    ws: Workspace
    content: Content
    # A process that serves many profiles (the web app's build processes) pays numpy's import once
    # and then matches about twice as fast on any catalog; a one-shot ``generate`` must not pay it.
    long_lived: bool = False
    _matcher: object = field(default=None, repr=False)
    _inputs: Inputs | None = field(default=None, repr=False)

    @classmethod
    def open(cls, ws: Workspace, *, long_lived: bool = False) -> "Session":
        return cls(ws, load_content(ws), long_lived)

    @property
    def company(self) -> Company:
        """The issuer of the documents: a workspace without company.yaml cannot issue any."""
        if self.content.company is None:
            self.content.company = load_company(self.ws.company_file)[0]  # raises: the file is missing
        return self.content.company

    @property
    def matcher(self):
        if self._matcher is None:
            self._matcher = Matcher(self.content.catalog, vectorise_from=0 if self.long_lived else VECTORISE_FROM)
        return self._matcher

    @property
    def inputs(self) -> Inputs:
        if self._inputs is None:
            company = self.ws.company_file
            self._inputs = Inputs(self.content.catalog.checksum, cases_digest(self.ws.cases_dir),
                                  templates_digest(self.ws),
                                  sha256(read_regular(company)) if company.is_file() else "")
        return self._inputs

    def recommend(self, profile: Profile) -> Recommendation:
        return recommend(profile, self.content.catalog, self.content.cases, self.matcher)

    def build(self, profile_path: Path, *, now: dt.datetime, pdf: bool = False, profile: tuple | None = None,
              brief: bool = False) -> Built:
        """Match, compose and render one profile, all in memory. ``profile`` is an already read
        ``read_profile`` result, so a caller that checked the profile first does not read it twice."""
        from . import compose  # deferred: jinja2, which recommend and quote do not need
        from .render import docx as render_docx, pptx as render_pptx  # deferred: lxml, python-pptx

        profile_path = Path(profile_path)
        prof, raw, warnings = profile or read_profile(profile_path)
        issuer, issuer_warnings = issuer_for(self.company, prof, profile_path, raw)
        rec = self.recommend(prof)
        shown = client_view(rec)  # the client's documents pitch only the 明确 links; the brief has all
        offer = documents_quote(rec, now.date(), self.ws)  # priced as the view, counted with all links
        from .compose.brief import discovery_of  # deferred with compose; the interview's notes feed 需求分析

        proposal = compose.compose(shown, self.ws, today=now.date(), offer=offer, issuer=issuer,
                                   discovery=discovery_of(raw))
        reference_docx = self.ws.template("reference.docx")
        files = {
            "proposal.docx": render_docx.render(proposal, reference_docx),
            "pitch.pptx": render_pptx.render(proposal, self.ws.template("reference.pptx")),
        }
        if pdf:
            files = _with_pdfs(files, proposal, reference_docx, self.ws)
        if brief:  # the manager's internal brief, beside the client's documents, never inside them
            files["brief.docx"] = brief_bytes(self.ws, rec, raw, now.date(), issuer=issuer)
        files["profile.yaml"] = raw
        digest = sha256(raw)
        meta = write.manifest(profile_path, self.content.catalog, files, now,
                              inputs={**self.inputs.as_manifest(), "profile_sha256": digest})
        return Built(profile_path, prof, digest, rec, write.folder_name(prof, proposal.date), files, meta,
                     warnings + issuer_warnings + self.content.warnings + sample_warnings(rec.cases))

    def generate(self, profile_path: Path, out_dir: Path | None = None, *, force: bool = False, pdf: bool = False,
                 now: dt.datetime | None = None, profile: tuple | None = None, brief: bool = False) -> Generated:
        now = now or dt.datetime.now().astimezone()
        profile_path = Path(profile_path)
        out_dir = Path(out_dir) if out_dir else self.ws.proposals_dir
        prof = profile or read_profile(profile_path)
        write.check_target(out_dir, write.folder_name(prof[0], now.date()), force)  # fail early, before rendering
        built = self.build(profile_path, now=now, pdf=pdf, profile=prof, brief=brief)
        folder = write.write_folder(out_dir, built.folder_name, built.files, built.manifest, force=force)
        write.clean_stale(out_dir)
        return Generated(folder, [folder / name for name in built.files], built.recommendation, built.warnings)


def generate(ws: Workspace, profile_path: Path, out_dir: Path | None = None, *, force: bool = False,
             pdf: bool = False, now: dt.datetime | None = None, brief: bool = False) -> Generated:
    """One proposal from one profile: the path of ``pitchcraft generate``."""
    if pdf:
        from .render import pdf as render_pdf  # deferred: the LibreOffice helpers, only for --pdf

        render_pdf.require_soffice()  # say so before any work is done
    profile = read_profile(Path(profile_path))  # a bad profile is reported before the catalog is read
    return Session.open(ws).generate(profile_path, out_dir, force=force, pdf=pdf, now=now, profile=profile,
                                     brief=brief)


def _with_pdfs(files: dict[str, bytes], proposal, reference_docx: Path, ws: Workspace) -> dict[str, bytes]:
    """Both PDFs; the proposal is converted twice so that its TOC carries LibreOffice's page numbers."""
    from .render import docx as render_docx, pdf as render_pdf  # deferred: lxml, only for --pdf

    fonts = ws.template_optional("fonts/fonts.conf")
    first = render_pdf.convert({"proposal.docx": files["proposal.docx"]}, fonts)
    pages = render_pdf.page_texts(first["proposal.pdf"])
    if pages:
        toc = render_pdf.heading_pages(pages, render_docx.toc_headings(proposal))
        files["proposal.docx"] = render_docx.render(proposal, reference_docx, toc_pages=toc)
    return {**files, **render_pdf.convert(files, fonts)}


# --- the account manager's visit brief ---------------------------------------------------------


BRIEF_SUFFIX = "拜访简报.docx"


@dataclass
class Made:
    brief: Brief
    recommendation: Recommendation
    data: bytes
    warnings: list[Problem]
    date: dt.date


def _brief_docx(rec: Recommendation, profile: Path | bytes, today: dt.date, ws: Workspace, issuer: Issuer):
    """Compose the brief (with the profile's discovery notes) and render it: (brief, .docx bytes)."""
    from .compose.brief import compose_brief, discovery_of  # deferred: jinja2 (the compose package)
    from .render import brief_docx  # deferred: lxml

    from .content.vocabulary import load_vocabulary

    templates = [ws.root / "templates", packaged_templates()]
    words = load_vocabulary(templates).words_for(rec.profile.industry, rec.profile.name)
    from .compose.plan import load_plan  # deferred with compose: the proposal's plan, which the brief follows

    brief = compose_brief(rec, today, discovery_of(profile), load_copy(templates), issuer, words,
                          offer=documents_quote(rec, today, ws),  # its quantities to confirm
                          plan_data=load_plan(ws.template("proposal/plan.yaml")))
    return brief, brief_docx.render(brief, ws.template("reference.docx"))


def brief_bytes(ws: Workspace, rec: Recommendation, profile: Path | bytes, today: dt.date,
                issuer: Issuer | None = None) -> bytes:
    """The brief of an already matched profile as .docx bytes, for ``generate --brief``.

    ``profile`` is the profile's path or the bytes it was read from (its ``discovery:`` notes are used);
    ``issuer`` the documents' issuer, found from the workspace's company.yaml when not given.
    """
    if issuer is None:
        raw = profile if isinstance(profile, bytes) else read_regular(profile)
        issuer = issuer_for(load_company(ws.company_file)[0], rec.profile, None, raw)[0]
    return _brief_docx(rec, profile, today, ws, issuer)[1]


def make_brief(ws: Workspace, profile_path: Path, today: dt.date | None = None) -> Made:
    """Load, match, compose and render; nothing is written yet."""
    today = today or dt.date.today()
    profile, raw, warnings = read_profile(Path(profile_path))
    content = load_content(ws)
    company = content.company or load_company(ws.company_file)[0]  # raises: no company.yaml
    issuer, issuer_warnings = issuer_for(company, profile, Path(profile_path), raw)
    rec = recommend(profile, content.catalog, content.cases)
    warnings = warnings + issuer_warnings + content.warnings
    brief, data = _brief_docx(rec, raw, today, ws, issuer)
    return Made(brief, rec, data, warnings, rec.profile.visit_date or today)


def default_filename(made: Made) -> str:
    return f"{made.date.isoformat()}-{write.slug(made.brief.client)}-{BRIEF_SUFFIX}"


def write_brief_bytes(made: Made, out_folder: Path, *, force: bool = False, filename: str | None = None) -> Path:
    """Write the rendered brief into ``out_folder`` atomically; never over a file without ``force``."""
    out_folder = Path(out_folder)
    if out_folder.exists() and not out_folder.is_dir():
        raise UsageError(f"输出位置不是文件夹：{out_folder}")
    name = filename or default_filename(made)
    if Path(name).name != name or name in ("", ".", ".."):
        raise UsageError(f"简报文件名不合法：{name}")
    target = out_folder / name
    if target.exists() and not force:
        raise OutputExistsError(f"简报已存在：{target}。如需重新生成并覆盖，请加 --force")
    out_folder.mkdir(parents=True, exist_ok=True)
    try:
        return write_file(target, made.data, replace=force, mode=0o644)
    except FileExistsError:
        raise OutputExistsError(f"简报已存在：{target}。如需重新生成并覆盖，请加 --force") from None
    except OSError as exc:
        raise UsageError(f"{os_message(exc, '写入')}；未生成任何文件") from None


def write_brief(ws: Workspace, profile_path: Path, out_folder: Path, *, force: bool = False,
                filename: str | None = None, today: dt.date | None = None) -> Path:
    """Compose the brief for one profile and write it into ``out_folder``; the file's path.

    ``filename`` defaults to ``<visit date>-<client>-拜访简报.docx``; inside a proposal folder pass
    ``"brief.docx"``.
    """
    return write_brief_bytes(make_brief(ws, profile_path, today), out_folder, force=force, filename=filename)
