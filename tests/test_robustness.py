"""Issue 16, one test per class of fault: no input breaks pitchcraft, and every mistake is answered
in Chinese at the place of the mistake.

Tracebacks (any text, number, date), unbounded reads and hangs, formula injection, Windows device
names, orphaned workers, and the messages: YAML errors, click's texts, exit status.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import ROOT, Cli
from docreader import docx_text, pptx_slides

sys.path.insert(0, str(ROOT / "bench"))
import synth_content  # noqa: E402

from pitchcraft.cells import csv_cell, is_formula_like  # noqa: E402
from pitchcraft.reading import NOT_XML, is_device_name, safe_stem  # noqa: E402
from pitchcraft.model.spec import clean_text  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
SHIPPED = Cli(ROOT)


def refused(result, *words: str) -> str:
    """A clean refusal: exit 1, Chinese on stderr, no traceback; the message returned."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    err = result.output  # stderr, and stdout where a report is the output (catalog validate)
    assert CJK.search(err) and "Traceback" not in err, err
    for word in words:
        assert word in err, (word, err)
    return err


# --- orphans: workers end with their parent ----------------------------------------------------


def _descendants(pid: int) -> set[int]:
    """Processes whose parent chain leads to ``pid`` or that share its session (start_new_session)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == pid and int(entry.name) != pid and state != b"Z":
            out.add(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_exit_when_the_batch_parent_is_killed(tmp_path):
    ws = tmp_path / "ws"
    for name in ("catalog", "cases", "templates"):
        import shutil
        shutil.copytree(ROOT / name, ws / name)
    synth_content.write_profiles(tmp_path / "profiles", 12)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pitchcraft", "--workspace", str(ws), "batch", str(tmp_path / "profiles"),
           "--out", str(out), "--workers", "2"]
    run = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300  # a guard against a hang, not a speed requirement
        while time.monotonic() < deadline and run.poll() is None:
            if len(_descendants(run.pid)) >= 3 and out.is_dir() and any(out.iterdir()):
                break
            time.sleep(0.05)
        assert run.poll() is None, "the batch finished before it could be killed"
        assert _descendants(run.pid), "no worker was started"
        os.kill(run.pid, signal.SIGKILL)  # the parent only
        run.wait()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _descendants(run.pid):
            time.sleep(0.2)
        left = _descendants(run.pid)
    finally:
        for pid in _descendants(run.pid):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left behind: {left}"


# --- any text, number, date: accepted or refused, never a traceback ----------------------------

EXAMPLE = ROOT / "examples" / "precision-manufacturing.yaml"
BASE = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
NASTY = ["\ufffe", "\uffff", "\x00", "\x07", "\x1b", "\u200b", "\ufeff", "\u2028", "\x85", "{{ 1 }}", "<w:p/>",
         "# ", "- ", "> ", "1. ", "=", "&", "\U0001F600", "𠀀"]
any_text = st.lists(st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(NASTY)),
                    min_size=1, max_size=30).map("".join)
HAN = st.text(alphabet=st.sampled_from("客户厂区话费审批视频监控门店"), min_size=2, max_size=6)


def _profile(tmp: Path, **changes) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    path = tmp / "客户.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


_BREAKS = re.compile("[\x85\u2028\u2029]")


def _shown(text: str) -> str:
    """What of ``text`` a reader can see: the characters a document can hold, spaces folded."""
    return clean_text(NOT_XML.sub("", text))


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                 HealthCheck.function_scoped_fixture])
@given(name=any_text, statement=any_text, region=any_text)
def test_any_text_is_recommended_or_refused_in_chinese(tmp_path_factory, name, statement, region):
    tmp = tmp_path_factory.mktemp("t")
    path = _profile(tmp, **{"client.name": name, "client.region": region,
                            "needs": {"basic_comms": [statement, "三个厂区之间电话多，话费高"]}})
    result = SHIPPED("recommend", path, "--json")
    if result.exit_code == 0:
        import json

        # YAML reads NEL, U+2028 and U+2029 as line breaks, which a one-line field folds into a space
        assert json.loads(result.stdout)["client"]["name"] in (_shown(name), _shown(_BREAKS.sub(" ", name)))
    else:
        refused(result)


@pytest.mark.parametrize("raw", ["\ufffe", "\uffff", "\x00", "\x07"])
def test_a_character_no_document_can_hold_is_dropped_at_load_and_both_documents_are_written(cli, tmp_path, raw):
    """Written into the file as such (not escaped): the profile is read, the character dropped
    with a warning at its line, and the Word and PowerPoint documents carry the rest of the text."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("华南精密制造有限公司", f"华南精密{raw}制造有限公司", 1)
    text = text.replace("每个月光话费报销就好几万", f"每个月光话费{raw}报销就好几万", 1)
    path = tmp_path / "客户.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("generate", path, "--out", tmp_path / "out", "--brief")
    assert result.exit_code == 0, result.output
    assert f"U+{ord(raw):04X}" in result.stderr and "客户.yaml:3:" in result.stderr  # where it stood
    folder, = (tmp_path / "out").iterdir()
    assert "华南精密制造有限公司" in docx_text(folder / "proposal.docx")
    assert "华南精密制造有限公司" in pptx_slides(folder / "pitch.pptx")[0]["text"]
    assert "每个月光话费报销就好几万" in docx_text(folder / "proposal.docx")
    assert "华南精密制造有限公司" in docx_text(folder / "brief.docx")


