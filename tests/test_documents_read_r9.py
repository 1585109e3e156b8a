"""The documents as the client reads them (round 9): where each quantity came from in plain words,
cases of the client's own industry named naturally, headings that never end a page alone (brief and
proposal), product headlines that answer what the client says fails, need headings that do not
hang, and the client's sites counted one way in every place. Each test reopens what ``generate``
wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import ROOT, copy_workspace, generate_each, needs_soffice
from docreader import docx_paragraphs, docx_text, pptx_slides
from pitchcraft.compose import headline
from pitchcraft.compose.context import need_title
from pitchcraft.model.vocab import INDUSTRY_PEERS, industry_peers
from pitchcraft.model.vocab import INDUSTRIES
from pitchcraft.render import pdf as render_pdf

LABELLED = ROOT / "tests" / "eval" / "profiles"

# a restaurant chain: the quote's quantities from the headcount rule, the client's own figure
# (quantities:) and what they said; cases of its industry
RESTAURANT = """\
client:
  name: 长沙老街坊餐饮管理有限公司
  industry: 餐饮
  employees: 480
  sites: 12
  region: 长沙
  current_services: [集团V网]
contacts:
  - {name: 谭建军, title: 创始人, role: decision_maker, attitude: supportive}
needs:
  basic_comms:
    - 订座电话分散在各个门店，饭点一到就占线，客人打不进来就去别家了
  mobile_office:
    - 新开的两家店，店长和厨师长打给总部还是要花钱
  production_control:
    - 中央厨房往各门店配菜，门店要了多少、送了多少，经常扯皮
  marketing:
    - 想在老顾客生日的时候送他一张优惠券，吸引他回来吃饭
    - 客人打电话来等接通的时候，想让他听听我们的招牌菜
quantities:
  移动供应链管理: 17
budget:
  monthly_cny: 12000
visit:
  date: '2026-12-18'
  manager: 王芳
  phone: '13922223333'
"""

# an IoT need said as what the client cannot see: the headline should be the benefit that answers it
COLD_CHAIN = ROOT / "tests" / "fixtures" / "cold-chain-trial.yaml"
MOULD = LABELLED / "32-mould-workshop.yaml"
HOSPITAL = ROOT / "examples" / "county-hospital.yaml"
GOVERNMENT = LABELLED / "31-county-government-office.yaml"



@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each profile generated once (proposal, deck, brief): key -> its folder."""
    tmp = tmp_path_factory.mktemp("made")
    ws = copy_workspace(tmp / "ws")
    restaurant = ws / "restaurant.yaml"
    restaurant.write_text(RESTAURANT, encoding="utf-8")
    return generate_each(tmp, {"restaurant": restaurant, "cold-chain": COLD_CHAIN, "mould": MOULD,
                               "hospital": HOSPITAL, "government": GOVERNMENT}, "--brief", ws=ws)


def _client_texts(folder: Path, notes: bool = False) -> str:
    """The proposal and the slides (with ``notes``, the speaker notes too: the manager's, not the client's)."""
    deck = "\n".join(t for s in pptx_slides(folder / "pitch.pptx") for t in (s["text"], s["notes"] if notes else ""))
    return docx_text(folder / "proposal.docx") + "\n" + deck


def _bases(folder: Path) -> list[str]:
    """The "依据：…" line under each quote item, as the client reads it."""
    return [t[len("依据："):] for _s, t in docx_paragraphs(folder / "proposal.docx") if t.startswith("依据：")]


# --- 1. where a quantity came from, in plain words --------------------------------------------

