"""Numbers in the client's words: the forms clients use, what each counts, and no crash on any text."""

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pitchcraft.quantities import (Table, amounts, counts, default_table, durations, number_at, parse_number,
                                   shares)


def one(text):
    found = counts(text)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize("numeral, value, exact", [
    ("六十", 60, True), ("十二", 12, True), ("二十", 20, True), ("十", 10, True), ("两", 2, True), ("俩", 2, True),
    ("一万二", 12000, True), ("一千五", 1500, True), ("三百五", 350, True), ("两万五千", 25000, True),
    ("一千零五", 1005, True), ("1.2万", 12000, True), ("1500", 1500, True), ("1,500", 1500, True),
    ("３０", 30, True), ("3千5", 3500, True), ("十二万", 120000, True),
])
def test_exact_numerals(numeral, value, exact):
    n = parse_number(numeral)
    assert n is not None and n.value == value and n.approximate is not exact


@pytest.mark.parametrize("said, value, low, high", [
    ("六十多", 60, 60, 69), ("两千多", 2000, 2000, 2999), ("十几", 10, 11, 19), ("二十几", 20, 21, 29),
    ("三四十", 30, 30, 40), ("五六", 5, 5, 6), ("一两", 1, 1, 2), ("七八千", 7000, 7000, 8000),
    ("二十多万", 200000, 200000, 299999), ("十几万", 100000, 110000, 190000), ("2万多", 20000, 20000, 29999),
])
def test_rough_numerals_keep_the_round_figure_and_the_range(said, value, low, high):
    found = number_at(said)
    assert found is not None
    n = found[0]
    assert (n.value, n.low, n.high, n.approximate, n.vague) == (value, low, high, True, False)


def test_open_and_near_forms():
    assert number_at("上百")[0].value == 100 and number_at("上百")[0].high is None
    near = number_at("近百")[0]
    assert near.value == 100 and near.low < 100 and near.approximate
    assert number_at("二十来")[0].value == 20 and number_at("百把")[0].value == 100


@pytest.mark.parametrize("said", ["几十", "几百", "数百", "好几", "几万"])
def test_an_order_of_magnitude_is_vague(said):
    n = number_at(said + "个")[0]
    assert n.vague and n.approximate


@pytest.mark.parametrize("text, kind, value, approx, phrase", [
    ("六十多辆集卡每天进出港", "vehicles", 60, True, "六十多辆集卡"),
    ("两百多台货车跑在外面", "vehicles", 200, True, "两百多台货车"),
    ("我们有上百个探头", "cameras", 100, True, "上百个探头"),
    ("三个厂区之间电话沟通频繁", "sites", 3, False, "三个厂区"),
    ("九家诊所各有各的电话", "sites", 9, False, "九家诊所"),
    ("十几个网点的柜面系统", "sites", 10, True, "十几个网点"),
    ("三个地方打电话都要花钱", "sites", 3, False, "三个地方"),
    ("门店有三十多家", "stores", 30, True, "门店有三十多家"),
    ("新开的五家店还没加进来", "stores", 5, False, "五家店"),
    ("会员有1.2万，想群发", "customers", 12000, False, "会员有1.2万"),
    ("几万户居民", "customers", 20000, True, "几万户居民"),
    ("车间里十几台机床", "devices", 10, True, "十几台机床"),
    ("全市两万多块水表还是抄表员上门去抄", "devices", 20000, True, "两万多块水表"),
    ("招生办就两部座机", "lines", 2, False, "两部座机"),
    ("预约挂号就两条电话线", "lines", 2, False, "两条电话线"),
    ("一天打几十个电话", "calls", 20, True, "几十个电话"),
    ("两间会议室", "rooms", 2, False, "两间会议室"),
    ("两千多人的企业", "staff", 2000, True, "两千多人"),
])
def test_counts_are_tied_to_what_they_count(text, kind, value, approx, phrase):
    q = one(text)
    assert (q.kind, q.value, q.approximate, q.phrase) == (kind, value, approx, phrase)
    assert text[q.start:q.end] == q.phrase


@pytest.mark.parametrize("text, group, value", [
    ("前台3个人，电话老占线", "前台", 3),
    ("前台就3个人", "前台", 3),
    ("座席就十个人，好多电话打不进来", "座席", 10),
    ("销售团队二十来人常驻外地", "销售团队", 20),
    ("三四十人的销售团队", "销售团队", 30),
    ("20来个司机", "司机", 20),
    ("近百名医生", "医生", 100),
    ("一百多个业务员手机费都是自己掏", "业务员", 100),
    ("四十个店长有事就打给区域经理", "店长", 40),
    ("今年新招的三百多个一线工人还没进短号网", "一线工人", 300),
    ("管理人员上千个", "管理人员", 1000),
])
def test_people_of_a_named_group(text, group, value):
    q = one(text)
    assert (q.kind, q.group, q.value) == ("people", group, value)


def test_two_counts_in_one_statement():
    found = counts("两个厂区两千多人，行政发个通知只能在微信群里喊")
    assert [(q.kind, q.value) for q in found] == [("sites", 2), ("staff", 2000)]


