"""Round 11: the visit brief and the generate summary say what the client's documents hold.

Read as the manager reads them, beside the proposal they go with:
- a product that only rides on a statement another product answers (a rider: left out of the documents)
  is named in the brief once, where it says it is left out and why; no strategy line (the relationship
  stage's next steps, the answer to a competitor, the price answer, the demonstration at the visit, the
  objections table, the next steps) tells the manager to pitch it;
- the brief's steps after the visit are the proposal's own 实施计划, phase for phase and date for date;
- ``pitchcraft generate`` counts the products the proposal pitches (its 分项方案 sections), with the
  待确认 ones apart, and the cases it cites.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from conftest import EXAMPLES, ROOT, generate_each
from docreader import docx_paragraphs, docx_text

EVAL = ROOT / "tests" / "eval" / "profiles"
# profile -> the riders the matcher leaves out of its documents (tests/test_alternatives_r10.py pins them)
PROFILES = {
    **{p.stem: (p, ()) for p in EXAMPLES},
    "mine-39": (EVAL / "39-coal-mining-group.yaml", ("集团专线",)),
    "stores-35": (EVAL / "35-convenience-store-chain.yaml", ()),
}
RIDERS = {"precision-manufacturing": ("IP专线",)}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Each profile generated once with its brief: key -> (folder, what the command printed)."""
    printed: dict[str, str] = {}
    folders = generate_each(tmp_path_factory.mktemp("brief-r11"), {key: profile for key, (profile, _riders)
                                                                   in PROFILES.items()}, "--brief", printed=printed)
    return {key: (folder, printed[key]) for key, folder in folders.items()}


def _tables(path: Path) -> dict[str, list[list[str]]]:
    """Every table of a .docx by its first header cell (the first such table): its rows below the header."""
    out: dict[str, list[list[str]]] = {}
    for t in Document(str(path)).tables:
        out.setdefault(t.rows[0].cells[0].text, [[c.text for c in row.cells] for row in t.rows[1:]])
    return out


def _section(paragraphs: list[tuple[str, str]], ends_with: str) -> list[str]:
    start = next(i for i, (s, t) in enumerate(paragraphs) if s == "Heading 1" and t.endswith(ends_with))
    end = next((i for i, (s, _t) in enumerate(paragraphs) if i > start and s == "Heading 1"), len(paragraphs))
    return [t for _s, t in paragraphs[start + 1:end]]


def _riders(key: str) -> tuple[str, ...]:
    return PROFILES[key][1] or RIDERS.get(key, ())


@pytest.mark.parametrize("key", [k for k in PROFILES if _riders(k)])
def test_no_strategy_line_of_the_brief_names_a_rider(made, key):
    folder, _out = made[key]
    brief = folder / "brief.docx"
    paragraphs = docx_paragraphs(brief)
    tables = _tables(brief)
    for rider in _riders(key):
        # said once, as left out, with the reason
        left_out = [t for _s, t in paragraphs if t.startswith(f"未写入：{rider}：")]
        assert len(left_out) == 1 and "不写入建议书和 PPT" in left_out[0]
        # the stage's next steps
        assert not any(rider in t for t in _section(paragraphs, "客户关系阶段")), rider
        # the bundle table lists what the documents name; the rider is not offered there
        assert not any(row[0].startswith(rider) for row in tables["产品"]), rider
        # the objections: no answer prepared for it, and neither the price nor the competitor answer names it
        for topic, says, answer in tables["类型"]:
            assert not topic.startswith(rider)
            assert rider not in says + answer, (topic, rider)
        # the next steps (what to demonstrate at the visit, the plan)
        for row in tables["环节"]:
            assert rider not in row[1], row
        # the count says what the documents pitch
        lead = next(t for t in _section(paragraphs, "推荐组合") if t.startswith("建议书和 PPT 推荐"))
        assert "项只沾上了另一产品回应的原话，没有写入建议书和 PPT，拜访时不要推荐" in lead
    proposal_text = "\n".join(t for _s, t in docx_paragraphs(folder / "proposal.docx"))
    pitched = re.search(r"建议书和 PPT 推荐 (\d+) 个新产品", "\n".join(t for _s, t in paragraphs))
    assert pitched and int(pitched.group(1)) == len(_product_sections(folder / "proposal.docx"))
    for rider in _riders(key):
        assert f"{rider}：" not in proposal_text  # the proposal has no section for it either


def _product_sections(proposal: Path) -> list[str]:
    """The products the proposal pitches: the level-2 headings of its 分项方案 chapter, by name."""
    return [re.sub(r"^（.）", "", t).split("：")[0] for t in _section_h2(docx_paragraphs(proposal), "分项方案")]


def _section_h2(paragraphs, ends_with: str) -> list[str]:
    start = next(i for i, (s, t) in enumerate(paragraphs) if s == "Heading 1" and t.endswith(ends_with))
    out = []
    for s, t in paragraphs[start + 1:]:
        if s == "Heading 1":
            break
        if s == "Heading 2":
            out.append(t)
    return out


