"""Confidence per statement→product link, and out-of-scope that holds against keyword traps (issue 14).

tests/eval/tuning holds tuning-only statements: traps that share words with product texts but ask for
something an operator does not sell, and real needs the matcher used to miss. Its labelled profiles
include 74-89, the second held-out set, retired into tuning after it was scored (README, Matching).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import ROOT
from pitchcraft.load import load_profile
from pitchcraft.match import CLEAR, LEVELS, NONE, TO_CONFIRM
from pitchcraft.match.evidence import Judge
from pitchcraft.match.recommend import recommend
from pitchcraft.report import to_json, to_text
from pitchcraft.model.profile import Profile

TUNING = ROOT / "tests" / "eval" / "tuning"
OURS = ROOT / "tests" / "eval" / "profiles"
SHARED = ROOT.parent / "shared" / "eval" / "profiles"


def client(industry: str, employees: int = 200) -> Profile:
    return Profile("测试客户", industry, employees, 3, "B", None, (), None, (), {}, None, None, None, None)


def labelled() -> list[Path]:
    dirs = [OURS] + ([SHARED] if SHARED.is_dir() else [])
    return [p for d in dirs for p in sorted(d.glob("*.yaml")) if not p.name.endswith(".gold.yaml")]


def test_keyword_traps_are_left_unmatched(matcher):
    traps = yaml.safe_load((TUNING / "traps.yaml").read_text(encoding="utf-8"))["traps"]
    assert len(traps) >= 60
    claimed = []
    for industry, statement in traps:
        sm = matcher.match_statement(statement, "other", client(industry))
        if sm.matched:
            claimed.append((statement, [e.product.name for e in sm.products]))
        else:
            assert sm.confidence.level == NONE
    assert len(claimed) <= len(traps) / 16, claimed  # the bar: one per 16 profiles, ours are harder


def test_a_shared_word_is_not_a_need(matcher):
    """监控 is 千里眼's word, 施工队 and 翻修 say what is wanted: a builder."""
    sm = matcher.match_statement("想找个施工队把车间的地面和监控室重新翻修一下", "other", client("manufacturing"))
    assert not sm.matched and matcher.last_candidates[0].product.id == "video_surveillance"
    assert matcher.last_candidates[0].confidence.level == NONE
    sm = matcher.match_statement("想在仓库里装几个监控摄像头，在办公室就能看到现场", "other", client("logistics"))
    assert [e.product.id for e in sm.products][:1] == ["video_surveillance"]


def test_what_is_asked_decides_not_the_channel_mentioned(matcher):
    """Calls told as what outsiders did, customers doing it on their own phones and a kind of equipment
    asked for are no need; calls too many to answer, or a question the callers ask, still are."""
    for industry, statement in [("hospitality", "隔壁的KTV每天晚上唱到两点，客人打电话到前台投诉吵得睡不着"),
                                ("utilities", "市民订羽毛球场都要打电话来，前台一天接一两百个，想让他们在手机上自己订、自己付钱"),
                                ("utilities", "游泳馆想装那种水下识别的防溺水设备，有人沉下去十几秒不动就自动报警")]:
        sm = matcher.match_statement(statement, "other", client(industry))
        assert not sm.matched, (statement, [e.product.name for e in sm.products])
    sm = matcher.match_statement("游客来之前打电话问开放时间、要不要预约、能不能停车，办公室两个人接不过来", "other",
                                 client("government"))
    assert [e.product.id for e in sm.products][:1] == ["mobile_switchboard"]
    sm = matcher.match_statement("八台印刷机，想知道每台今日印咗几多张、停咗几耐机，而家靠班长手抄", "other",
                                 client("manufacturing"))
    assert sm.matched and Judge.elsewhere("八台印刷机") is None


def test_a_job_given_to_someone_else_is_not_a_need(matcher):
    """找家公司帮我们拍…视频 asks for a film crew; 请专家远程会诊 still asks for the call to them."""
    for industry, statement in [("hospitality", "想找家公司帮我们拍酒店的宣传视频"),
                                ("finance", "网点的视频监控系统要通过公安的验收，想找个顾问指导一下"),
                                ("agriculture", "想找电商主播帮我们直播卖荔枝")]:
        sm = matcher.match_statement(statement, "other", client(industry))
        assert not sm.matched, (statement, [e.product.name for e in sm.products])
    sm = matcher.match_statement("想请省城的专家远程会诊，病人不用往外跑", "other", client("healthcare"))
    assert [e.product.id for e in sm.products][:1] == ["cloud_video"]


