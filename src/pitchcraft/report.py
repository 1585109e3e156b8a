"""A recommendation as the contract's JSON object, and as a readable text table for a person.

Both say which products the client's proposal and deck pitch (``in_documents``, decided by
:func:`pitchcraft.match.pitched.in_documents`) and which stay 待确认 until the manager adds them in
``choices.add``; the offer of the documents is ``pipeline.documents_quote``.
"""

from __future__ import annotations

from .match import ProductMatch, Recommendation
from .model.case import SAMPLE_MARK
from .model.display import display_width, pad
from .model.money import cny
from .model.vocab import CATEGORIES, INDUSTRY_LABELS, VAT_CLASSES
from .match.pitched import alternative_line, client_view, in_documents, rides, riding_line, set_aside
from .quote import to_json as quote_json


def _product_json(m: ProductMatch) -> dict:
    p = m.product
    return {
        "id": p.id,
        "name": p.name,
        "aliases": list(p.aliases),
        "category": p.category,
        "score": round(m.score, 2),
        "matched_needs": [sm.statement for sm in m.statements],
        "reasons": m.reasons,
        "existing": m.existing,
        "chosen": m.chosen,  # the account manager added it (profile choices)
        "confidence": m.confidence,
        "links": [_link_json(link) for link in m.links],
        "in_documents": in_documents(m),  # pitched in the proposal and deck (else 待确认, brief only)
        # set aside for the product with this id, which answers the same needs: named there as an option, not priced
        "alternative_to": m.alternative_to,
    }


def _link_json(link) -> dict:
    c = link.confidence
    out = {"statement": link.statement, "score": round(link.score, 2), "confidence": c.level,
           "evidence": list(c.evidence), "kinds": list(c.kinds), "phrase": link.phrase}
    if c.question:
        out["question"] = c.question
    return out


def to_json(rec: Recommendation, offer=None, documents_offer=None) -> dict:
    """The object of contracts/cli.md; ``existing`` marks extensions of what the client already has;
    ``quote`` is the offer for the new products (pitchcraft.quote), when one is given, and
    ``documents_quote`` the offer of the proposal and deck (only the products ``in_documents``)."""
    profile = rec.profile
    out = {
        "client": {"name": profile.name, "industry": profile.industry},
        "products": [_product_json(m) for m in rec.all_products],
        "cases": [
            {"id": c.case.id, "title": c.case.title, "industry": c.case.industry,
             "products": list(c.case.products), "score": c.score, "reasons": c.reasons,
             "other_industry": c.other_industry, "sample": c.case.sample}
            for c in rec.cases
        ],
        "unmatched_needs": rec.unmatched,
        "statements": [{"statement": sm.statement, "category": sm.category, "confidence": sm.confidence.level,
                        "score": round(sm.confidence.score, 2), "products": [e.product.id for e in sm.products]}
                       for sm in rec.statements],
    }
    if offer is not None:
        out["quote"] = quote_json(offer)
    if documents_offer is not None:
        out["documents_quote"] = quote_json(documents_offer)
    return out


TO_ADD = "确认客户需要后，在需求档案的 choices.add 中写上产品名称，重新生成即写入"


def documents_summary(rec: Recommendation) -> list[str]:
    """Which products the proposal and deck pitch, and which are 待确认 (brief only), for a person."""
    shown = [m.product.name for m in rec.all_products if in_documents(m)]
    held = [m for m in rec.all_products if not in_documents(m) and not set_aside(m) and not rides(m)]
    lines = ["写入建议书和 PPT 的产品：" + ("、".join(shown) if shown else "（无）")]
    if held:
        # a 待确认 product of a need nothing clear answers is named in the proposal's 待进一步沟通, unpriced
        view = client_view(rec)
        open_needs = set(view.open_needs) - set(rec.unmatched)
        named = [m.product.name for m in held
                 if any(not link.confidence.clear and link.statement in open_needs for link in m.links)]
        where = (f"{'、'.join(named)}在建议书“待进一步沟通”一章列为可能适用的产品、不计价"
                 if named else "只列在拜访简报中")
        lines.append("待确认、暂不写入建议书和 PPT：" + "、".join(m.product.name for m in held) + f"（{where}；{TO_ADD}）")
    lines += [alternative_line(rec, m) for m in rec.all_products if set_aside(m)]
    lines += [riding_line(m) for m in rec.all_products if rides(m)]
    return lines


