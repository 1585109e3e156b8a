"""Small pieces: YAML positions and limits, text features, numbering, folder names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pitchcraft import yamlsrc
from pitchcraft.compose import Numbering, cn_number
from pitchcraft.match.text import contains, grams
from pitchcraft.spec import clean_text
from pitchcraft.textblocks import Bullets, Component, Heading, Para, parse_blocks
from pitchcraft.write import slug


def test_positions_are_kept_for_every_value():
    src, problems = yamlsrc.parse("a:\n  b:\n    - x\n    - y\n", Path("f.yaml"))
    assert not problems
    assert src.where(("a", "b", 1)) == (4, 7)
    assert src.where(("a", "missing")) == (1, 1)


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
    assert {"话费", "话", "费"} <= grams("话费高")
    assert "我们" not in grams("我们的话费")
    assert contains("想找一家便宜的冻肉供应商", "找*供应商")
    assert not contains("二级供应商交货全靠电话催", "找*供应商")
    assert contains("ＣＮＣ停机", "cnc")


def test_chinese_numbering():
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
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
