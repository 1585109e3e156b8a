"""A heading and the summary under it are never left alone at the foot of a page: the summary keeps
with what it sums up, a paragraph introducing a table keeps with the table (checked in the .docx and,
where LibreOffice is installed, on the pages it prints)."""

from __future__ import annotations

import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES, generate_examples, needs_soffice
from pitchcraft.render import pdf as render_pdf



@pytest.fixture(scope="module")
def proposals(tmp_path_factory):
    return {stem: folder / "proposal.docx"
            for stem, folder in generate_examples(tmp_path_factory.mktemp("keep")).items()}


def _keeps(p) -> bool:
    ppr = p._p.pPr
    return ppr is not None and ppr.find(qn("w:keepNext")) is not None


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_a_product_summary_and_a_table_introduction_keep_with_next(proposals, name):
    doc = Document(str(proposals[name]))
    paras = doc.paragraphs
    section = doc.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) / 635  # EMU -> twips
    summaries = 0
    for p, nxt in zip(paras, paras[1:]):
        if p.style.name == "Heading 2" and re.match(r"^（[一二三四五六七八九十]+）.+：", p.text):
            if nxt.style.name.startswith("Heading"):
                continue
            # the product's summary keeps with the sub-heading after it, however long (since round 12:
            # let go when two lines long, it ended 119's page 8 under its heading, alone)
            assert _keeps(nxt), (p.text, nxt.text, width)
            summaries += 1
    assert summaries >= 2
    body = list(doc.element.body)
    introductions = 0
    for i, el in enumerate(body[:-2]):
        # a body paragraph, then the caption ("表：…"), then the table: the paragraph keeps with them
        if el.tag == qn("w:p") and body[i + 2].tag == qn("w:tbl"):
            caption = "".join(t.text or "" for t in body[i + 1].iter(qn("w:t")))
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            kind = style.get(qn("w:val")) if style is not None else ""
            if caption.startswith("表：") and text.strip() and not any(k in kind for k in ("Heading", "List")):
                assert el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None, text
                introductions += 1
    assert introductions >= 1


@needs_soffice
def test_no_product_heading_is_left_at_the_foot_of_a_page(proposals):
    """Each product's heading is on the page where its summary starts, and where its first part
    (为贵单位解决的问题) starts when the summary keeps with it."""
    for name, path in proposals.items():
        doc = Document(str(path))
        paras = doc.paragraphs
        headings = [(p.text, paras[i + 1].text, _keeps(paras[i + 1])) for i, p in enumerate(paras)
                    if p.style.name == "Heading 2" and re.match(r"^（[一二三四五六七八九十]+）.+：", p.text)]
        pdf = render_pdf.convert({"proposal.docx": path.read_bytes()})["proposal.pdf"]
        pages = [re.sub(r"\s+", "", t) for t in render_pdf.page_texts(pdf)]
        for heading, summary, chained in headings:
            key = re.sub(r"\s+", "", heading)[:12]
            at = next((n for n, t in enumerate(pages) if key in t and n >= 2), None)  # after cover and TOC
            assert at is not None, (name, heading)
            after = pages[at].split(key, 1)[1]
            assert re.sub(r"\s+", "", summary)[:8] in after, f"{name}: {heading} alone at the foot of page {at + 1}"
            if chained:
                assert "为贵单位解决的问题" in after, f"{name}: {heading} and its summary alone on page {at + 1}"
