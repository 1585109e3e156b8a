"""A hostile or broken workspace, folder or spreadsheet: each class stops with a Chinese message
that names the file (and line, or row and column), exit 1, nothing written, never a hang.

Classes: a template's total work (loops in loops, a text doubled in a loop, a macro calling
itself), workspace files that are no regular file (they must not fall back to the shipped ones
silently), batch folders with special entries, import cells that are too long or formulas.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import EXAMPLES, ROOT, copy_workspace

from pitchcraft.compose.textblocks import MAX_STEPS, make_env, render_text
from pitchcraft.errors import RenderError

PROFILE = ROOT / "examples" / "precision-manufacturing.yaml"
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- 1. a template's work is bounded per render ----------------------------------------------------

HOSTILE = {
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested loops over a text": "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
    "printing in nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxxxxxxxxxxxxxxxx"
                                "{% endfor %}{% endfor %}",
    "namespace doubling with ~": "{% set ns = namespace(s='x') %}{% for i in range(64) %}"
                                 "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "namespace doubling with +": "{% set ns = namespace(s='x') %}{% for i in range(64) %}"
                                 "{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "doubling through a set block": "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set t %}{{ ns.s }}"
                                    "{{ ns.s }}{% endset %}{% set ns.s = t %}{% endfor %}",
    "doubling a nested list": "{% set ns = namespace(l=['x' * 1000]) %}{% for i in range(64) %}"
                              "{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l }}",
    "recursive macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
    "recursive macro through caller": "{% macro m() %}{{ caller() }}{% endmacro %}"
                                      "{% macro f() %}{% call m() %}{{ f() }}{% endcall %}{% endmacro %}{{ f() }}",
    "recursive loop": "{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}",
    "template including itself": "{% include 'hostile.j2' %}",
    "one long text many times": "{% set l = ['x' * 100000] * 100000 %}{{ l|join }}",
    "upper of many copies": "{% set s = 'x' * 100000 %}{{ ([s] * 1000)|map('upper')|list|length }}",
    "replace that multiplies": "{{ ('x' * 100000).replace('x', 'x' * 100000) }}",
    "a list grown in place": "{% set l = [1] %}{% for i in range(64) %}{{ l.extend(l) }}{% endfor %}",
}


def _render(tmp_path: Path, text: str) -> str:
    (tmp_path / "hostile.j2").write_text("第一行\n" + text + "\n", encoding="utf-8")
    return render_text(make_env([tmp_path]), "hostile.j2", {})


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_template_stops_with_a_chinese_file_and_line(tmp_path, text):
    with pytest.raises(RenderError) as err:
        _render(tmp_path, text)
    message = str(err.value)
    assert f"{tmp_path / 'hostile.j2'}:2" in message, message  # the hostile line, not the first
    assert CJK.search(message) and not re.search(r"[a-z]{3,} (?:object|attribute|too|is)", message), message


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.integers(1, 4), width=st.integers(0, 400), doublings=st.integers(0, 40),
       body=st.sampled_from(["", "x", "{{ i }}", "{{ ns.s }}"]))
def test_any_loop_nest_renders_or_is_refused_as_a_template_error(tmp_path, depth, width, doublings, body):
    text = "{% set ns = namespace(s='ab') %}"
    text += f"{{% for k in range({doublings}) %}}{{% set ns.s = ns.s ~ ns.s %}}{{% endfor %}}"
    text += "".join(f"{{% for i in range({width}) %}}" for _ in range(depth)) + body + "{% endfor %}" * depth
    huge = width ** depth > 2 * MAX_STEPS or doublings >= 20  # a 2 MB text, or more turns than the budget
    try:
        out = _render(tmp_path, text)
    except RenderError as exc:
        assert "hostile.j2:2" in str(exc)
        printed = {"": 0, "x": 1, "{{ i }}": 3, "{{ ns.s }}": 2 ** (doublings + 1)}[body] * width ** depth
        big = width ** depth > MAX_STEPS // 2 or 2 ** doublings * 2 > 100_000 or printed > 10**6
        assert big, str(exc)  # only work near or beyond the budget is refused
    else:
        assert not huge
        assert out.startswith("第一行")


def test_ordinary_loops_and_macros_still_render(tmp_path):
    text = ("{% macro item(p) %}- {{ p.name }}（{{ p.n }}）{% endmacro %}"
            "{% for p in products %}{{ item(p) }}\n{% endfor %}"
            "{{ products|map(attribute='name')|join('、') }}{% for x in [1, 2] recursive %}{{ x }}{% endfor %}"
            "{{ products|length }}{% for p in products %}{{ loop.index }}/{{ loop.length }} {% endfor %}")
    (tmp_path / "ok.j2").write_text(text, encoding="utf-8")
    out = render_text(make_env([tmp_path]), "ok.j2", {"products": [{"name": f"产品{i}", "n": i} for i in range(3)]})
    assert "- 产品0（0）" in out and "产品0、产品1、产品2" in out and "12" in out and "3/3" in out


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    copy_workspace(ws)
    return ws


def _generate(cli_of, ws: Path, out: Path):
    return cli_of(ws)("generate", PROFILE, "--out", out)


@pytest.fixture
def cli_of():
    from conftest import Cli
    return Cli


def test_generate_with_a_hostile_workspace_template_exits_1_and_writes_nothing(tmp_path, cli_of):
    ws = _workspace(tmp_path)
    bg = ws / "templates" / "proposal" / "background.j2"
    lines = bg.read_text(encoding="utf-8").splitlines()
    bg.write_text("\n".join(lines + [HOSTILE["namespace doubling with ~"]]) + "\n", encoding="utf-8")
    result = _generate(cli_of, ws, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"background.j2:{len(lines) + 1}" in result.output and "Traceback" not in result.output
    assert not any((tmp_path / "out").rglob("*.docx"))


# --- 2. workspace files that are there but no regular file -----------------------------------------

def _spoil(path: Path, kind: str) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    if kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "broken link":
        path.symlink_to(path.parent / "nowhere")
    elif kind == "huge":
        path.write_bytes(b"# x\n" * (1024 * 1024 if path.suffix == ".yaml" else 80 * 1024 * 1024))


@pytest.mark.parametrize("name,kind", [
    ("value.yaml", "device"), ("value.yaml", "fifo"), ("quantities.yaml", "folder"),
    ("quantities.yaml", "broken link"), ("value.yaml", "huge"),
    ("reference.docx", "device"), ("reference.pptx", "fifo"), ("reference.docx", "folder"),
    ("proposal/background.j2", "device"), ("pitch/title.j2", "fifo"), ("vocabulary.yaml", "device"),
    ("brief/people.yaml", "fifo"),
])
def test_a_workspace_file_that_is_no_regular_file_is_refused_by_name(tmp_path, cli_of, name, kind):
    ws = _workspace(tmp_path)
    target = ws / "templates" / name
    _spoil(target, kind)
    result = _generate(cli_of, ws, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert str(target) in result.output and CJK.search(result.output), result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.docx"))


@pytest.mark.parametrize("name,content", [("reference.docx", b"not a zip at all"),
                                          ("reference.pptx", b"PK\x03\x04 truncated"),
                                          ("reference.pptx", None)])
def test_a_broken_reference_is_explained_in_chinese(tmp_path, cli_of, name, content):
    ws = _workspace(tmp_path)
    target = ws / "templates" / name
    if content is None:  # a Word document saved as .pptx
        shutil.copy(ROOT / "templates" / "reference.docx", target)
    else:
        target.write_bytes(content)
    result = _generate(cli_of, ws, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert str(target) in result.output and "无法打开" in result.output
    assert not re.search(r"BadZipFile|is not|content type|Error\b", result.output), result.output


# --- 3. batch folders with special entries ---------------------------------------------------------

def test_batch_reports_each_special_entry_and_generates_the_rest(tmp_path, cli_of):
    ws = _workspace(tmp_path)
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(PROFILE, folder / "good.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "dir.yaml").mkdir()
    (folder / "gone.yaml").symlink_to(folder / "nowhere.yaml")
    result = cli_of(ws)("batch", folder, "--out", tmp_path / "out", "--workers", "1")
    assert result.exit_code == 1, result.output
    reasons = {"fifo.yaml": "管道", "zero.yaml": "设备", "dir.yaml": "文件夹", "gone.yaml": "符号链接"}
    for name, word in reasons.items():
        assert re.search(rf"{name}: error: [^\n]*{word}", result.output), (name, result.output)
    assert "共 5 份档案" in result.output and "失败（原因）      4" in result.output
    assert len(list((tmp_path / "out").rglob("proposal.docx"))) == 1


def test_coverage_lists_special_entries_among_the_unreadable(tmp_path, cli_of):
    folder = tmp_path / "profiles"
    folder.mkdir()
    for example in EXAMPLES:
        shutil.copy(example, folder / example.name)
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    result = cli_of(ROOT)("coverage", folder)
    assert result.exit_code == 0, result.output
    assert re.search(r"fifo\.yaml: [^\n]*管道", result.output) and re.search(r"zero\.yaml: [^\n]*设备", result.output)


# --- 4. import: a cell too long, a formula with no value -------------------------------------------

HEADER = "客户名称,行业,员工数,客户等级,地区,需求\n"


@pytest.mark.parametrize("quoted", [False, True])
def test_import_reports_a_huge_cell_as_too_long_with_row_and_column(tmp_path, cli_of, quoted):
    cell = "话费太贵" * 300_000
    csv_file = tmp_path / "clients.csv"
    csv_file.write_text(HEADER + "好客户,制造业,100,A,深圳,话费高\n"
                        + f"大格客户,制造业,100,A,深圳,{chr(34) + cell + chr(34) if quoted else cell}\n",
                        encoding="utf-8")
    result = cli_of(ROOT)("import", csv_file, "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "第 3 行第 6 列（表头“需求”）的内容过长" in result.output, result.output
    assert "引号" not in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_import_names_formula_cells_that_have_no_value(tmp_path, cli_of):
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.append(["客户名称", "行业", "员工数", "客户等级", "地区", "需求"])
    sheet.append(["=1+1", "制造业", 100, "A", "深圳", "话费太贵"])
    sheet.append(["好客户", "制造业", "=A1*1000", "A", "深圳", "话费太贵"])
    book = tmp_path / "clients.xlsx"
    wb.save(book)
    result = cli_of(ROOT)("import", book, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert re.search(r"2\s+—\s+已跳过\s+客户名称一格是公式 =1\+1，没有计算结果", result.output), result.output
    assert re.search(r"3\s+好客户\s+已导入[^\n]*“员工数”一格是公式 =A1\*1000，没有计算结果，未导入这一格", result.output)
    report = (tmp_path / "out" / "import-report.csv").read_text(encoding="utf-8-sig")
    assert "公式 =1+1" in report and "'=" not in report.split("公式", 1)[0]
    written = (tmp_path / "out" / "好客户.yaml").read_text(encoding="utf-8")
    assert "employees" not in written and "A1" not in written


# --- 5. full-width colons: the real line and column, the 中文冒号 hint --------------------------------

@pytest.mark.parametrize("old,new,line,col", [
    ("  name: 华南精密制造有限公司", "  name：华南精密制造有限公司", 3, 7),   # fw-a: first key, no space
    ("  tier: A", "  tier：A", 7, 7),                                          # fw-d
    ("  competitor: 中国电信", "  competitor：中国电信", 9, 13),               # fw-e: last key of client
    ("  sites: 3", "  sites：3", 6, 8),
])
def test_a_full_width_colon_is_pointed_at_with_the_hint(tmp_path, cli_of, old, new, line, col):
    text = PROFILE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "p.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli_of(ROOT)("recommend", bad)
    assert result.exit_code == 1, result.output
    assert f"p.yaml:{line}:{col}:" in result.output and "中文冒号" in result.output, result.output


def test_the_only_key_of_a_mapping_with_a_full_width_colon_gets_the_hint(tmp_path, cli_of):
    bad = tmp_path / "p.yaml"
    bad.write_text("client:\n  name：华南\nneeds:\n  basic_comms:\n    - OA：审批慢\n", encoding="utf-8")
    result = cli_of(ROOT)("recommend", bad)
    assert result.exit_code == 1, result.output
    assert "p.yaml:2:7:" in result.output and "键“name”后面用了中文冒号" in result.output, result.output
    assert "p.yaml:5" not in result.output  # a statement "OA：审批慢" in a list is text, not a key