@pytest.mark.parametrize("key", ["restaurant", "cold-chain", "mould", "hospital", "government"])
def test_no_quantity_basis_speaks_the_sellers_shorthand(made, key):
    text = _client_texts(made[key])
    for jargon in ("档案", "客户经理指定", "按客户所说", "按员工数", "按站点数", "缺员工数", "缺站点数"):
        assert jargon not in text, (key, jargon)
    bases = _bases(made[key])
    assert bases, key
    # round 10: a count not given is to be confirmed; round 11: cameras, terminals per person, sites too
    confirm = r"(人数|订户数|车辆数|设备数|会议室数|每月发送量|摄像头数|终端数|需配终端的人数|站点数)"
    plain = re.compile(r"^(固定 1 套|贵单位提供的数量|客户经理核定|贵单位所说“[^”]+”|全体员工 [\d,]+ 人|员工[\d,]+人×\d+%"
                       r"|\d+ 个站点|\d+ 个站点各 1 台|\d+ 个站点各 1 端|贵单位所说“[^”]+”(及[^，]+)?，各 1 端|现有业务新增部分，新增成员数待确认|\d+个站点×\d+%|暂按 1 计，(人数|站点数)待确认"
                       rf"|{confirm}待贵单位确认|贵单位提到“[^”]+”，{confirm}待确认"
                       r"|贵单位所说“[^”]+”，每人每月 1 条|先按每月 1 包，按实际发送量调整)$")
    assert [b for b in bases if not plain.match(b)] == [], key


def test_a_quantity_the_client_gave_says_so_and_one_not_given_is_to_be_confirmed(made):
    bases = _bases(made["restaurant"])
    assert "贵单位提供的数量" in bases  # quantities: 移动供应链管理: 17
    rows = docx_text(made["restaurant"] / "proposal.docx")
    assert "手机端用户功能费\n依据：贵单位提供的数量\n17\n" in rows
    # round 10: no count of extensions was said, so none is made up from 20 % of the staff
    assert "分机成员功能费\n依据：人数待贵单位确认\n待确认\n" in rows
    assert "×20%" not in rows
    # the chapter's lead-in points where the bases are, not at a column the table does not have
    assert "“数量（依据）”一栏" not in rows and "该资费项目的下方" in rows


# --- 2. cases of the client's industry, named naturally ---------------------------------------

def test_every_industry_has_a_peer_noun_that_reads_naturally():
    assert set(INDUSTRY_PEERS) == set(INDUSTRIES)
    for key in INDUSTRIES:
        noun = industry_peers(key)
        assert not noun.endswith("行业") and "业行业" not in f"同为{noun}", key
        assert noun.endswith(("企业", "机构", "单位", "机关")), key  # a kind of organisation, as 同为… needs


@pytest.fixture(scope="module")
def cited(tmp_path_factory):
    """A shipped profile that still cites a case of its own sub-industry since the case choice of round 12."""
    return generate_each(tmp_path_factory.mktemp("cited"), {"water": LABELLED / "44-water-utility.yaml"}, "--brief")


@pytest.mark.parametrize("key,peers,reason", [
    ("restaurant", "酒店餐饮企业", "同为酒店餐饮企业"), ("hospital", "医疗卫生机构", "选用原因：同为医院客户"),
    ("government", "党政机关", "同为党政机关"), ("water", "公用事业单位", "选用原因：同为供水与水务客户")])
def test_same_industry_cases_are_introduced_as_peers(made, cited, key, peers, reason):
    folder = {**made, **cited}[key]
    proposal = docx_text(folder / "proposal.docx")
    brief = docx_text(folder / "brief.docx")
    everything = _client_texts(folder, notes=True) + brief
    assert "同属" not in everything and "业行业" not in everything, key
    assert "其他行业的参考案例" not in proposal, key  # each cites a case of its own industry
    assert f"以下案例中的客户与贵单位同为{peers}" in proposal, key
    assert reason in brief, key  # the brief's reasons for citing a case: its sub-industry when the same


def test_the_cold_chain_trial_cites_no_case_and_introduces_none(made):
    """Since round 12 no shipped case fits the cold-chain carrier's plan: no case chapter, no peer line."""
    proposal = docx_text(made["cold-chain"] / "proposal.docx")
    brief = docx_text(made["cold-chain"] / "brief.docx")
    assert "成功案例" not in proposal and "以下案例中的客户" not in proposal
    assert "本方案没有引用案例" in brief and "建议书和演示稿引用了以下案例" not in brief
    assert "同属" not in proposal + brief and "业行业" not in proposal + brief


# --- 3, 4. headings never end a page alone ------------------------------------------------------