def test_a_job_done_by_hand_is_not_a_need_whatever_channel_it_mentions(matcher):
    """A passing phone or online channel (打个电话就能上门修) is not the need; the job is."""
    for industry, statement in [("hospitality", "中央空调每年夏天都出毛病，想找家公司签个年度保养合同，坏了打个电话就能上门修"),
                                ("education", "新学期学生的校服和校卡想找家厂定做，数量在手机上能对得上就行"),
                                ("construction", "新项目的施工许可证想找人在网上把手续跑下来"),
                                ("utilities", "水厂的消毒药剂想找一家长期供货的厂家，电话下单送货上门")]:
        sm = matcher.match_statement(statement, "other", client(industry))
        assert not sm.matched, (statement, [e.product.name for e in sm.products])
        assert all(e.confidence.level == NONE for e in matcher.last_candidates)
    # a real need naming a repair crew is still a need: the ask is the message
    sm = matcher.match_statement("设备出故障的时候，想让MES系统自动发短信给维修班长", "other", client("manufacturing"))
    assert [e.product.id for e in sm.products][:1] == ["mas"]


def test_a_telecom_need_the_catalog_lacks_stays_unmatched(matcher):
    """Coverage at a site and push-to-talk share 信号, 电话, 网 with products that answer neither."""
    for industry, statement in [("hospitality", "地下停车场和电梯里手机没有信号，客人老投诉"),
                                ("energy", "山里的电站附近手机信号很差，电话都打不出去"),
                                ("construction", "工地上想配一批对讲机，塔吊司机和地面指挥一按就能讲话"),
                                ("media", "新闻客户端访问量一上来服务器就扛不住，想把服务器放到大机房或者云上")]:
        sm = matcher.match_statement(statement, "other", client(industry))
        assert not sm.matched, (statement, [e.product.name for e in sm.products])
    # calls that cost money are still V网's, even when the radios' signal is bad too
    sm = matcher.match_statement("保安、客房、工程部的人分散在几栋楼里，对讲机信号不好，用手机打又要钱", "other",
                                 client("hospitality"))
    assert "vpmn" in [e.product.id for e in sm.products]


def test_losing_the_network_at_a_place_is_a_gap_whatever_the_place(matcher):
    """No signal at a place (none of these places in the rules' examples as written) is coverage: the calls
    it stops are no evidence; jammers, call recording and strangers arriving near a place have no product."""
    for industry, statement in [("manufacturing", "仓库是铁皮房，手机拿进去就剩一格信号，叫人叫不应"),
                                ("logistics", "司机一进隧道电话就打不通，调度找不到人"),
                                ("agriculture", "渔船出海以后手机没信号，家里人联系不到"),
                                ("hospitality", "后山步道手机显示无服务，游客走散了打电话也找不到"),
                                ("education", "考试的时候想把教室里的手机信号屏蔽掉"),
                                ("finance", "客户经理用私人手机跟客户通话，监管要求电话要录音留底"),
                                ("retail", "顾客一走到商场门口附近，想自动给他们推一条优惠短信")]:
        sm = matcher.match_statement(statement, "other", client(industry))
        assert not sm.matched, (statement, [e.product.name for e in sm.products])
    # a wired line asked for after the gap is still a need
    sm = matcher.match_statement("地下室的机房信号差，经常联系不到，想拉一条稳定的专线", "other", client("manufacturing"))
    assert sm.matched


def test_cantonese_is_read_as_mandarin_and_quoted_as_said(matcher):
    """The matcher reads 有冇, 唔, 屋企, 啲 … in Mandarin; the statement, the reason and the question keep
    the client's own words; 系统 and 联系 stay as they are."""
    from pitchcraft.match.text import mandarin

    assert mandarin("有冇办法喺屋企睇到啲画面") == "有没有办法在家里看到些画面"
    assert mandarin("唔该帮我搞掂，佢哋冇收到嘅通知") == "谢谢帮我搞定，他们没有收到的通知"
    assert mandarin("系统要联系客户，工人要系安全带") == "系统要联系客户，工人要系安全带"
    said = "每间店嘅后厨想装个镜头，我喺屋企拎手机就能睇到师傅有冇戴帽"
    sm = matcher.match_statement(said, "other", client("hospitality"))
    assert sm.statement == said and "video_surveillance" in [e.product.id for e in sm.products]
    link = sm.products[0].confidence
    assert link.question is None or said in link.question
    # the same need in Mandarin meets the same product
    assert [e.product.id for e in matcher.match_statement(mandarin(said), "other", client("hospitality")).products] \
        == [e.product.id for e in sm.products]


