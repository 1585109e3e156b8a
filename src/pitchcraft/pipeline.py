"""The whole path as library calls: load -> match -> compose -> render -> write.

Everything is gathered, checked and rendered in memory first; files are written last, atomically,
so a failure at any stage leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .load import Catalog, load_catalog, load_cases, load_profile
from .match import Recommendation, recommend
from .schema import Case, Profile
from .workspace import Workspace


@dataclass
class Content:
    catalog: Catalog
    cases: list[Case]
    warnings: list[Problem]


def load_content(ws: Workspace) -> Content:
    catalog, warnings = load_catalog(ws.catalog_file)
    cases, case_warnings = load_cases(ws.cases_dir, catalog)
    return Content(catalog, cases, warnings + case_warnings)


def recommend_for(ws: Workspace, profile_path: Path) -> tuple[Profile, Recommendation, list[Problem]]:
    profile, warnings = load_profile(profile_path)
    content = load_content(ws)
    rec = recommend(profile, content.catalog, content.cases)
    return profile, rec, warnings + content.warnings


@dataclass
class Generated:
    folder: Path
    files: list[Path]
    recommendation: Recommendation
    warnings: list[Problem]


def generate(ws: Workspace, profile_path: Path, out_dir: Path | None = None, *, force: bool = False,
             pdf: bool = False, now: dt.datetime | None = None) -> Generated:
    from . import compose, write
    from .render import docx as render_docx, pdf as render_pdf, pptx as render_pptx

    if pdf:
        render_pdf.require_soffice()  # say so before any work is done

    now = now or dt.datetime.now().astimezone()
    profile, warnings = load_profile(profile_path)
    content = load_content(ws)
    rec = recommend(profile, content.catalog, content.cases)
    proposal = compose.compose(rec, ws, today=now.date())
    out_dir = Path(out_dir) if out_dir else ws.proposals_dir
    folder_name = write.folder_name(profile, proposal.date)
    write.check_target(out_dir, folder_name, force)   # fail early, before rendering
    reference_docx = ws.template("reference.docx")
    files = {
        "proposal.docx": render_docx.render(proposal, reference_docx),
        "pitch.pptx": render_pptx.render(proposal, ws.template("reference.pptx")),
    }
    if pdf:
        files = _with_pdfs(files, proposal, reference_docx, ws)
    files["profile.yaml"] = profile_path.read_bytes()
    manifest = write.manifest(profile_path, content.catalog, files, now)
    folder = write.write_folder(out_dir, folder_name, files, manifest, force=force)
    return Generated(folder, [folder / name for name in files], rec, warnings + content.warnings)


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