def _keeps(el) -> bool:
    return el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def _style_id(el) -> str:
    style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else ""


@pytest.mark.parametrize("key", ["restaurant", "hospital", "government"])
def test_the_briefs_table_and_list_introductions_keep_with_them(made, key):
    body = list(Document(str(made[key] / "brief.docx")).element.body)
    kept = 0
    for el, caption, nxt in zip(body, body[1:], body[2:]):
        # a body paragraph, the caption, the table: the paragraph keeps with them (its heading
        # keeps with it by the Heading style, so a heading never ends a page alone above a table)
        if el.tag == qn("w:p") and nxt.tag == qn("w:tbl") and "".join(
                t.text or "" for t in caption.iter(qn("w:t"))).startswith("表："):
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            if text.strip() and not _style_id(el).startswith(("Heading", "List")):
                # since round 10 the paragraph lets go of a table of six rows or more kept whole: the
                # heading, it and the table would move as one block of over half a page
                # (render.docx.CHAIN_LINES) and leave the page before as blank; its heading keeps with it
                rows = nxt.findall(qn("w:tr"))
                whole = len(rows) >= 6 and all(_keeps(p) for tr in rows[:-1] for p in tr.iter(qn("w:p")))
                assert _keeps(el) or whole, (key, text)
                kept += _keeps(el)
    assert kept >= 1, key


@pytest.mark.parametrize("key", ["restaurant", "hospital"])
def test_the_solution_chapters_introduction_keeps_with_its_figure(made, key):
    body = list(Document(str(made[key] / "proposal.docx")).element.body)
    texts = ["".join(t.text or "" for t in el.iter(qn("w:t"))) for el in body]
    at = texts.index("图：总体方案结构")
    intro = body[at - 1]
    assert texts[at - 1].startswith("针对贵单位提出的事项") and _keeps(intro)
    assert _keeps(body[at])  # the caption with the picture


def _pages(docx: Path) -> list[str]:
    pdf = render_pdf.convert({"x.docx": docx.read_bytes()})["x.pdf"]
    return [re.sub(r"\s+", "", t) for t in render_pdf.page_texts(pdf)]


# The county hospital's brief since round 12 (its warnings before the visit): LibreOffice leaves "四、推荐组合"
# at the foot of page 2 although the heading keeps with its next paragraph (keepNext in its style and on the
# paragraph; still so with the table after it removed, tried 2026-12-03). Word honours keepNext; strict, so
# the day LibreOffice's pages agree, this test says so and the mark goes. Round 13 (LibreOffice 7.4, the brief's
# XML edited by hand): the heading is moved when a caption or the table follows it directly (its introduction
# moved below the table, or dropped), never when its Body Text paragraph does, whatever keepNext, keepLines or
# widowControl that paragraph or the heading carries and with or without a repeated table header; a
# pageBreakBefore on the heading moves it. Not done: the writer keeps no page position to set such a break only
# when little room is left (its line estimates drift over two pages), and the order of the brief's blocks is
# compose/brief.py's.
LO_IGNORES_KEEP = pytest.mark.xfail(strict=True, reason="LibreOffice leaves a keepNext heading at the page foot")


@needs_soffice
@pytest.mark.parametrize("key", ["restaurant", pytest.param("hospital", marks=LO_IGNORES_KEEP)])
def test_no_heading_of_the_brief_ends_a_page(made, key):
    path = made[key] / "brief.docx"
    headings = [t for s, t in docx_paragraphs(path) if s.startswith("Heading") and t.strip()]
    pages = _pages(path)
    for heading in headings:
        key_text = re.sub(r"\s+", "", heading)
        at = next((n for n, t in enumerate(pages) if key_text in t), None)
        assert at is not None, (key, heading)
        rest = pages[at].split(key_text, 1)[1]
        rest = re.sub(r"第\d+页/共\d+页$", "", rest)  # the footer
        assert len(rest) >= 8, f"{key}: “{heading}” ends page {at + 1} of the brief"


