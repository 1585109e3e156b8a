"""The second attack's unhelpful outcomes, each class answered in Chinese with its file (and line),
exit 1, nothing written: broken reference decks and documents, Jinja syntax errors and failed
includes, value.yaml of the wrong shape, database URLs without a driver, indentation with look-alike
spaces, a manager's unknown branch, an empty --workspace."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, Cli, copy_workspace

from pitchcraft.cli import main
from pitchcraft.compose.outline import _check_one
from pitchcraft.compose.textblocks import make_env, render_text
from pitchcraft.errors import RenderError, UsageError
from pitchcraft.render import pptx as render_pptx
from pitchcraft.render.wordpkg import WordPackage

PROFILE = ROOT / "examples" / "precision-manufacturing.yaml"
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,} [a-z]{2,} [a-z]{2,}")  # a sentence of English, not a file name or a key


def _chinese_only(message: str) -> None:
    assert CJK.search(message) and not ENGLISH.search(message.replace("PowerPoint", "").replace("Word", "")), message


def _rezip(source: Path, target: Path, drop=lambda name: False, change=lambda name, data: data) -> Path:
    with zipfile.ZipFile(source) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            if not drop(name):
                z.writestr(name, change(name, data))
    target.write_bytes(buffer.getvalue())
    return target


PPTX = ROOT / "templates" / "reference.pptx"
DOCX = ROOT / "templates" / "reference.docx"


# --- reference decks and documents: one Chinese message naming the file ----------------------------

PPTX_BROKEN = {
    "no slide master": dict(drop=lambda n: n.startswith("ppt/slideMasters/")),
    "no slide layouts": dict(drop=lambda n: n.startswith("ppt/slideLayouts/")),
    "broken theme xml": dict(change=lambda n, d: d[: len(d) // 2] if n.startswith("ppt/theme/") else d),
    "unbound prefix in presentation.xml": dict(
        change=lambda n, d: d.replace(b"xmlns:p=", b"xmlns:q=", 1) if n == "ppt/presentation.xml" else d),
    "no content types": dict(drop=lambda n: n == "[Content_Types].xml"),
    "nothing at all": dict(drop=lambda n: True),
}


@pytest.mark.parametrize("how", PPTX_BROKEN.values(), ids=PPTX_BROKEN.keys())
def test_a_broken_reference_deck_is_one_chinese_message_naming_it(tmp_path, how):
    ref = _rezip(PPTX, tmp_path / "reference.pptx", **how)
    with pytest.raises(RenderError) as err:
        render_pptx.render(None, ref)  # refused before the proposal is looked at
    assert str(ref) in str(err.value)
    _chinese_only(str(err.value))


def test_a_word_document_saved_as_the_reference_deck_is_refused_in_chinese(tmp_path):
    ref = tmp_path / "reference.pptx"
    shutil.copy(DOCX, ref)
    with pytest.raises(RenderError) as err:
        render_pptx.render(None, ref)
    assert str(ref) in str(err.value)
    _chinese_only(str(err.value))


DOCX_BROKEN = {
    "unbound prefix in styles.xml": dict(
        change=lambda n, d: d.replace(b"xmlns:w=", b"xmlns:q=", 1) if n == "word/styles.xml" else d),
    "truncated document.xml": dict(change=lambda n, d: d[: len(d) // 3] if n == "word/document.xml" else d),
    "no document.xml": dict(drop=lambda n: n == "word/document.xml"),
    "no package relationships": dict(drop=lambda n: n == "_rels/.rels"),
}


@pytest.mark.parametrize("how", DOCX_BROKEN.values(), ids=DOCX_BROKEN.keys())
def test_a_broken_reference_document_is_one_chinese_message_naming_it(tmp_path, how):
    ref = _rezip(DOCX, tmp_path / "reference.docx", **how)
    with pytest.raises(RenderError) as err:
        WordPackage(ref)
    assert str(ref) in str(err.value)
    _chinese_only(str(err.value))
    assert "Namespace" not in str(err.value) and "line 1" not in str(err.value)


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    copy_workspace(ws)
    return ws


def test_generate_with_a_deck_without_its_master_exits_1_and_writes_nothing(tmp_path):
    ws = _workspace(tmp_path)
    ref = ws / "templates" / "reference.pptx"
    _rezip(PPTX, ref, drop=lambda n: n.startswith("ppt/slideMasters/"))
    result = Cli(ws)("generate", PROFILE, "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"参考演示文稿 {ref}" in result.stderr and "幻灯片母版" in result.stderr, result.stderr
    assert "KeyError" not in result.output and "Traceback" not in result.output
    assert not any((tmp_path / "out").rglob("*.*"))


# --- Jinja: syntax errors in Chinese at file:line; a failed include names where it was asked ------

SYNTAX = {
    "{% if %}": "缺少表达式",
    "{% for x in said %}": "{% for %} 没有结束",
    "{% endfor %}": "多出的 {% endfor %}",
    "{% for x in y %}{% if 1 %}{% endfor %}{% endif %}": "嵌套次序有误",
    "{% foo %}": "不认识的标签 {% foo %}",
    "{{ x ": "缺少“}}”",
    "{{ x|nosuchfilter }}": "没有名为 nosuchfilter 的过滤器",
    "{{ 'abc }}": "引号是否成对",
    "{% for x y %}{% endfor %}": "这里应是“in”",
    "{{ x is nosuchtest }}": "没有名为 nosuchtest 的判断",
    "{% %}": "缺少标签名",
    "{{ x ) }}": "这里不能出现",
}


@pytest.mark.parametrize("line, says", SYNTAX.items(), ids=SYNTAX.keys())
def test_a_jinja_syntax_error_is_said_in_chinese_at_its_line(tmp_path, line, says):
    path = tmp_path / "t.j2"
    path.write_text("第一行\n第二行\n" + line + "\n", encoding="utf-8")
    problems = _check_one(path, {"x", "y", "said"}, set())
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.file == path and p.line == 3, p
    assert says in p.message, p.message
    _chinese_only(p.message)


def test_an_unknown_jinja_message_still_gets_a_chinese_sentence_and_the_line(tmp_path):
    import jinja2

    from pitchcraft.compose.textblocks import syntax_message

    exc = jinja2.TemplateSyntaxError("something new in a later Jinja", 2, "t.j2")
    exc.source = "a\n{{ odd }}\n"
    message = syntax_message(exc)
    assert message.startswith("模板语法错误：") and "{{ odd }}" in message and "later" not in message


@pytest.mark.parametrize("tag", ["{% include '/etc/passwd' %}", "{% include '../../etc/passwd' %}",
                                 "{% import 'os' as os %}", "{% from 'nope.j2' import x %}"])
def test_a_failed_include_names_the_including_template_and_line(tmp_path, tag):
    (tmp_path / "host.j2").write_text("第一行\n第二行\n" + tag + "\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render_text(make_env([tmp_path]), "host.j2", {})
    message = str(err.value)
    assert f"{tmp_path / 'host.j2'}:3" in message and "找不到要包含的模板文件" in message, message


def test_a_template_including_itself_says_so_at_its_line(tmp_path):
    (tmp_path / "self.j2").write_text("第一行\n{% include 'self.j2' %}\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render_text(make_env([tmp_path]), "self.j2", {})
    assert f"{tmp_path / 'self.j2'}:2" in str(err.value) and "include" in str(err.value)


def test_generate_with_a_jinja_syntax_error_exits_1_in_chinese(tmp_path):
    ws = _workspace(tmp_path)
    bg = ws / "templates" / "proposal" / "background.j2"
    lines = bg.read_text(encoding="utf-8").splitlines()
    bg.write_text("\n".join(lines + ["{% if %}"]) + "\n", encoding="utf-8")
    result = Cli(ws)("generate", PROFILE, "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"background.j2:{len(lines) + 1}" in result.stderr and "缺少表达式" in result.stderr, result.stderr
    assert "Expected an expression" not in result.output
    assert not any((tmp_path / "out").rglob("*.*"))


# --- value.yaml / quantities.yaml of the wrong shape -------------------------------------------

SHAPES = {
    "fit: 5": ("fit:", "fit: 5\nfit_old:", "fit", "应为键值对"),
    "share as text": ("    share: 0.5", "    share: 一半", "bill.vpmn.share", "应为数字"),
    "words as a mapping": ("  words: [没人接", "  words: {a: 1}\n  words_old: [没人接", "calls.words", "应为列表"),
    "bill as a list": ("bill:", "bill: [1, 2]\nbill_old:", "bill", "应为键值对"),
    "a new product as a number": ("  vpmn:\n    share: 0.5", "  newprod: 3\n  vpmn:\n    share: 0.5",
                                  "bill.newprod", "应为键值对"),
}


@pytest.mark.parametrize("old, new, field, says", SHAPES.values(), ids=SHAPES.keys())
def test_value_yaml_of_the_wrong_shape_is_refused_at_its_line(tmp_path, old, new, field, says):
    ws = _workspace(tmp_path)
    table = ws / "templates" / "value.yaml"
    text = table.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    table.write_text(text, encoding="utf-8")
    result = Cli(ws)("quote", PROFILE)
    assert result.exit_code == 1, result.output
    m = re.search(rf"{re.escape(str(table))}:(\d+):\d+: error: {re.escape(field)}: ([^\n]*)", result.stderr)
    assert m, result.stderr
    line = text.splitlines()[int(m.group(1)) - 1]
    assert field.split(".")[-1] in line, (line, field)
    assert says in m.group(2) and "not iterable" not in result.output
    _chinese_only(m.group(2))


def test_the_shipped_tables_have_the_shipped_shape(tmp_path):
    ws = _workspace(tmp_path)
    assert Cli(ws)("quote", PROFILE).exit_code == 0


# --- database URLs ----------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["mysql://x", "mysql+pymysql://u:secret@h/db", "oracle://h", "mssql://h",
                                 "foo", "sqlite:x.db", "http://example.com"])
def test_a_database_url_without_a_driver_is_refused_in_chinese(url):
    from pitchcraft.web.db import check_url

    with pytest.raises(UsageError) as err:
        check_url(url)
    assert "只支持 sqlite:///" in str(err.value) and "secret" not in str(err.value)


@pytest.mark.parametrize("url", ["sqlite:///x.db", "sqlite:////tmp/x.db", "postgresql://u@h/db",
                                 "postgres://u@h/db", "postgresql+psycopg://u@h/db"])
def test_the_supported_database_urls_pass(url):
    from pitchcraft.web.db import check_url

    check_url(url)


def test_serve_with_a_mysql_url_exits_1_in_chinese(tmp_path):
    result = Cli(_workspace(tmp_path))("serve", "--database", "mysql://x")
    assert result.exit_code == 1, result.output
    assert "只支持 sqlite:///" in result.stderr and "ModuleNotFoundError" not in result.output


# --- indentation with a full-width or no-break space -----------------------------------------------

@pytest.mark.parametrize("space, name", [("\u3000\u3000", "全角空格"), ("\u00a0\u00a0", "不间断空格"),
                                         ("  \u3000", "全角空格")])
@pytest.mark.parametrize("line", [5, 11])
def test_indentation_with_a_look_alike_space_is_reported_at_its_own_line(tmp_path, space, name, line):
    lines = PROFILE.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = space + lines[line - 1].lstrip(" ")
    bad = tmp_path / "p.yaml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = Cli(ROOT)("recommend", bad)
    assert f"{bad}:{line}:" in result.stderr and name in result.stderr, result.stderr
    assert "英文冒号" not in result.stderr
    if not space.startswith(" "):  # a key that starts with one is only ignored, with a warning
        assert result.exit_code == 1


# --- small ones ---------------------------------------------------------------------------------

def test_users_add_with_an_unknown_branch_is_refused_listing_real_ones(tmp_path):
    ws = _workspace(tmp_path)
    url = f"sqlite:///{tmp_path / 'web.db'}"
    cli = Cli(ws)
    result = cli.runner.invoke(main,
                               ["-w", str(ws), "users", "add", "x", "--role", "manager", "--branch", "火星",
                                "--database", url], input="pw-1234567\n")
    assert result.exit_code == 1, result.output
    assert "没有分公司“火星”" in result.stderr and "广州分公司（guangzhou）" in result.stderr
    ok = cli.runner.invoke(main,
                           ["-w", str(ws), "users", "add", "y", "--role", "manager", "--branch", "东莞",
                            "--database", url], input="pw-1234567\n")
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize("command", [["users"], ["users", "add"], ["users", "list"], ["serve"]])
def test_help_shows_no_english_metavar(command):
    result = Cli(ROOT)(*command, "-h")
    assert result.exit_code == 0
    assert not re.search(r"\b(TEXT|INTEGER|PATH|FLOAT|FILENAME|DIRECTORY)\b", result.output), result.output


def test_an_unknown_need_area_lists_the_chinese_names(tmp_path):
    text = PROFILE.read_text(encoding="utf-8").replace("needs:\n", "needs:\n  其他: [随便说说]\n", 1)
    bad = tmp_path / "p.yaml"
    bad.write_text(text, encoding="utf-8")
    result = Cli(ROOT)("recommend", bad)
    m = re.search(r"未知的需求类别 其他（可选：([^）]*(?:）[^）]*)*?)），", result.stderr)
    assert m, result.stderr
    assert "基础通信（basic_comms）" in m.group(1) and not m.group(1).startswith("basic_comms")


@pytest.mark.parametrize("value", ["", " "])
def test_an_empty_workspace_is_refused(value, tmp_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.chdir(ROOT)  # the current folder is a workspace: it must not be used silently
    result = CliRunner().invoke(main, ["--workspace", value, "recommend", str(PROFILE)])
    assert result.exit_code == 1, result.output
    assert "不能为空" in result.output


def test_brief_on_a_full_disk_names_its_file(tmp_path):
    import resource
    import signal
    import subprocess
    import sys

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    proc = subprocess.run([sys.executable, "-m", "pitchcraft", "brief", str(PROFILE), "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, preexec_fn=small_files, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert re.search(rf"错误：无法写入 {re.escape(str(tmp_path))}/[^ ：]+\.docx：", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text, says", [("{{ nope }}", "nope"), ("{{ client.nope }}", "nope（这个值没有这个字段）"),
                                        ("{{ items[5] }}", "第 5 项")])
def test_an_undefined_value_in_a_template_is_said_in_chinese_at_its_line(tmp_path, text, says):
    (tmp_path / "t.j2").write_text("第一行\n" + text + "\n", encoding="utf-8")
    with pytest.raises(RenderError) as err:
        render_text(make_env([tmp_path]), "t.j2", {"client": {"name": "华南"}, "items": [1]})
    message = str(err.value)
    assert f"{tmp_path / 't.j2'}:2" in message and says in message, message
    said = message.split("：", 1)[1]
    assert "undefined" not in said and "attribute" not in said, said
