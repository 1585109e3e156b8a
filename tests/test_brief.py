"""brief: the manager's internal visit brief, reopened and read as the manager reads it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES, FIXTURES, ROOT
from docreader import docx_paragraphs, docx_text
from pitchcraft.compose.brief import compose_brief, read_discovery
from pitchcraft.pipeline import write_brief
from pitchcraft.load import load_catalog
from pitchcraft.match import recommend
from pitchcraft.model.profile import Contact, Profile
from pitchcraft.model.vocab import ATTITUDES, ROLES
from pitchcraft.workspace import Workspace

LEAKS = ("{{", "}}", "{%", "%}", "None", "Undefined", "TODO", "XX", "[[")
MANUFACTURING = ROOT / "examples" / "precision-manufacturing.yaml"


def _brief(cli, profile: Path, out: Path) -> Path:
    result = cli("brief", profile, "--out", out)
    assert result.exit_code == 0, result.output
    files = list(out.glob("*.docx"))
    assert len(files) == 1
    return files[0]


def rides(p: dict) -> bool:
    """A product of ``recommend --json`` left out of the documents because it only rides on a statement
    another product answers: not in them, no alternative, every link 明确."""
    return (not p["in_documents"] and not p["alternative_to"] and bool(p["links"])
            and all(link["confidence"] == "明确" for link in p["links"]))


def _table(doc, first_header: str):
    for table in doc.tables:
        if table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table starting with {first_header}")


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def _profile(**overrides) -> Profile:
    base = dict(name="测试客户有限公司", industry="manufacturing", employees=300, sites=2, tier="B", region="佛山",
                current_services=(), competitor=None, contacts=(),
                needs={"basic_comms": ("几个厂区之间打电话太多，每个月话费高得吓人",)},
                budget_monthly=None, visit_date=None, manager=None, manager_phone=None)
    base.update(overrides)
    return Profile(**base)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "catalog" / "products.yaml")[0]


def test_brief_names_every_key_person_and_answers_every_objection(cli, tmp_path):
    path = _brief(cli, MANUFACTURING, tmp_path / "briefs")
    assert path.name == "2026-12-01-华南精密制造有限公司-拜访简报.docx"
    doc = Document(str(path))
    text = docx_text(path)
    raw = yaml.safe_load(MANUFACTURING.read_text(encoding="utf-8"))

    people = _table(doc, "姓名")
    assert [c.text for c in people.rows[0].cells] == ["姓名", "职务", "角色", "态度", "策略"]
    rows = _rows(people)
    assert [r[0] for r in rows] == [c["name"] for c in raw["contacts"]]
    for row, contact in zip(rows, raw["contacts"]):
        assert row[1] == contact["title"]
        assert row[2] == ROLES[contact["role"]] and row[3] == ATTITUDES[contact["attitude"]]
        assert len(row[4]) > 20
    finance = next(r for r in rows if r[0] == "张丽华")  # the opposed gatekeeper
    assert finance[4].startswith("【重点化解】") and "费用对比" in finance[4] and "决策会之前" in finance[4]
    boss = next(r for r in rows if r[0] == "王建国")
    assert boss[4].startswith("【首要争取】")

    objections = _rows(_table(doc, "类型"))
    assert len(objections) >= 4
    for topic, says, answer in objections:
        assert topic and says and len(answer) >= 20, (topic, says)
    assert objections[0][0] == "价格"
    price = objections[0][2]
    for reason in ("竞争对手报价更低", "购买意向", "价值看法不同", "预算有限"):
        assert reason in price
    assert "不同的价格对应不同的组合" in price and "¥15,000.00" in price  # the example's budget.monthly_cny
    assert objections[1][0] == "竞争对手" and "中国电信" in objections[1][1] + objections[1][2]
    assert any(t.startswith("张丽华") for t, _s, _a in objections)  # the opposed gatekeeper's objection

    rec = json.loads(cli("recommend", MANUFACTURING, "--json").stdout)
    bundle = _rows(_table(doc, "产品"))
    # the bundle: every product the documents name (pitched, 待确认 or an option), not one left out as a rider
    assert [r[0].split("\n")[0] for r in bundle] == [p["name"] for p in rec["products"] if not rides(p)]
    for row in bundle:
        assert row[1] and row[3]  # one line of value, the tariff
    product_topics = [t for t, _s, _a in objections]
    for p in rec["products"]:
        if not p["existing"] and not rides(p):
            assert p["name"] + ("" if p["in_documents"] else "（待确认，未写入建议书）") in product_topics
    assert [p["name"] for p in rec["products"] if rides(p)] == ["IP专线"]  # the example's rider: no answer for it
    assert not any(t.startswith("IP专线") for t in product_topics)

    for leak in LEAKS:
        assert leak not in text, leak


def test_brief_is_marked_internal_everywhere(cli, tmp_path):
    path = _brief(cli, MANUFACTURING, tmp_path / "briefs")
    doc = Document(str(path))
    paragraphs = docx_paragraphs(path)
    assert paragraphs[0] == ("Title", "华南精密制造有限公司拜访简报")
    assert "内部资料 请勿外传" in paragraphs[1][1]
    for section in doc.sections:
        assert not section.different_first_page_header_footer
        assert "内部资料 请勿外传" in section.header.paragraphs[0].text
    assert "内部资料" in doc.core_properties.title and doc.core_properties.category == "内部资料"
    assert "内部资料 请勿外传" in paragraphs[-1][1]


def test_brief_structure_and_styles(cli, tmp_path):
    path = _brief(cli, MANUFACTURING, tmp_path / "briefs")
    paragraphs = docx_paragraphs(path)
    headings = [t for s, t in paragraphs if s == "Heading 1"]
    assert headings == ["一、客户速览", "二、关键人地图", "三、客户关系阶段", "四、推荐组合", "五、待确认",
                        "六、可引用的案例", "七、拜访提问清单", "八、可能的异议与应答", "九、待带回的需求", "十、后续步骤"]
    styles = {s for s, _ in paragraphs}
    assert {"Title", "Heading 2", "Client Quote", "List Bullet", "Table Header", "Table Text", "Small Note"} <= styles
    doc = Document(str(path))
    for table in doc.tables:
        assert table.style.name == "Table Grid"
        for cell in table.rows[0].cells:
            assert cell.paragraphs[0].style.name == "Table Header"
            shd = cell._tc.tcPr.find(qn("w:shd"))
            assert shd is not None and shd.get(qn("w:fill")) == "0066B3"
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None

    text = docx_text(path)
    # the relationship stage: no current services -> clip
    assert "判断：夹子（松散型）" in text
    # every need quoted with its questions; the untouched area is opened
    raw = yaml.safe_load(MANUFACTURING.read_text(encoding="utf-8"))
    for statements in raw["needs"].values():
        for s in statements:
            assert ("Client Quote", f"“{s}”") in paragraphs
    assert text.count("影响：") == 7 and text.count("价值：") == 7
    # next steps along the manual's work flow, dated from the visit
    steps = _rows(_table(Document(str(path)), "环节"))
    assert list(dict.fromkeys(r[0] for r in steps)) == ["制定方案", "顾问式营销", "合同签订", "售后服务", "二次营销"]
    past = dt.date.today() > dt.date(2026, 12, 1)
    assert steps[1][2] == ("下次拜访（档案中的2026年12月1日已过，请约定新日期）" if past else "2026年12月1日")
    # the plan after the visit starts at the visit, or today once the visit is past (never in the past)
    begin = max(dt.date(2026, 12, 1), dt.date.today())
    assert steps[2][1].startswith("资料与方案确认：") and steps[2][2].startswith(f"{begin.year}年{begin.month}月{begin.day}日")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_example_brief_has_people_and_answers(cli, tmp_path, example):
    path = _brief(cli, example, tmp_path / "briefs")
    doc = Document(str(path))
    raw = yaml.safe_load(example.read_text(encoding="utf-8"))
    text = docx_text(path)
    for contact in raw.get("contacts") or []:
        assert contact["name"] in [r[0] for r in _rows(_table(doc, "姓名"))]
    for _topic, says, answer in _rows(_table(doc, "类型")):
        assert says.strip() and answer.strip()
    rec = json.loads(cli("recommend", example, "--json").stdout)
    for need in rec["unmatched_needs"]:
        assert need in text
    for leak in LEAKS:
        assert leak not in text, leak


def test_unmatched_needs_go_back_to_product_managers(cli, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "client: {name: 某农业合作社, industry: 农业, employees: 40}\n"
        "needs:\n  basic_comms:\n    - 合作社几个管事的天天互相打电话，话费有点吃不消\n"
        "  marketing:\n    - 想申请政府的补贴和扶持资金\n", encoding="utf-8")
    path = _brief(cli, profile, tmp_path / "briefs")
    paragraphs = docx_paragraphs(path)
    start = next(i for i, (s, t) in enumerate(paragraphs) if s == "Heading 1" and t.endswith("待带回的需求"))
    end = next(i for i, (s, t) in enumerate(paragraphs) if s == "Heading 1" and t.endswith("后续步骤"))
    section = paragraphs[start:end]
    assert ("List Bullet", "想申请政府的补贴和扶持资金") in section
    assert any("CCOS" in t and "产品经理" in t for _s, t in section)
    text = docx_text(path)
    assert "档案中还没有关键人" in text
    assert "我们现在这样也能用，不着急。" in text  # no competitor named: the status-quo objection
    assert "生产控制（尚未谈到）" in text


def test_stage_from_current_services(catalog):
    def stage(services):
        rec = recommend(_profile(current_services=services), catalog, [])
        return compose_brief(rec, dt.date(2026, 11, 1)).stage

    assert stage(()).key == "clip" and stage(()).name.startswith("夹子")
    zipper = stage(("集团V网",))
    assert zipper.key == "zipper" and zipper.name.startswith("拉链") and "集团V网" in zipper.basis
    assert any("集团V网" in a for a in zipper.actions)
    velcro = stage(("集团V网", "集团彩铃", "企信通"))
    assert velcro.key == "velcro" and velcro.name.startswith("尼龙搭扣")


@pytest.mark.parametrize("competitor, who", [("中国联通", "中国联通"), ("电信", "中国电信"), ("本地宽带公司", None)])
def test_competitor_objection(catalog, competitor, who):
    rec = recommend(_profile(competitor=competitor), catalog, [])
    objection = compose_brief(rec, dt.date(2026, 11, 1)).objections[1]
    assert objection.topic == "竞争对手"
    assert competitor in objection.says + objection.answer
    if who:
        assert f"{who}的常见做法" in objection.answer and "并存" in objection.answer
    assert "不评价" in objection.answer


def test_every_role_and_attitude_has_a_strategy(catalog):
    contacts = tuple(Contact(f"人{i}", None, role, attitude)
                     for i, (role, attitude) in enumerate(
                         [(r, a) for r in ROLES for a in ATTITUDES] + [(None, None), ("user", None)]))
    brief = compose_brief(recommend(_profile(contacts=contacts), catalog, []), dt.date(2026, 11, 1))
    assert [p.name for p in brief.people] == [c.name for c in contacts]
    assert len({p.strategy for p in brief.people[:12]}) == 12
    assert "角色未记录" in brief.people[12].strategy and brief.people[12].role == "未记录"
    assert brief.people[13].strategy.startswith("态度未记录")


def test_interview_notes_appear_as_known_answers(cli, workspace, tmp_path):
    from pitchcraft.pipeline import brief_bytes
    from pitchcraft.pipeline import recommend_for

    out = tmp_path / "p.yaml"
    result = cli("interview", out, "--answers", FIXTURES / "interview" / "answers-list.yaml")
    assert result.exit_code == 0, result.output
    path = _brief(cli, out, tmp_path / "briefs")
    ws = Workspace.open(workspace)
    from_bytes = tmp_path / "from-bytes.docx"  # the generate --brief path: notes read from the bytes
    from_bytes.write_bytes(brief_bytes(ws, recommend_for(ws, out)[1], out.read_bytes(), dt.date(2026, 11, 23)))
    for text in (docx_text(path), docx_text(from_bytes)):
        assert "影响（已了解）：一个月光话费报销就要四五万" in text
        assert "价值（客户期望）：一年能省下几十万，老板最关心这个" in text
        assert "已了解的现状：三个厂区，员工各用各的手机，话费各自报销" in text


def test_read_discovery_is_lenient():
    assert read_discovery({"discovery": "not a mapping"}) == {"situations": {}, "notes": {}}
    notes = read_discovery({"discovery": {"基础通信": {"situation": " 现状 ", "needs": [
        {"statement": "话费高", "implication": "每月五万", "need_payoff": 3}, "broken"]}, "其他": {}}})
    assert notes == {"situations": {"basic_comms": "现状"}, "notes": {"话费高": {"implication": "每月五万"}}}


def test_brief_beside_a_generated_proposal_is_never_in_it(cli, workspace, tmp_path):
    gen = cli("generate", MANUFACTURING, "--out", tmp_path / "proposals")
    assert gen.exit_code == 0, gen.output
    folder = next(p for p in (tmp_path / "proposals").iterdir() if not p.name.startswith("."))
    before = (folder / "proposal.docx").read_bytes()
    path = write_brief(Workspace.open(workspace), MANUFACTURING, folder, filename="brief.docx")
    assert path == folder / "brief.docx"
    assert (folder / "proposal.docx").read_bytes() == before
    proposal = docx_text(folder / "proposal.docx")
    brief = docx_text(path)
    assert "内部资料" not in proposal and "请勿外传" not in proposal
    for private in ("关键人地图", "首要争取", "重点化解", "夹子", "建议应答"):
        assert private in brief
        assert private not in proposal
    with pytest.raises(Exception) as refused:
        write_brief(Workspace.open(workspace), MANUFACTURING, folder, filename="brief.docx")
    assert "已存在" in str(refused.value)


def test_existing_brief_needs_force_and_bad_profile_writes_nothing(cli, tmp_path):
    out = tmp_path / "briefs"
    _brief(cli, MANUFACTURING, out)
    again = cli("brief", MANUFACTURING, "--out", out)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert cli("brief", MANUFACTURING, "--out", out, "--force").exit_code == 0
    bad = cli("brief", FIXTURES / "invalid" / "profiles" / "tier-d.yaml", "--out", tmp_path / "other")
    assert bad.exit_code == 1 and "client.tier" in bad.stderr
    assert "Traceback" not in bad.output
    assert not (tmp_path / "other").exists()


def test_brief_bytes_for_generate(workspace, tmp_path):
    """What `generate --brief` puts beside the proposal: the same brief, from the recommendation it made."""
    from pitchcraft.pipeline import brief_bytes
    from pitchcraft.pipeline import recommend_for

    ws = Workspace.open(workspace)
    _profile, rec, _warnings = recommend_for(ws, MANUFACTURING)
    path = tmp_path / "brief.docx"
    path.write_bytes(brief_bytes(ws, rec, MANUFACTURING.read_bytes(), dt.date(2026, 11, 23)))
    paragraphs = docx_paragraphs(path)
    assert paragraphs[0] == ("Title", "华南精密制造有限公司拜访简报")
    assert ("Small Note", "编制日期：2026年11月23日") in paragraphs
    names = [r[0] for r in _rows(_table(Document(str(path)), "姓名"))]
    assert names == [c.name for c in rec.profile.contacts]


def test_generate_brief_writes_it_beside_the_proposal_never_inside(cli, tmp_path):
    from conftest import EXAMPLES
    from docreader import docx_text

    out = tmp_path / "out"
    result = cli("generate", EXAMPLES[0], "--out", out, "--brief")
    assert result.exit_code == 0, result.stderr
    folder = next(p for p in out.iterdir() if not p.name.startswith("."))
    assert (folder / "brief.docx").is_file()
    assert "内部资料" in docx_text(folder / "brief.docx")
    proposal = docx_text(folder / "proposal.docx")
    assert "内部资料" not in proposal and "首要争取" not in proposal
