"""One product per need: of two products that each do what a statement asks, the documents pitch and
price one and name the other as an option (pitchcraft.match.alternatives); a product that only rides on
another's statement (集团专线 beside IP专线 for 多线的线路加公网地址: a point-to-point circuit gives no public
access; the catalog sells the two together as 网点联网组合) is left out of the documents altogether.

Read back as the client reads them: the quote table of the proposal prices only the pitched one, its
section and its slide name the other as 可选方案 with when the client would choose it (如需…，也可改用X) and
the client's own clause it does as well, quoted verbatim; the slide shows it as a note, not as a ✓ benefit;
the manager's brief and ``pitchcraft recommend`` say which was set aside, why (the ranking actually used) and
how to switch; ``choices.add`` stays final.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from docx import Document

from conftest import ROOT, generate_each
from docreader import docx_paragraphs, docx_text, pptx_slides
from pitchcraft.load import load_profile
from pitchcraft.match.recommend import recommend

EVAL = ROOT / "tests" / "eval"
EXAMPLE = ROOT / "examples" / "precision-manufacturing.yaml"
# Each really does it: the line between the sites (分厂…回总部内网) and the mobile network's private DNN
# (不准跟互联网通); the catalog does not sell them together.
BOTH_DO_IT = "观澜和松岗两个分厂的设备数据要走专用线路回总部内网，安全部门规定不准跟互联网通"
PITCHED, OPTION = "集团专线", "无线DNN"
# profile -> the product pitched for the statement, the product that only rides on it (left out)
RIDING = {
    # 多线的线路加一段固定的公网地址 for their own order server: IP专线's words; 线路/机房 are its words too
    "lenglian-126": (EVAL / "tuning" / "126-xiashan-lenglian.yaml", "IP专线", "集团专线"),
    # 三个厂区之间的ERP…用的是普通宽带: broadband is what they have; 网点联网组合 sells the two together
    "factory-75": (EVAL / "tuning" / "75-dongguan-hardware-factory.yaml", "集团专线", "IP专线"),
    "example": (EXAMPLE, "集团专线", "IP专线"),
    # 风机房's 机房 is no evidence for a circuit: what is insisted on is 不准跟互联网通
    "mine-39": (EVAL / "profiles" / "39-coal-mining-group.yaml", "无线DNN", "集团专线"),
}


def _both_do_it(tmp: Path, choices: dict | None = None) -> Path:
    """The example with its ERP statement replaced by one that both a circuit and a private DNN answer."""
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    raw["needs"]["basic_comms"] = [BOTH_DO_IT if s.startswith("ERP") else s for s in raw["needs"]["basic_comms"]]
    if choices:
        raw["choices"] = choices
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "both-do-it.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _rec(path: Path, content, matcher):
    return recommend(load_profile(path)[0], content.catalog, content.cases, matcher)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("alternatives")
    return generate_each(tmp, {"both": _both_do_it(tmp / "in"), **{key: p for key, (p, _a, _b) in RIDING.items()}},
                         "--brief")


def quote_rows(docx: Path) -> list[list[str]]:
    """The rows of the proposal's quote table (费用明细): product, item, quantity, price, monthly, one-off."""
    doc = Document(str(docx))
    tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["产品", "资费项目与数量依据"]]
    assert len(tables) == 1
    return [[c.text for c in row.cells] for row in tables[0].rows[1:]]


def product_sections(docx: Path) -> dict[str, list[str]]:
    """The proposal's 分项方案 chapter: each product's level-2 heading -> the paragraphs under it."""
    sections: dict[str, list[str]] = {}
    inside, current = False, None
    for style, text in docx_paragraphs(docx):
        if style == "Heading 1":
            inside, current = "分项方案" in text, None
        elif inside and style == "Heading 2":
            current = text
            sections[current] = []
        elif inside and current:
            sections[current].append(text)
    return sections


def test_the_quote_prices_one_way_of_doing_it(made):
    priced = {row[0] for row in quote_rows(made["both"] / "proposal.docx")}
    assert PITCHED in priced
    assert OPTION not in priced, priced


def _option_paragraphs(folder: Path) -> tuple[list[str], dict[str, list[str]]]:
    sections = product_sections(folder / "proposal.docx")
    mine = [h for h in sections if re.match(rf"（.）{PITCHED}[：（]", h)]
    assert len(mine) == 1, list(sections)
    return sections[mine[0]], sections


