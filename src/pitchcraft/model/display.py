"""How wide a text is in a terminal, computed once here: Chinese characters take two columns; and
where a sentence's clauses end, for the short forms a heading or a cell shows."""

from __future__ import annotations

import re
import unicodedata

CLAUSE_END = re.compile(r"[，,。；;！？!?]")  # the marks that end a clause, full-width and ASCII


def clauses(text: str) -> list[str]:
    """The clauses of a sentence, stripped, empty ones left out."""
    return [c.strip() for c in CLAUSE_END.split(text) if c.strip()]


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns."""
    return text + " " * max(width - display_width(text), 0)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, with an ellipsis when cut."""
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return out + "…"
