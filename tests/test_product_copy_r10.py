"""Product copy is true to the client's industry (round 10).

Two clients of two industries are pitched the same products (MAS, 行业终端): each document reads
its own industry's copy from the catalog's ``industry_copy`` and names none of the other's systems,
nor the office software the old default text named for everyone. A catalog whose industry copy is
broken is refused with file:line:field.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pitchcraft.load import load_catalog

from conftest import ROOT, Cli, copy_workspace, generate_each
from docreader import docx_paragraphs, pptx_slides

LABEL = "我们的做法　"

GAS = """\
client:
  name: 佛山市南庄燃气发展有限公司
  industry: 公共事业
  employees: 420
  sites: 12
  tier: B
  region: 佛山
needs:
  生产控制:
    - 抄表员、安检员上门，拍的照片和用户签字要回到营业厅再录进系统
  移动办公:
    - 调压站压力一超限，想让监控系统自动发短信给值班和抢修的人
choices:
  add: [MAS, 行业终端]
visit:
  date: 2026-12-10
"""

# What only one of the two clients runs or says; the other's document must not name it.
HOSPITAL_ONLY = ("患者", "检验", "医务人员", "救护", "院本部")
GAS_ONLY = ("燃气", "调压站", "停气", "抄表", "营业厅")
# The old default copy, true of neither: MAS for "OA、ERP、CRM", 行业终端 for every industry's kit at once.
NEITHER = ("OA、ERP、CRM", "执法", "移动 POS", "售货机")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("copy-r10")
    gas = tmp / "gas.yaml"
    gas.write_text(GAS, encoding="utf-8")
    return generate_each(tmp, {"hospital": ROOT / "examples" / "county-hospital.yaml", "gas": gas})


def _section(folder: Path, product: str) -> str:
    """The proposal's 分项方案 section of ``product``: its heading and everything up to the next one."""
    out, on, chapter = [], False, ""
    for style, text in docx_paragraphs(folder / "proposal.docx"):
        if style == "Heading 1":
            chapter, on = text, False
        elif style == "Heading 2" and chapter.endswith("分项方案"):
            on = re.sub(r"^（[一二三四五六七八九十]+）", "", text).startswith(product + "：")
        if on:
            out.append(text)
    assert out, f"no section for {product} in {folder}"
    return "\n".join(out)


def _slide(folder: Path, product: str) -> str:
    for s in pptx_slides(folder / "pitch.pptx"):
        if any(sh.has_text_frame and sh.text_frame.text == LABEL + product for sh in s["shapes"]):
            return s["text"] + "\n" + s["notes"]
    raise AssertionError(f"no slide for {product}")


@pytest.mark.parametrize("product", ["MAS", "行业终端"])
def test_each_client_reads_its_own_industrys_copy(made, product):
    hospital, gas = _section(made["hospital"], product), _section(made["gas"], product)
    for word in GAS_ONLY + NEITHER:
        assert word not in hospital, (product, word)
    for word in HOSPITAL_ONLY + NEITHER:
        assert word not in gas, (product, word)
    if product == "MAS":
        assert "检验" in hospital and "患者" in hospital
        assert "燃气用户" in gas and "调压站" in gas
    else:
        assert "车开到哪" in hospital
        assert "抄表" in gas and "签字" in gas


@pytest.mark.parametrize("product", ["MAS", "行业终端"])
def test_the_deck_says_the_same_as_the_proposal(made, product):
    hospital, gas = _slide(made["hospital"], product), _slide(made["gas"], product)
    for word in GAS_ONLY + NEITHER:
        assert word not in hospital, (product, word)
    for word in HOSPITAL_ONLY + NEITHER:
        assert word not in gas, (product, word)
    assert ("患者" if product == "MAS" else "车开到哪") in hospital
    assert ("燃气用户" if product == "MAS" else "抄表") in gas


def test_a_product_heading_comes_from_the_clients_industry(made):
    hospital = _section(made["hospital"], "MAS").split("\n", 1)[0]
    gas = _section(made["gas"], "行业终端").split("\n", 1)[0]
    assert hospital.endswith("MAS：报告出来自动发短信") and gas.endswith("行业终端：现场拍照、签字当场上传")


def test_a_client_no_entry_fits_reads_the_neutral_default():
    catalog = load_catalog(ROOT / "catalog" / "products.yaml")
    catalog = catalog[0] if isinstance(catalog, tuple) else catalog
    mas = catalog.by_id["mas"]
    # a funeral home is a utility too: the gas and water texts are narrowed to their clients' names
    assert mas.copy_for("utilities", "乐昌市殡仪馆") is mas
    assert "用水户" in mas.copy_for("utilities", "台山市供水有限公司").summary
    assert "燃气用户" in mas.copy_for("energy", "中山市岐江燃气有限公司").summary
    assert "患者" not in mas.copy_for("healthcare", "梅州市福寿颐养院").summary  # a care home runs no 检验 system


# Words of one industry that a default text (read by every industry without its own copy) must not use.
ONE_INDUSTRY = ("执法", "POS", "售货机", "抄表", "报社", "电视台", "政务", "患者", "门店", "厂区", "车间", "工地",
                "家长", "燃气", "订座", "取件", "CRM", "MES")


