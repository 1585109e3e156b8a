"""Round 11 of the matcher (README, Matching, Round 11): the kinds fixed on held-out set 9, each tried on wording
that is in no labelled set (the round's probes, tests/eval/probes/r11.yaml, and the statements below), both
ways: the need it lets through and the request it keeps out."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from pitchcraft.match.text import mandarin, speaks_southern
from pitchcraft.model.profile import Profile

PROBES = ROOT / "tests" / "eval" / "probes" / "r11.yaml"


def client(industry: str, statements: dict | None = None) -> Profile:
    return Profile("测试客户", industry, 200, 3, "B", None, (), None, (), statements or {}, None, None, None, None)


def names(sm) -> set[str]:
    return {n for e in sm.products for n in (e.product.name, *e.product.aliases)}


def test_southern_words_are_read_as_mandarin():
    assert mandarin("厂里有甚物事无法度一个个讲") == "厂里有什么事没办法一个个讲"
    assert mandarin("阮欲人在厝就知影") == "我们想人在家就知道"
    # 伊 is 他 only when the statement (or, passed in, its client) speaks so; Mandarin names keep theirs
    assert mandarin("调度不知道伊今日跑了几个点") == "调度不知道伊今天跑了几个点"
    assert mandarin("调度不知道伊今日跑了几个点", southern=True) == "调度不知道他今天跑了几个点"
    assert mandarin("伊利的奶和无人机", southern=True) == "伊利的奶和无人机"
    assert speaks_southern("阮厂两个厂区") and not speaks_southern("我们厂两个厂区")


NEEDS = [
    # an ask only to see, send or spare a trip names its object before it
    ("retail", {"企信通", "MAS", "商信通"}, "店庆的优惠活动想一次性发到所有会员手机上"),
    # an ask to change or compare with no object: what they have, named before
    ("hospitality", {"集团彩铃"}, "酒店已经开了集团彩铃，但里面还是去年的春节祝福，想改又不会弄"),
    # a wish to see whether something is wrong at an unattended place
    ("retail", {"千里眼"}, "仓库晚上没人，想在手机上看一眼门口有没有人"),
    # WiFi's own signal and a wired line failing in the countryside are no mobile coverage gap
    ("hospitality", {"IP专线", "集团专线"}, "大堂的WiFi信号差，客人上网老是断"),
    ("finance", {"集团专线", "IP专线"}, "柜台要联网办业务，山区几个网点用的还是老式的宽带，一断线就只能停办"),
    # calls named as the way it is done now are no calling need: the vehicles' whereabouts are
    ("logistics", {"行业终端", "GPRS企业接入"}, "八十台车，客户打电话问货到哪了，调度只能一台台打给司机问"),
]

TRAPS = [
    ("energy", "每个营业点都有两部座机，话费单每个月一大摞，会计对账对到眼花"),  # fees on a bill to reconcile
    ("logistics", "想问下司机的手机费能不能算进成本里抵税"),                  # fees as a tax matter's object
    ("it", "网站现在放在阿里云上，客户要求搬到运营商的云上"),                # hosting
    ("retail", "想开发一个自己的小程序，会员在手机上就能看积分"),            # building an app
    ("media", "想找个拍视频的团队给我们做一部宣传片"),                      # filming is a job
    ("retail", "店里的会员积分规则想改得简单点，有没有人出出主意"),          # the client's rules, advice asked
    ("manufacturing", "想找个懂行的人帮我们算一下每条线路的运费"),          # someone sought to do it
]


@pytest.mark.parametrize("industry, wanted, statement", NEEDS)
def test_needs_of_the_kinds_fixed_are_claimed(matcher, industry, wanted, statement):
    sm = matcher.match_statement(statement, "other", client(industry))
    assert names(sm) & wanted, (statement, [e.product.name for e in sm.products])


@pytest.mark.parametrize("industry, statement", TRAPS)
def test_requests_of_the_kinds_fixed_are_left_unmatched(matcher, industry, statement):
    sm = matcher.match_statement(statement, "other", client(industry))
    assert not sm.products, (statement, [e.product.name for e in sm.products])


def test_many_need_words_with_no_close_phrasing_go_to_the_product_most_about_them(matcher):
    """Three message words, no phrasing close: the product about messages, not a device product that also alerts."""
    sm = matcher.match_statement("加过油的车主，想过节的时候群发信息告诉他们哪天有降价", "marketing", client("energy"))
    assert sm.products and sm.products[0].product.name in {"企信通", "商信通", "MAS"}, \
        [e.product.name for e in sm.products]
    assert all(e.confidence.level == "待确认" for e in sm.products)


def test_the_round_probes_keep_what_the_round_reached(matcher):
    """The four probe batches (122 needs, 120 requests for something else; first sight in the README) after the
    round's fixes: 9 needs missed, 1 request claimed. A change that loses ground on them fails here."""
    data = yaml.safe_load(PROBES.read_text(encoding="utf-8"))
    missed, claimed = [], []
    for industry, wanted, statement in data["needs"]:
        sm = matcher.match_statement(statement, "other", client(industry))
        if not names(sm) & set(wanted):
            missed.append(statement)
    for industry, statement in data["traps"]:
        sm = matcher.match_statement(statement, "other", client(industry))
        if sm.products:
            claimed.append(statement)
    assert len(data["needs"]) == 122 and len(data["traps"]) == 120
    assert len(missed) <= 9, missed
    assert len(claimed) <= 1, claimed
