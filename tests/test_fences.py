"""The edges pitchcraft leans on: python-pptx's and python-docx's private parts, fenced by version
ranges in pyproject.toml, and the generated packages themselves (every XML part parses, LibreOffice
opens them). An upgrade that moves a private part fails here, by name, not deep inside a render."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import re
import shutil
import subprocess
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

import docx
import pytest
from lxml import etree
from pptx import Presentation
from pptx.parts.chart import ChartPart
from pptx.parts.slide import NotesSlidePart

from pitchcraft.pipeline import Session
from pitchcraft.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "county-hospital.yaml"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize("dist", ["python-pptx", "python-docx"])
def test_the_installed_version_is_inside_the_fence(dist):
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    spec = next(d for d in deps if d.startswith(dist))
    low, high = re.search(r">=([\d.]+),<([\d.]+)", spec).groups()
    assert _version(low) <= _version(version(dist)) < _version(high), f"{dist} {version(dist)} outside {spec}"


def test_python_pptx_private_parts_used_by_the_deck_are_there():
    prs = Presentation(str(ROOT / "templates" / "reference.pptx"))
    layout = prs.slide_layouts[0]
    rId, slide = prs.slides.part.add_slide(layout)            # render/pptx.py: _new_slide
    assert isinstance(rId, str)
    tree = slide.shapes._spTree
    assert hasattr(tree, "iter_ph_elms") and hasattr(slide.shapes, "clone_layout_placeholders")
    assert hasattr(prs.slides._sldIdLst, "add_sldId")
    params = list(inspect.signature(NotesSlidePart.__init__).parameters)
    assert params[:5] == ["self", "partname", "content_type", "package", "element"], params
    part = slide.part
    assert all(hasattr(part, name) for name in ("relate_to", "part_related_by", "package", "rels", "_element"))
    assert hasattr(part.package, "iter_parts")
    source = inspect.getsource(ChartPart.new)                   # render/chartxml.py: ChartParts
    assert "xml_bytes(" in source and "xlsx_blob" in source, "the chart-data protocol changed"


def test_python_docx_private_parts_used_by_the_product_map_are_there():
    document = docx.Document()
    table = document.add_table(rows=1, cols=1)
    row = table.rows[0]
    assert row._tr.get_or_add_trPr() is not None and table.cell(0, 0)._tc is not None


@pytest.fixture(scope="module")
def files():
    session = Session.open(Workspace.open(ROOT))
    built = session.build(EXAMPLE, now=dt.datetime(2026, 12, 1, 10, 0).astimezone(), brief=True)
    return {name: data for name, data in built.files.items() if name.endswith((".docx", ".pptx"))}


def test_every_xml_part_of_every_package_parses(files):
    assert set(files) == {"proposal.docx", "pitch.pptx", "brief.docx"}
    for name, data in files.items():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None
            parts = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
            assert "[Content_Types].xml" in parts
            for part in parts:
                etree.fromstring(z.read(part))  # raises on a malformed part


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_every_package(files, tmp_path):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                          "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *[str(tmp_path / n) for n in files]],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    for name in files:
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000 and pdf.read_bytes().startswith(b"%PDF"), name
