"""The ninth round's readings of what a statement asks (README, Matching, ninth round): each rule on
wording that is in no tuning list, both ways (the need it lets through, the request it keeps out)."""

from __future__ import annotations

import pytest

from conftest import ROOT
from pitchcraft.match.recommend import Matcher
from pitchcraft.match.text import mandarin
from pitchcraft.model.profile import Profile
from pitchcraft.pipeline import load_content
from pitchcraft.workspace import Workspace


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_content(Workspace.open(ROOT)).catalog)


def claimed(matcher, statement: str, industry: str = "retail") -> set[str]:
    client = Profile("测试客户", industry, 200, 3, "B", None, (), None, (), {}, None, None, None, None)
    return {e.product.name for e in matcher.match_statement(statement, "other", client).products}


def test_teochew_and_hakka_are_read_only_where_spoken():
    assert mandarin("阮厂里个仓库甲办公室") == "我们厂里的仓库和办公室"
    assert mandarin("涯兜毋知个鱼塘有几深") == "我们不知道的鱼塘有几深"
    assert mandarin("我们是甲方，找个人做一个网站") == "我们是甲方，找个人做一个网站"  # Mandarin: untouched
    assert mandarin("船东想随时晓得船到了哪里") == "船东想随时知道船到了哪里"


def test_the_ask_after_what_is_settled(matcher):
    # what follows 已经…，但… names a need of its own: it is what is asked (the short numbers are settled)
    assert claimed(matcher, "店员之间打短号已经不要钱了，但是对外就一部座机，中午没人守着老是没人接") == {"移动总机"}
    # what follows names none: the whole statement is read (the reminders are the subject)
    assert claimed(matcher, "到期前已经在发短信提醒续费了，可是客户说分不清是不是骗子发的", "finance")


def test_a_matter_a_message_tells_of_is_no_request(matcher):
    assert claimed(matcher, "交税截止前，想提醒商户把单据准备好", "finance")
    assert not claimed(matcher, "想找个会计帮我们把今年的税报了", "finance")
    assert not claimed(matcher, "想要一份最新的行业政策解读，通知到各个部门", "government")


def test_storage_and_others_cameras_and_customers_whereabouts_are_gaps(matcher):
    assert not claimed(matcher, "活动的照片和视频想存到网上，客户随时能下载")
    assert "千里眼" in claimed(matcher, "门口的监控录像要存三个月，录像机老坏，想把录像放到网上存")
    assert not claimed(matcher, "想调一下对面物业的监控，看看是谁把车划了")
    assert not claimed(matcher, "想知道来店里的顾客都住在哪些小区，好去那边做推广")


def test_a_product_covers_only_the_kinds_its_texts_are_about(matcher):
    # 集团V网 names 压力 twice in 39 texts (报销压力大): incidental, so a gauge read by hand is no call need
    got = claimed(matcher, "车间的空压机每天要人去看压力表", "manufacturing")
    assert "集团V网" not in got and got & {"GPRS企业接入", "行业终端"}
    # a kind the product is about still counts: calls between plants are 集团V网's
    assert "集团V网" in claimed(matcher, "几个车间主任之间每天打电话，话费全是厂里出", "manufacturing")
