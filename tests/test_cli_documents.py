"""The command line quotes what the client's documents show: ``pitchcraft quote`` prints the offer
of the proposal (only the products it pitches) and, apart, what confirming the 待确认 products would
add; ``recommend`` says which products go into the proposal and PPT. JSON keeps the contract's
fields and adds ``in_documents`` and ``documents_quote``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from docreader import docx_text, pptx_slides

TRIAL = Path(__file__).resolve().parent / "fixtures" / "cold-chain-trial.yaml"  # has 明确 and 待确认 products
HELD = ("行业终端", "移动OA", "集团专线", "移动总机", "企信通")   # 待确认 for this profile
SHOWN = ("千里眼", "GPRS企业接入", "云视讯", "集团V网")           # 明确, chosen, or an extension


def _word(cli, tmp_path: Path) -> tuple[str, str]:
    profile = tmp_path / "trial.yaml"
    shutil.copy(TRIAL, profile)
    result = cli("generate", profile, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    folder = next((tmp_path / "out").iterdir())
    deck = "\n".join(s["text"] for s in pptx_slides(folder / "pitch.pptx"))
    return docx_text(folder / "proposal.docx"), deck


def _word_total(text: str, label: str) -> str:
    m = re.search(re.escape(label) + r"\n(¥[\d,]+\.\d\d)", text)
    assert m, label
    return m.group(1)


def test_quote_prints_the_words_offer_then_what_confirming_adds(cli, tmp_path):
    proposal, deck = _word(cli, tmp_path)
    result = cli("quote", TRIAL)
    assert result.exit_code == 0, result.output
    out = result.output
    documents, _, extra = out.partition("待确认的产品")
    assert extra, out
    monthly = re.search(r"每月应付：(¥[\d,]+\.\d\d)", documents).group(1)
    first_year = re.search(r"首年合计：(¥[\d,]+\.\d\d)", documents).group(1)
    assert monthly == _word_total(proposal, "每月应付")
    assert first_year == _word_total(proposal, "首年合计（12 个月月费 + 一次性费用）")
    assert first_year in deck  # the deck's investment slide
    for name in HELD:
        assert name not in documents.split("\n", 2)[2].split("月费合计")[0]  # not a line of the documents' offer
        assert name in extra
    assert "不在建议书和 PPT 中" in extra and "choices.add" in extra and "增加 ¥" in extra


def test_quote_json_keeps_the_contract_and_adds_the_documents_quote(cli, tmp_path):
    proposal, _deck = _word(cli, tmp_path)
    data = json.loads(cli("quote", TRIAL, "--json").stdout)
    assert {"currency", "lines", "discounts", "monthly_total", "one_off_total", "first_year_total",
            "needs_approval"} <= set(data)
    assert {ln["name"] for ln in data["lines"]} >= set(HELD)  # the contract's quote: every product
    docs = data["documents_quote"]
    assert not {ln["name"] for ln in docs["lines"]} & set(HELD)
    assert "¥" + f"{float(docs['monthly_total']):,.2f}" == _word_total(proposal, "每月应付")
    rec = json.loads(cli("recommend", TRIAL, "--json").stdout)
    assert rec["quote"] == {k: v for k, v in data.items() if k != "documents_quote"}
    assert rec["documents_quote"] == docs
    flags = {p["name"]: p["in_documents"] for p in rec["products"]}
    assert all(not flags[n] for n in HELD) and all(flags[n] for n in SHOWN)


def test_recommend_says_which_products_go_into_the_documents(cli):
    out = cli("recommend", TRIAL).output
    for line in out.splitlines():
        for name in HELD:
            if re.match(rf"\s+\d+\. {re.escape(name)}〔", line):
                assert line.endswith("→ 待确认，暂不写入建议书和 PPT"), line
        for name in SHOWN:
            if re.match(rf"\s+(\d+\.|-) {re.escape(name)}[〔 ]", line):
                assert line.endswith("→ 写入建议书和 PPT"), line
    summary = next(ln for ln in out.splitlines() if ln.startswith("写入建议书和 PPT 的产品："))
    assert all(n in summary for n in SHOWN) and not any(n in summary for n in HELD)
    held = next(ln for ln in out.splitlines() if ln.startswith("待确认、暂不写入建议书和 PPT："))
    assert all(n in held for n in HELD) and "choices.add" in held


def test_the_clients_word_says_the_manager_set_a_quantity_in_words_for_the_client(cli, tmp_path):
    proposal, _deck = _word(cli, tmp_path)  # choices.quantities: 千里眼: 20
    assert "联网摄像头\n依据：客户经理核定\n20\n" in proposal
    assert "客户经理指定" not in proposal
    out = cli("quote", TRIAL).stdout
    assert "20（客户经理指定）" in out  # the manager's own wording stays where the manager reads it


def test_a_loss_the_client_named_is_quoted_whole_with_its_amount(cli, tmp_path):
    # “上个月坏了一车货赔了八万”: 一车 is a truckload, not ¥1; the quote is the client's whole clause
    proposal, _deck = _word(cli, tmp_path)
    assert "贵单位提到“上个月坏了一车货赔了八万”。如能避免同类情况，每次可少一笔约 ¥80,000.00 的损失" in proposal
    assert "月坏了一”" not in proposal and "¥1.00 的损失" not in proposal
