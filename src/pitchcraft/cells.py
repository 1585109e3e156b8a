"""Text bound for a spreadsheet cell (CSV or .xlsx): always shown as text, never run as a formula.

A client name or a product name is data. Excel and WPS read a CSV cell beginning with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula, which can fetch a URL
or start a program (``=HYPERLINK(...)``, ``=cmd|...``); openpyxl stores a text beginning with ``=``
as a live formula. Such a cell gets a leading apostrophe, Excel's own mark for "this is text",
and characters no spreadsheet file can carry (NUL, other control characters) are dropped.
"""

from __future__ import annotations

from typing import Any

from .reading import xml_safe

FORMULA_START = frozenset("=+-@\t\r\n")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as the start of a formula."""
    if not text:
        return False
    if text[0] in FORMULA_START:
        return True
    stripped = text.lstrip(" \u3000")
    return stripped != text and stripped[:1] in FORMULA_START


def csv_cell(value: Any) -> Any:
    """A value for ``csv.writer``: text made inert, numbers as they are."""
    if not isinstance(value, str):
        return value
    text = xml_safe(value)
    return "'" + text if is_formula_like(text) else text


def xlsx_text(cell) -> None:
    """An openpyxl cell holding text, made inert: stored as text (not a formula) with Excel's
    quote prefix, so that editing the cell does not turn it into one either."""
    value = cell.value
    if not isinstance(value, str):
        return
    clean = xml_safe(value)
    if clean != value:
        cell.value = clean
    if is_formula_like(clean):
        cell.data_type = "s"
        cell.quotePrefix = True
