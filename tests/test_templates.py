"""Templates owned by the user: a broken outline or text is caught with file and line; a company's
own reference documents change the look with no code change."""

from __future__ import annotations

import shutil

import pytest
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation
from pptx.util import Pt

from conftest import EXAMPLES, ROOT
from docreader import docx_paragraphs, pptx_slides

PROFILE = EXAMPLES[0]


def _line(text: str) -> int:
    """The line of the shipped outline holding ``text``."""
    lines = (ROOT / "templates" / "proposal" / "outline.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def _outline(workspace):
    return workspace / "templates" / "proposal" / "outline.yaml"


@pytest.mark.parametrize("edit,where,words", [
    (lambda ws: _outline(ws).write_text(_outline(ws).read_text(encoding="utf-8").replace(
        "    when: has_cases", "    when: has_money"), encoding="utf-8"),
     f"outline.yaml:{_line('when: has_cases')}:5: error: sections[5].when:", "条件 has_money 不存在"),
    (lambda ws: _outline(ws).write_text(_outline(ws).read_text(encoding="utf-8").replace(
        "template: plan.j2", "template: schedule.j2"), encoding="utf-8"),
     f"outline.yaml:{_line('template: plan.j2')}:5: error: sections[6].template:", "模板文件 proposal/schedule.j2 不存在"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("第一行\n{{ client.name }}由{{ salesman }}负责\n",
                                                                encoding="utf-8"),
     "service.j2:2", "不存在的变量 salesman"),
    (lambda ws: (ws / "templates/proposal/plan.j2").write_text("计划如下\n\n[[gantt_chart]]\n", encoding="utf-8"),
     "plan.j2:3", "组件 [[gantt_chart]] 不存在"),
    (lambda ws: (ws / "templates/pitch/closing.j2").write_text("谢谢\n{% if client %}\n", encoding="utf-8"),
     "closing.j2:2", "模板语法错误"),
    # unbounded work and sandbox refusals: a template error with file:line, not a hang or a traceback
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ 'x' * 10**10 }}\n", encoding="utf-8"),
     "service.j2:2", "超出上限"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n\n{% for i in range(10**12) %}x{% endfor %}\n",
                                                                encoding="utf-8"),
     "service.j2:3", "range 的长度"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ [1] * 10**9 }}\n", encoding="utf-8"),
     "service.j2:2", "超出上限"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ 'x'|center(10**10) }}\n", encoding="utf-8"),
     "service.j2:2", "宽度超出上限"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ 'x'.ljust(10**10) }}\n", encoding="utf-8"),
     "service.j2:2", "宽度超出上限"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ '%10000000000s' % 'x' }}\n", encoding="utf-8"),
     "service.j2:2", "格式化的宽度"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ '{:>10000000}'.format(1) }}\n",
                                                                encoding="utf-8"),
     "service.j2:2", "格式化的宽度"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ 2 ** 100000 }}\n", encoding="utf-8"),
     "service.j2:2", "乘方的结果"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ client.__class__.__mro__ }}\n",
                                                                encoding="utf-8"),
     "service.j2:2", "不允许访问“dict”对象的属性“__class__”"),
    (lambda ws: (ws / "templates/proposal/service.j2").write_text("承诺\n{{ client|attr('__class__') }}\n",
                                                                encoding="utf-8"),
     "service.j2:2", "不允许访问“dict”对象的属性“__class__”"),
])
def test_broken_templates_are_reported_with_file_and_line(cli, workspace, tmp_path, edit, where, words):
    edit(workspace)
    out = tmp_path / "out"
    result = cli("generate", PROFILE, "--out", out)
    assert result.exit_code == 1
    assert where in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "unsafe" not in result.stderr
    assert not out.exists()


def test_bounded_sandbox_still_computes_ordinary_things():
    from pitchcraft.compose.textblocks import make_env
    env = make_env([])
    text = env.from_string("{{ '-' * 3 }}{{ 2 ** 10 }}{% for i in range(3) %}{{ i }}{% endfor %}"
                           "{{ 'ab'|center(6) }}{{ '%5s' % 'x' }}{{ '%d' % 7 }}{{ 1.5 ** 2 }}").render()
    assert text.replace("\ue000", "").replace("\ue001", "") == "---1024012  ab      x72.25"


def test_outline_decides_chapters_and_conditions(cli, workspace, tmp_path):
    outline = _outline(workspace)
    text = outline.read_text(encoding="utf-8")
    text = text.replace("  - title: 服务保障\n    template: service.j2\n", "")
    text = text.replace("  - title: 执行摘要\n    template: summary.j2\n",
                        "  - title: 执行摘要\n    template: summary.j2\n"
                        "  - title: 生产管理专题\n    template: service.j2\n    when: has_production_control\n")
    outline.write_text(text, encoding="utf-8")
    result = cli("generate", PROFILE, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    folder = next((tmp_path / "out").iterdir())
    headings = [t for s, t in docx_paragraphs(folder / "proposal.docx") if s == "Heading 1"]
    assert headings[:2] == ["一、执行摘要", "二、生产管理专题"]  # the example has production-control needs
    assert not any("服务保障" in h for h in headings)


def test_templates_init_copies_the_defaults(cli, tmp_path):
    from conftest import Cli

    ws = tmp_path / "fresh"
    shutil.copytree(ROOT / "catalog", ws / "catalog")
    cli2 = Cli(ws)
    result = cli2("templates", "init")
    assert result.exit_code == 0, result.stderr
    assert (ws / "templates" / "reference.docx").is_file()
    assert (ws / "templates" / "proposal" / "outline.yaml").is_file()
    (ws / "templates" / "proposal" / "service.j2").write_text("我们的承诺：随叫随到。\n", encoding="utf-8")
    again = cli2("templates", "init")
    assert "未覆盖" in again.stdout
    assert (ws / "templates" / "proposal" / "service.j2").read_text(encoding="utf-8") == "我们的承诺：随叫随到。\n"


def test_a_company_reference_document_changes_the_look(cli, workspace, tmp_path):
    """A second brand: other heading colour and fonts in reference.docx, another title size in the
    deck's master. No code changes, and the output follows."""
    from docx.shared import RGBColor

    ref = Document(str(workspace / "templates" / "reference.docx"))
    heading = ref.styles["Heading 1"]
    heading.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    heading.element.find(qn("w:rPr")).find(qn("w:rFonts")).set(qn("w:eastAsia"), "楷体")
    ref.save(str(workspace / "templates" / "reference.docx"))
    deck = Presentation(str(workspace / "templates" / "reference.pptx"))
    for shape in deck.slide_master.placeholders:
        if shape.placeholder_format.type.name == "TITLE":
            for p in shape.text_frame.paragraphs:
                p.font.size = Pt(36)
    ns = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    title_style = deck.slide_master.element.find(".//p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", ns)
    title_style.set("sz", "3600")
    deck.save(str(workspace / "templates" / "reference.pptx"))

    result = cli("generate", PROFILE, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    folder = next((tmp_path / "out").iterdir())
    out = Document(str(folder / "proposal.docx"))
    h1 = out.styles["Heading 1"]
    assert h1.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert h1.element.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体"
    assert any(p.style.name == "Heading 1" for p in out.paragraphs)
    header_cell = out.tables[0].rows[0].cells[0]._tc
    assert header_cell.find(qn("w:tcPr")).find(qn("w:shd")).get(qn("w:fill")) == "C00000"  # follows the brand
    master = Presentation(str(folder / "pitch.pptx")).slide_master
    assert master.element.find(".//p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", ns).get("sz") == "3600"
    assert len(pptx_slides(folder / "pitch.pptx")) > 5
