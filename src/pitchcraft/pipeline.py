"""The whole path as library calls: load -> match -> compose -> render -> write.

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
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import InputError, Problem
from .load import Catalog, load_catalog, load_cases, load_profile
from .match import Recommendation, recommend
from .match.cases import sample_warnings
from .schema import Case, Profile
from .workspace import Workspace, packaged_templates
from .yamlsrc import PROFILE_LIMITS, check_limits, read_bytes


@dataclass
class Content:
    catalog: Catalog
    cases: list[Case]
    warnings: list[Problem]


def load_content(ws: Workspace) -> Content:
    catalog, warnings = load_catalog(ws.catalog_file)
    cases, case_warnings = load_cases(ws.cases_dir, catalog)
    return Content(catalog, cases, warnings + case_warnings)


def read_profile(path: Path) -> tuple[Profile, bytes, list[Problem]]:
    """A needs profile within the limits of its kind (1 MiB, 20,000 values), with the exact bytes
    it was read from: those are copied next to the proposal and their checksum recorded."""
    path = Path(path)
    too_big = check_limits(path, PROFILE_LIMITS)
    if too_big:
        raise InputError(too_big)
    raw, problems = read_bytes(path, PROFILE_LIMITS.max_bytes, PROFILE_LIMITS.what)
    if raw is None:
        raise InputError(problems)
    profile, warnings = load_profile(path)
    again, _ = read_bytes(path, PROFILE_LIMITS.max_bytes, PROFILE_LIMITS.what)
    if again != raw:
        raise InputError([Problem(path, None, None, "", "需求档案在读取过程中被修改了，请保存后重试", rule="io")])
    return profile, raw, warnings


def recommend_for(ws: Workspace, profile_path: Path) -> tuple[Profile, Recommendation, list[Problem]]:
    profile, _raw, warnings = read_profile(profile_path)
    content = load_content(ws)
    rec = recommend(profile, content.catalog, content.cases)
    return profile, rec, warnings + content.warnings + sample_warnings(rec.cases)


# --- what a proposal depends on ---------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree_digest(files: list[tuple[str, Path]]) -> str:
    """One checksum over named files: their names and contents, in name order."""
    h = hashlib.sha256()
    for name, path in sorted(files):
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
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
    version: str = __version__

    def as_manifest(self) -> dict:
        return {"version": self.version, "catalog_sha256": self.catalog_sha256,
                "cases_sha256": self.cases_sha256, "templates_sha256": self.templates_sha256}

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
    _matcher: object = field(default=None, repr=False)
    _inputs: Inputs | None = field(default=None, repr=False)

    @classmethod
    def open(cls, ws: Workspace) -> "Session":
        return cls(ws, load_content(ws))

    @property
    def matcher(self):
        if self._matcher is None:
            from .match.recommend import Matcher

            self._matcher = Matcher(self.content.catalog)
        return self._matcher

    @property
    def inputs(self) -> Inputs:
        if self._inputs is None:
            self._inputs = Inputs(self.content.catalog.checksum, cases_digest(self.ws.cases_dir),
                                  templates_digest(self.ws))
        return self._inputs

    def recommend(self, profile: Profile) -> Recommendation:
        return recommend(profile, self.content.catalog, self.content.cases, self.matcher)

    def build(self, profile_path: Path, *, now: dt.datetime, pdf: bool = False, profile: tuple | None = None,
              brief: bool = False) -> Built:
        """Match, compose and render one profile, all in memory. ``profile`` is an already read
        ``read_profile`` result, so a caller that checked the profile first does not read it twice."""
        from . import compose, write
        from .render import docx as render_docx, pptx as render_pptx

        profile_path = Path(profile_path)
        prof, raw, warnings = profile or read_profile(profile_path)
        rec = self.recommend(prof)
        proposal = compose.compose(rec, self.ws, today=now.date())
        reference_docx = self.ws.template("reference.docx")
        files = {
            "proposal.docx": render_docx.render(proposal, reference_docx),
            "pitch.pptx": render_pptx.render(proposal, self.ws.template("reference.pptx")),
        }
        if pdf:
            files = _with_pdfs(files, proposal, reference_docx, self.ws)
        if brief:  # the manager's internal brief, beside the client's documents, never inside them
            from .brief import brief_bytes

            files["brief.docx"] = brief_bytes(self.ws, rec, raw, now.date())
        files["profile.yaml"] = raw
        digest = sha256(raw)
        meta = write.manifest(profile_path, self.content.catalog, files, now,
                              inputs={**self.inputs.as_manifest(), "profile_sha256": digest})
        return Built(profile_path, prof, digest, rec, write.folder_name(prof, proposal.date), files, meta,
                     warnings + self.content.warnings + sample_warnings(rec.cases))

    def generate(self, profile_path: Path, out_dir: Path | None = None, *, force: bool = False, pdf: bool = False,
                 now: dt.datetime | None = None, profile: tuple | None = None, brief: bool = False) -> Generated:
        from . import write

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
    from .render import pdf as render_pdf

    if pdf:
        render_pdf.require_soffice()  # say so before any work is done
    profile = read_profile(Path(profile_path))  # a bad profile is reported before the catalog is read
    return Session.open(ws).generate(profile_path, out_dir, force=force, pdf=pdf, now=now, profile=profile,
                                     brief=brief)


def _with_pdfs(files: dict[str, bytes], proposal, reference_docx: Path, ws: Workspace) -> dict[str, bytes]:
    """Both PDFs; the proposal is converted twice so that its TOC carries LibreOffice's page numbers."""
    from .render import docx as render_docx, pdf as render_pdf

    fonts = ws.template_optional("fonts/fonts.conf")
    first = render_pdf.convert({"proposal.docx": files["proposal.docx"]}, fonts)
    pages = render_pdf.page_texts(first["proposal.pdf"])
    if pages:
        toc = render_pdf.heading_pages(pages, render_docx.toc_headings(proposal))
        files["proposal.docx"] = render_docx.render(proposal, reference_docx, toc_pages=toc)
    return {**files, **render_pdf.convert(files, fonts)}
