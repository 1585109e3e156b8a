"""Value in the client's terms: only from figures the client gave, with the assumption and the arithmetic."""

from decimal import Decimal

from pitchcraft.value import Offering, Rules, estimate, monthly_saving, to_json

BILL = "三个厂区的主管之间一天打几十个电话，每个月光话费报销就一万二"
MISSED = "办公室就两部电话，一天二十多个电话没人接"
TIME = "每天要花两个小时对账"
LOSS = "上个月冷库跳闸，赔了两万多"


def offer(pid, name, statements, fee="0"):
    return Offering(pid, name, tuple(statements), Decimal(fee))


def test_a_bill_saving_from_the_clients_words_less_the_products_fee():
    [c] = estimate([offer("vpmn", "集团V网", [BILL], "1500")], [BILL], None)
    assert (c.kind, c.amount, c.unit) == ("bill", Decimal("4500.00"), "元/月")
    assert c.basis == "每个月光话费报销就一万二" and c.statement == BILL
    assert "一半" in c.assumption and "¥12,000" in c.working and "¥1,500.00" in c.working
    assert monthly_saving([c]) == Decimal("4500.00")


def test_a_yearly_bill_is_taken_per_month():
    s = "一年光话费就十二万元"
    [c] = estimate([offer("vpmn", "集团V网", [s], "1000")], [s], None)
    assert c.amount == Decimal("4000.00") and "按月折算" in c.working


def test_the_profiles_current_spend_when_no_statement_names_the_bill():
    [c] = estimate([offer("vpmn", "集团V网", ["内部电话多"], "300")], ["内部电话多"], Decimal("2000"))
    assert c.amount == Decimal("700.00") and c.statement == "" and "2,000" in c.basis


def test_no_figure_no_saving():
    assert estimate([offer("vpmn", "集团V网", ["内部电话多，话费很高"], "300")], ["内部电话多，话费很高"], None) == []
    assert monthly_saving([]) is None
    # a vague bill (好几万) is no figure either
    s = "每个月光话费报销就好几万"
    assert estimate([offer("vpmn", "集团V网", [s], "300")], [s], None) == []


def test_a_saving_the_fee_would_eat_is_not_claimed():
    s = "每月话费一千"
    assert estimate([offer("vpmn", "集团V网", [s], "800")], [s], None) == []


def test_missed_calls_per_month():
    [c] = estimate([offer("mobile_switchboard", "移动总机", [MISSED])], [MISSED], None)
    assert (c.kind, c.amount, c.unit, c.basis) == ("calls", 440, "个/月", "二十多个电话")
    assert "22 个工作日" in c.working
    # calls with no "how often" give no monthly figure
    assert estimate([offer("mobile_switchboard", "移动总机", ["二十多个电话没人接"])], [], None) == []


def test_time_lost_per_month_or_per_occurrence():
    [c] = estimate([offer("mobile_scm", "移动供应链管理", [TIME])], [TIME], None)
    assert (c.amount, c.unit, c.basis) == (Decimal("44.0"), "小时/月", "每天要花两个小时")
    s = "审批要跑回公司，来回两个小时"
    [c] = estimate([offer("mobile_oa", "移动OA", [s])], [s], None)
    assert (c.amount, c.unit) == (Decimal("2.0"), "小时/次")


def test_a_loss_suffered():
    [c] = estimate([offer("video_surveillance", "千里眼", [LOSS])], [LOSS], None)
    assert (c.kind, c.amount, c.unit, c.basis) == ("loss", Decimal("20000.00"), "元/次", "赔了两万多")


def test_only_the_products_own_statements_and_rules_count():
    # the switchboard's rule needs its own statement; a product without rules claims nothing
    assert estimate([offer("mobile_switchboard", "移动总机", [TIME])], [MISSED, TIME], None) == []
    assert estimate([offer("group_private_line", "集团专线", [BILL, TIME, LOSS], "900")], [BILL], None) == []


def test_rules_are_data():
    rules = Rules.from_dict({"bill": {"x": {"share": "0.25", "assumption": "假设四分之一"}}})
    [c] = estimate([offer("x", "某产品", ["每月话费八千元"], "100")], ["每月话费八千元"], None, rules)
    assert c.amount == Decimal("1900.00") and c.assumption == "假设四分之一"
    out = to_json([c])
    assert out[0]["amount"] == "1900.00" and out[0]["unit"] == "元/月"


def test_what_is_not_time_lost_or_missed_calls():
    s = "门站要装高清摄像头，录像还要存够九十天"
    assert estimate([offer("video_surveillance", "千里眼", [s])], [s], None) == []
    s = "工地上买材料要走审批单，几个领导签一圈要一个礼拜"  # waiting, not hours of work
    assert estimate([offer("mobile_oa", "移动OA", [s])], [s], None) == []
    s = "医院总机一天上千个电话，问挂号的、问报告的，接线员就三个，好多人打不进来"
    assert estimate([offer("mobile_switchboard", "移动总机", [s])], [s], None) == []


def test_one_figure_is_claimed_once():
    claims = estimate([offer("video_surveillance", "千里眼", [LOSS]), offer("gprs_access", "GPRS企业接入", [LOSS])],
                      [LOSS], None)
    assert [(c.kind, c.product_id) for c in claims] == [("loss", "video_surveillance")]


def test_the_shipped_rules_name_products_of_the_catalog():
    from pathlib import Path

    import yaml

    from pitchcraft.quantities import default_table
    from pitchcraft.value import default_rules

    root = Path(__file__).resolve().parents[1]
    ids = {p["id"] for p in yaml.safe_load((root / "catalog" / "products.yaml").read_text(encoding="utf-8"))["products"]}
    rules = default_rules()
    named = set(rules.bill) | set(rules.calls) | set(rules.time) | set(rules.loss)
    named |= set(default_table().counted_by_product)
    assert named and named <= ids, named - ids
    assert all(assumption.startswith("假设") for _share, assumption in [*rules.bill.values(), *rules.time.values()])
    assert all(a.startswith("假设") for a in [*rules.calls.values(), *rules.loss.values()])
