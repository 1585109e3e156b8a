"""generate: both documents, reopened and read as a client would read them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation

from conftest import EXAMPLES, ROOT, copy_workspace
from docreader import docx_paragraphs, docx_text, pptx_slides

LEAKS = ("{{", "}}", "{%", "%}", "None", "Undefined", "TODO", "XX", "[[")


def _generate(cli, profile: Path, out: Path) -> Path:
    result = cli("generate", profile, "--out", out)
    assert result.exit_code == 0, result.stderr
    folders = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert len(folders) == 1
    return folders[0]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Every example generated once into the shipped workspace's copy."""
    from conftest import Cli

    ws = tmp_path_factory.mktemp("ws")
    copy_workspace(ws)
    cli = Cli(ws)
    out = {}
    for example in EXAMPLES:
        dest = tmp_path_factory.mktemp(example.stem)
        folder = _generate(cli, example, dest)
        rec = json.loads(cli("recommend", example, "--json").stdout)
        out[example.stem] = (folder, rec)
    return out


def test_there_are_three_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_proposal_names_client_and_every_product(generated, example):
    folder, rec = generated[example]
    text = docx_text(folder / "proposal.docx")
    assert rec["client"]["name"] in text
    assert 3 <= len([p for p in rec["products"] if not p["existing"]]) <= 8
    for product in rec["products"]:
        clear = [link["statement"] for link in product["links"] if link["confidence"] == "明确"]
        if clear and (product["in_documents"] or product["alternative_to"]):
            # only what the matcher is sure of is pitched to the client (the rest: the brief), nor a product
            # that only rides on another's statement (pitchcraft.match.alternatives)
            assert product["name"] in text
        for need in clear:
            assert need in text  # the client's own words are quoted
    bundle = {p["id"] for p in rec["products"]}
    pitched = {p["id"] for p in rec["products"] if p["confidence"] == "明确" and p["in_documents"]}
    for case in rec["cases"]:
        shared = set(case["products"]) & bundle
        if not shared or shared & pitched:  # a case chosen only for an unpitched product is left out
            assert case["title"] in text
    for leak in LEAKS:
        assert leak not in text, leak


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_proposal_structure_and_styles(generated, example):
    folder, _rec = generated[example]
    paragraphs = docx_paragraphs(folder / "proposal.docx")
    styles = {s for s, _ in paragraphs}
    assert {"Cover Title", "Heading 1", "Heading 2", "Client Quote", "Body Text Indent CN"} <= styles
    headings = [t for s, t in paragraphs if s == "Heading 1"]
    assert headings[:5] == ["一、执行摘要", "二、项目背景", "三、需求分析", "四、总体方案", "五、分项方案"]
    assert any(t.startswith("（一）") for s, t in paragraphs if s == "Heading 2")
    for title in ("实施计划", "服务保障", "项目组织", "联系方式"):
        assert any(title in h for h in headings)
    doc = Document(str(folder / "proposal.docx"))
    instr = "".join(el.text for el in doc.element.body.iter(qn("w:instrText")))
    assert "TOC" in instr
    toc_entries = [t for s, t in paragraphs if s.startswith("TOC")]
    assert "一、执行摘要" in toc_entries  # filled, not an empty field
    begin = next(doc.element.body.iter(qn("w:fldChar")))
    assert begin.get(qn("w:dirty")) == "true"  # marked for update
    assert doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    section = doc.sections[0]
    assert abs(section.page_width.cm - 21.0) < 0.1 and abs(section.page_height.cm - 29.7) < 0.1


def test_east_asian_font_is_set_in_styles(generated):
    folder, _ = next(iter(generated.values()))
    doc = Document(str(folder / "proposal.docx"))
    for name in ("Normal", "Heading 1", "Body Text Indent CN", "Client Quote"):
        rfonts = doc.styles[name].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")), name
        assert rfonts.get(qn("w:eastAsiaTheme")) is None, name


