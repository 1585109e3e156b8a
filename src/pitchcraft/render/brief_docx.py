"""The visit brief -> a Word document on the brand's reference .docx, marked internal everywhere.

Styles come from the reference document by name, as for the proposal; the only additions are the
internal-use marks: the page header of every page, the banner under the title, the document
properties (title, subject, keywords, category) and a closing note.
"""

from __future__ import annotations

from pathlib import Path

from ..compose.brief import Brief
from ..compose.model import Table
from ..compose.textblocks import Bullets, Heading, Para
from . import wordml
from .docx import STYLE, BodyWriter
from .wordpkg import WordPackage

REQUIRED = {"Title", "Normal", "Heading 1", "Heading 2", "Table Grid", STYLE["body"], STYLE["quote"],
            STYLE["note"], STYLE["bullet"], STYLE["caption"], STYLE["table_text"], STYLE["table_header"]}


def render(brief: Brief, reference: Path) -> bytes:
    package = WordPackage(reference)
    package.require_styles(REQUIRED)
    package.title_page(False)  # the mark on every page, the first too
    package.header_text(f"{brief.banner} · {brief.issuer}" if brief.issuer else brief.banner)
    writer = BodyWriter(package, {})  # table headers in the brand's colour, as in the proposal
    writer.para(brief.heading or brief.title, "Title")
    writer.para(style=STYLE["note"], runs=wordml.run(f"【{brief.banner}】", bold=True)
                + wordml.run("仅供客户经理拜访准备使用，不得发给客户，不得并入建议书。"))
    for label, value in brief.meta:
        writer.para(f"{label}：{value}", STYLE["note"])
    # each block with the one after it, as in the proposal: a heading (keepNext in its style) and the
    # paragraph introducing a table or list keep with it, so no heading ends a page alone
    for block, after in zip(brief.blocks, [*brief.blocks[1:], None]):
        if not isinstance(block, (Heading, Para, Bullets, Table)):  # pragma: no cover - programming error
            raise TypeError(f"unknown block {block!r}")
        writer.block(block, after)
    writer.para(style=STYLE["note"], runs=wordml.run(f"{brief.banner}：", bold=True) + wordml.run(brief.footer_note))
    return package.save(writer.finish(), title=f"{brief.title}（{brief.banner}）",
                        subject="客户经理拜访简报（内部资料）", keywords=brief.banner, category="内部资料",
                        comments=brief.footer_note, author=brief.issuer)


__all__ = ["render"]
