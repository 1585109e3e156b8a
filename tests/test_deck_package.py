"""The deck written as package parts (render/deckpkg.py) is the deck python-pptx wrote.

Until round 13 the renderer opened the reference, added slides, notes pages and charts and saved the
deck through python-pptx. That way is kept here, as :class:`PythonPptxDeck`, answering the renderer's
questions about the reference with python-pptx's own objects (inherited placeholder sizes, layout
names, theme colours) and adding slides, notes and charts with python-pptx's own calls. Each test
renders the same proposal both ways and compares the two decks: every part, its XML canonicalised,
its relationships and content type; and, read back by python-pptx as a reader's program would, slide
by slide, shape by shape, text by text, notes and chart data.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from conftest import EVAL, EXAMPLES, ROOT, copy_workspace, issued, modules_a_generate_imports
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from pitchcraft.pipeline import Session
from pitchcraft.render import deckpkg
from pitchcraft.render import pptx as render_pptx
from pitchcraft.workspace import Workspace

PROFILES = [*EXAMPLES, *(EVAL / "profiles" / f"{name}.yaml" for name in (
    "31-county-government-office", "33-city-commercial-bank", "35-convenience-store-chain",
    "37-dental-clinic-chain", "38-navel-orange-coop", "41-seaside-resort-hotel", "44-water-utility",
    "46-auto-parts-maker"))]
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.timezone.utc)
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


class _Slide:
    def __init__(self, slide):
        self.slide, self.tree = slide, slide.shapes._spTree


class PythonPptxDeck:
    """The reference deck opened by python-pptx, answering what render/pptx.py asks of
    :class:`deckpkg.DeckPackage` the way the renderer asked python-pptx before round 13."""

    def __init__(self, reference: Path):
        self.prs = Presentation(str(reference))
        self.layouts = {layout.name: layout for layout in self.prs.slide_masters[0].slide_layouts}
        self.master = self.prs.slide_master.element
        self.slide_width, self.slide_height = self.prs.slide_width, self.prs.slide_height
        self.theme_colors = {}
        for rel in self.prs.slide_master.part.rels.values():
            if rel.reltype.endswith("/theme"):
                scheme = etree.fromstring(rel.target_part.blob).find(f".//{{{deckpkg.A_NS}}}clrScheme")
                for el in scheme:
                    srgb = el.find(f"{{{deckpkg.A_NS}}}srgbClr")
                    if srgb is not None:
                        self.theme_colors[etree.QName(el).localname] = srgb.get("val").upper()

    def footers(self, name: str):
        return [(shape._element, shape.width, shape.height) for owner in (self.prs.slide_master, *self.prs.slide_layouts)
                for shape in owner.shapes if shape.name == name and shape._element.tag == f"{P}sp"
                and shape.has_text_frame]

    def title_placeholder(self, layout: str):
        for ph in self.layouts[layout].placeholders:
            if ph.placeholder_format.type.name in ("TITLE", "CENTER_TITLE"):
                return ph._element, ph.width, ph.height
        return None

    def panels(self, layout: str, prefix: str):
        return {shape.name: (shape.left, shape.top, shape.width, shape.height)
                for shape in self.layouts[layout].shapes if shape.name.startswith(prefix)}

    def add_slide(self, layout: str):
        slide = self.prs.slides.add_slide(self.layouts[layout])
        tree = slide.shapes._spTree
        return _Slide(slide), [(sp, sp.ph_type.name) for sp in tree.iter_ph_elms()]

    def add_chart(self, slide: _Slide, chart_xml: bytes, workbook: bytes, box) -> None:
        data = type("ChartData", (), {"xml_bytes": lambda self, _type: chart_xml, "xlsx_blob": workbook})()
        slide.slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, *box, data)

    def add_notes(self, slide: _Slide):
        return slide.slide.notes_slide.notes_placeholder._element

    def save(self, title: str, author: str) -> bytes:
        self.prs.core_properties.title = title
        self.prs.core_properties.author = author
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _both(monkeypatch, ws: Path, profile: Path) -> tuple[bytes, bytes]:
    """The deck of a profile written as parts and through python-pptx, from the same proposal."""
    made = {}
    real = render_pptx.render

    def twice(proposal, reference):
        made["parts"] = real(proposal, reference)
        with monkeypatch.context() as m:
            m.setattr(render_pptx, "DeckPackage", PythonPptxDeck)
            made["python-pptx"] = real(proposal, reference)
        return made["parts"]

    monkeypatch.setattr(render_pptx, "render", twice)
    Session.open(Workspace.open(ws)).build(issued(profile), now=NOW)
    monkeypatch.setattr(render_pptx, "render", real)
    return made["parts"], made["python-pptx"]


def _canonical(name: str, blob: bytes):
    if name.endswith(".rels"):
        return sorted((r.get("Id"), r.get("Type"), r.get("Target"), r.get("TargetMode"))
                      for r in etree.fromstring(blob))
    if name.endswith(".xml"):
        return etree.tostring(etree.fromstring(blob, etree.XMLParser(remove_blank_text=True)), method="c14n")
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            return {n: z.read(n) for n in z.namelist()}
    return blob


def _parts(deck: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    types = etree.fromstring(parts.pop("[Content_Types].xml"))
    defaults = {e.get("Extension"): e.get("ContentType") for e in types if e.get("Extension")}
    overrides = {e.get("PartName").lstrip("/"): e.get("ContentType") for e in types if e.get("PartName")}
    return {n: (_canonical(n, b), overrides.get(n) or defaults.get(n.rpartition(".")[2])) for n, b in parts.items()}


def _read(deck: bytes) -> list:
    """What a reader's program sees in a deck, slide by slide and shape by shape."""
    prs = Presentation(io.BytesIO(deck))
    seen = [("size", prs.slide_width, prs.slide_height, prs.core_properties.title, prs.core_properties.author)]
    for layout in prs.slide_layouts:
        seen.append(("layout", layout.name, [(s.name, s.text_frame.text if s.has_text_frame else None)
                                             for s in layout.shapes]))
    for slide in prs.slides:
        seen.append(("slide", slide.slide_layout.name, slide.notes_slide.notes_text_frame.text
                     if slide.has_notes_slide else None))
        for s in slide.shapes:
            chart = None
            if s.has_chart:
                chart = [(series.name, list(series.values)) for series in s.chart.plots[0].series]
                chart += [list(s.chart.plots[0].categories)]
            seen.append((s.shape_id, s.name, s.shape_type, s.left, s.top, s.width, s.height,
                         s.is_placeholder and s.placeholder_format.type,
                         [(p.level, [(r.text, r.font.size, r.font.bold) for r in p.runs])
                          for p in s.text_frame.paragraphs] if s.has_text_frame else None, chart))
    return seen