def test_what_no_product_carries_is_no_evidence_whatever_it_carries(matcher):
    """Phones abroad, strangers near a place, paying by phone, counting visitors, a live stream in the open:
    the messages, data or video they carry are no evidence; a radio replaced by plain phone calls still is."""
    for industry, statement in [("hospitality", "来自香港的客人用的是香港号码，我们的入住提醒短信发不过去"),
                                ("retail", "想让路过门店的人手机上自动收到一条新店开业的优惠消息"),
                                ("education", "想让学生拿手机一碰就能在食堂刷卡吃饭"),
                                ("retail", "想知道每天进店多少人，哪个时段最多"),
                                ("agriculture", "想在田里直播插秧，可是网一卡画面就糊了")]:
        sm = matcher.match_statement(statement, "other", client(industry))
        assert not sm.matched, (statement, [e.product.name for e in sm.products])
    sm = matcher.match_statement("仓库里用对讲机，一进冷库就听不到，想直接用手机打给他们", "other", client("logistics"))
    assert "vpmn" in [e.product.id for e in sm.products]
    # a meeting that a notice is about asks for a notice, not for a video meeting
    sm = matcher.match_statement("开会、交材料的通知要一个个打电话，半天都打不完", "other", client("government"))
    assert sm.matched and "cloud_video" not in [e.product.id for e in sm.products]


def test_a_matter_in_the_ask_needs_need_words_of_its_own(matcher):
    """What the ask names decides: an accountant, not a calling plan; a reminder, not a loan."""
    sm = matcher.match_statement("门店电话费单据太多了，想找个会计帮忙整理报销", "other", client("retail"))
    assert not sm.matched and matcher.last_candidates[0].product.id == "vpmn"
    sm = matcher.match_statement("客户的贷款快到还款日了，想提前提醒一下免得逾期", "other", client("finance"))
    assert sm.matched and sm.products[0].product.id == "finance_info"


def test_a_statement_with_two_asks_keeps_both_answers(matcher):
    """A clear, close second answer is kept even when the first is far ahead."""
    sm = matcher.match_statement("邮箱容量老是满，附件大一点就退信，出差在外面手机上还收不到邮件", "other", client("it"))
    first, second = sm.products
    assert (first.product.id, second.product.id) == ("enterprise_mail", "mobile_mail")
    assert second.score < first.score * matcher.tuning.second_ratio and second.confidence.clear


def test_every_statement_keeps_its_best_answer_in_the_bundle(content, matcher):
    """The bundle's size cap drops second answers first, never a statement's only or best one."""
    for path in sorted(TUNING.glob("*.gold.yaml")):
        rec = recommend(load_profile(path.with_name(path.name.replace(".gold", "")))[0], content.catalog,
                        content.cases, matcher)
        pitched = {m.product.id for m in rec.all_products}
        for sm in rec.statements:
            if sm.matched:
                assert sm.products[0].product.id in pitched, (path.name, sm.statement)
        assert len(rec.products) <= max(matcher.tuning.max_products,
                                        len({sm.products[0].product.id for sm in rec.statements if sm.matched}))


def test_real_needs_the_issue_names_are_claimed(matcher):
    needs = yaml.safe_load((TUNING / "needs.yaml").read_text(encoding="utf-8"))["needs"]
    missed = []
    for industry, wanted, statement in needs:
        sm = matcher.match_statement(statement, "other", client(industry))
        names = {n for e in sm.products for n in (e.product.name, *e.product.aliases)}
        if not names & set(wanted):
            missed.append((statement, sorted(names)))
    assert len(missed) <= len(needs) // 100, missed  # fresh batches join as written; four known misses (README, round 8)


