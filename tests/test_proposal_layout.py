"""The proposal's structure and layout, read back from the .docx (and, where LibreOffice is
installed, from its PDF page by page): the chapters of a real 解决方案建议书 and a layout that holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES, ROOT, Cli, generate_each, needs_soffice
from docreader import docx_paragraphs
from pitchcraft.content.vocabulary import load_vocabulary
from pitchcraft.load import load_catalog, load_profile
from pitchcraft.render import pdf as render_pdf
from pitchcraft.render.docx import CELL_PADDING, cn_quotes, text_twips

LABELLED = [ROOT / "tests/eval/profiles" / f"{name}.yaml"
            for name in ("31-county-government-office", "33-city-commercial-bank", "37-dental-clinic-chain",
                         "42-daily-newspaper")]
PROFILES = EXAMPLES + LABELLED
PROFILES_BY_STEM = {p.stem: p for p in PROFILES}
CHAPTERS = ("执行摘要", "项目背景", "需求分析", "总体方案", "分项方案", "实施计划", "资费方案", "服务保障",
            "项目组织", "联系方式")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    """Each profile's proposal, generated once: name -> (proposal.docx, profile data)."""
    folders = generate_each(tmp_path_factory.mktemp("layout"), {p.stem: p for p in PROFILES})
    return {stem: (folder / "proposal.docx", yaml.safe_load((PROFILES_BY_STEM[stem]).read_text(encoding="utf-8")))
            for stem, folder in folders.items()}


def _chapters(path: Path) -> list[str]:
    return [re.sub(r"^[一二三四五六七八九十]+、", "", t) for s, t in docx_paragraphs(path) if s == "Heading 1"]