@pytest.mark.parametrize("key", list(PROFILES))
def test_the_briefs_steps_after_the_visit_are_the_proposals_plan(made, key):
    folder, _out = made[key]
    plan = _tables(folder / "proposal.docx")["阶段"]  # 实施计划: phase, dates, work, the client's part
    steps = _tables(folder / "brief.docx")["环节"]
    assert [r[0] for r in steps[:2]] == ["制定方案", "顾问式营销"]
    after = steps[2:]
    assert len(after) == len(plan) >= 1
    for (stage, todo, when), (name, dates, what, client) in zip(after, plan):
        assert todo.startswith(f"{name}：{what}。客户配合：{client}"), (todo, name)
        assert when == dates.replace("\n", ""), (name, when, dates)
        assert stage in ("顾问式营销", "合同签订", "售后服务", "二次营销")
    # along the manual's flow, in order
    order = ["制定方案", "顾问式营销", "合同签订", "售后服务", "二次营销"]
    seen = [order.index(r[0]) for r in steps]
    assert seen == sorted(seen)


@pytest.mark.parametrize("key", list(PROFILES))
def test_generate_counts_what_the_documents_hold(made, key):
    folder, out = made[key]
    first = out.splitlines()[0]
    m = re.fullmatch(r"已为 (.+) 生成方案：推荐 (\d+) 个产品(?:（另有 (\d+) 个待确认(?:、(\d+) 个可选方案)?）)?"
                     r"(?:，现有业务扩容 \d+ 项)?，引用 (\d+) 个案例，(?:每条需求都有产品回应|(\d+) 条需求写入“待进一步沟通”"
                 r"(?:（其中 \d+ 条暂无对应产品）)?)。文件：", first)
    assert m, first
    sections = _product_sections(folder / "proposal.docx")
    assert int(m.group(2)) == len(sections), (first, sections)
    # the 待确认 products are the brief's (marked in its bundle table), never the proposal's
    held = [row[0].split("\n")[0] for row in _tables(folder / "brief.docx")["产品"] if "（待确认，未写入建议书）" in row[0]]
    assert int(m.group(3) or 0) == len(held)
    assert not set(held) & set(sections)
    # the cases: those the proposal cites, as the brief lists them for the manager
    brief = docx_paragraphs(folder / "brief.docx")
    listed = [re.sub(r"^\d+\. ", "", t).removesuffix("（示例）") for t in _section(brief, "可引用的案例")
              if re.match(r"\d+\. ", t)]
    assert int(m.group(5)) == len(listed)
    proposal = docx_text(folder / "proposal.docx")
    for title in listed:
        assert title in proposal, title


@pytest.mark.parametrize("key", list(PROFILES))
def test_the_briefs_snapshot_counts_the_needs_as_the_proposal_does(made, key):
    """需求概况 counts what the proposal answers (its executive summary's figure), the 待确认 ones apart, and
    the sites in the client's own word (院区, 门店, 矿区 …) as the proposal names them."""
    folder, _out = made[key]
    proposal = docx_text(folder / "proposal.docx")
    rows = {r[0]: r[1] for r in _tables(folder / "brief.docx")["项目"]}
    said = re.search(r"提出了 (\d+) 条具体需求。(?:其中 (\d+) 条可以用|每一条都有对应)", proposal)
    assert said, "the proposal's executive summary gives no count"
    total, answered = int(said.group(1)), int(said.group(2) or said.group(1))
    counts = re.match(r"共 (\d+) 条（[^）]*）；建议书中有产品回应 (\d+) 条(?:，对应产品待确认 (\d+) 条)?，待带回 (\d+) 条$",
                      rows["需求概况"])
    assert counts, rows["需求概况"]
    assert (int(counts.group(1)), int(counts.group(2))) == (total, answered)
    assert int(counts.group(3) or 0) + int(counts.group(4)) == total - answered
    assert "办公点/厂区/门店" not in rows["规模"]
    site = re.search(r"(\d+) 个(\S+?)（", rows["规模"])
    if site:
        assert site.group(2) in proposal  # the proposal's word for the client's sites


def test_a_statement_only_to_be_confirmed_is_asked_with_its_own_question(made):
    """The county hospital's 随访 statement has only 待确认 links (集团V网, 企信通): the question list asks the
    link's own question, not 集团V网's qualifying one (内部互拨 …), which is for the statement it answers."""
    paragraphs = docx_paragraphs(made["county-hospital"][0] / "brief.docx")
    at = paragraphs.index(("Client Quote", "“病人出院以后复查、随访全靠护士一个个打电话，一天打不了几个”"))
    asked = paragraphs[at + 1][1]
    assert asked.startswith("核实（对应产品待确认）：您提到“病人出院以后复查") and "内部互拨" not in asked