@needs_soffice
def test_the_solution_chapter_starts_on_the_page_of_its_figure(made):
    for key in ("restaurant", "hospital"):
        pages = _pages(made[key] / "proposal.docx")
        at = next(n for n, t in enumerate(pages) if n >= 2 and re.search(r"[一二三四五六七八九十]+、总体方案", t))
        assert "图：总体方案结构" in pages[at], key


# --- 5. product headlines answer what the client says fails -------------------------------------

@pytest.mark.parametrize("key,heading", [
    ("cold-chain", "（二）GPRS企业接入：远程查看设备状态"),  # 冷藏车的温度我们看不到
    ("mould", "GPRS企业接入：远程查看设备状态"),  # CNC 晚上没人守，第二天早上才发现
])
def test_a_headline_answers_what_the_client_cannot_do(made, key, heading):
    headings = [t for s, t in docx_paragraphs(made[key] / "proposal.docx") if s == "Heading 2"]
    assert any(t.endswith(heading) for t in headings), (key, headings)
    titles = [s["text"].split("\n", 1)[0] for s in pptx_slides(made[key] / "pitch.pptx")]
    assert "远程查看设备状态" in titles and "现场不用布线" not in titles, titles


def test_what_fails_is_read_from_the_clients_words():
    assert headline.failing("冷藏车的温度我们看不到，上个月坏了一车货赔了八万") == ("看",)
    assert headline.failing("几台CNC晚上开着没人守，半夜出了故障停机，要到第二天早上才发现") == ("守", "发现")
    assert headline.failing("司机和调度都用微信群派单，出了问题谁也说不清") == ("说",)
    assert headline.failing("想在老顾客生日的时候送他一张优惠券") == ()
    # a benefit that only mentions the action does not answer "打不过来" (too many calls to make)
    assert headline.answers("操作像打电话一样简单", headline.failing("几千户人根本打不过来")) == 0


def test_a_headline_without_a_failing_action_keeps_the_catalogs_first_benefit(made):
    # 集团V网 for "话费一个月好几万": nothing fails to be done, the main benefit stays
    headings = [t for s, t in docx_paragraphs(made["cold-chain"] / "proposal.docx") if s == "Heading 2"]
    assert any(t.endswith("集团V网（现有业务扩容）：内部通话费用明显下降") for t in headings), headings


# --- need headings that do not hang --------------------------------------------------------------

def test_a_scene_setting_first_clause_is_completed():
    assert need_title("新开的两家店，店长和厨师长打给总部还是要花钱") == "新开的两家店：店长和厨师长打给总部还是要花钱"
    assert need_title("客人打电话来等接通的时候，想让他听听我们的招牌菜") == "客人打电话来等接通的时候，想让他听听我们的招牌菜"
    assert need_title("检验报告出来了，想让系统自动发短信到病人手机上，不用他再跑一趟来问") == \
        "检验报告出来了，想让系统自动发短信到病人手机上"
    assert need_title("救护车出去以后，急诊科不知道车开到哪了、还要多久到") == "救护车出去以后：急诊科不知道车开到哪了、还要多久到"
    # a request to us never completes it; money said without an amount is no trouble
    assert need_title("公司在准备A轮融资，你们有没有投资部门可以投我们") == "公司在准备A轮融资"
    assert need_title("工人大部分是外地的,我们想给他们办公司的卡,话费公司出一部分") == "工人大部分是外地的"


def test_the_need_tables_and_slides_show_the_completed_headings(made):
    proposal = docx_text(made["restaurant"] / "proposal.docx")
    assert "\n新开的两家店\n" not in proposal and "\n客人打电话来等接通的时候\n" not in proposal
    # by its completed heading, or quoted whole where 待进一步沟通 names a candidate for it (round 11)
    assert ("新开的两家店：店长和厨师长打给总部还是要花钱" in proposal
            or "“新开的两家店，店长和厨师长打给总部还是要花钱”" in proposal)
    deck = "\n".join(s["text"] for s in pptx_slides(made["restaurant"] / "pitch.pptx"))
    assert "“客人打电话来等接通的时候，想让他听听我们的招牌菜”" in deck