@pytest.mark.parametrize("text", [
    "第三个厂区明年投产", "2026年12月1日下午3点", "佛山惠万家连锁超市有限公司", "只能一个个打电话问司机",
    "要一个村一个村打电话传达", "抄表员一块块上门去抄", "干部一天到晚打电话", "业务员一出去就没人接",
    "今年新招的一线工人", "三线城市", "十分着急", "千万别断线", "厂区隔了十几公里", "几百家二级供应商",
    "联系电话13800000000", "视频会一多人就卡", "一来一回要两个小时",
])
def test_numbers_that_count_nothing_we_sell_for(text):
    assert counts(text) == []


def test_full_width_digits_keep_the_clients_characters():
    q = one("前台就３个人")
    assert q.value == 3 and q.phrase == "前台就３个人"


def test_roughly_after_the_count_is_approximate():
    assert one("大概六十辆车左右").approximate


@pytest.mark.parametrize("text, value, subject, period, approx", [
    ("每月话费一万二", 12000, "bill", "month", False),
    ("现在全公司每个月话费三万多", 30000, "bill", "month", True),
    ("每月电话费1.2万左右", 12000, "bill", "month", True),
    ("一个月光报销话费就七八千", 7000, "bill", "month", True),
    ("一年光话费就十几万元", 100000, "bill", "year", True),
    ("话费每年十来万", 100000, "bill", "year", True),
    ("上个月一车冻肉都化了，赔了两万多", 20000, "loss", None, True),
    ("每月预算3000元", 3000, None, "month", False),
])
def test_amounts(text, value, subject, period, approx):
    a = amounts(text)
    assert len(a) == 1
    assert (a[0].value, a[0].subject, a[0].period, a[0].approximate) == (value, subject, period, approx)
    assert a[0].phrase in text


def test_monthly_amount():
    assert amounts("一年光话费就十二万元")[0].monthly() == 10000
    assert amounts("赔了两万多")[0].monthly() is None


def test_money_is_not_a_count_and_a_count_is_not_money():
    assert counts("每月话费一万二") == []
    assert amounts("三个厂区两千多人") == []


def test_durations():
    d = durations("每天要花两个小时对账")
    assert [(x.hours, x.period) for x in d] == [(2, "day")]
    assert durations("一圈打下来半天就没了")[0].hours == 4
    assert durations("几个领导签一圈要一个礼拜")[0].hours == 40
    assert durations("2026年12月1日") == []
    # how often, not how long
    assert durations("干部一天到晚打电话") == [] and durations("一天要打几百个电话") == []
    assert durations("跑一趟要一天")[0].hours == 8


def test_shares():
    assert [(s.fraction, s.noun) for s in shares("八成的员工在外面跑")] == [(Decimal("0.8"), "员工")]
    assert shares("一半是问停气的")[0].fraction == Decimal("0.5")
    assert shares("百分之三十的电话没人接")[0].fraction == Decimal("0.3")
    assert shares("30%的来电是咨询")[0].fraction == Decimal("0.3")
    assert shares("今年产量翻了一番") == []


def test_the_table_is_data():
    """A workspace may add a noun: the reading follows the table, not code."""
    base = default_table()
    assert one("六十多辆集卡").kind == "vehicles"
    assert counts("三十多座灯塔", base) == []
    data = {"kinds": {"towers": {"label": "灯塔", "nouns": ["灯塔"]}}, "measures": ["座"]}
    q = counts("三十多座灯塔", Table.from_dict(data))
    assert [(x.kind, x.value) for x in q] == [("towers", 30)]
    assert Table.from_dict({}).label("people") == "人员"


def test_price_units_name_the_counts_they_take():
    t = default_table()
    assert t.kinds_for("terminal")[:2] == ("terminals", "vehicles")
    assert t.kinds_for("user")[0] == "people"
    assert "sites" in t.kinds_for("site")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_never_crashes_on_any_text(text):
    searched = unicodedata.normalize("NFKC", text)
    for q in counts(text):
        assert q.value >= 0 and q.phrase
        assert q.phrase == (text if len(text) == len(searched) else searched)[q.start:q.end]
    amounts(text)
    durations(text)
    shares(text)


NUMERALS = st.text(alphabet="零〇一二两三四五六七八九十百千万亿几多来余0123456789.,", min_size=1, max_size=12)
MEASURE = st.sampled_from(["辆", "个", "台", "名", "人", "家", "间", "条", "部", "块", "元", "万元", "", "多"])
NOUN = st.sampled_from(["集卡", "厂区", "门店", "前台", "员工", "电话", "话费", "会员", "", "小时", "半天"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NOUN, NUMERALS, MEASURE, NOUN), max_size=4), st.text(max_size=6))
def test_never_crashes_on_number_like_text(parts, tail):
    text = "".join(a + b + c + d for a, b, c, d in parts) + tail
    for q in counts(text):
        assert q.value >= 0
        assert q.low is None or q.low >= 0
    for a in amounts(text):
        assert a.value > 0
    durations(text)
    shares(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999))
def test_arabic_and_chinese_numerals_agree(n):
    assert parse_number(str(n)).value == n
    assert parse_number(_chinese(n)).value == n


def _chinese(n: int) -> str:
    """A plain Chinese numeral (一千零五, 三万二千一百), written out independently of the parser."""
    digits = "零一二三四五六七八九"

    def below_10k(x: int, leading: bool) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value % 10
            if d:
                if zero or (not leading and not out and value < 1000):
                    out += "零"
                out += digits[d] + unit
                zero = False
            elif out:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return below_10k(low, True)
    return below_10k(high, True) + "万" + (below_10k(low, False) if low else "")