def test_clear_links_are_right_on_the_labelled_profiles(content, matcher):
    """明确 means it to a manager: on the labelled sets, a 明确 link names a product the gold accepts."""
    clear = wrong = 0
    for path in labelled():
        gold = yaml.safe_load(path.with_name(path.stem + ".gold.yaml").read_text(encoding="utf-8"))
        good = set(gold.get("acceptable") or []) | {n for g in gold["must"] for n in g}
        rec = recommend(load_profile(path)[0], content.catalog, content.cases, matcher)
        for link in rec.links(CLEAR):
            clear += 1
            wrong += not {link.product.name, *link.product.aliases} & good
    assert clear >= 60 and wrong <= clear * 0.03, (clear, wrong)


def test_every_link_carries_its_evidence(content, matcher):
    for path in labelled()[:8]:
        rec = recommend(load_profile(path)[0], content.catalog, content.cases, matcher)
        for m in rec.all_products:
            assert len(m.links) == len(m.statements)
            for link, reason in zip(m.links, [r for r in m.reasons if r.startswith("客户提到")]):
                assert link.level in (CLEAR, TO_CONFIRM)
                assert link.confidence.evidence, link
                for word in link.confidence.evidence:
                    assert all(part in link.statement for part in word.split("…")), (word, link.statement)
                assert "依据：" in reason and link.confidence.evidence[0] in reason
                if link.level == TO_CONFIRM:
                    assert link.statement in link.question and link.question.endswith("？")
                    assert "待与客户确认" in reason
                else:
                    assert link.question is None


def _dental(content, matcher):
    profile, _ = load_profile(OURS / "37-dental-clinic-chain.yaml")
    return recommend(profile, content.catalog, content.cases, matcher)


def test_what_the_documents_ask(content, matcher):
    rec = _dental(content, matcher)
    statements = [sm.statement for sm in rec.statements]
    clear = {link.statement for link in rec.links(CLEAR)}
    assert rec.open_needs == [s for s in statements if s not in clear]
    assert set(rec.unmatched) <= set(rec.open_needs)
    assert "想请几个有经验的正畸医生，不知道有没有门路" in rec.unmatched
    assert rec.confident_products and all(m.confidence == CLEAR for m in rec.confident_products)
    assert {m.product.id for m in rec.confident_products} >= {"mobile_switchboard", "group_directory",
                                                               "mobile_scm"}
    assert all(link.level == TO_CONFIRM and link.question for link in rec.to_confirm)
    assert len(rec.links()) == len(rec.links(CLEAR)) + len(rec.links(TO_CONFIRM))
    for sm in rec.statements:
        assert sm.confidence.level in LEVELS
        assert (sm.confidence.level == NONE) == (not sm.matched)


def test_json_and_table_show_the_levels(content, matcher):
    rec = _dental(content, matcher)
    out = to_json(rec)
    assert out["unmatched_needs"] == rec.unmatched
    for p in out["products"]:
        assert p["matched_needs"] == [link["statement"] for link in p["links"]]
        assert p["confidence"] in (CLEAR, TO_CONFIRM)
        assert p["confidence"] == (CLEAR if any(link["confidence"] == CLEAR for link in p["links"]) else TO_CONFIRM)
        for link in p["links"]:
            assert link["confidence"] in (CLEAR, TO_CONFIRM) and link["evidence"]
            assert ("question" in link) == (link["confidence"] == TO_CONFIRM)
    levels = {s["statement"]: s["confidence"] for s in out["statements"]}
    assert levels["想请几个有经验的正畸医生，不知道有没有门路"] == NONE
    text = to_text(rec)
    assert "〔明确〕" in text and "[无] 想请几个有经验的正畸医生" in text
    if rec.to_confirm:
        assert "待与客户确认：" in text and rec.to_confirm[0].question in text


def test_a_gap_in_the_need_words_leaves_a_very_close_phrasing_to_confirm(content, matcher):
    """A catalog phrasing with no need word, said by a client, is claimed, as 待确认, with the shared words."""
    judge = matcher.judge
    gaps = [(p, phrase) for p in matcher.products for phrase in p.client_phrases
            if not judge.needs(phrase) and not judge.elsewhere(phrase) and not judge.ask_is_bare(phrase)]
    assert gaps  # the shipped catalog has such phrasings
    for product, phrase in gaps[:10]:
        sm = matcher.match_statement(phrase, "other", client(product.industries[0] if "all" not in product.industries
                                                            else "retail"))
        assert sm.matched, phrase
        c = sm.confidence
        assert c.level == TO_CONFIRM and c.evidence and c.question, (phrase, c)
        assert all(word in phrase for word in c.evidence)