def to_text(rec: Recommendation) -> str:
    """For a person at a terminal: the bundle with its reasons, the cases, what stays open."""
    p = rec.profile
    lines = [f"客户：{p.name}（{INDUSTRY_LABELS[p.industry]}"
             + (f"，{p.employees} 人" if p.employees else "") + (f"，{p.tier} 类" if p.tier else "") + "）", ""]
    lines.append(f"推荐产品（{len(rec.products)} 个）：")
    for i, m in enumerate(rec.products, 1):
        fit = "客户经理选定" if m.chosen and not m.statements else f"匹配度 {m.score:.2f}〔{m.confidence}〕"
        if set_aside(m) and m.ranked_as:  # the ranking that set it aside, beside the matcher's score
            fit += f"（只算客户要的那部分原话：{m.ranked_as}）"
        lines.append(f"  {i}. {m.product.name}〔{CATEGORIES[m.product.category]}〕 {fit} {_where(m)}")
        lines += [f"       · {r}" for r in m.reasons]
    if rec.extensions:
        lines += ["", "现有业务扩容："]
        for m in rec.extensions:
            lines.append(f"  - {m.product.name} {_where(m)}")
            lines += [f"       · {r}" for r in m.reasons]
    lines += ["", *documents_summary(rec)]
    lines += ["", "需求与产品对应（明确 / 待确认 / 无）："]
    for sm in rec.statements:
        c = sm.confidence
        answer = "、".join(e.product.name for e in sm.products) or "—"
        lines.append(f"  [{c.level}] {sm.statement} → {answer}（{c.score:.2f}）")
    if rec.to_confirm:
        lines += ["", "待与客户确认："]
        lines += [f"  - {link.product.name}：{link.question}" for link in rec.to_confirm]
    lines += ["", "参考案例："]
    if not rec.cases:
        lines.append("  （案例库中暂无相近案例）")
    for c in rec.cases:
        mark = SAMPLE_MARK if c.case.sample else ""
        lines.append(f"  - {c.case.title}{mark}（{c.case.client_label}）：" + "；".join(c.reasons))
    lines += ["", "暂无产品对应的需求："]
    lines += [f"  - {s}" for s in rec.unmatched] or ["  （无）"]
    if rec.unknown_current:
        lines += ["", "注意：现有业务中以下名称在产品目录中找不到：" + "、".join(rec.unknown_current)]
    return "\n".join(lines)


def _where(m: ProductMatch) -> str:
    if set_aside(m):
        return "→ 可选方案，写在建议书和 PPT 中但不报价"
    if rides(m):
        return "→ 不写入建议书和 PPT（这句话由另一产品回应）"
    return "→ 写入建议书和 PPT" if in_documents(m) else "→ 待确认，暂不写入建议书和 PPT"