@settings(max_examples=4, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                HealthCheck.function_scoped_fixture])
@given(name=any_text.filter(lambda t: _shown(t).strip()), statement=any_text)
@example(name="0\x851", statement="0")  # YAML reads NEL as a line break: the one-line name shows "0 1"
def test_any_text_reaches_both_documents_and_the_brief_as_written(cli, tmp_path_factory, name, statement):
    tmp = tmp_path_factory.mktemp("g")
    path = _profile(tmp, **{"client.name": name, "needs": {"basic_comms": [statement, "三个厂区之间电话多，话费高"]}})
    result = cli("generate", path, "--out", tmp / "out", "--brief")
    if result.exit_code != 0:
        refused(result)
        return
    folder, = (tmp / "out").iterdir()
    proposal, brief = docx_text(folder / "proposal.docx"), docx_text(folder / "brief.docx")
    # YAML reads NEL, U+2028 and U+2029 as line breaks, which a one-line field folds into a space
    shown = next((s for s in (_shown(name), _shown(_BREAKS.sub(" ", name))) if s in proposal), None)
    assert shown is not None, (name, proposal[:300])
    assert shown in brief
    assert any(shown in slide["text"] for slide in pptx_slides(folder / "pitch.pptx"))


numbers = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.decimals(allow_nan=True).map(str), st.sampled_from(["1e30", "1e999999999", "-0", "1" * 5000,
                                                                         "0.001", "9" * 30, "NaN", "∞", "１２"]),
                    st.integers(min_value=10 ** 25, max_value=10 ** 60))


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                 HealthCheck.function_scoped_fixture])
@given(budget=numbers, employees=numbers, quantity=numbers, discount=numbers)
def test_any_number_is_quoted_or_refused_in_chinese(tmp_path_factory, budget, employees, quantity, discount):
    tmp = tmp_path_factory.mktemp("n")
    path = _profile(tmp, **{"budget.monthly_cny": budget, "client.employees": employees,
                            "quantities": {"移动OA": quantity}, "offer.discount": discount})
    result = SHIPPED("quote", path, "--json")
    if result.exit_code != 0:
        refused(result)


@pytest.mark.parametrize("price", ["1e30", "99999999999999999999999999999", "1e999999999", "-1e30"])
def test_a_huge_tariff_price_is_one_clear_catalog_error(cli, workspace, price):
    products = workspace / "catalog" / "products.yaml"
    text = products.read_text(encoding="utf-8")
    first = re.search(r'price: "[0-9.]+"', text)
    products.write_text(text[:first.start()] + f'price: "{price}"' + text[first.end():], encoding="utf-8")
    err = refused(cli("catalog", "validate"), "price")
    assert "金额" in err


def test_coverage_of_a_folder_with_a_huge_budget_is_not_a_traceback(cli, tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    _profile(folder, **{"budget.monthly_cny": 10 ** 30})
    result = cli("coverage", folder)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1)