def test_the_option_says_when_the_client_would_choose_it_and_that_it_is_priced_on_request(made):
    """Finding 14: not “二者选一即可” but when the other fits (what it does, from its catalog summary)
    and that it is priced on request; not a recommendation of its own (no section for it)."""
    body, sections = _option_paragraphs(made["both"])
    assert "4. 可选方案" in body
    (line,) = [t for t in body if f"也可改用{OPTION}" in t]
    assert line.startswith("如需为贵单位的物联网卡和终端配置专属 DNN"), line  # the catalog's summary: what it is
    assert f"本方案按{PITCHED}报价，报价中没有{OPTION}" in line
    assert f"如改用{OPTION}，按目录资费另行报价" in line
    assert "二者选一" not in line and "同一件事" not in line
    assert not [h for h in sections if re.match(rf"（.+）{OPTION}[：（]", h)], list(sections)


def test_the_option_quotes_a_whole_clause_of_the_client_verbatim(made):
    """Finding 10: the client's words are quoted as they said them, a whole clause, never fragments
    rejoined with new punctuation (“ERP放在龙华总部机房：一卡就开不了单”)."""
    body, _ = _option_paragraphs(made["both"])
    (line,) = [t for t in body if f"也可改用{OPTION}" in t]
    quoted = re.findall(r"贵单位说的“([^”]+)”", line)
    assert quoted == ["安全部门规定不准跟互联网通"], line
    clauses = [c.strip() for c in re.split(r"[，,。；;！？!?：:]", BOTH_DO_IT)]
    assert quoted[0] in clauses


def test_the_deck_shows_the_option_as_a_note_not_a_benefit(made):
    """Finding 14: on the pitched product's slide the option is a note line (no ✓), saying when it fits
    and that it is priced on request; no slide of its own; no price of it on the investment slide."""
    slides = pptx_slides(made["both"] / "pitch.pptx")
    answers = [s for s in slides if "我们的做法" in s["text"]]
    (ours,) = [s for s in answers if f"我们的做法　{PITCHED}" in s["text"]]
    text = ours["text"]
    note = next(line for line in text.split("\n") if line.startswith("可选方案："))
    assert note.startswith("可选方案：如需为贵单位的物联网卡和终端配置专属 DNN") and note.endswith(
        f"可改用{OPTION}（按目录资费另行报价）"), note
    lines = text.split("\n")
    assert lines[lines.index(note) - 1] != "√"  # not set as a benefit
    assert text.count("√") == 2 and "二选一" not in text
    assert not [s for s in answers if f"我们的做法　{OPTION}" in s["text"]]
    for s in slides:
        if "投入" in s["text"] and s is not ours:
            assert OPTION not in s["text"]


def test_the_brief_says_which_was_set_aside_why_and_how_to_switch(made):
    text = docx_text(made["both"] / "brief.docx")
    assert f"可选方案、未报价：{OPTION}与{PITCHED}都能做到客户要的事" in text
    assert f"如客户更适合{OPTION}，在需求档案中选定加入{OPTION}" in text and f"去掉{PITCHED}" in text
    assert "choices" not in text  # no field name reaches a reader: the web page's buttons instead
    assert f"{OPTION}（可选方案，未报价）" in text.replace("\n", "")