def quote_text(offer) -> str:
    """The offer for a person: lines, discounts, totals, and what needs approval (internal)."""

    if not offer.lines:
        return "推荐的产品没有可报价的资费项目。"
    rows = [("产品", "资费项目", "数量", "单价", "月费", "一次性")]
    for ln in offer.lines:
        if ln.to_confirm:  # priced per unit, outside the totals
            rows.append((ln.name, ln.item, f"待确认（{ln.basis}）", cny(ln.unit_price), "", ""))
            continue
        rows.append((ln.name, ln.item, f"{ln.quantity}（{ln.basis}）", cny(ln.unit_price),
                     cny(ln.monthly) if ln.billing == "monthly" else "", cny(ln.one_off) if ln.billing == "one_off" else ""))
    widths = [max(display_width(r[i]) for r in rows) for i in range(6)]
    lines = ["  ".join(pad(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append("")
    lines.append(f"月费合计（标准价）：{cny(offer.gross_monthly)}")
    lines += [f"{d.label}（{d.rate:.0%}）：{cny(d.monthly)}" + ("（受最低价限制，未足额）" if d.capped else "")
              for d in offer.discounts]
    lines.append(f"每月应付：{cny(offer.monthly_total)}    一次性：{cny(offer.one_off_total)}    "
                 f"首年合计：{cny(offer.first_year_total)}")
    lines.append("其中税额：" + "，".join(f"{VAT_CLASSES[k]} {cny(v)}" for k, v in offer.tax.items() if v))
    if offer.budget is not None:
        lines.append(f"月度预算：{cny(offer.budget)}，" + ("月费在预算内" if offer.within_budget
                                                        else f"月费超出 {cny(offer.monthly_total - offer.budget)}")
                     + ("" if offer.first_year_within_budget
                        else f"；首年合计高于按每月预算折算的一年 {cny(offer.year_budget)}")
                     + ("（只含已计入部分；数量待确认的项目按单价另计，确认后再对照预算）" if offer.to_confirm else ""))
    if offer.current_spend is not None:
        lines.append(f"目前每月支出：{cny(offer.current_spend)}")
    for a in offer.alternatives:
        lines.append(f"可选：{a.label}：{'、'.join(a.product_names)}，每月 {cny(a.monthly_total)}，"
                     f"首年 {cny(a.first_year_total)}，解决 {a.covered} 条需求")
    ph = offer.phasing
    if ph is not None:
        names = {ln.product_id: ln.name for ln in offer.lines}
        lines.append(f"分步建议：{ph.reason}")
        lines.append(f"  第一步：{'、'.join(names.get(p, p) for p in ph.phase_1)}，每月 {cny(ph.phase_1_quote.monthly_total)}，"
                     f"一次性 {cny(ph.phase_1_quote.one_off_total)}，首年 {cny(ph.phase_1_quote.first_year_total)}")
        lines.append(f"  下一步：{'、'.join(names.get(p, p) for p in ph.later)}，每月 {cny(ph.later_quote.monthly_total)}，"
                     f"一次性 {cny(ph.later_quote.one_off_total)}，首年 {cny(ph.later_quote.first_year_total)}")
    for c in offer.value:
        lines.append(f"价值估算（{c.product_name}）：按客户所说“{c.basis}”，{c.working}；{c.assumption}"
                     if c.statement else f"价值估算（{c.product_name}）：{c.basis}，{c.working}；{c.assumption}")
    for a in offer.needs_approval:
        lines.append(f"【内部·需审批】{a.reason}；已计入 {a.granted:.0%}，其余未计入报价")
    lines += [f"注：{n}" for n in offer.notes]
    return "\n".join(lines)


def offers_text(rec: Recommendation, documents_offer, full_offer) -> str:
    """``pitchcraft quote`` for a person: the offer exactly as the proposal and deck show it, then what
    confirming the 待确认 products would add (the whole bundle priced again: discounts may change)."""
    held = [m.product for m in rec.products if not in_documents(m) and not set_aside(m) and not rides(m)]
    lines = ["建议书和 PPT 中的报价（与生成的 Word、PPT 一致）：", quote_text(documents_offer)]
    aside = [m for m in rec.products if set_aside(m)]
    if aside:
        lines += ["", *(alternative_line(rec, m) for m in aside)]
    if not held:
        return "\n".join(lines)
    names = "、".join(p.name for p in held)
    lines += ["", f"待确认的产品（不在建议书和 PPT 中，也没有计入上面的报价）：{names}"]
    ids = {p.id for p in held}
    extra = [ln for ln in full_offer.lines if ln.product_id in ids]
    for ln in extra:
        amount = f"月费 {cny(ln.monthly)}" if ln.billing == "monthly" else f"一次性 {cny(ln.one_off)}"
        if ln.to_confirm:
            amount = "未计入"
        lines.append(f"  {ln.name}：{ln.item} {'待确认' if ln.to_confirm else ln.quantity}（{ln.basis}）× "
                     f"{cny(ln.unit_price)}，{amount}")
    if not extra:
        lines.append("  这些产品没有可报价的资费项目")

    def more(total, base) -> str:
        return f"{cny(total)}（增加 {cny(total - base)}）"

    lines.append(f"如全部确认并写入（{TO_ADD}）："
                 f"每月应付 {more(full_offer.monthly_total, documents_offer.monthly_total)}，"
                 f"一次性 {more(full_offer.one_off_total, documents_offer.one_off_total)}，"
                 f"首年合计 {more(full_offer.first_year_total, documents_offer.first_year_total)}")
    return "\n".join(lines)