def _chapter_text(path: Path, title: str) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs of one chapter, its tables included."""
    out, inside = [], False
    for style, text in docx_paragraphs(path):
        if style == "Heading 1":
            inside = text.endswith(title)
            continue
        if inside:
            out.append((style, text))
    return out


def _tables_after(doc: Document, caption: str):
    """The tables whose caption paragraph (just before them) says ``caption``."""
    body = list(doc.element.body)
    for i, el in enumerate(body):
        if el.tag == qn("w:tbl") and i and "".join(t.text or "" for t in body[i - 1].iter(qn("w:t"))) == caption:
            yield el


def _cells(tbl) -> list[list[str]]:
    return [["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))]
            for tr in tbl.iter(qn("w:tr"))]


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_the_chapters_of_a_real_proposal_in_order(docs, name):
    path, data = docs[name]
    chapters = _chapters(path)
    present = [c for c in CHAPTERS if c in chapters]
    assert present == [c for c in CHAPTERS if c != "资费方案" or c in chapters]  # all, in this order
    assert chapters.index("执行摘要") == 0
    industry_needs_compliance = data["client"]["industry"] in ("government", "finance", "healthcare", "党政机关",
                                                                 "金融", "银行", "医疗", "医疗卫生", "政府")
    assert ("安全与合规" in chapters) == industry_needs_compliance, chapters


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_executive_summary_quotes_the_client_then_proposes_prices_and_next_step(docs, name):
    path, data = docs[name]
    summary = _chapter_text(path, "执行摘要")
    text = "\n".join(t for _s, t in summary)
    first = next(s for items in data["needs"].values() for s in (items or []))
    assert first in text  # the client's words, as they said them
    labels = [t.split("：")[0] for _s, t in summary if t.startswith(("建议方案：", "投资：", "下一步："))]
    assert labels[0] == "建议方案" and labels[-1] == "下一步"
    assert re.search(r"下一步：\d{4}年\d{1,2}月\d{1,2}日—\d{4}年\d{1,2}月\d{1,2}日", text)  # dated, with the year


def test_needs_analysis_says_only_what_the_profile_knows(docs):
    path, data = docs["chain-supermarket"]
    analysis = _chapter_text(path, "需求分析")
    fields = [t for _s, t in analysis if t[:3] in ("现状：", "影响：", "期望：")]
    statements = [s for items in data["needs"].values() for s in (items or [])]
    quoted = [m.group(1) for _s, t in analysis if (m := re.fullmatch(r"[①-⑳]“(.+)”", t))]
    assert quoted == statements  # each in the client's words, in order
    assert not any(t.startswith(("影响：", "期望：")) for t in fields)  # no interview notes: none invented
    current = data["client"].get("current_services") or []
    for situation in (t for t in fields if t.startswith("现状：")):  # only what the profile says it has
        assert situation.startswith("现状：贵单位已在使用") and any(c in situation for c in current), situation
    areas = [k for k, items in data["needs"].items() if items]
    assert sum(t.startswith("本方案的回应：") for _s, t in analysis) == len(areas)


def test_needs_analysis_uses_the_interviews_situation_and_implication(tmp_path):
    data = yaml.safe_load((ROOT / "examples/chain-supermarket.yaml").read_text(encoding="utf-8"))
    statement = data["needs"]["basic_comms"][0]
    data["discovery"] = {"basic_comms": {"situation": "各门店用电话报数，总部每天人工汇总",
                                         "needs": [{"statement": statement, "implication": "月底对账要三天"}]}}
    profile = tmp_path / "with-discovery.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cli = Cli(ROOT)
    result = cli("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    (folder,) = list((tmp_path / "out").iterdir())
    analysis = [t for _s, t in _chapter_text(folder / "proposal.docx", "需求分析")]
    assert any(t.startswith("现状：各门店用电话报数，总部每天人工汇总") for t in analysis)
    at = analysis.index(f"①“{statement}”")
    assert analysis[at + 1] == "影响：“月底对账要三天”"


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_service_levels_are_the_catalogs_and_nothing_else(docs, name):
    path, _data = docs[name]
    catalog, _ = load_catalog(ROOT / "catalog/products.yaml")
    doc = Document(str(path))
    (table,) = list(_tables_after(doc, "表：服务等级"))
    rows = _cells(table)
    labels = {"开通时限": "provision", "故障响应": "response", "故障恢复": "restore", "可用率": "availability"}
    header = rows[0]
    for row in rows[1:]:
        for product_name in row[0].split("、"):
            level = catalog.by_name[product_name.casefold()].service_level if product_name.casefold() in \
                catalog.by_name else next(p for p in catalog.products if p.name == product_name).service_level
            assert level is not None
            for label, value in zip(header[1:], row[1:]):
                assert value == (getattr(level, labels[label]) or "—")


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_architecture_figure_and_its_table_come_from_the_recommendation(docs, name):
    path, data = docs[name]
    doc = Document(str(path))
    assert len(doc.inline_shapes) == 2  # the cover's picture and the architecture figure
    (table,) = list(_tables_after(doc, "表：方案结构说明"))
    rows = _cells(table)
    sites = data["client"].get("sites")
    assert rows[1][0] == "站点" and (f"{sites - 1} 个" in rows[1][1] if sites and sites > 1 else rows[1][1] == "贵单位")
    if sites and sites > 1:  # the client's words for its places: the vocabulary's, as the sentences say them
        words = load_vocabulary([ROOT / "templates"]).words_for(load_profile(path.parent / "profile.yaml")[0].industry,
                                                                 data["client"]["name"])
        assert rows[1][1] == f"{words.hq}及 {sites - 1} 个{words.site}"
    overview = "\n".join(t for _s, t in _chapter_text(path, "分项方案"))
    for _layer, product, what in rows[2:]:
        if what.startswith("经"):  # a device at the sites, reached over one of the lines drawn
            assert what[1:].removesuffix("接入") in overview
            continue
        assert product.replace("（现有）", "") in overview  # every product drawn is one the proposal details


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_project_organisation_names_roles_never_attitudes(docs, name):
    path, data = docs[name]
    doc = Document(str(path))
    (table,) = list(_tables_after(doc, "表：项目组织与分工"))
    rows = _cells(table)
    assert rows[1][:2] == ["我方", "客户经理"]
    people = [r[2] for r in rows if r[0] == "贵单位"]
    assert people == ([c["name"] for c in data.get("contacts") or []] or ["请贵单位指定"])
    flat = "".join("".join(r) for r in rows)
    assert not any(word in flat for word in ("反对", "支持", "中立", "把关者", "决策者"))


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_money_tables_hold_together_right_aligned_with_unwrapped_names(docs, name):
    path, _data = docs[name]
    doc = Document(str(path))
    for caption in ("表：费用汇总", "表：报价明细（标准资费，含税）"):
        for tbl in _tables_after(doc, caption):
            rows = list(tbl.iter(qn("w:tr")))
            if caption == "表：费用汇总" or len(rows) <= 15:
                binds = [all(p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None for p in tr.iter(qn("w:p")))
                         for tr in rows[:-1]]
                # each row binds to the next: the table moves as one piece; a quote taller than two thirds
                # of a page (render.docx.MONEY_WHOLE_LINES) holds its head and its tail, never a fragment
                assert all(binds) or (caption != "表：费用汇总" and binds[:2] == binds[-2:] == [True, True]), binds
            for tr in rows:
                assert tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
            assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
            widths = [int(gc.get(qn("w:w"))) for gc in tbl.iter(qn("w:gridCol"))]
            for tr in rows[1:]:
                for col, tc in enumerate(tr.iter(qn("w:tc"))):
                    text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                    if text.startswith(("¥", "-¥")):
                        jc = tc.find(qn("w:p")).find(qn("w:pPr")).find(qn("w:jc"))
                        assert jc is not None and jc.get(qn("w:val")) == "right", text
                    if caption.startswith("表：报价明细") and col == 0:  # the product's name on one line
                        assert text_twips(text) + CELL_PADDING <= widths[0], text


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_headings_and_captions_keep_with_what_follows_and_quotes_are_chinese(docs, name):
    path, _data = docs[name]
    doc = Document(str(path))
    for level in (1, 2, 3):
        assert doc.styles[f"Heading {level}"].paragraph_format.keep_with_next
    body = doc.element.body
    for p in body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) == doc.styles["Caption"].style_id \
                and p.find(f".//{qn('w:t')}") is not None:  # a caption, not the picture it names
            assert p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    for _style, text in docx_paragraphs(path):
        assert not re.search(r'"[^"]*[\u4e00-\u9fff][^"]*"', text), text


def test_chinese_quotes_replace_straight_ones_only_around_chinese():
    assert cn_quotes('把号码绑定为"伴侣号码"即可') == "把号码绑定为“伴侣号码”即可"
    assert cn_quotes('a "quoted" word') == 'a "quoted" word'


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_table_of_contents_fits_its_page(docs, name):
    path, _data = docs[name]
    from pitchcraft.render.docx import TOC_LINE, TOC_ROOM

    levels = [int(s[-1]) for s, _t in docx_paragraphs(path) if s in ("TOC 1", "TOC 2")]
    assert levels.count(1) >= 10 and sum(TOC_LINE[level] for level in levels) <= TOC_ROOM


# A4 in points and the reference's top and bottom margins (2.54 cm): the body's text lies between
PAGE_TOP, PAGE_BOTTOM = 72.0, 841.9 - 72.0
NEAR_BLANK = 0.4  # a page whose text ends above this share of the body reads as left blank
DARK = 160  # a grey level darker than this is ink (text, rules, a figure), not a light cell fill


def _page_fill(pdf: bytes) -> list[float]:
    """Per page, how far down the body its ink reaches (0 to 1): the lowest row of dark pixels between
    the top and bottom margins of the page drawn in grey by poppler's pdftoppm, so that a figure or a
    table's rules count as well as text (a page ending with the 总体方案 figure read as 38% filled)."""
    import subprocess
    import tempfile
    from pathlib import Path

    dpi = 24
    with tempfile.TemporaryDirectory(prefix="fill-") as tmp:
        (Path(tmp) / "in.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(Path(tmp) / "in.pdf"), str(Path(tmp) / "p")],
                       check=True, capture_output=True)
        fills = []
        for page in sorted(Path(tmp).glob("p-*.pgm"), key=lambda f: int(f.stem.split("-")[1])):
            data = page.read_bytes()
            magic, width, height, _maxval, pixels = data.split(maxsplit=4)
            width, height = int(width), int(height)
            top, bottom = int(PAGE_TOP * dpi / 72), int(PAGE_BOTTOM * dpi / 72) + 1
            inked = [y for y in range(top, min(bottom, height))
                     if min(pixels[y * width:(y + 1) * width]) < DARK]
            lowest = (max(inked) + 1) * 72 / dpi if inked else PAGE_TOP
            fills.append(round(min(max(lowest - PAGE_TOP, 0) / (PAGE_BOTTOM - PAGE_TOP), 1.0), 2))
    return fills


