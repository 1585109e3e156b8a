"""Small pieces: YAML positions and limits, text features, numbering, folder names."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, strategies as st

from conftest import ROOT
from docreader import docx_paragraphs
from pitchcraft import yamlsrc
from pitchcraft.pipeline import generate
from pitchcraft.workspace import Workspace
from pitchcraft.reading import xml_safe
from pitchcraft.compose import Numbering, cn_number
from pitchcraft.match.text import contains, grams
from pitchcraft.model.spec import clean_text
from pitchcraft.compose.textblocks import Bullets, Component, Heading, Para, parse_blocks
from pitchcraft.write import slug


def test_positions_are_kept_for_every_value():
    src, problems = yamlsrc.parse("a:\n  b:\n    - x\n    - y\n", Path("f.yaml"))
    assert not problems
    assert src.where(("a", "b", 1)) == (4, 7)
    assert src.where(("a", "missing")) == (1, 1)


def test_positions_under_a_repeated_key_are_those_of_the_values_as_built():
    """Positions are looked up in the node tree when asked for; they are the ones each value was given
    in the order the data was built: an entry at the last key written, a list item at the first."""
    text = "a: [x, y, z]\nb: &m {k: 1}\na: {0: p}\nc: *m\nd: !!set {q}\n"
    src, problems = yamlsrc.parse(text, Path("f.yaml"), line_offset=1)
    assert [p.message for p in problems] == ["键 a 重复出现，后一个会覆盖前一个",
                                             "不支持的 YAML 标签 tag:yaml.org,2002:set，只允许普通的文字、数字、列表和键值"]
    assert src.data == {"a": {0: "p"}, "b": {"k": 1}, "c": {"k": 1}, "d": None}
    assert src.where(("a",)) == (4, 1)      # the last key a
    assert src.where(("a", 0)) == (4, 5)    # the entry 0 of the last a …
    assert src.where(("a", 2)) == (2, 11)   # … an item only the first a had
    assert src.where(("c", "k")) == (3, 8)  # through an alias, where the anchored value is written
    assert src.where(("d", "q")) == (6, 1)  # nothing inside a refused value
    assert src.where(("a", 9, "x")) == (4, 1)


def test_plain_scalars_get_the_tags_pyyaml_gives_them():
    ours, pyyaml = yamlsrc._Loader(""), yaml.SafeLoader("")
    chars = ["", "0", "1", "-", "+", ".", "_", ":", "e", "x", "b", "o", "y", "n", "t", "f", "N", "~", "<", "=",
             "中", " "]
    values = ["".join(c) for k in range(4) for c in itertools.product(chars, repeat=k)]
    values += ["yes", "No", "NULL", "null", "true", "False", "off", "On", ".inf", "-.INF", ".NaN", "1_000", "0x1F",
               "0b101", "017", "1:30", "190:20:30.15", "1.2e+3", "2026-01-01", "2026-1-1 1:00:00",
               "2026-01-01T10:00:00Z", "2026-01-01 10:00:00.5 +08:00", "<<", "="]
    for value in values:
        for implicit in ((True, False), (False, True)):
            assert ours.resolve(yaml.ScalarNode, value, implicit) == pyyaml.resolve(yaml.ScalarNode, value, implicit)
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert ours.resolve(kind, None, (True, False)) == pyyaml.resolve(kind, None, (True, False))


@pytest.mark.parametrize("text", [
    "0", "7", "2025", "-3", "+3", "007", "0x1F", "0o17", "0b101", "1_000", "1:30", "12345678901234567890",
    "!!int ١٢", "!!int 0", "1.5", ".inf", "true", "False", "yes", "OFF", "!!bool On", "null", "~", "", "!!null x",
    "2026-12-31", "2026-02-30", "0000-01-01", "2026-1-1", "2026-01-01 10:00:00", "!!timestamp 2026-01-01",
    "'2026-01-01'", "\"12\"", "text", "n", "Null", "NULL",
])
def test_scalars_are_built_as_pyyaml_builds_them(text):
    """Plain numbers, dates, booleans and nulls take a short way; the result or the problem is PyYAML's."""
    src, problems = yamlsrc.parse(f"v: {text}\n", Path("f.yaml"))
    try:
        expected, error = yaml.load(f"v: {text}\n", Loader=yaml.SafeLoader)["v"], None
    except ValueError as exc:
        expected, error = None, str(exc)
    assert src.data["v"] == expected and type(src.data["v"]) is type(expected)
    assert len(problems) == (1 if error else 0)
    assert all(p.message.startswith(f"无法解读的值 {text!r}") for p in problems)  # in Chinese, PyYAML's English left out


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.dates() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@given(_VALUES, st.sampled_from([None, True, False]))
@example("·0", None)  # a bullet mark: hypothesis found it once (the test knew only the dash hint)
def test_any_dumped_data_reads_back_as_pyyaml_reads_it(value, flow):
    text = yaml.safe_dump({"v": value}, allow_unicode=True, default_flow_style=flow)
    src, problems = yamlsrc.parse(text, Path("f.yaml"))
    # what differs on purpose: characters no document can hold are dropped (a warning), a text
    # written like a list item without its space ("-a") is refused, plain text folded over lines
    # in a list is pointed out
    assert {p.rule for p in problems} <= {"characters", "yaml", "folded-text"}
    assert all(p.severity == "warning" for p in problems if p.rule != "yaml")
    # ...and a text starting with another list mark ("·0", "•a") is refused with that mark named
    assert all("“-”后面缺少空格" in p.message or "不能用“" in p.message for p in problems if p.rule == "yaml")
    if not any(p.rule == "yaml" for p in problems):
        assert src.data == _xml_safe(yaml.safe_load(text))
    src.where(("v", 0, 0))  # any path has a position, or its nearest parent's


