"""How much text fits a slide's text frame: measured from the reference deck, not hoped.

Sizes, indents, line and paragraph spacing per outline level are read from the master's body style;
widths are estimated per character (CJK and full-width forms one em, others about half an em).
This is deliberately conservative: a frame judged full is split onto a continuation slide.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: importing python-pptx costs a one-shot generate about 45 ms
    from pptx.util import Emu

_NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
       "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
EMU_PER_PT = 12700
INSET_LR_PT = 7.2   # python-pptx / PowerPoint default text frame insets: 0.1 in left and right
INSET_TB_PT = 3.6   # 0.05 in top and bottom


@dataclass(frozen=True)
class Level:
    size_pt: float
    indent_pt: float
    line_spacing: float   # multiple of the font size
    space_before_pt: float


def char_em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def body_levels(master) -> list[Level]:
    """The nine outline levels of a slide master's body text style."""
    levels = []
    style = master.element.find(".//p:txStyles/p:bodyStyle", _NS)
    for n in range(1, 10):
        lvl = style.find(f"a:lvl{n}pPr", _NS) if style is not None else None
        size, indent, spacing, before = 18.0, 0.0, 1.0, 0.0
        if lvl is not None:
            indent = int(lvl.get("marL", "0")) / EMU_PER_PT
            rpr = lvl.find("a:defRPr", _NS)
            if rpr is not None and rpr.get("sz"):
                size = int(rpr.get("sz")) / 100
            pct = lvl.find("a:lnSpc/a:spcPct", _NS)
            if pct is not None:
                spacing = int(pct.get("val")) / 100_000
            pts = lvl.find("a:spcBef/a:spcPts", _NS)
            if pts is not None:
                before = int(pts.get("val")) / 100
        levels.append(Level(size, indent, spacing, before))
    return levels


LINE_FACTOR = 1.2  # a line's height at 100% spacing, as a multiple of the font size


def paragraph_height(text: str, level: Level, width_pt: float, scale: float = 1.0) -> float:
    size = level.size_pt * scale
    usable = max(width_pt - 2 * INSET_LR_PT - level.indent_pt, size)
    lines = max(1, math.ceil(text_em(text) * size / usable))
    return level.space_before_pt * scale + lines * size * LINE_FACTOR * level.line_spacing


def frame_height(paragraphs: list[tuple[int, str]], levels: list[Level], width_pt: float,
                 scale: float = 1.0) -> float:
    return 2 * INSET_TB_PT + sum(paragraph_height(t, levels[min(lv, 8)], width_pt, scale)
                                 for lv, t in paragraphs)


def fits(paragraphs: list[tuple[int, str]], levels: list[Level], width: Emu, height: Emu) -> bool:
    return frame_height(paragraphs, levels, width / EMU_PER_PT) <= height / EMU_PER_PT


def split_to_fit(paragraphs: list[tuple[int, str]], levels: list[Level], width: Emu, height: Emu
                 ) -> list[list[tuple[int, str]]]:
    """Paragraphs in pages that each fit; a heading (level 0 followed by deeper items) is never left
    alone at the bottom of a page, and a continued group repeats its heading."""
    pages: list[list[tuple[int, str]]] = [[]]
    heading: tuple[int, str] | None = None
    for i, para in enumerate(paragraphs):
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        is_heading = para[0] == 0 and nxt is not None and nxt[0] > 0
        if para[0] == 0:
            heading = para if is_heading else None
        candidate = pages[-1] + [para] + ([nxt] if is_heading else [])
        if pages[-1] and not fits(candidate, levels, width, height):
            pages.append([heading] if heading and not is_heading and heading != para else [])
        pages[-1].append(para)
    return pages



def text_height(paragraphs: list[str], size_pt: float, width_pt: float, spacing: float = 1.0,
                gap_em: float = 0.0, inset_pt: float = INSET_LR_PT) -> float:
    """Height of plain paragraphs at one size in a frame ``width_pt`` wide (insets ``inset_pt`` on
    every side), ``gap_em`` font sizes of space between paragraphs."""
    usable = max(width_pt - 2 * inset_pt, size_pt)
    lines = sum(max(1, math.ceil(text_em(t) * size_pt / usable)) for t in paragraphs)
    return 2 * inset_pt + lines * size_pt * LINE_FACTOR * spacing + gap_em * size_pt * max(len(paragraphs) - 1, 0)


def largest_size(paragraphs: list[str], width: Emu, height: Emu, sizes: tuple[float, ...], *, spacing: float = 1.0,
                 gap_em: float = 0.0, inset_pt: float = INSET_LR_PT) -> float | None:
    """The largest of ``sizes`` (points, descending) at which the paragraphs fit the frame, or None."""
    for size in sizes:
        if text_height(paragraphs, size, width / EMU_PER_PT, spacing, gap_em, inset_pt) <= height / EMU_PER_PT:
            return size
    return None