@needs_soffice
def test_no_near_blank_page_and_the_toc_on_one_page(docs, tmp_path):
    """Every page but the cover and the last is filled at least 40 % down its body (a case card or a
    table that moved whole left pages half empty), the last one holds more than a fragment, the
    first chapter starts on page 3 (cover, contents, then the text) and the executive summary is one page."""
    for name, (path, _data) in docs.items():
        pdf = render_pdf.convert({"proposal.docx": path.read_bytes()})["proposal.pdf"]
        pages = render_pdf.page_texts(pdf)
        pages = [p for p in pages if p.strip()] if pages else []
        assert len(pages) >= 8, name
        fills = _page_fill(pdf)
        assert len(fills) == len(pages), name
        low = [(number, fill) for number, fill in enumerate(fills[1:-1], 2) if fill < NEAR_BLANK]
        assert not low, f"{name}: near-blank pages (page, share filled) {low} of {fills}"
        for number, page in enumerate(pages[1:-1], 2):
            lines = [ln for ln in page.splitlines() if ln.strip()]
            assert len(lines) >= 8, f"{name}: page {number} has {len(lines)} lines: {lines}"
        last = [ln for ln in pages[-1].splitlines() if ln.strip()]
        assert len(last) >= 6 and not last[0].startswith("表："), f"{name}: the last page is a fragment: {last}"
        assert "一、执行摘要" in pages[2] and "目" in pages[1], name
        assert "下一步：" in pages[2], f"{name}: the executive summary runs past its page"


