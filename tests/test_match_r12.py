"""Round 12 of the matcher (README, Matching, Round 12): the kinds fixed on held-out set 10 and the industry anchors
a presales reviewer found missed (/work/wt/_notes/review11.md), each tried both ways on wording that is in no
labelled set: the need it lets through and the request it keeps out; and the reviewer's own statements."""

from __future__ import annotations

import pytest
from test_match_r11 import client, names

from pitchcraft.match.text import normalize

# The reviewer's profiles (review11.md): statement -> the product that must come first, products that must not be there
REVIEWED = [
    # bank 1: POS terminals on a private wireless path, not field handhelds
    ("finance", "GPRS企业接入", {"行业终端"}, "放在商户店里的刷卡机要靠手机网络连回银行，监管要求交易数据不能从公网上走"),
    # gas 1: meters read remotely because readers are short
    ("utilities", "GPRS企业接入", set(), "三十几万户的燃气表每个月要派人上门抄，抄表员根本不够，估抄又经常被投诉"),
    # gas 2: notices before the gas is stopped
    ("utilities", "MAS", set(), "欠费停气前要提前通知用户，现在是印张纸条塞门缝，好多人说根本冇收到"),
    # ferry 2: where the vessels are
    ("logistics", "行业终端", set(), "十几条船在海上跑，岸上调度想随时知道船开到哪里，风大的时候尤其要盯紧"),
    # hotel 1: what callers hear while waiting
    ("hospitality", "集团彩铃", set(), "客人打电话来订房，等接通的时候想让他先听听我们的海景房和自助早餐"),
    # mart 2: a wire that cannot be pulled asks for a wireless path first
    ("retail", "GPRS企业接入", set(), "乡镇那几家店拉不了宽带，收银机和电子秤联不上网"),
    # mart 3: new stores to add to the group network they have
    ("retail", "集团V网", set(), "新开的五家店还没加进来，店员打总部、打配送中心都要花钱"),
]


@pytest.mark.parametrize("industry, first, banned, statement", REVIEWED)
def test_the_reviewers_anchors_go_to_the_product_that_answers_them(matcher, industry, first, banned, statement):
    sm = matcher.match_statement(statement, "other", client(industry))
    got = [e.product.name for e in sm.products]
    assert got and got[0] == first, (statement, got)
    assert not set(got) & banned, (statement, got)



def test_hotel_ringback_is_clear_and_basement_coverage_unmatched(matcher):
    """hotel 1 reaches the documents (明确), not only the brief; a coverage complaint (gas 3) stays unmatched: no
    product in the catalog improves the signal in a basement (the honest answer is a network survey, not a sale)."""
    sm = matcher.match_statement("客人打电话来订房，等接通的时候想让他先听听我们的海景房和自助早餐", "marketing",
                                 client("hospitality"))
    assert sm.products[0].confidence.level == "明确"
    sm = matcher.match_statement("抢修队出去要跟调度一直保持通话，现在用手机打，一进地下室、地下车库就打不通",
                                 "basic_comms", client("utilities"))
    assert not sm.products, [e.product.name for e in sm.products]


NEEDS = [
    # a price-only ask names its object before it (fresh wording)
    ("construction", {"集团V网"}, "三个项目部的施工员六十多个，施工员之间打电话想便宜点"),
    # a wire that cannot be pulled: the wireless path
    ("agriculture", {"GPRS企业接入", "无线DNN"}, "山上的水泵房拉不了网线，水泵的运行数据想传回办公室"),
    # letting callers hear something while they wait
    ("education", {"集团彩铃"}, "家长打电话进来，等接通的时候想让他们听一段招生简章"),
    # patrol points actually walked
    ("utilities", {"行业终端"}, "线路巡检员三十个，想知道他们是不是真的走到了每个杆塔"),
    # what callers hear, renewed: the content before it, no purchase
    ("retail", {"集团彩铃"}, "顾客打进来听到的彩铃还是去年店庆的，想换新的"),
]

TRAPS = [
    ("logistics", "想在昆明开个分拨中心，得找个当地的合作方，你们认识不"),      # an introduction asked for
    ("energy", "储能项目要办环评，环保局那边审批慢，你们有没有人认识"),        # someone known, an outside approval
    ("retail", "想同几家纸箱供应商在网上比价，谁便宜就下单"),                  # purchasing among suppliers
    ("healthcare", "门诊的叫号屏老坏，想整套换成新的排队叫号系统"),            # equipment bought whole
    ("agriculture", "鸡场想装一种自动喂料机，就是定时撒料那种"),                # a kind of equipment described
    ("retail", "商场的客流想统计一下，每层几点人最多"),                      # counting visitors
    ("construction", "工人有的用联通有的用电信，你们的短号他们打不通"),        # short numbers across operators
    ("it", "想在企业微信里直接打电话，不走个人话费"),                          # calling inside another app
    ("media", "想在几个电视频道投放广告"),                                    # 电视|频道 holds no video
    ("education", "机房的电脑太旧了，开机要等好久，想全部换新的"),              # a purchase renewed
]


@pytest.mark.parametrize("industry, wanted, statement", NEEDS)
def test_needs_of_the_kinds_fixed_are_claimed(matcher, industry, wanted, statement):
    sm = matcher.match_statement(statement, "other", client(industry))
    assert names(sm) & wanted, (statement, [e.product.name for e in sm.products])


@pytest.mark.parametrize("industry, statement", TRAPS)
def test_requests_of_the_kinds_fixed_are_left_unmatched(matcher, industry, statement):
    sm = matcher.match_statement(statement, "other", client(industry))
    assert not sm.products, (statement, [e.product.name for e in sm.products])


def test_a_word_across_another_words_boundary_is_split():
    assert "视频" not in normalize("电视频道")
    assert "视频" in normalize("视频会议")