def _choices_folder(tmp_path: Path) -> Path:
    """One good profile and two of the same client whose ``choices`` are wrong, each its own way."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    (folder / "a-good.yaml").write_text(text, encoding="utf-8")
    (folder / "b-unknown.yaml").write_text(text + "choices:\n  add: [不存在的产品]\n", encoding="utf-8")
    (folder / "c-both.yaml").write_text(text + "choices:\n  add: [集团V网]\n  drop: [集团V网]\n", encoding="utf-8")
    return folder


def test_coverage_lists_a_profile_with_a_choices_error_and_goes_on(cli, tmp_path):
    result = cli("coverage", _choices_folder(tmp_path))
    assert result.exit_code == 0, result.output
    assert "需求覆盖情况：1 个档案" in result.stdout
    assert "有错误、未统计的档案（2 个）" in result.stdout
    assert "b-unknown.yaml" in result.stdout and "不存在的产品" in result.stdout
    assert "c-both.yaml" in result.stdout and "同时写在 add（加入）和 drop（去掉）中" in result.stdout


def test_batch_reports_each_invalid_profile_with_its_own_error_not_a_collision(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("batch", _choices_folder(tmp_path), "--out", out, "--workers", "1")
    assert result.exit_code == 1, result.output
    assert "不存在的产品" in result.output and "同时写在 add（加入）和 drop（去掉）中" in result.output
    assert "同一客户、同一天" not in result.output and "请合并两份档案" not in result.output
    assert len([p for p in out.iterdir() if not p.name.startswith(".")]) == 1  # the good profile's folder


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                 HealthCheck.function_scoped_fixture])
@given(day=st.one_of(st.sampled_from([dt_min := __import__("datetime").date.min, __import__("datetime").date.max,
                                      __import__("datetime").date(1900, 1, 1), __import__("datetime").date(2199, 12, 31)]),
                     st.dates()))
def test_any_visit_date_is_briefed_or_refused_in_chinese(cli, tmp_path_factory, day):
    tmp = tmp_path_factory.mktemp("d")
    path = _profile(tmp, **{"visit.date": day})
    result = cli("brief", path, "--out", tmp / "b")
    if result.exit_code != 0:
        refused(result, "visit.date")
    result = cli("recommend", path)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output


# --- reads: regular files only, bounded ---------------------------------------------------------


def _guarded(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command in a process of its own; the timeout guards against a hang, it measures nothing."""
    return subprocess.run([sys.executable, "-m", "pitchcraft", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", ["recommend", "generate", "brief", "quote"])
def test_a_fifo_given_as_the_profile_is_refused_not_waited_for(tmp_path, command):
    fifo = tmp_path / "客户.yaml"
    os.mkfifo(fifo)
    done = _guarded(["--workspace", ROOT, command, fifo] + (["--out", tmp_path / "o"] if command != "recommend"
                                                           and command != "quote" else []))
    assert done.returncode == 1 and "管道" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_case_linked_to_a_device_is_refused(cli, workspace):
    (workspace / "cases" / "zero.md").symlink_to("/dev/zero")
    err = refused(cli("catalog", "validate"), "zero.md", "[io]")
    assert "设备" in err


def test_the_import_refuses_a_fifo_and_a_device(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    fifo = tmp_path / "清单.csv"
    os.mkfifo(fifo)
    done = _guarded(["--workspace", ROOT, "import", fifo, "--out", tmp_path / "p"])
    assert done.returncode == 1 and "管道" in done.stderr


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_reference_document_with_a_huge_part_is_refused_before_it_is_unpacked(cli, workspace, tmp_path):
    for name in ("reference.docx", "reference.pptx"):
        ref = workspace / "templates" / name
        with zipfile.ZipFile(ref) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        parts["docProps/huge.xml"] = b"\0" * (65 * 1024 * 1024)  # 65 MB unpacked, 64 KB packed
        _zip(ref, parts)
    err = refused(cli("generate", EXAMPLE, "--out", tmp_path / "out"), "过大")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert "huge.xml" in err


def _xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


HEADER = ["客户名称", "行业", "员工数", "需求描述"]


@pytest.mark.parametrize("damage", ["doctype", "truncated", "missing-sheet", "missing-strings", "huge-strings"])
def test_a_broken_spreadsheet_is_refused_in_chinese(cli, tmp_path, damage):
    good = _xlsx(tmp_path / "good.xlsx", [HEADER, ["甲公司", "制造业", 100, "厂区之间电话多"]])
    with zipfile.ZipFile(good) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    bad = tmp_path / "清单.xlsx"
    sheet = "xl/worksheets/sheet1.xml"
    if damage == "doctype":
        parts[sheet] = parts[sheet].replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
        _zip(bad, parts)
    elif damage == "truncated":
        raw = good.read_bytes()
        bad.write_bytes(raw[: len(raw) * 2 // 3])
    elif damage == "missing-sheet":
        del parts[sheet]
        _zip(bad, parts)
    elif damage == "missing-strings":
        parts = {k: v for k, v in parts.items() if "sharedStrings" not in k}
        _zip(bad, parts)
    else:
        parts["xl/sharedStrings.xml"] = b"<sst>" + b" " * (65 * 1024 * 1024) + b"</sst>"
        _zip(bad, parts)
    result = cli("import", bad, "--out", tmp_path / "p")
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    if result.exit_code == 1:
        refused(result)
    assert not any((tmp_path / "p").glob("*.yaml")) if result.exit_code == 1 else True


@pytest.mark.parametrize("content", ["[1, 2]", "\"text\"", "{\"version\": 1, \"answers\": [1]}", "{\"version\": 1,"
                                     " \"answers\": {\"client.name\": {\"x\": 1}}}", "not json", "{\"version\": 2}",
                                     "\ufffe"])
def test_an_interview_progress_file_of_any_shape_is_refused_with_a_way_out(cli, tmp_path, content):
    out = tmp_path / "客户.yaml"
    (tmp_path / ".客户.yaml.interview.json").write_text(content, encoding="utf-8")
    result = cli("interview", out)
    refused(result, "访谈进度文件", "--restart")


def test_a_path_component_too_long_is_a_chinese_message(cli, tmp_path):
    result = cli("generate", EXAMPLE, "--out", tmp_path / ("长" * 100))
    refused(result, "过长")


# --- spreadsheet cells are never formulas; no file is named after a device ----------------------

FORMULAS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1", " =1", "=cmd|' /C calc'!A0"]


@given(st.text())
def test_a_csv_cell_never_starts_a_formula(text):
    cell = csv_cell(text)
    assert not is_formula_like(cell) and "\x00" not in cell
    assert cell.lstrip("'") == NOT_XML.sub("", text) or cell == NOT_XML.sub("", text)


def test_import_writes_client_names_into_the_report_as_text_and_no_device_file(cli, tmp_path):
    rows = [HEADER] + [[name, "物流", 100, "仓库之间电话多"] for name in FORMULAS + ["CON", "nul", "COM1", "LPT9.txt"]]
    rows.append(["乙公司\x00", "物流", 100, "仓库之间电话多"])
    csv_path = tmp_path / "清单.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    csv_path.write_text(buf.getvalue(), encoding="utf-8")
    result = cli("import", csv_path, "--out", tmp_path / "p")
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    report = (tmp_path / "p" / "import-report.csv").read_text(encoding="utf-8-sig")
    assert "\x00" not in report
    for record in list(csv.reader(io.StringIO(report)))[1:]:
        for cell in record:
            assert not is_formula_like(cell), record
    names = [p.name for p in (tmp_path / "p").iterdir()]
    assert not [n for n in names if is_device_name(Path(n).stem) or is_device_name(n)], names
    assert "CON_.yaml" in names


def test_the_product_map_writes_a_formula_like_name_as_text(cli, workspace, tmp_path):
    from openpyxl import load_workbook

    products = workspace / "catalog" / "products.yaml"
    text = products.read_text(encoding="utf-8")
    products.write_text(text.replace("name: 集团V网\n", "name: \"=HYPERLINK(\\\"http://x\\\")\"\n", 1),
                        encoding="utf-8")
    out = tmp_path / "图谱.xlsx"
    result = cli("catalog", "map", "--out", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets  # no formula anywhere
    cells = [c for row in load_workbook(out).worksheets[0].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


@pytest.mark.parametrize("name", ["CON", "con", "Nul", "COM1", "lpt9", "AUX", "PRN", "CON.txt", "com¹"])
def test_windows_device_names_get_a_suffix(name):
    assert is_device_name(name)
    assert not is_device_name(safe_stem(name))


@pytest.mark.parametrize("name", ["CONTROL", "console", "甲公司", "COM10", "nullable"])
def test_ordinary_names_are_kept(name):
    assert not is_device_name(name) and safe_stem(name) == name


# --- messages: YAML mistakes in Chinese, at the mistake -----------------------------------------


def _with(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "客户.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(new)].count("\n") + 1


@pytest.mark.parametrize("old, new, words", [
    ("  region: 深圳\n", "  region： 深圳\n", ["中文冒号", "region"]),
    ("  name: 华南精密制造有限公司\n", "  name：华南精密制造有限公司\n", ["中文冒号", "name"]),  # first key, no space
    ("  tier: A\n", "  tier：A\n", ["中文冒号", "tier"]),
    ("  region: 深圳\n", "  region：深圳\n", ["中文冒号", "region"]),
    ("  tier: A\n", "\ttier: A\n", ["Tab"]),
    ("    - 外地的销售", "    -外地的销售", ["“-”后面缺少空格"]),
    ("  name: 华南精密制造有限公司\n", "  name: \"华南精密制造有限公司\n", ["引号没有结束"]),
    ("  industry: manufacturing\n", "  industry: manufacturing: 制造\n", ["英文冒号", "引号"]),
    ("  region: 深圳\n", "  region:深圳\n", ["冒号后面缺少空格", "region"]),
    ("    - 外地的销售", "    － 外地的销售", ["不能用“－”"]),
    ("    - 外地的销售", "    • 外地的销售", ["不能用“•”"]),
    ("    - 生产计划一改", "    生产计划一改", ["行首加上“- ”"]),
])
def test_a_yaml_mistake_is_told_in_chinese_on_its_own_line(cli, tmp_path, old, new, words):
    path, line = _with(tmp_path, old, new)
    err = refused(cli("recommend", path), *words)
    assert f"{path}:{line}:" in err, err
    assert not re.search(r"[a-z]{4,} [a-z]{3,} [a-z]{3,}", err.replace(str(path), "")), err  # no English sentence


def test_a_full_width_colon_deep_in_the_file_is_reported_on_its_line_not_after(cli, tmp_path):
    path, line = _with(tmp_path, "  manager: 李明\n", "  manager： 李明\n")
    err = refused(cli("recommend", path), "中文冒号")
    assert f"{path}:{line}:" in err


def test_a_full_width_colon_without_space_on_the_last_key_is_reported_on_its_line(cli, tmp_path):
    path = tmp_path / "客户.yaml"
    path.write_text("client:\n  industry: 制造业\n  name：华南\nneeds:\n  basic_comms: [话费高]\n", encoding="utf-8")
    err = refused(cli("recommend", path), "中文冒号", "name")
    assert f"{path}:3:" in err, err


def test_a_dash_without_space_never_merges_two_statements(cli, tmp_path):
    """'-堆场…' right under the key would otherwise fold the next item into one statement."""
    path, line = _with(tmp_path, "    - 三个厂区的主管", "    -三个厂区的主管")
    err = refused(cli("recommend", path), "“-”后面缺少空格")
    assert f"{path}:{line}:" in err


def test_a_missing_dash_is_pointed_out_where_the_second_statement_begins(cli, tmp_path):
    path, line = _with(tmp_path, "    - ERP放在龙华总部机房", "      ERP放在龙华总部机房")
    result = cli("recommend", path)
    assert result.exit_code == 0
    assert f"{path}:{line}:" in result.stderr and "“- ”" in result.stderr and "[folded-text]" in result.stderr


def test_a_merge_key_is_refused_in_chinese(cli, tmp_path):
    text = "base: &b\n  name: 甲公司\n  industry: 制造业\nclient:\n  <<: *b\nneeds:\n  basic_comms: [话费太贵]\n"
    path = tmp_path / "客户.yaml"
    path.write_text(text, encoding="utf-8")
    err = refused(cli("recommend", path), "合并键")
    assert f"{path}:5:3:" in err and "unicode string" not in err


@pytest.mark.parametrize("encoding, words", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("gbk", "GBK")])
def test_an_encoding_is_named_as_it_is(cli, tmp_path, encoding, words):
    path = tmp_path / "客户.yaml"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode(encoding))
    refused(cli("recommend", path), words)


def test_a_typo_among_the_accepted_values_gets_a_suggestion_and_chinese_names(cli, tmp_path):
    path, _ = _with(tmp_path, "  industry: manufacturing\n", "  industry: 物留\n")
    err = refused(cli("recommend", path), "物流", "制造业", "您是不是要写")
    assert "manufacturing、" not in err


@pytest.mark.parametrize("old, new", [("  tier: A\n", "  tier: a\n"), ("  tier: A\n", "  tier: Ａ\n"),
                                      ("    role: decision_maker\n", "    role: DECISION_MAKER\n")])
def test_a_value_in_another_case_or_width_is_accepted(cli, tmp_path, old, new):
    path, _ = _with(tmp_path, old, new)
    assert cli("recommend", path).exit_code == 0


# --- click in Chinese, one exit status for bad input ---------------------------------------------

ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Error:", "Missing argument", "No such",
           "Try '", "is a directory", "Invalid value", "Got unexpected")


@pytest.mark.parametrize("args", [["-h"], ["generate", "-h"], ["catalog", "-h"], ["catalog", "validate", "-h"],
                                  ["import", "-h"], ["batch", "-h"], ["interview", "-h"], ["--version"]])
def test_help_is_in_chinese(args):
    result = SHIPPED(*args)
    assert result.exit_code == 0
    assert not any(word in result.output for word in ENGLISH), result.output


@pytest.mark.parametrize("args, words", [
    (["generat", "x.yaml"], ["没有这个命令", "generate"]),
    (["generate"], ["缺少参数", "PROFILE"]),
    (["generate", str(ROOT)], ["文件夹"]),
    (["recommend", "--bogus", "x.yaml"], ["没有这个选项"]),
    (["recommend", "a.yaml", "b.yaml"], ["多出了"]),
    (["catalog", "validte"], ["没有这个命令", "validate"]),
    (["catalog", "validate", "--format", "xml"], ["xml"]),
    (["batch", "--workers", "many", str(ROOT)], ["many"]),
])
def test_a_usage_error_is_chinese_and_exits_1(args, words):
    result = SHIPPED(*args)
    assert result.exit_code == 1, result.output
    assert not any(word in result.output for word in ENGLISH), result.output
    for word in words:
        assert word in result.stderr


def test_the_real_process_exits_1_on_a_usage_error():
    done = _guarded(["generat"])
    assert done.returncode == 1 and "没有这个命令" in done.stderr


# --- client text is never markup ---------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["# ", "## ", "- ", "> ", "! ", "1. ", "[[cases]]"])
def test_a_client_name_that_looks_like_markup_stays_text_with_its_prefix(cli, tmp_path, prefix):
    from docreader import docx_paragraphs

    name = f"{prefix}华南精密"
    path = _profile(tmp_path, **{"client.name": name})
    result = cli("generate", path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    folder, = (tmp_path / "out").iterdir()
    paragraphs = docx_paragraphs(folder / "proposal.docx")
    background = [(style, text) for style, text in paragraphs if text.startswith(f"{name}是")]
    assert background, paragraphs[:40]
    for style, _text in background:
        assert not re.search(r"heading|list|quote|标题|toc", style, re.I), style
    assert not [t for s, t in paragraphs if re.search(r"heading|toc", s, re.I) and "华南精密" in t]


# --- catalog validate: everything in one run, products by id, references on their own line -----


def _edit_catalog(workspace: Path, edit) -> Path:
    products = workspace / "catalog" / "products.yaml"
    products.write_text(edit(products.read_text(encoding="utf-8")), encoding="utf-8")
    return products


def test_catalog_validate_reports_every_error_of_a_broken_product_in_one_run(cli, workspace):
    def edit(text: str) -> str:
        at = text.index("    informatization: ")
        text = text[:at] + "    requires: [ghost]\n    informatization: 很高\n" + text[at:].split("\n", 1)[1]
        return text.replace("related_cases: [", "related_cases: [lost-case-x, ", 1)  # the same product's
    products = _edit_catalog(workspace, edit)
    out = cli("catalog", "validate").output
    lines = products.read_text(encoding="utf-8").split("\n")
    ghost = next(n for n, line in enumerate(lines, 1) if "ghost" in line)
    lost = next(n for n, line in enumerate(lines, 1) if "lost-case-x" in line)
    assert f"{products}:{ghost}:" in out and "[dangling-ref]" in out   # found although the product is broken
    assert f"{products}:{ghost + 1}:" in out and "[schema]" in out
    assert f"{products}:{lost}:" in out and "lost-case-x" in out       # its case reference too
    assert "products[" not in out                                      # located by id
    assert re.search(r"error: [a-z_]+\.informatization:", out)


def test_a_bad_case_reference_is_reported_on_the_line_of_the_product_that_has_it(cli, workspace):
    """Two products sharing an id: the second one's related_cases error is on its own line."""
    def edit(text: str) -> str:
        blocks = text.split("\n  - id: ")
        head, first, rest = blocks[0], blocks[1], blocks[2:]
        copy = first.replace("related_cases: [", "related_cases: [no-such-case, ", 1)
        copy = re.sub(r"\n    name: [^\n]+", "\n    name: 复制的产品", copy, count=1)
        copy = re.sub(r"\n    aliases: [^\n]+", "", copy, count=1)
        return "\n  - id: ".join([head, first, copy, *rest])
    products = _edit_catalog(workspace, edit)
    out = cli("catalog", "validate").output
    lines = products.read_text(encoding="utf-8").split("\n")
    bad = next(n for n, line in enumerate(lines, 1) if "no-such-case" in line)
    assert re.search(rf"{re.escape(str(products))}:{bad}:\d+: error: [a-z_]+\.related_cases\[0\]", out), out


# --- the system's errors: said in Chinese, nothing half-written -----------------------------------


@pytest.mark.parametrize("command", ["generate", "brief", "import", "interview", "map"])
def test_a_name_too_long_for_the_file_system_is_a_chinese_message(cli, tmp_path, command):
    too_long = tmp_path / ("长" * 100)
    table = tmp_path / "清单.csv"
    table.write_text("客户名称,行业,需求描述\n甲公司,物流,仓库之间电话多\n", encoding="utf-8")
    args = {"generate": ["generate", EXAMPLE, "--out", too_long], "brief": ["brief", EXAMPLE, "--out", too_long],
            "import": ["import", table, "--out", too_long], "interview": ["interview", too_long / "x.yaml"],
            "map": ["catalog", "map", "--out", too_long / "图谱.xlsx"]}[command]
    err = refused(cli(*args), "过长")
    assert "File name too long" not in err


def test_cases_new_refuses_a_windows_device_name(cli, workspace):
    refused(cli("cases", "new", "con"), "设备名")
    assert not (workspace / "cases" / "con.md").exists()


@pytest.mark.parametrize("day", ["1900-01-01", "2199-12-31", "0001-01-01", "9999-12-31"])
def test_a_visit_date_at_the_ends_of_the_calendar_is_generated_or_refused(cli, tmp_path, day):
    import datetime as dt

    path = _profile(tmp_path, **{"visit.date": dt.date.fromisoformat(day)})
    result = cli("generate", path, "--out", tmp_path / "out", "--brief")
    if day.startswith(("1900", "2199")):
        assert result.exit_code == 0, result.output
        folder, = (tmp_path / "out").iterdir()
        assert {"proposal.docx", "pitch.pptx", "brief.docx"} <= {p.name for p in folder.iterdir()}
    else:
        refused(result, "visit.date", "1900-01-01")
        assert not (tmp_path / "out").exists()


# --- any text through import, interview, the catalog and a case ----------------------------------


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                 HealthCheck.function_scoped_fixture])
@given(name=any_text, need=any_text, industry=st.one_of(any_text, st.sampled_from(["物流业", "零售", "制造业"])))
def test_any_text_in_a_spreadsheet_is_imported_or_skipped_and_what_is_imported_is_accepted(
        cli, tmp_path_factory, name, need, industry):
    tmp = tmp_path_factory.mktemp("i")
    table = tmp / "清单.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows([HEADER, [name, industry, 100, need], ["乙公司", "物流", 50, "仓库之间电话多"]])
    table.write_text(buf.getvalue(), encoding="utf-8")
    result = cli("import", table, "--out", tmp / "p")
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        refused(result)
        return
    for profile in (tmp / "p").glob("*.yaml"):
        assert cli("recommend", profile).exit_code == 0, profile.read_text(encoding="utf-8")


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                 HealthCheck.function_scoped_fixture])
@given(name=any_text, need=any_text)
def test_any_text_answered_in_the_interview_makes_a_profile_or_is_asked_again(cli, tmp_path_factory, name, need):
    tmp = tmp_path_factory.mktemp("v")
    answers = tmp / "回答.yaml"
    answers.write_text(yaml.safe_dump({"client": {"name": name, "industry": "制造业"},
                                       "needs": {"basic_comms": [{"problem": need}, {"problem": "厂区之间电话多"}]}},
                                      allow_unicode=True), encoding="utf-8")
    from pitchcraft.cli import main

    result = cli.runner.invoke(main, ["--workspace", str(cli.workspace), "interview", str(tmp / "客户.yaml"),
                                      "--answers", str(answers)], input="\n" * 80)
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if (tmp / "客户.yaml").exists():
        assert cli("recommend", tmp / "客户.yaml").exit_code == 0


@pytest.mark.parametrize("raw", ["\ufffe", "\uffff", "\x00", "\x1b", "\x85"])
def test_a_character_no_document_can_hold_in_the_catalog_or_a_case_is_dropped(cli, workspace, tmp_path, raw):
    products = workspace / "catalog" / "products.yaml"
    text = products.read_text(encoding="utf-8")
    at = text.index("    summary: ") + len("    summary: ")
    products.write_text(text[:at] + raw + text[at:], encoding="utf-8")
    case = sorted((workspace / "cases").glob("*.md"))[0]
    body = case.read_text(encoding="utf-8")
    case.write_text(body + f"\n补充{raw}说明。\n", encoding="utf-8")
    result = cli("catalog", "validate")
    assert "Traceback" not in result.output and result.exit_code in (0, 1)
    result = cli("generate", EXAMPLE, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output


def test_a_profile_written_with_chinese_keys_is_told_the_english_ones(cli, tmp_path):
    path = tmp_path / "客户.yaml"
    path.write_text("客户:\n  名称: 甲公司\n  行业: 物流业\n需求:\n  基础通信:\n    - 仓库之间电话多\n", encoding="utf-8")
    err = refused(cli("recommend", path), "“客户”应写成 client", "“需求”应写成 needs")
    assert f"{path}:1:1:" in err and f"{path}:4:1:" in err
    path.write_text("client:\n  名称: 甲公司\n  industry: 物流业\nneeds:\n  基础通信:\n    - 仓库之间电话多\n",
                    encoding="utf-8")
    refused(cli("recommend", path), "“名称”应写成 name")


def test_synonyms_a_manager_writes_are_accepted(cli, tmp_path):
    path = _profile(tmp_path, **{"client.industry": "物流业", "client.tier": "b",
                                 "contacts": [{"name": "张三", "role": "决策人", "attitude": "支持"}]})
    assert cli("recommend", path).exit_code == 0


@pytest.mark.parametrize("command", ["generate", "brief", "import", "interview", "map"])
def test_a_full_disk_is_a_chinese_message_and_leaves_nothing(cli, tmp_path, monkeypatch, command):
    import errno

    out = tmp_path / "out"
    out.mkdir()
    table = tmp_path / "清单.csv"
    table.write_text("客户名称,行业,需求描述\n甲公司,物流,仓库之间电话多\n", encoding="utf-8")
    answers = tmp_path / "回答.yaml"
    answers.write_text(yaml.safe_dump({"client": {"name": "甲公司", "industry": "制造业"},
                                       "needs": {"basic_comms": [{"problem": "厂区之间电话多"}]}},
                                      allow_unicode=True), encoding="utf-8")
    args = {"generate": ["generate", EXAMPLE, "--out", out], "brief": ["brief", EXAMPLE, "--out", out],
            "import": ["import", table, "--out", out], "interview": ["interview", out / "x.yaml", "--answers", answers],
            "map": ["catalog", "map", "--out", out / "图谱.xlsx"]}[command]

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    from pitchcraft.cli import main

    result = cli.runner.invoke(main, ["--workspace", str(cli.workspace), *map(str, args)], input="\n" * 80)
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    refused(result, "磁盘空间不足")
    assert [p.name for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")] == []


# --- small messages the attacker met in English or wrong ------------------------------------------


def test_an_output_path_under_a_file_is_told_in_chinese(cli, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    err = refused(cli("generate", EXAMPLE, "--out", afile / "sub"), "路径中的某一级不是文件夹", "未生成任何文件")
    assert "Not a directory" not in err


def test_an_os_error_without_a_chinese_reason_is_still_chinese():
    import errno

    from pitchcraft.write import os_reason
    assert os_reason(OSError(errno.ECONNRESET, "Connection reset by peer")) == "系统错误（错误代码 ECONNRESET）"
    assert os_reason(OSError(errno.ENOTDIR, "Not a directory")) == "路径中的某一级不是文件夹"


@pytest.mark.parametrize("args, words", [
    (("batch", "{folder}", "--workers", "abc"), ["'abc' 不是有效的整数"]),
    (("coverage", "{folder}", "--similarity", "abc"), ["'abc' 不是有效的数字"]),
    (("coverage", "{folder}", "--similarity", "nan"), ["nan 不是数字"]),
    (("coverage", "/dev/zero"), ["/dev/zero 不是普通文件"]),
])
def test_bad_option_values_are_refused_in_chinese(cli, tmp_path, args, words):
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a.yaml")
    err = refused(cli(*(a.format(folder=folder) for a in args)), *words)
    assert not re.search(r"integer|float|range", err), err