def _same(parts: bytes, python_pptx: bytes) -> None:
    ours, theirs = _parts(parts), _parts(python_pptx)
    assert sorted(ours) == sorted(theirs)
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert not differing
    assert _read(parts) == _read(python_pptx)


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return copy_workspace(tmp_path_factory.mktemp("deckpkg") / "ws")


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.stem)
def test_the_deck_written_as_parts_is_python_pptx_s_deck(monkeypatch, ws, profile):
    parts, python_pptx = _both(monkeypatch, ws, profile)
    _same(parts, python_pptx)
    prs = Presentation(io.BytesIO(parts))
    assert len(prs.slides) >= 8 and all(s.has_notes_slide for s in prs.slides)


def _edited_reference(tmp_path: Path, edit) -> Path:
    ws = copy_workspace(tmp_path / "ws")
    ref = ws / "templates" / "reference.pptx"
    prs = Presentation(str(ref))
    edit(prs)
    prs.save(str(ref))
    return ws


def _no_designed_layouts(prs) -> None:
    master = prs.slide_master
    id_list = master._element.find(f"{P}sldLayoutIdLst")
    for layout in list(prs.slide_layouts):
        if layout.name not in ("Title Slide", "Title Only", "Section Header"):
            rid = next(r for r, rel in master.part.rels.items() if rel.target_part is layout.part)
            id_list.remove(next(e for e in id_list if e.get(f"{{{deckpkg.R_NS}}}id") == rid))
            master.part.drop_rel(rid)


def _own_notes_master_and_a_slide(prs) -> None:
    prs.notes_master.placeholders[1].text_frame.text = "品牌备注页"  # the brand's notes master, kept
    slide = prs.slides.add_slide(prs.slide_layouts[0])  # a sample slide the brand left in its reference
    slide.shapes.title.text = "示例页"


def _footer_placeholders(prs) -> None:
    """The layouts' footers as placeholders without their own size: they take the master's."""
    for layout in prs.slide_layouts:
        for shape in layout.shapes:
            if shape.name == "Brand Footer":
                nv = shape._element.find(f"{P}nvSpPr/{P}nvPr")
                etree.SubElement(nv, f"{P}ph", type="ftr", sz="quarter", idx="11")
                xfrm = shape._element.find(f"{P}spPr/{{{deckpkg.A_NS}}}xfrm")
                if xfrm is not None:
                    xfrm.getparent().remove(xfrm)


@pytest.mark.parametrize("edit", [_no_designed_layouts, _own_notes_master_and_a_slide, _footer_placeholders],
                         ids=["older reference, classic layouts only", "own notes master and a sample slide",
                              "footers as placeholders"])
def test_a_brand_s_own_reference_deck_is_written_as_python_pptx_wrote_it(monkeypatch, tmp_path, edit):
    ws = _edited_reference(tmp_path, edit)
    for profile in EXAMPLES[:2]:
        _same(*_both(monkeypatch, ws, profile))


def test_the_reference_s_unchanged_parts_are_copied_as_they_are(monkeypatch, ws):
    parts, _ = _both(monkeypatch, ws, EXAMPLES[0])
    with zipfile.ZipFile(ROOT / "templates" / "reference.pptx") as z:
        reference = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(io.BytesIO(parts)) as z:
        deck = {n: z.read(n) for n in z.namelist()}
    assert deck["ppt/theme/theme1.xml"] == reference["ppt/theme/theme1.xml"]
    unchanged = [n for n in reference if n.startswith("ppt/slideLayouts/") and b"Brand Footer" not in reference[n]]
    assert unchanged and all(deck[n] == reference[n] for n in unchanged)


def test_a_generate_process_imports_neither_python_pptx_nor_python_docx(tmp_path):
    """Both documents are written as package parts: a one-shot ``generate`` does not pay for
    importing the libraries (about 45 ms for python-pptx alone); the deck is still there."""
    imported = modules_a_generate_imports(tmp_path / "out")
    assert "pitchcraft.render.deckpkg" in imported
    assert not [name for name in imported if name.split(".")[0] in ("pptx", "docx")]
    deck = next((tmp_path / "out").rglob("pitch.pptx"))
    assert len(Presentation(str(deck)).slides) >= 8