def test_recommend_names_the_ranking_it_used(shipped_cli, tmp_path):
    """Finding 13: the reason does not contradict the scores shown: it gives the scores as ranked (only
    what the client asks, not what they have), and the pitched one's is the higher."""
    result = shipped_cli("recommend", _both_do_it(tmp_path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "与客户原话更贴近" not in out
    line = next(x for x in out.splitlines() if x.startswith("可选方案、未报价："))
    got = re.search(rf"{PITCHED} (\d\.\d\d)，{OPTION} (\d\.\d\d)", line)
    assert got and float(got.group(1)) > float(got.group(2)), line
    listed = next(x for x in out.splitlines() if re.match(rf"\s+\d+\. {OPTION}〔", x))
    assert f"只算客户要的那部分原话：{got.group(0)}" in listed, listed


@pytest.mark.parametrize("key", RIDING)
def test_a_product_that_does_not_do_what_is_asked_is_not_an_option(made, key):
    """Finding 6: 集团专线 is no alternative to IP专线 for customers of all carriers reaching their own
    server; nor IP专线 for the line between three plants: neither appears in the client's documents."""
    _path, pitched, other = RIDING[key]
    folder = made[key]
    prop, deck = docx_text(folder / "proposal.docx"), "\n".join(s["text"] for s in pptx_slides(folder / "pitch.pptx"))
    assert pitched in {row[0] for row in quote_rows(folder / "proposal.docx")}
    for text in (prop, deck):
        assert other not in text
        assert "也可选用" not in text and "二选一" not in text and "二者选一" not in text
    brief = docx_text(folder / "brief.docx")
    assert f"未写入：{other}：这句话要的是{pitched}做的事" in brief


def test_recommend_says_why_the_rider_is_left_out(shipped_cli):
    result = shipped_cli("recommend", EVAL / "tuning" / "126-xiashan-lenglian.yaml")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"\d+\. 集团专线〔基础通信〕 匹配度 \S+ → 不写入建议书和 PPT（这句话由另一产品回应）", out), out
    assert "这正是集团专线解决的问题" not in out
    assert "产品目录把IP专线和集团专线作为“网点联网组合”一起办理，二者做的是不同的事" in out


def test_what_the_client_has_now_does_not_decide_between_two_lines(content, matcher):
    """用的是普通宽带 describes the situation: the line between the sites is pitched, broadband rides."""
    from pitchcraft.match.evidence import without_what_they_have
    from pitchcraft.match.pitched import rides

    assert without_what_they_have("三个厂区之间的ERP老是卡,用的是普通宽带,一断网仓库就开不了单") \
        == "三个厂区之间的ERP老是卡,，,一断网仓库就开不了单"
    assert without_what_they_have("现在是村干部一个个打电话") == "现在是村干部一个个打电话"  # a way of working, not a thing had
    for key in ("factory-75", "lenglian-126", "mine-39"):
        path, pitched, other = RIDING[key]
        rec = _rec(path, content, matcher)
        by_name = {m.product.name: m for m in rec.products}
        assert rides(by_name[other]) and by_name[other].alternative_to is None, key
        assert by_name[pitched].options == ()


def test_both_doing_it_makes_an_alternative(content, matcher, tmp_path):
    rec = _rec(_both_do_it(tmp_path), content, matcher)
    by_name = {m.product.name: m for m in rec.products}
    assert by_name[OPTION].alternative_to == by_name[PITCHED].product.id
    assert [p.name for p in by_name[PITCHED].options] == [OPTION]
    assert by_name[PITCHED].option_words == ("安全部门规定不准跟互联网通",)


@pytest.mark.parametrize("path, product", [
    (EVAL / "tuning" / "141-minsu-jiqun.yaml", "千里眼"),  # also the only answer to 观景台…直播
    (EVAL / "tuning" / "83-huizhou-construction.yaml", "千里眼"),  # the best answer (待确认) to 住建局要求工地装监控
    (EVAL / "tuning" / "59-nanshan-saas-company.yaml", "手机邮箱"),  # 手机上收不到邮件: another kind of need than 邮箱容量
    (EVAL / "tuning" / "108-xinhui-chenpi-shipin.yaml", "移动供应链管理"),  # 订单…再录一次 names 订货 too
])
def test_a_product_answering_a_need_of_its_own_is_not_set_aside(content, matcher, path, product):
    rec = _rec(path, content, matcher)
    m = next(m for m in rec.products if m.product.name == product)
    assert m.alternative_to is None


def test_no_labelled_profile_shows_two_alike_answers_for_one_statement(content, matcher):
    """Over every labelled profile: no statement of the client's documents shows two answers of the
    same category from the same kinds of need, unless the lower one is the best answer to another
    statement still to confirm (tuning 83: 千里眼 for 住建局要求工地装监控, kept, the brief asks)."""
    from pitchcraft.match.pitched import client_view

    paths = [p for d in ("tuning", "holdout", "profiles") for p in sorted((EVAL / d).glob("*.yaml"))
             if p.with_name(p.stem + ".gold.yaml").exists()]
    from pitchcraft.match.pitched import rides

    set_aside, riding, kept = [], [], []
    for path in paths:
        rec = _rec(path, content, matcher)
        set_aside += [(path.stem[:path.stem.index("-")], m.product.name) for m in rec.products if m.alternative_to]
        riding += [(path.stem[:path.stem.index("-")], m.product.name) for m in rec.products if rides(m)]
        firsts = {sm.products[0].product.id for sm in rec.statements if sm.products}
        for sm in client_view(rec).statements:
            for i, a in enumerate(sm.products):
                for b in sm.products[i + 1:]:
                    if a.product.category == b.product.category and set(a.confidence.kinds) == set(b.confidence.kinds):
                        assert b.product.id in firsts, (path.name, sm.statement, a.product.name, b.product.name)
                        kept.append((path.stem, b.product.name))
    # Of the fifteen pairs set aside before (round 10), none has each product doing what is asked with
    # words of its own, outside a bundle the catalog sells together: each lower one only rode on the
    # statement and is left out (31's IP专线 stays to be confirmed for another statement).
    assert set_aside == []
    assert sorted(riding) == sorted([
        ("66", "IP专线"), ("39", "集团专线"), ("41", "集团信息机"), ("126", "集团专线"), ("49", "IP专线"),
        ("58", "MAS"), ("60", "集团V网"), ("64", "移动总机"), ("75", "IP专线"), ("76", "无线DNN"),
        ("85", "MAS"), ("88", "行业终端"),
        ("193", "集团信息机"), ("209", "IP专线"),
        ("222", "企业邮箱"), ("226", "MAS"), ("228", "企信通"), ("229", "MAS"), ("229", "行业终端")])  # 78's IP专线
    # no longer rides since round 10 of matching; 193 is set 9's, retired in round 11; 209 is set 10's (集团专线 for
    # 泵站…物联网卡…老掉线, IP专线 riding), retired in round 12; 222-229 are set 11's, retired in round 13 (the same
    # riders with main's matcher before it tuned on them)
    assert kept == [("83-huizhou-construction", "千里眼")]


def test_a_product_pitched_for_a_need_of_its_own_is_shown_there_only(content, matcher):
    """tuning 141: 千里眼 answers 观景台…直播 on its own; beside GPRS企业接入 for 想在手机上统一关掉空调 it is
    a lower answer of the same kind, so the documents show it for the view point only."""
    from pitchcraft.match.pitched import client_view

    view = client_view(_rec(EVAL / "tuning" / "141-minsu-jiqun.yaml", content, matcher))
    eye = next(m for m in view.products if m.product.name == "千里眼")
    assert [sm.statement[:3] for sm in eye.statements] == ["观景台"]
    aircon = next(sm for sm in view.statements if sm.statement.startswith("客人退房"))
    assert [e.product.name for e in aircon.products] == ["GPRS企业接入"]


def test_recommend_json_marks_the_alternative_and_prices_without_it(shipped_cli, tmp_path):
    result = shipped_cli("recommend", _both_do_it(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    by_name = {p["name"]: p for p in out["products"]}
    assert by_name[OPTION]["alternative_to"] == by_name[PITCHED]["id"]
    assert by_name[OPTION]["in_documents"] is False and by_name[OPTION]["confidence"] == "明确"
    assert all("alternative_to" in p for p in out["products"])  # extended: every product says it
    assert all(by_name[n]["alternative_to"] is None for n in by_name if n != OPTION)
    for quote in ("quote", "documents_quote"):
        names = {line["name"] for line in out[quote]["lines"]}
        assert PITCHED in names and OPTION not in names, quote


def test_the_managers_choice_stays_final(tmp_path):
    """An added product is always pitched and priced: adding the set-aside one prices both; adding it
    and dropping the other switches; adding the pitched one keeps the other aside, the brief saying the
    manager chose it; adding one that only rode on the statement pitches it (the catalog's bundle)."""
    made = generate_each(tmp_path, {
        "both": _both_do_it(tmp_path / "a", {"add": [OPTION]}),
        "switch": _both_do_it(tmp_path / "b", {"add": [OPTION], "drop": [PITCHED]}),
        "kept": _both_do_it(tmp_path / "c", {"add": [PITCHED]}),
        "bundle": _with_choices(tmp_path / "d", RIDING["factory-75"][0], {"add": ["IP专线"]})}, "--brief")
    both = {row[0] for row in quote_rows(made["both"] / "proposal.docx")}
    assert {OPTION, PITCHED} <= both, both
    assert "也可改用" not in docx_text(made["both"] / "proposal.docx")
    switch = {row[0] for row in quote_rows(made["switch"] / "proposal.docx")}
    assert OPTION in switch and PITCHED not in switch, switch
    assert PITCHED not in docx_text(made["switch"] / "proposal.docx")  # dropped: nowhere
    kept = {row[0] for row in quote_rows(made["kept"] / "proposal.docx")}
    assert PITCHED in kept and OPTION not in kept, kept
    assert any(f"也可改用{OPTION}" in t for texts in product_sections(made["kept"] / "proposal.docx").values()
               for t in texts)
    assert f"客户经理选定了{PITCHED}" in docx_text(made["kept"] / "brief.docx")
    bundle = {row[0] for row in quote_rows(made["bundle"] / "proposal.docx")}
    assert {"IP专线", "集团专线"} <= bundle, bundle


def _with_choices(tmp: Path, source: Path, choices: dict) -> Path:
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    raw["choices"] = choices
    tmp.mkdir()
    path = tmp / source.name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
