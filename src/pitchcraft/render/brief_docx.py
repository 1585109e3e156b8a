"""The visit brief -> a Word document on the brand's reference .docx, marked internal everywhere.

Styles come from the reference document by name, as for the proposal; the only additions are the
internal-use marks: the page header of every page, the banner under the title, the document
properties (title, subject, keywords, category) and a closing note.
"""

from __future__ import annotations

from pathlib import Path

from ..brief import Brief
from ..compose.context import COMPANY, DEPARTMENT
from ..compose.model import Table
from ..textblocks import Bullets, Heading, Para
from . import wordml
from .docx import STYLE, BodyWriter, brand_colour, open_reference, saved, text_width

REQUIRED = {"Title", "Normal", "Heading 1", "Heading 2", "Table Grid", STYLE["body"], STYLE["quote"],
            STYLE["note"], STYLE["bullet"], STYLE["caption"], STYLE["table_text"], STYLE["table_header"]}


def render(brief: Brief, reference: Path) -> bytes:
    doc, style_ids = open_reference(reference, REQUIRED)
    header_text = f"{brief.banner} · {COMPANY} {DEPARTMENT}"
    for section in doc.sections:
        section.different_first_page_header_footer = False  # the mark on every page, the first too
        _set_header(section.header, header_text)
    # table headers in the brand's colour, as in the proposal
    writer = BodyWriter(doc, text_width(doc), {}, brand_colour(doc), style_ids)
    writer.para(brief.title, "Title")
    writer.para(style=STYLE["note"], runs=wordml.run(f"【{brief.banner}】", bold=True)
                + wordml.run("仅供客户经理拜访准备使用，不得发给客户，不得并入建议书。"))
    for label, value in brief.meta:
        writer.para(f"{label}：{value}", STYLE["note"])
    for block in brief.blocks:
        if not isinstance(block, (Heading, Para, Bullets, Table)):  # pragma: no cover - programming error
            raise TypeError(f"unknown block {block!r}")
        writer.block(block)
    writer.para(style=STYLE["note"], runs=wordml.run(f"{brief.banner}：", bold=True) + wordml.run(brief.footer_note))

    props = doc.core_properties
    props.title = f"{brief.title}（{brief.banner}）"
    props.subject = "客户经理拜访简报（内部资料）"
    props.keywords = brief.banner
    props.category = "内部资料"
    props.comments = brief.footer_note
    props.author = f"{COMPANY} {DEPARTMENT}"
    return saved(doc, writer.finish())


def _set_header(header, text: str) -> None:
    header.is_linked_to_previous = False
    paragraphs = header.paragraphs
    if paragraphs:
        paragraphs[0].text = text
        for extra in paragraphs[1:]:
            extra.text = ""
    else:
        header.add_paragraph(text)


__all__ = ["render"]
