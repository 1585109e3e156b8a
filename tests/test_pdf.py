"""generate --pdf: LibreOffice converts both files; the proposal's TOC carries real page numbers."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES, needs_soffice
from docreader import docx_paragraphs
from pitchcraft.render import pdf as render_pdf



@needs_soffice
def test_generate_pdf_with_numbered_table_of_contents(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("generate", EXAMPLES[0], "--out", out, "--pdf")
    assert result.exit_code == 0, result.stderr
    folder = next(out.iterdir())
    assert {"proposal.pdf", "pitch.pdf"} <= {p.name for p in folder.iterdir()}
    pages = render_pdf.page_texts((folder / "proposal.pdf").read_bytes())
    assert len(pages) >= 6
    assert "信息化解决方案建议书" in re.sub(r"\s+", "", pages[0])
    toc = [text for style, text in docx_paragraphs(folder / "proposal.docx") if style in ("TOC 1", "TOC 2")]
    assert toc and all(re.search(r"\t\d+$", t) for t in toc), toc[:3]
    first_chapter_page = int(toc[0].rsplit("\t", 1)[1])
    assert "一、执行摘要" in pages[first_chapter_page - 1]
    assert "目" in pages[1] and "一、执行摘要" in pages[1]  # the PDF's TOC is filled, not a placeholder
    last_title, last_page = toc[-1].rsplit("\t", 1)
    assert last_title in pages[int(last_page) - 1]
    slides = render_pdf.page_texts((folder / "pitch.pdf").read_bytes())
    assert "信息化解决方案" in re.sub(r"\s+", "", slides[0])


def test_pdf_without_libreoffice_says_how_to_install(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(render_pdf, "find_soffice", lambda: None)
    out = tmp_path / "out"
    result = cli("generate", EXAMPLES[0], "--out", out, "--pdf")
    assert result.exit_code == 1
    assert "LibreOffice" in result.stderr and "apt-get install" in result.stderr
    assert not out.exists()