def test_no_table_is_wider_than_the_text_column(generated):
    folder, _ = next(iter(generated.values()))
    doc = Document(str(folder / "proposal.docx"))
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        widths = [int(gc.get(qn("w:w"))) * 635 for gc in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert sum(widths) <= text_width + 635 * len(widths)  # twips -> EMU, rounding per column


def test_solution_diagram_is_a_picture_as_wide_as_the_text(generated):
    import io

    from PIL import Image

    from pitchcraft.render.diagram import cjk_font

    if cjk_font(True) is None:
        pytest.skip("no CJK font on this machine: the proposal keeps only the table")
    folder, _ = generated["precision-manufacturing"]
    doc = Document(str(folder / "proposal.docx"))
    section = doc.sections[0]
    _cover, shape = doc.inline_shapes  # the cover's picture, then the architecture
    assert shape.width == section.page_width - section.left_margin - section.right_margin
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    picture = Image.open(io.BytesIO(doc.part.related_parts[blip].blob))
    assert picture.format == "PNG" and picture.width >= 1200
    assert abs(shape.height / shape.width - picture.height / picture.width) < 0.01
    colours = picture.convert("RGB").getcolors(1 << 16)
    assert colours and len(colours) > 10  # drawn: boxes and anti-aliased text, not blank


def test_png_writer_keeps_every_pixel():
    import io

    from PIL import Image

    from pitchcraft.render.diagram import png_bytes

    img = Image.effect_mandelbrot((123, 45), (-2, -1, 1, 1), 50).convert("RGB")
    assert Image.open(io.BytesIO(png_bytes(img))).convert("RGB").tobytes() == img.tobytes()


def test_tariff_tables_repeat_their_header_row(generated):
    folder, _ = next(iter(generated.values()))
    doc = Document(str(folder / "proposal.docx"))
    assert doc.tables
    for table in doc.tables:
        header = table.rows[0]._tr
        if table.rows[0].cells[0].text in ("资费项目", "需求类别", "类别", "阶段"):
            assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_pitch_deck(generated, example):
    folder, rec = generated[example]
    slides = pptx_slides(folder / "pitch.pptx")
    reference = {layout.name for layout in Presentation(str(ROOT / "templates" / "reference.pptx")).slide_layouts}
    assert all(s["layout"] in reference for s in slides)
    assert slides[0]["layout"] == "Title Slide" and rec["client"]["name"] in slides[0]["text"]
    deck = "\n".join(s["text"] for s in slides)
    for product in rec["products"]:
        if product["confidence"] == "明确" and (product["in_documents"] or product["alternative_to"]):
            assert product["name"] in deck  # a product with only 待确认 links is asked, not pitched
    for s in slides[1:]:
        assert len(s["notes"]) > 20, s["text"][:30]  # a talk track on every content slide
    assert any("您的原话" in s["text"] for s in slides)  # the client's words against our answer
    assert any("下一步" in s["text"] for s in slides)
    for leak in LEAKS:
        assert leak not in deck and all(leak not in s["notes"] for s in slides), leak


def test_output_folder_contents_and_manifest(generated):
    folder, rec = generated["precision-manufacturing"]
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "pitch.pptx", "profile.yaml", "proposal.docx"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"] == "pitchcraft" and manifest["version"]
    assert len(manifest["catalog_sha256"]) == 64
    assert set(manifest["files"]) == {"proposal.docx", "pitch.pptx", "profile.yaml"}
    assert folder.name.endswith(folder.name.split("-", 3)[-1]) and folder.name[:4].isdigit()
    assert (folder / "profile.yaml").read_bytes() == (ROOT / "examples" / "precision-manufacturing.yaml").read_bytes()


def test_existing_proposal_needs_force(cli, tmp_path):
    example = EXAMPLES[0]
    out = tmp_path / "out"
    folder = _generate(cli, example, out)
    before = (folder / "proposal.docx").read_bytes()
    again = cli("generate", example, "--out", out)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert (folder / "proposal.docx").read_bytes() == before
    forced = cli("generate", example, "--out", out, "--force")
    assert forced.exit_code == 0
    assert [p.name for p in out.iterdir()] == [folder.name]  # no staging or backup left behind


HOSTILE = """\
client:
  name: "../../逃逸{{ 7*7 }}<w:p>/公司"
  industry: 制造业
  employees: 120
needs:
  basic_comms:
    - "厂区之间打电话太贵了{{ 7*7 }}{% if true %}X{% endif %}"
    - "<w:p><w:r><w:t>注入</w:t></w:r></w:p> 客户打电话来等接通时想听到我们的广告\\x07\\x1b"
"""


def test_client_text_is_data_never_template_or_path(cli, tmp_path):
    profile = tmp_path / "hostile.yaml"
    profile.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    folder = _generate(cli, profile, out)
    assert folder.parent == out  # the name could not climb out of the output folder
    text = docx_text(folder / "proposal.docx")
    assert "逃逸{{ 7*7 }}<w:p>/公司" in text
    assert "厂区之间打电话太贵了{{ 7*7 }}{% if true %}X{% endif %}" in text
    assert "<w:p><w:r><w:t>注入</w:t></w:r></w:p>" in text
    assert "49" not in text.replace("2049", "")
    assert "\x07" not in text and "\x1b" not in text
    deck = "\n".join(s["text"] + s["notes"] for s in pptx_slides(folder / "pitch.pptx"))
    assert "{{ 7*7 }}" in deck


def _assert_chart_data_is_editable(chart):
    """The chart's own data (categories, series, values) is what its embedded workbook holds, in
    the cells the chart's formulas name: PowerPoint's "Edit Data" opens that workbook."""
    import io

    import openpyxl

    plot = chart.plots[0]
    categories = list(plot.categories)
    assert categories and len(plot.series) >= 1  # data lives in the chart, not a picture
    sheet = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))["Sheet1"]
    assert [sheet.cell(row, 1).value for row in range(2, len(categories) + 2)] == categories
    for col, series in enumerate(plot.series, 2):
        assert sheet.cell(1, col).value == series.name
        assert [sheet.cell(row, col).value for row in range(2, len(categories) + 2)] == list(series.values)


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_pitch_text_fits_its_placeholders_and_has_a_native_chart(generated, example):
    from pitchcraft.render.fit import body_levels, fits

    folder, _rec = generated[example]
    prs = Presentation(str(folder / "pitch.pptx"))
    levels = body_levels(prs.slide_master)
    charts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.is_placeholder and shape.has_text_frame and shape.placeholder_format.idx == 1 \
                    and slide.slide_layout.name == "Title and Content":
                paras = [(p.level, "".join(r.text for r in p.runs)) for p in shape.text_frame.paragraphs]
                assert fits(paras, levels, shape.width, shape.height), slide.shapes.title.text_frame.text
            if shape.has_chart:
                charts.append(slide.slide_layout.name)
                _assert_chart_data_is_editable(shape.chart)
    assert charts == ["Investment"]  # the first year's money per product; no chart that says nothing
    titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title is not None]
    assert not [t for t in titles if t.endswith("…")]  # a cut title reads as a mistake
    assert any(t.endswith("连成一张网") or t.startswith("整体方案") for t in titles)


