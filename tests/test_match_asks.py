"""What a statement asks, read by rule (round 10 of issue 14): two asks in one statement, a matter word that
only says who, where or when, a backup of a line, software hooked up to software, a number someone left,
need words written with an aspect 了, and dialect readings. Each case is a kind, phrased apart from the
labelled sets."""

from __future__ import annotations

import pytest
from conftest import ROOT

from pitchcraft.match.evidence import Judge
from pitchcraft.match.recommend import Matcher
from pitchcraft.match.text import mandarin
from pitchcraft.model.profile import Profile
from pitchcraft.pipeline import load_content
from pitchcraft.workspace import Workspace


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_content(Workspace.open(ROOT)).catalog)


def client(industry: str) -> Profile:
    return Profile("测试客户", industry, 200, 3, "B", None, (), None, (), {}, None, None, None, None)


def products(matcher, statement: str, industry: str = "retail") -> list[str]:
    return [e.product.id for e in matcher.match_statement(statement, "other", client(industry)).products]


def test_two_asks_are_judged_each_on_its_own(matcher):
    """The loan half asks for a bank; the roster half is still a need, and the reason quotes the whole."""
    said = "想问问哪家银行能贷款买两台新设备；另外各店员工的排班能不能在手机上直接看到"
    sm = matcher.match_statement(said, "other", client("healthcare"))
    assert [e.product.id for e in sm.products][:1] == ["mobile_oa"]
    assert sm.statement == said
    assert Judge.asks(said) == ["想问问哪家银行能贷款买两台新设备", "各店员工的排班能不能在手机上直接看到"]
    assert Judge.asks("店里只有一部电话，忙的时候打不进来") == ["店里只有一部电话，忙的时候打不进来"]


def test_a_matter_word_naming_who_where_or_when_is_no_matter():
    assert Judge.elsewhere("申报期办税大厅排长队，局长想拿手机看看大厅里现在是什么情况") is None
    assert Judge.elsewhere("纳税人打进来的电话太多，座机一直占线") is None
    assert Judge.elsewhere("想请税务师事务所的老师来讲讲新的个税政策") is not None


def test_a_backup_of_a_line_is_a_second_line_not_a_data_backup(matcher):
    assert Judge.elsewhere("调度中心到各站的数据通道想要有个备份，光缆断了也能顶上") is None
    assert Judge.elsewhere("服务器里的资料想每天备份一次，怕硬盘坏了") is not None
    assert "group_private_line" in products(matcher, "升压站到调度中心的数据通道想有个备份，万一光缆被挖断了也能顶上",
                                            "energy")


def test_software_hooked_up_to_software_is_no_need(matcher):
    """What the software is about (members, monitoring) is no evidence; a line between sites still is."""
    assert products(matcher, "收银系统里的会员积分想跟外卖平台上的订单打通") == []
    assert products(matcher, "门禁的监控软件想跟我们的考勤系统做二次开发对接", "manufacturing") == []
    assert "group_private_line" in products(matcher, "几个仓库的系统要和总部的系统实时对接，不能走普通宽带", "logistics")


def test_a_number_someone_left_is_no_call(matcher):
    assert "电话" not in matcher.judge.needs("来咨询的家长都留了电话，课程顾问跟进全靠脑子记")
    assert "电话" in matcher.judge.needs("来咨询的家长打电话进来，总是占线")


def test_need_words_are_read_with_an_aspect_le_left_out(matcher):
    assert "请假" in matcher.judge.needs("谁请了假，教务永远最后一个知道")
    assert "用多少" in matcher.judge.needs("每栋楼的水一个月到底用了多少，只能月底去看总表")


def test_a_caller_who_cannot_reach_the_right_person_is_a_burden(matcher):
    needs = matcher.judge.needs("家属打电话来问病人情况，总是找不到负责的护士")
    assert "电话" in needs
    assert "电话" not in matcher.judge.needs("门口的招牌坏了，晚上顾客打电话说找不到店门口")


def test_a_job_already_done_is_context_and_a_new_device_is_a_purchase(matcher):
    assert Judge.elsewhere("房间打扫完了，前台不知道哪间能住") is None
    assert products(matcher, "办公室的电话机坏了，想换一台带来电显示的新电话机") == []


def test_theft_seen_on_camera_for_the_police_is_no_need(matcher):
    assert products(matcher, "仓库的摄像头拍到有人偷东西，想让派出所来立案") == []
    assert "video_surveillance" in products(matcher, "鱼塘夜里老有人来偷鱼，我住得远根本守不住", "agriculture")


def test_dialect_readings():
    assert mandarin("夜晚成日有人入嚟偷嘢") == "夜晚经常有人进来偷东西"
    assert mandarin("棚入面温度一过线我想部手机即刻响") == "棚里面温度一过线我想部手机马上响"
    assert mandarin("阮欲申请，唔知寻谁人盖章") == "我们想申请，不知道找谁人盖章"
    assert mandarin("食欲不好") == "食欲不好"  # 欲 is 想 only when the statement speaks Teochew or Hakka


def test_not_knowing_whether_something_is_so_is_a_need(matcher):
    """No word names the need; the question (有没有…) and not knowing its answer do, whatever the topic."""
    assert "不知道" in matcher.judge.needs("仓库关了门以后，里面有没有进人我们完全不知道")
    assert "video_surveillance" in products(matcher, "仓库关了门以后，里面有没有进人我们完全不知道", "logistics")
    # not knowing where to go or whom to ask is a request for guidance, not a watch
    assert "不知道" not in matcher.judge.needs("有没有补贴可以申请，我们不知道找哪个部门")
    assert "不知道" not in matcher.judge.needs("不知道有没有这种办法可以省点钱")
