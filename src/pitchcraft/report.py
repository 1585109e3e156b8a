"""A recommendation as the contract's JSON object, and as a readable text table for a person."""

from __future__ import annotations

from .match import Recommendation, ProductMatch
from .schema import CATEGORIES, INDUSTRY_LABELS


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
    }


def to_json(rec: Recommendation) -> dict:
    """The object of contracts/cli.md; ``existing`` marks extensions of what the client already has."""
    profile = rec.profile
    return {
        "client": {"name": profile.name, "industry": profile.industry},
        "products": [_product_json(m) for m in rec.all_products],
        "cases": [
            {"id": c.case.id, "title": c.case.title, "industry": c.case.industry,
             "products": list(c.case.products), "score": c.score, "reasons": c.reasons}
            for c in rec.cases
        ],
        "unmatched_needs": rec.unmatched,
    }


def to_text(rec: Recommendation) -> str:
    """For a person at a terminal: the bundle with its reasons, the cases, what stays open."""
    p = rec.profile
    lines = [f"客户：{p.name}（{INDUSTRY_LABELS[p.industry]}"
             + (f"，{p.employees} 人" if p.employees else "") + (f"，{p.tier} 类" if p.tier else "") + "）", ""]
    lines.append(f"推荐产品（{len(rec.products)} 个）：")
    for i, m in enumerate(rec.products, 1):
        lines.append(f"  {i}. {m.product.name}〔{CATEGORIES[m.product.category]}〕 匹配度 {m.score:.2f}")
        lines += [f"       · {r}" for r in m.reasons]
    if rec.extensions:
        lines += ["", "现有业务扩容："]
        for m in rec.extensions:
            lines.append(f"  - {m.product.name}")
            lines += [f"       · {r}" for r in m.reasons]
    lines += ["", "参考案例："]
    if not rec.cases:
        lines.append("  （案例库中暂无相近案例）")
    for c in rec.cases:
        lines.append(f"  - {c.case.title}（{c.case.client_label}）：" + "；".join(c.reasons))
    lines += ["", "暂无产品对应的需求："]
    lines += [f"  - {s}" for s in rec.unmatched] or ["  （无）"]
    if rec.unknown_current:
        lines += ["", "注意：现有业务中以下名称在产品目录中找不到：" + "、".join(rec.unknown_current)]
    return "\n".join(lines)