def test_generate_leaves_the_cyclic_collector_on(cli, tmp_path):
    """`generate` runs its one proposal with the collector off, and switches it back on: a process that goes on
    after the command (a test runner, a script calling it) must not keep every cycle of every run (a full
    test run grew to 18 GB without it)."""
    import gc

    assert gc.isenabled()
    _generate(cli, ROOT / "examples" / "precision-manufacturing.yaml", tmp_path / "out")
    assert gc.isenabled()


OPEN_NEEDS_CHAPTER = "  - title: 待进一步沟通\n    template: open_needs.j2\n    when: has_open_needs\n"
_OUTLINE = (ROOT / "templates" / "proposal" / "outline.yaml").read_text(encoding="utf-8").splitlines()
_SECTIONS_LINE = _OUTLINE.index("sections:") + 1
_OPEN_WHEN_LINE = _OUTLINE.index("    template: open_needs.j2") + 2


@pytest.mark.parametrize("edit, where, message", [
    # a brand's outline without the chapter: the needs the proposal does not answer would vanish from it
    (lambda text: text.replace(OPEN_NEEDS_CHAPTER, ""), f":{_SECTIONS_LINE}:1: error: sections: ",
     "大纲中没有“待进一步沟通”一章（template: open_needs.j2）：客户提出而方案还没有回应的需求会从建议书中消失"),
    # kept under another condition: it would not show when only that condition is false
    (lambda text: text.replace(OPEN_NEEDS_CHAPTER, OPEN_NEEDS_CHAPTER.replace("has_open_needs", "has_unmatched")),
     f":{_OPEN_WHEN_LINE}:5: error: sections[10].when: ", "“待进一步沟通”一章（open_needs.j2）的 when 只能写 has_open_needs 或不写"),
])
def test_an_outline_that_would_drop_the_open_needs_is_refused(cli, workspace, tmp_path, edit, where, message):
    outline = workspace / "templates" / "proposal" / "outline.yaml"
    outline.parent.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "templates" / "proposal" / "outline.yaml").read_text(encoding="utf-8")
    assert OPEN_NEEDS_CHAPTER in text
    outline.write_text(edit(text), encoding="utf-8")
    out = tmp_path / "out"
    result = cli("generate", ROOT / "examples" / "county-hospital.yaml", "--out", out)
    assert result.exit_code == 1
    assert f"outline.yaml{where}" in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "未生成任何文件" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_the_open_needs_chapter_may_be_renamed_and_moved(cli, workspace, tmp_path):
    """What the rule asks is the chapter, not its place or its title: a brand may call it 后续沟通事项 and put
    it first; the county hospital's open need is then said there."""
    outline = workspace / "templates" / "proposal" / "outline.yaml"
    outline.parent.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "templates" / "proposal" / "outline.yaml").read_text(encoding="utf-8").replace(OPEN_NEEDS_CHAPTER, "")
    text = text.replace("sections:\n", "sections:\n  - title: 后续沟通事项\n    template: open_needs.j2\n", 1)
    outline.write_text(text, encoding="utf-8")
    folder = _generate(cli, ROOT / "examples" / "county-hospital.yaml", tmp_path / "out")
    headings = [t for s, t in docx_paragraphs(folder / "proposal.docx") if s == "Heading 1"]
    assert headings[0] == "一、后续沟通事项" and not any("待进一步沟通" in h for h in headings)
    # the chapter says the open need (the 随访 sentence, a candidate only 待确认), wherever it stands
    paragraphs = docx_paragraphs(folder / "proposal.docx")
    start = next(i for i, (s, t) in enumerate(paragraphs) if s == "Heading 1" and t == "一、后续沟通事项")
    end = next(i for i, (s, _t) in enumerate(paragraphs) if i > start and s == "Heading 1")
    assert any("病人出院以后复查" in t for _s, t in paragraphs[start + 1:end])