def test_the_analysis_promises_only_what_it_shows(made):
    for key in ("hospital", "cold-chain"):
        paras = [t for _s, t in docx_paragraphs(made[key] / "proposal.docx")]
        intro = next(t for t in paras if t.startswith("下面按需求方面整理")).split("。")[0]  # what it shows
        labels = ("现状", "我们的理解", "待进一步沟通")
        shown = {label for label in labels if any(t.startswith(f"{label}：") for t in paras)}
        for label in labels:
            assert (label in intro) == (label in shown), (key, intro)


# --- sites counted one way --------------------------------------------------------------------

def test_the_sites_are_counted_as_the_figure_draws_them(made):
    folder = made["restaurant"]
    proposal = docx_text(folder / "proposal.docx")
    assert "总部和 11 个门店共 12 处" in proposal and "共有 12 个门店" not in proposal
    assert "总部及 11 个门店" in proposal  # the figure's table
    slides = pptx_slides(folder / "pitch.pptx")
    deck = "\n".join(s["text"] for s in slides)
    assert "12\n个站点" in deck and "12\n个门店" not in deck
    assert any(s["text"].startswith("总部和 11 个门店：") for s in slides)
    notes = "\n".join(s["notes"] for s in slides)
    assert "12 个门店" not in notes


def _structure_table(folder: Path) -> str:
    for table in Document(str(folder / "proposal.docx")).tables:
        if table.rows[0].cells[0].text == "层次":
            return "\n".join(c.text for row in table.rows for c in row.cells)
    raise AssertionError("no 方案结构说明 table")


def test_the_architecture_speaks_of_the_clients_own_public(made):
    table = _structure_table(made["restaurant"])
    assert "面向客人\n移动总机\n客人拨一个总机号码" in table
    assert "取件" not in table and "客户" not in table
    hospital = _structure_table(made["hospital"])
    assert "面向患者" in hospital and "患者拨一个总机号码" in hospital


def test_a_terse_headline_carries_the_clients_point(made):
    # 企业邮箱 for "看着不像正规工厂": 统一域名 alone says nothing of it; the whole benefit does
    titles = [s["text"].split("\n", 1)[0] for s in pptx_slides(made["mould"] / "pitch.pptx")]
    assert "统一域名，对外商务往来更正规" in titles and "统一域名" not in titles
    # a longer lead clause is never carried on to half a sentence
    for key in made:
        for t in (s["text"].split("\n", 1)[0] for s in pptx_slides(made[key] / "pitch.pptx")):
            assert not t.endswith(("越多", "、")), (key, t)


# --- no figure left blank ----------------------------------------------------------------------

def test_an_offer_without_one_off_items_says_so(made):
    proposal = docx_text(made["mould"] / "proposal.docx")  # every item of its bundle is monthly
    assert "一次性 ¥0.00" not in proposal and "一次性费用 ¥0.00，" not in proposal
    # round 10: 移动总机 is 明确 (没人听 is a calling need word): its total number is priced, its extensions, the
    # mailboxes, cards and IoT cards are to be confirmed (no counts said), so the platform fee and the total number
    assert "每月 ¥250.00，无一次性费用，首年合计 ¥3,000.00" in proposal
    slides = pptx_slides(made["mould"] / "pitch.pptx")
    investment = next(s for s in slides if "首年合计" in s["text"] and "含税目录价" in s["text"])
    assert "一次性\n无" in investment["text"] and "¥0.00" not in investment["text"]
    assert "无一次性费用" in investment["notes"]
    # an offer with one-off items still names the amount (round 12: the restaurant's 集团彩铃 recording,
    # ¥300 once, joins 移动供应链管理's ¥8,000 deployment)
    assert "一次性 ¥8,300.00" in docx_text(made["restaurant"] / "proposal.docx")


# --- a tall table row may break, so its caption and introduction are not left alone --------------

def test_a_row_taller_than_a_third_of_a_page_may_break(made):
    doc = Document(str(made["hospital"] / "brief.docx"))
    objections = next(t for t in doc.tables if t.rows[0].cells[0].text == "类型")
    first = objections.rows[1]._tr
    assert first.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None  # the 价格 row: a page of answers
    short = [r._tr for r in doc.tables[0].rows]
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in short)