@pytest.mark.parametrize("name, old, new, words", [
    ("architecture.yaml", "vpmn: {layer: link,", "vpmn: {layer: cloud,", "层次"),
    ("compliance.yaml", "    protection: 贵单位自建系统", "    protections: 贵单位自建系统", "protection"),
])
def test_broken_structure_data_is_reported_with_file_and_line(cli, workspace, tmp_path, name, old, new, words):
    path = workspace / "templates/proposal" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = next(n for n, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new.strip() in ln)
    result = cli("generate", EXAMPLES[0], "--out", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"{name}:" in result.stderr and words in result.stderr, result.stderr
    assert f":{line}:" in result.stderr or "缺少必填字段" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_column_widths_keep_short_labels_and_amounts_whole():
    from pitchcraft.render.docx import fit_widths

    # a product column too narrow for "集团信息机" in proportion gets its width from a long text column
    widths = fit_widths((1.0, 5.0, 1.2), 8730, [text_twips("集团信息机") + CELL_PADDING, 0, 1300])
    assert widths[0] >= text_twips("集团信息机") + CELL_PADDING and sum(widths) == 8730
    # when not all fit, the widest wanting column wraps first, amounts (kept) last
    widths = fit_widths((1, 1, 1, 1), 5000, [1500, 2500, 1500, 1500], keep={2, 3})
    assert widths[2] >= 1500 and widths[3] >= 1500 and min(widths[:2]) >= 3 * 210 and sum(widths) == 5000


def test_the_architecture_names_the_sites_in_the_workspace_vocabulary(cli, workspace, tmp_path):
    """One table for the client's words: a workspace's vocabulary renames the figure's boxes, the
    table after it and the deck's architecture slide."""
    path = workspace / "templates" / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    site: 门店\n    hq: 总部\n    staff: 员工\n    served: 顾客"
    assert old in text
    path.write_text(text.replace(old, "    site: 分店\n    hq: 管理中心\n    staff: 员工\n    served: 顾客"),
                    encoding="utf-8")
    result = cli("generate", ROOT / "examples" / "chain-supermarket.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    (folder,) = list((tmp_path / "out").iterdir())
    doc = Document(str(folder / "proposal.docx"))
    (table,) = list(_tables_after(doc, "表：方案结构说明"))
    assert _cells(table)[1][1] == "管理中心及 29 个分店"
    from pptx import Presentation
    deck = "\n".join(shape.text_frame.text for slide in Presentation(str(folder / "pitch.pptx")).slides
                     for shape in slide.shapes if shape.has_text_frame)
    assert "管理中心" in deck and "分店 2" in deck and "门店 2" not in deck


def test_site_words_left_in_architecture_yaml_are_refused_with_where_they_moved(cli, workspace, tmp_path):
    path = workspace / "templates" / "proposal" / "architecture.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "sites:\n  retail: {hq: 总部, site: 门店}\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    result = cli("generate", EXAMPLES[0], "--out", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"architecture.yaml:{line}:" in result.stderr and "templates/vocabulary.yaml" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def _keeps(tr) -> bool:
    """Every paragraph of a table row keeps with the next."""
    return all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in tr.iter(qn("w:p")))


# the case cards each proposal cites (round 12: by the client's sub-industry); the others cite none
CASES_CITED = {"chain-supermarket": 1, "county-hospital": 1, "31-county-government-office": 1,
               "33-city-commercial-bank": 1}


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_a_case_card_keeps_its_head_and_its_tail_and_may_break_between(docs, name):
    """A card kept whole moved as two thirds of a page and left the page before it half empty: now
    its title stays with the client's facts, its last two rows stay together, its title row repeats
    on the next page, no row breaks, and between head and tail it may continue on the next page
    unless it is about half a page or less (tests/test_page_breaks_r9.py)."""
    path, _data = docs[name]
    doc = Document(str(path))
    cards = [tbl for tbl in doc.element.body.iter(qn("w:tbl"))
             if len(list(tbl.iter(qn("w:tr")))[0].findall(qn("w:tc"))) == 1]
    # since round 12 most profiles cite no case: those have no card and no case chapter
    assert len(cards) == CASES_CITED.get(name, 0), name
    assert ("成功案例" in _chapters(path)) == bool(cards), name
    for tbl in cards:
        rows = list(tbl.iter(qn("w:tr")))
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows)
        assert all(_keeps(tr) for tr in rows[:3])  # the title with 行业, 规模 and 地区
        assert _keeps(rows[-2]) and not _keeps(rows[-1])  # 客户评价 with 实施成效
        if all(_keeps(tr) for tr in rows[:-1]):  # kept whole only when about half a page or less
            assert sum(len(t.text or "") for t in tbl.iter(qn("w:t"))) <= 620, name


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_an_appendix_product_keeps_its_spec_with_its_tariff(docs, name):
    path, _data = docs[name]
    doc = Document(str(path))
    body = list(doc.element.body)
    specs = [i for i, el in enumerate(body) if el.tag == qn("w:tbl") and i and
             "".join(t.text or "" for t in body[i - 1].iter(qn("w:t"))).endswith("产品规格")]
    assert specs, name
    for i in specs:
        caption = "".join(t.text or "" for t in body[i + 2].iter(qn("w:t"))) if i + 2 < len(body) else ""
        if not caption.endswith("资费"):
            continue  # a product without tariff items
        assert all(_keeps(tr) for tr in body[i].iter(qn("w:tr")))  # the whole spec, its last row too
        assert body[i + 1].find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None  # the spacer
        assert body[i + 2].find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None  # the tariff's caption


def test_columns_of_short_texts_give_their_spare_width_to_wrapping_ones():
    from pitchcraft.render.docx import CJK_TWIPS, give_room

    widths = give_room([3000, 3000, 2730], [1000, 0, 1500], [True, False, True])
    assert widths == [1000 + CJK_TWIPS, 8730 - 2 * CJK_TWIPS - 2500, 1500 + CJK_TWIPS]
    assert give_room([3000, 5730], [1000, 1500], [True, True]) == [3000, 5730]  # nothing wraps: as it was


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_the_quote_gives_its_width_to_the_tariff_items(docs, name):
    """The product column is as wide as its longest name needs (plus a character), never wider while
    the tariff items beside it wrap."""
    from pitchcraft.render.docx import CJK_TWIPS, SHORT_CELL

    path, _data = docs[name]
    for tbl in _tables_after(Document(str(path)), "表：报价明细（标准资费，含税）"):
        rows = _cells(tbl)
        widths = [int(gc.get(qn("w:w"))) for gc in tbl.iter(qn("w:gridCol"))]
        names = [r[0] for r in rows]
        assert max(text_twips(n) for n in names) <= SHORT_CELL
        assert widths[0] <= max(text_twips(n) for n in names) + CELL_PADDING + CJK_TWIPS + 1


@needs_soffice
@pytest.mark.parametrize("name", ["台山市融媒体中心（台山人民广播电台）",
                                  "广东省某某市某某区人民政府某某街道办事处党政综合办公室（网格化管理中心）",
                                  "甲" * 100])
def test_a_long_client_name_keeps_the_cover_on_its_page(cli, tmp_path, name):
    """A name over two lines pushed the cover picture and the issuer's lines onto a blank page 2:
    the picture now gives up the name's extra lines (and goes when the name takes four or more)."""
    data = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    data["client"]["name"] = name
    profile = tmp_path / "long.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    (folder,) = [p for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")]
    pdf = render_pdf.convert({"proposal.docx": (folder / "proposal.docx").read_bytes()})["proposal.pdf"]
    pages = render_pdf.page_texts(pdf)
    assert "日期" in pages[0] and "目" in pages[1] and "录" in pages[1], pages[:2]


