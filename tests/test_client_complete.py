"""Nothing internal or empty reaches a client: every example and every labelled profile is rendered
and its proposal and deck read back as a client reads them.

- every date with its year;
- no placeholder or template markup (待指定, TODO, XXX, None, nan, {{ }}, [[ ]]) in any text, notes included;
- no empty section (a heading with nothing under it before the next heading of its level) and no
  empty table cell in the proposal;
- a product's one-liner (its catalog ``summary``) is told once in the proposal: where the product
  is presented (推荐产品详解). The overview table says which of the client's needs each product
  answers instead, and the appendix lists specifications without repeating it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from pptx import Presentation

from pitchcraft.pipeline import Session
from pitchcraft.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PROFILES = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    p for folder in ("profiles", "tuning") for p in (ROOT / "tests" / "eval" / folder).glob("[0-9]*.yaml")
    if not p.name.endswith(".gold.yaml"))
YEARLESS = re.compile(r"(?<![年\d])\d{1,2}\s*月\s*\d{1,2}\s*日")  # "12 月 31 日" without its year
PLACEHOLDER = re.compile(r"待指定|待填写|TODO|XXX|\bNone\b|\bnan\b|\bnull\b|Undefined|\{\{|\}\}|\{%|%\}|\[\[|\]\]")


@pytest.fixture(scope="module")
def session():
    return Session.open(Workspace.open(ROOT))


def _body(data: bytes) -> list[tuple]:
    """The proposal's body in order: ("h", level, text), ("p", style, text) or ("t", rows)."""
    doc = Document(io.BytesIO(data))
    out: list[tuple] = []
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(el, doc.part)
            style = p.style.name if p.style is not None else ""
            level = re.fullmatch(r"Heading (\d)", style)
            out.append(("h", int(level.group(1)), p.text) if level else ("p", style, p.text))
        elif tag == "tbl":
            out.append(("t", [[c.text for c in row.cells] for row in DocxTable(el, doc.part).rows]))
    return out


def _empty_sections(body: list[tuple]) -> list[str]:
    empty = []
    for i, item in enumerate(body):
        if item[0] != "h":
            continue
        for nxt in body[i + 1:]:
            if nxt[0] == "h" and nxt[1] <= item[1]:
                empty.append(item[2])
                break
            if nxt[0] in ("h", "t") or nxt[2].strip():
                break
        else:
            empty.append(item[2])
    return empty


def _text(body: list[tuple]) -> str:
    return "\n".join("\n".join("\n".join(r) for r in item[1]) if item[0] == "t" else item[2] for item in body)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_nothing_internal_or_empty_reaches_a_client(path, session):
    built = session.build(path, now=dt.datetime(2026, 12, 1, 10, 0).astimezone())
    body = _body(built.files["proposal.docx"])
    text = _text(body)
    problems = [f"placeholder {m.group(0)!r}: …{text[max(0, m.start() - 30):m.end() + 30]}…"
                for m in PLACEHOLDER.finditer(text)]
    problems += [f"date without its year: {m.group(0)!r}" for m in YEARLESS.finditer(text)]
    problems += [f"empty section: {h}" for h in _empty_sections(body)]
    problems += [f"empty cell in table {item[1][0]}" for item in body if item[0] == "t"
                 for row in item[1] for cell in row if not cell.strip()]
    for m in built.recommendation.all_products:
        told = text.count(m.product.summary.rstrip("。；;. "))
        if told != 1:
            problems.append(f"{m.product.name}: one-liner told {told} times")
    deck = Presentation(io.BytesIO(built.files["pitch.pptx"]))
    for n, slide in enumerate(deck.slides, 1):
        seen = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        seen += "\n" + (slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
        problems += [f"slide {n}: placeholder {m.group(0)!r}" for m in PLACEHOLDER.finditer(seen)]
        problems += [f"slide {n}: date without its year {m.group(0)!r}" for m in YEARLESS.finditer(seen)]
        if not seen.strip():
            problems.append(f"slide {n} is empty")
    assert not problems, "\n".join(problems[:20])


def test_the_checks_catch_what_they_look_for():
    assert _empty_sections([("h", 1, "一、甲"), ("p", "Normal", " "), ("h", 1, "二、乙"), ("p", "Body", "有内容")]) == ["一、甲"]
    assert _empty_sections([("h", 1, "一、甲"), ("h", 2, "（一）子"), ("t", [["a"]])]) == []
    assert _empty_sections([("h", 1, "一、甲"), ("h", 2, "（一）子")]) == ["（一）子"]
    for leak in ("客户经理：（待指定）", "金额 None 元", "{{ client.name }}", "nan 人", "[[plan_table]]"):
        assert PLACEHOLDER.search(leak), leak
    assert not PLACEHOLDER.search("NoneSuch 不算；Nancy 也不算")
    assert YEARLESS.findall("12 月 31 日 – 1 月 7 日") == ["12 月 31 日", "1 月 7 日"]
    assert not YEARLESS.search("2026年12月31日至\n2027年1月7日")