@needs_soffice
def test_the_objection_table_starts_under_its_caption(made):
    pages = _pages(made["hospital"] / "brief.docx")
    at = next(n for n, t in enumerate(pages) if "表：异议与应答" in t)
    after = pages[at].split("表：异议与应答", 1)[1]
    assert after.startswith("类型客户可能说建议应答价格"), after[:40]


def test_the_architecture_table_uses_the_industrys_words_for_places_and_people(made):
    gov = _structure_table(made["government"])
    assert "机关本部与各办公点，手机和电脑开视频会议" in gov  # not 总部与各站点
    assert "干部职工手机组成集团短号网" in gov and "管理人员和干部职工" in gov
    assert "员工" not in gov and "〔" not in gov
    # 集团信息机 is the duty room's SMS terminal, not a desk phone
    assert "值班室或办公室的短信群发终端" in gov and "固定电话终端" not in gov
    hospital = _structure_table(made["hospital"])
    assert "医务人员手机组成集团短号网" in hospital and "各院区之间或到数据中心的数据专线" in hospital


def test_a_product_the_manager_added_names_no_problem_of_the_clients(made):
    # cold-chain-trial: choices.add 云视讯, which no statement of the client's asks for
    styled = docx_paragraphs(made["cold-chain"] / "proposal.docx")
    paras = [t for _s, t in styled]
    at = next(i for i, (s, t) in enumerate(styled) if s == "Heading 2" and t.startswith("（三）云视讯："))
    section = paras[at:at + 4]
    assert section[2] == "1. 能为贵单位带来什么", section
    assert section[3].startswith("这一项不是贵单位在沟通中提出的") and section[3].endswith("供贵单位参考。")
    asked = next(i for i, (s, t) in enumerate(styled) if s == "Heading 2" and t.startswith("（一）千里眼："))
    assert paras[asked + 2] == "1. 为贵单位解决的问题"


def test_what_is_left_to_talk_over_is_a_chapter_of_its_own(made):
    # not a lone "（一）待进一步沟通" under 总体方案, as the model proposal has it (near the end). Since round 12
    # every need of the restaurant has a product, so the county government (2 needs open) carries the chapter
    paragraphs = docx_paragraphs(made["government"] / "proposal.docx")
    chapters = [t for s, t in paragraphs if s == "Heading 1"]
    names = [re.sub(r"^[一二三四五六七八九十]+、", "", t) for t in chapters]
    assert "待进一步沟通" in names and names.index("待进一步沟通") > names.index("服务保障")
    sections = [t for s, t in paragraphs if s == "Heading 2"]
    assert not any(t.endswith("待进一步沟通") for t in sections)
    assert "列在“待进一步沟通”一章" in docx_text(made["government"] / "proposal.docx")
    # a proposal with nothing left open has no such chapter and points to none
    restaurant = docx_paragraphs(made["restaurant"] / "proposal.docx")
    assert not any(s == "Heading 1" and t.endswith("待进一步沟通") for s, t in restaurant)
    assert "“待进一步沟通”一章" not in docx_text(made["restaurant"] / "proposal.docx")


def test_the_summary_tells_needs_to_clarify_from_needs_outside_telecom(made):
    # the county government: one need waits for the client's answers (a product may fit once the client has
    # told us more), one has no product: not both lumped as "暂无合适的产品"
    gov = docx_text(made["government"] / "proposal.docx")
    assert "其余 2 条中有 1 条需要先了解贵单位现在的做法和涉及的范围，再判断需要哪项服务，1 条目前没有合适的通信与信息化产品" in gov
    assert "暂无合适的产品可以推荐，我们在需求分析中如实说明" not in gov
    assert "在“待进一步沟通”一章如实说明" in gov
    # round 12: all 5 of the restaurant's needs have a product (集团彩铃, 集团V网 now answered): it says so
    summary = docx_text(made["restaurant"] / "proposal.docx")
    assert "提出了 5 条具体需求。每一条都有对应的通信与信息化产品。" in summary
    assert "需要先了解贵单位现在的做法" not in summary and "暂无合适的产品" not in summary