def test_the_default_copy_names_no_one_industrys_things():
    catalog = load_catalog(ROOT / "catalog" / "products.yaml")
    catalog = catalog[0] if isinstance(catalog, tuple) else catalog
    for p in catalog.products:
        if p.id == "agri_info" or ("all" not in p.industries and len(p.industries) < 3):
            continue  # written for one industry (and its government office)
        texts = [p.summary, p.how_it_works, *p.benefits, *(x for qa in p.faq for x in qa)]
        for word in ONE_INDUSTRY:
            assert not any(word in t for t in texts), (p.id, word)


# --- a broken industry copy is refused with file:line:field -----------------------------------------

BROKEN = """\
    industry_copy:
      - industries: [utilities, 医院行业]
        summary: 把燃气报警接入短信
      - industries: [healthcare]
        summary:
      - industries: [manufacturing]
        match: [工厂]
"""


def _broken_workspace(tmp: Path) -> tuple[Path, Path, int]:
    ws = copy_workspace(tmp / "ws")
    catalog = ws / "catalog" / "products.yaml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("  - id: mas\n")
    end = text.index("\n    industries:", start) + 1
    shipped = text.find("\n    industry_copy:", start, end)  # the shipped entries are replaced by the broken ones
    at = shipped + 1 if shipped >= 0 else end
    text = text[:at] + BROKEN + text[end:]
    catalog.write_text(text, encoding="utf-8")
    first = text[:at].count("\n") + 1  # the line of "industry_copy:"
    return ws, catalog, first


def test_a_broken_industry_copy_is_reported_with_file_line_and_field(tmp_path):
    ws, catalog, first = _broken_workspace(tmp_path)
    result = Cli(ws)("catalog", "validate")
    assert result.exit_code == 1, result.output
    out = result.output
    assert f"products.yaml:{first + 1}:" in out and "mas.industry_copy[0].industries[1]: 未知的行业 '医院行业'" in out
    assert f"products.yaml:{first + 4}:" in out and "mas.industry_copy[1].summary: 不能为空" in out
    assert f"products.yaml:{first + 5}:" in out and "mas.industry_copy[2]: 没有要改写的内容" in out
    assert "Traceback" not in out


def test_an_entry_that_can_never_be_read_is_pointed_out(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    catalog = ws / "catalog" / "products.yaml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("  - id: finance_info\n")
    at = text.index("\n    industries: [finance]", start) + 1
    text = text[:at] + "    industry_copy:\n      - industries: [education]\n        summary: 学费到账提醒\n" + text[at:]
    catalog.write_text(text, encoding="utf-8")
    line = text[:at].count("\n") + 2
    result = Cli(ws)("catalog", "validate")
    assert result.exit_code == 0, result.output  # unread text harms no client: a warning
    assert re.search(rf"products.yaml:{line}:\d+: warning: finance_info.industry_copy\[0\].industries\[0\]: "
                     "本产品的适用行业（industries）中没有教育", result.output), result.output


def test_generate_refuses_a_broken_industry_copy_and_writes_nothing(tmp_path):
    ws, _catalog, first = _broken_workspace(tmp_path)
    out = tmp_path / "out"
    result = Cli(ws)("generate", ROOT / "examples" / "county-hospital.yaml", "--out", out)
    assert result.exit_code != 0
    assert f"products.yaml:{first + 1}:" in result.output and "industry_copy[0].industries[1]" in result.output
    assert "Traceback" not in result.output
    assert not list(out.rglob("*.docx")) and not list(out.rglob("*.pptx"))
    shutil.rmtree(ws)


def test_a_dropped_product_is_named_in_no_industrys_copy():
    """The manager drops 集团彩铃: V网's benefit naming it goes, from its default and its industry copy alike."""
    import dataclasses

    from pitchcraft.match.choices import _without_mentions
    from pitchcraft.model.catalog import IndustryCopy

    catalog = load_catalog(ROOT / "catalog" / "products.yaml")
    catalog = catalog[0] if isinstance(catalog, tuple) else catalog
    vpmn = dataclasses.replace(catalog.by_id["vpmn"], industry_copy=(IndustryCopy(
        industries=("healthcare",), benefits=("医生护士之间短号互拨", "可与集团彩铃同办，来电听到医院介绍")),))
    kept = _without_mentions(vpmn, ["集团彩铃"]).copy_for("healthcare", "五华县人民医院")
    assert kept.benefits == ("医生护士之间短号互拨",)
    assert not any("集团彩铃" in b for b in _without_mentions(vpmn, ["集团彩铃"]).benefits)


def test_the_product_card_shows_each_industrys_copy(tmp_path):
    result = Cli(copy_workspace(tmp_path / "ws"))("catalog", "show", "MAS")
    assert result.exit_code == 0, result.output
    assert "按行业改写：公共事业、能源（名称含 燃气）" in result.output
    assert "  · 报告出来自动发短信，患者不用再跑一趟来问" in result.output