def _xml_safe(data):
    if isinstance(data, str):
        return xml_safe(data)
    if isinstance(data, list):
        return [_xml_safe(x) for x in data]
    if isinstance(data, dict):
        return {k: _xml_safe(v) for k, v in data.items()}  # keys are names, kept as written
    return data


def test_a_bom_is_skipped_and_a_bad_byte_found_on_its_line():
    bom = "\ufeff".encode()
    assert yamlsrc.decode(bom + "a: 中\n".encode(), Path("f"))[0] == "a: 中\n"
    for raw in (bom + b"a: 1\n\n\xff\n", b"a: 1\n\xff", "a:\n中".encode("gbk")):
        with pytest.raises(UnicodeDecodeError) as exc:
            raw.decode("utf-8")  # the offset counted from the first byte, the BOM included
        assert yamlsrc.decode(raw, Path("f"))[1][0].line == raw[:exc.value.start].count(b"\n") + 1


def test_alias_bomb_is_refused_quickly(monkeypatch):
    monkeypatch.setattr(yamlsrc, "MAX_NODES", 10_000)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    src, problems = yamlsrc.parse(bomb, Path("bomb.yaml"))
    assert src is None
    assert "别名炸弹" in problems[0].message


def test_text_cleaning_drops_control_characters_and_folds_lines():
    assert clean_text("a\x07b\n  c\x1b\u200b") == "ab c"
    assert clean_text("一\n\n\n二", multiline=True) == "一\n\n二"


def test_grams_and_cues():
    assert {"话费", "话", "费"} <= set(grams("话费高"))
    assert grams("高话费话费") == tuple(sorted(set(grams("高话费话费"))))  # each once, in one order everywhere
    assert "我们" not in grams("我们的话费")
    assert contains("想找一家便宜的冻肉供应商", "找*供应商")
    assert not contains("二级供应商交货全靠电话催", "找*供应商")
    assert contains("ＣＮＣ停机", "cnc")


def test_chinese_numbering():
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
    assert [cn_number(n) for n in (99, 100, 101, 110, 120, 1000, 1010, 9999, 10000)] == \
        ["九十九", "一百", "一百零一", "一百一十", "一百二十", "一千", "一千零一十", "九千九百九十九", "10000"]
    n = Numbering()
    assert [n.next(1), n.next(2), n.next(2), n.next(3), n.next(4), n.next(1), n.next(2)] == \
        ["一、", "（一）", "（二）", "1. ", "（1）", "二、", "（一）"]


def test_block_markup():
    blocks = parse_blocks("第一行\n第二行\n\n## 小节\n> 原话\n- 甲\n- 乙\n[[needs_table]]\n! 注")
    assert blocks == [Para("第一行第二行"), Heading(2, "小节"), Para("原话", "quote"), Bullets(("甲", "乙")),
                      Component("needs_table"), Para("注", "note")]


@pytest.mark.parametrize("name,expected", [
    ("华南精密制造有限公司", "华南精密制造有限公司"),
    ("../../etc/passwd", "etc-passwd"),
    ("A/B\\C:D*E?", "A-B-C-D-E"),
    ("..", "client"),
    ("\x00\x07", "client"),
])
def test_slug_never_leaves_the_folder(name, expected):
    assert slug(name) == expected
    assert "/" not in slug(name) and ".." not in slug(name)


def test_heading_pages_skip_a_toc_of_several_pages():
    from pitchcraft.render.pdf import heading_pages

    pages = ["封面", "目录 一、甲 二、乙", "三、丙", "一、甲 正文", "二、乙", "三、丙 正文"]
    assert heading_pages(pages, ["一、甲", "二、乙", "三、丙"]) == {"一、甲": 4, "二、乙": 5, "三、丙": 6}


def test_fit_splits_text_and_keeps_headings_with_their_items():
    from pptx.util import Emu

    from pitchcraft.render.fit import Level, fits, split_to_fit

    levels = [Level(18, 22.5, 1.0, 6)] + [Level(16, 58.5, 1.0, 4)] * 8
    width, height = Emu(12700 * 600), Emu(12700 * 200)  # 600 x 200 pt
    paras = [(0, "甲")] + [(1, "很长的一条客户需求描述" * 6)] * 3 + [(0, "乙"), (1, "短")]
    pages = split_to_fit(paras, levels, width, height)
    assert len(pages) > 1
    for page in pages:
        assert fits(page, levels, width, height)
        assert page[-1][0] == 1  # never a heading alone at the bottom
    assert pages[1][0] == (0, "甲")  # a continued group repeats its heading
    assert [p for page in pages for p in page if p != (0, "甲")] == [p for p in paras if p != (0, "甲")]


def test_a_profile_with_more_than_a_hundred_statements_in_an_area_gets_its_proposal(tmp_path):
    """Heading numbers ran out at 99 (IndexError): a long list of needs is a normal profile."""
    data = yaml.safe_load((ROOT / "examples" / "precision-manufacturing.yaml").read_text(encoding="utf-8"))
    data["needs"]["basic_comms"] = [f"第{i}个车间和总部之间打电话太贵了，每月话费{i}千元" for i in range(1, 106)]
    profile = tmp_path / "many.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    folder = generate(Workspace.open(ROOT), profile, tmp_path / "out").folder
    texts = [t for _s, t in docx_paragraphs(folder / "proposal.docx")]
    assert any("第105个车间" in t for t in texts)