def test_nothing_to_propose_gives_no_empty_sections_and_no_zero_slides(cli, tmp_path):
    """When no statement has a product the documents can stand behind, the proposal has no 分项方案 or
    appendix of nothing, and the deck shows no "0 条有对应" panel or network of "0 个产品"."""
    from pptx import Presentation

    data = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    data["needs"] = {"basic_comms": ["明年想把办公楼外墙重新刷一遍漆，你们认识靠谱的施工队吗"],
                     "marketing": ["想申请一笔贴息贷款，不知道银行那边要准备什么材料"]}
    profile = tmp_path / "none.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    (folder,) = [p for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")]
    chapters = _chapters(folder / "proposal.docx")
    assert "分项方案" not in chapters and not any(c.startswith("附录") for c in chapters), chapters
    slides = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
              for slide in Presentation(str(folder / "pitch.pptx")).slides]
    text = "\n".join(slides)
    assert "0 个产品" not in text and "0 件有对应" not in text and "连成一张网" not in text, text
    assert "待进一步沟通" in slides[1]
    assert not re.search(r"(?<![\d,])0\s*\n?条有对应", text), text


@pytest.mark.parametrize("name", [p.stem for p in PROFILES])
def test_the_summary_note_counts_the_concerns_it_lists(docs, name):
    """The summary's table lists some of the client's statements, not the first ones in the order
    of 需求分析 (precision-manufacturing's left out its second area's first): its note says 其中 N
    条, N the table's rows, and the rest the statements it leaves out."""
    path, data = docs[name]
    doc = Document(str(path))
    (tbl,) = _tables_after(doc, "表：主要关切与建议")
    listed = [row[0] for row in _cells(tbl)[1:]]
    statements = [s for items in data["needs"].values() for s in (items or [])]
    assert set(listed) <= set(statements)
    notes = [t for _s, t in _chapter_text(path, "执行摘要") if t.startswith("上表列出")]
    if len(listed) == len(statements):
        assert not notes
        return
    assert notes == [f"上表列出其中 {len(listed)} 条，其余 {len(statements) - len(listed)} 条见“需求分析”。"], notes
