"""Every budget statement agrees with the quote and with the others (round 9): the monthly fee is held
against the monthly budget, one-off costs are named apart with their amount, the first year against
twelve months of the budget, and each step of a staged plan states its monthly and one-off amounts.
Each test reopens what ``generate`` wrote: the proposal, the deck (slides and notes) and the brief."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, Cli, issued
from docreader import docx_paragraphs, docx_text, pptx_slides

# The freight company's ¥146,000 of one-off costs (200 vehicle units, MAS and SCM set-up) against a
# budget of ¥12,000 a month (its profile says ¥25,000; at that the first year fits since its 200
# trucks are no longer priced as ¥1,680 handhelds, round 10): written to a copy in the fixture.
FREIGHT = ROOT / "tests" / "eval" / "profiles" / "34-freight-logistics.yaml"
FREIGHT_BUDGET = "12000"
# The supermarket chain's ¥29,605 a month against ¥25,000 (its profile says ¥35,000; since round 11 the
# IP专线 for 乡镇那几家店 is no longer priced for all 30 sites but left to be confirmed): written to a copy.
MARKET = ROOT / "examples" / "chain-supermarket.yaml"
LOWERED = {FREIGHT: ("  monthly_cny: 25000\n", FREIGHT_BUDGET), MARKET: ("  monthly_cny: 35000\n", "25000")}
PROFILES = {
    "one_off": FREIGHT,
    "within": ROOT / "examples" / "county-hospital.yaml",
    "over": MARKET,
}
MONEY = r"¥([\d,]+\.\d\d)"


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, dict]:
    """Each profile: its quote (recommend --json) and the texts of what generate --brief wrote."""
    cli, out = Cli(ROOT), {}
    for key, profile in PROFILES.items():
        dest = tmp_path_factory.mktemp(key)
        if profile in LOWERED:
            (said, budget), text = LOWERED[profile], profile.read_text(encoding="utf-8")
            assert said in text
            copy = dest.parent / f"{key}-{profile.name}"
            copy.write_text(text.replace(said, f"  monthly_cny: {budget}\n"), encoding="utf-8")
            profile = copy
        profile = issued(profile)  # a client of another province: its manager names the branch
        result = cli("generate", profile, "--out", dest, "--brief")
        assert result.exit_code == 0, result.output
        folder = next(p for p in dest.iterdir() if p.is_dir())
        rec = cli("recommend", profile, "--json")
        assert rec.exit_code == 0, rec.output
        slides = pptx_slides(folder / "pitch.pptx")
        out[key] = {"quote": json.loads(rec.stdout)["quote"],
                    "proposal": [t for _s, t in docx_paragraphs(folder / "proposal.docx")],
                    "slides": slides, "notes": "\n".join(s["notes"] for s in slides),
                    "slide_text": "\n".join(s["text"] for s in slides),
                    "brief": docx_text(folder / "brief.docx")}
    return out


def figures(m: dict) -> dict[str, Decimal]:
    """The quote's totals as the proposal's 费用汇总 table states them (the figures every sentence quotes)."""
    cells = m["proposal"]
    at = len(cells) - 1 - cells[::-1].index("每月应付")
    assert cells[at + 2] == "一次性费用" and cells[at + 4].startswith("首年合计"), cells[at:at + 6]
    budget = re.match(MONEY, cells[cells.index("贵单位每月预算") + 1])[1]
    out = {"monthly_total": amount(cells[at + 1][1:]), "one_off_total": amount(cells[at + 3][1:]),
           "first_year_total": amount(cells[at + 5][1:]), "budget_monthly": amount(budget)}
    assert out["first_year_total"] == 12 * out["monthly_total"] + out["one_off_total"]
    return out


def test_the_profiles_cover_the_three_cases(made):
    """The cases this file is about: large one-off costs with the fee in budget, all in budget, over."""
    f = {k: figures(v) for k, v in made.items()}
    one_off, within, over = f["one_off"], f["within"], f["over"]
    assert one_off["monthly_total"] <= one_off["budget_monthly"]
    assert one_off["first_year_total"] > 12 * one_off["budget_monthly"] and made["one_off"]["quote"]["phasing"]
    assert within["monthly_total"] <= within["budget_monthly"] and within["one_off_total"] > 0
    assert within["first_year_total"] <= 12 * within["budget_monthly"]
    assert over["monthly_total"] > over["budget_monthly"]


def budget_sentences(text: str) -> list[str]:
    """The sentences that set the monthly fee against the budget (one per 。)."""
    return [s for s in re.split(r"(?<=。)", text) if re.search(r"月费 ¥[\d,.]+，(在|超出)贵单位每月", s)]


@pytest.mark.parametrize("key", list(PROFILES))
def test_every_budget_sentence_states_the_quotes_figures(made, key):
    f = figures(made[key])
    texts = {"proposal": "\n".join(made[key]["proposal"]), "notes": made[key]["notes"]}
    found = {where: budget_sentences(t) for where, t in texts.items()}
    assert len(found["proposal"]) == 2, found["proposal"]  # the summary and the quote chapter
    assert len(found["notes"]) == 1, found["notes"]        # the pricing slide's notes
    for s in found["proposal"] + found["notes"]:
        m = re.search(rf"月费 {MONEY}，(在|超出)贵单位每月 {MONEY} 的预算", s)
        assert amount(m[1]) == f["monthly_total"] and amount(m[3]) == f["budget_monthly"], s
        within = f["monthly_total"] <= f["budget_monthly"]
        assert (m[2] == "在") == within, s
        if not within:
            assert re.search(rf"的预算 {MONEY}", s)[1] == f"{f['monthly_total'] - f['budget_monthly']:,.2f}", s
        if f["one_off_total"]:  # one-off costs are named in the same sentence, with their amount
            assert re.search(rf"另有一次性费用 {MONEY}（其中", s)[1] == f"{f['one_off_total']:,.2f}", s
            assert "不在月费之内" in s, s
        else:
            assert "一次性" not in s, s
        year = re.search(rf"首年合计 {MONEY}，高于按每月预算折算的一年 {MONEY}", s)
        if within and f["first_year_total"] > 12 * f["budget_monthly"]:
            assert amount(year[1]) == f["first_year_total"] and amount(year[2]) == 12 * f["budget_monthly"], s
        else:
            assert year is None, s
    # the same words everywhere: the deck's notes say what the proposal says, without the cross-reference
    bare = {re.sub(r"（见[^）]*）", "", s).strip() for s in found["proposal"]}
    bare.add(re.sub(r"^.*“", "", found["notes"][0]).rstrip("”").strip())
    assert len(bare) == 1, bare


@pytest.mark.parametrize("key", list(PROFILES))
def test_nothing_says_within_and_over_for_the_same_figures(made, key):
    f = figures(made[key])
    text = "\n".join(made[key]["proposal"]) + "\n" + made[key]["notes"] + "\n" + made[key]["slide_text"]
    # nothing holds a first year, or the whole plan, against a month's budget
    assert not re.search(r"(首年|完整方案)[^。；]*(月度预算之内|超出贵单位的预算|在预算之内)", text)
    assert "的月度预算之内" not in text and "本方案在预算之内" not in text
    within = f["monthly_total"] <= f["budget_monthly"]
    said_over = re.findall(r"月费(超出|在)[^。；\n]*预算", text)
    said_over += re.findall(r"（月费(超出|在预算内)", text)
    assert said_over and all((w == "在" or w == "在预算内") == within for w in said_over), said_over


def test_the_summary_table_and_the_investment_slide_say_what_is_compared(made):
    for key, m in made.items():
        f = figures(m)
        cells = m["proposal"]
        budget = cells[cells.index("贵单位每月预算") + 1]
        # with lines to confirm, only the part counted is held against the budget, and it says so
        part = "数量待确认的产品（按单价列出，未计入以上合计）" in cells
        mark = ("（已计入部分的月费在预算内，待确认项目另计）" if part else "（月费在预算内）") \
            if f["monthly_total"] <= f["budget_monthly"] \
            else f"（{'已计入部分的月费已' if part else '月费'}超出 ¥{f['monthly_total'] - f['budget_monthly']:,.2f}）"
        assert budget == f"¥{f['budget_monthly']:,.2f}{mark}", (key, budget)
        slide = next(s for s in m["slides"] if "首年合计" in s["text"] and "含税目录价" in s["text"])
        if f["one_off_total"]:
            assert f"一次性费用 ¥{f['one_off_total']:,.2f} 另计，不在月费之内" in slide["text"], slide["text"]
        if f["monthly_total"] <= f["budget_monthly"]:
            share = f"{f['monthly_total'] / f['budget_monthly'] * 100:.1f}%"
            assert f"月费约占贵单位每月预算 ¥{f['budget_monthly']:,.2f} 的 {share}" in slide["text"]
    freight = made["one_off"]
    f = figures(freight)
    row = freight["proposal"].index("按每月预算折算的一年（首年合计高于此数）")
    assert freight["proposal"][row + 1] == f"¥{12 * f['budget_monthly']:,.2f}"
    assert not any(c.startswith("按每月预算折算的一年") for c in made["within"]["proposal"])


@pytest.mark.parametrize("key", ["one_off", "over"])
def test_each_step_states_its_monthly_and_one_off_amounts(made, key):
    q = made[key]["quote"]
    ph = q["phasing"]
    assert ph, key
    first, later = ph["phase_1"]["quote"], ph["later"]
    para = next(t for t in made[key]["proposal"] if t.startswith("完整方案首年"))
    f = figures(made[key])
    assert Decimal(q["monthly_total"]) == f["monthly_total"], "the staged plan is of the quote the proposal states"
    head = re.match(rf"完整方案首年 {MONEY}（12 个月月费 {MONEY}，加一次性费用 {MONEY}），"
                    rf"高于按贵单位每月 {MONEY} 的预算折算的一年 {MONEY}", para)
    assert head, para
    assert [amount(x) for x in head.groups()] == [f["first_year_total"], 12 * f["monthly_total"], f["one_off_total"],
                                                  f["budget_monthly"], 12 * f["budget_monthly"]]
    # the fee in budget: the text says the excess comes from the one-off costs, and only then
    assert ("月费本身在预算之内" in para) == (f["monthly_total"] <= f["budget_monthly"]), para
    step1 = re.search(rf"第一步先开通[^，]+，每月 {MONEY}，一次性 {MONEY}，首年 {MONEY}", para)
    assert [amount(x) for x in step1.groups()] == [Decimal(first["monthly_total"]), Decimal(first["one_off_total"]),
                                                   Decimal(first["first_year_total"])], para
    step2 = re.search(rf"届时每月增加约 {MONEY}，另需[^。]*一次性费用 {MONEY}", para)
    assert step2, para
    assert [amount(x) for x in step2.groups()] == [Decimal(later["monthly_total"]), Decimal(later["one_off_total"])]
    # the two steps' one-off costs are the whole plan's
    assert Decimal(first["one_off_total"]) + Decimal(later["one_off_total"]) == f["one_off_total"]
    notes = made[key]["notes"]
    assert (f"第二步，每月增加约 ¥{Decimal(later['monthly_total']):,.2f}，一次性 ¥{Decimal(later['one_off_total']):,.2f}"
            in notes), notes


def test_the_brief_tells_the_manager_to_set_fee_and_one_off_costs_apart(made):
    brief = made["one_off"]["brief"]
    assert f"月预算约 ¥{int(FREIGHT_BUDGET):,}.00" in brief
    assert "把月费和一次性费用（终端、实施等）分开讲" in brief
    assert "超出预算就用上面的分期组合" not in brief
