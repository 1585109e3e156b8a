"""The variables the Jinja2 section texts and speaker notes see: plain data, client text included.

Client text only ever arrives here as values; it is never compiled as a template.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

from ..content.vocabulary import fill, load_vocabulary
from ..match import Recommendation
from ..workspace import packaged_templates
from ..match.recommend import ProductMatch, StatementMatch
from ..quote import effective, items_for
from .headline import lead_clause, message
from ..model.catalog import TariffItem
from ..model.vocab import ATTITUDES, BILLING, CATEGORIES, INFORMATIZATION, ROLES, SIZES, UNITS
from ..model.display import clauses
from ..model.money import cny
from ..value import monthly_saving
from ..model.vocab import industry_group, industry_peers

def cn_date(d: dt.date) -> str:
    """A date as a reader sees it, always with its year: 2026年12月1日."""
    return f"{d.year}年{d.month}月{d.day}日"


def plan_start(visit: dt.date | None, today: dt.date) -> dt.date:
    """The plan starts at the visit, or on the document's date when the visit is past or not
    known: a plan never starts behind its own cover date."""
    return max(visit or today, today)


def money(amount) -> str:
    """An amount as the documents write it; the one format is :func:`pitchcraft.model.money.cny`."""
    return cny(amount)


def tariff_rows(items: tuple[TariffItem, ...]) -> list[tuple[str, ...]]:
    return [(i.name, money(i.price), UNITS[i.unit], BILLING[i.billing]) for i in items]


def _product_ctx(m: ProductMatch) -> dict:
    p = m.product
    return {
        "id": p.id, "name": p.name, "category": CATEGORIES[p.category], "summary": p.summary,
        "how_it_works": p.how_it_works, "benefits": list(p.benefits), "tariff": p.tariff_summary,
        "needs": [sm.statement for sm in m.statements], "existing": m.existing,
        "informatization": INFORMATIZATION[p.informatization],
    }


def _one_off_said(amount) -> str:
    # "一次性 ¥0.00" reads as a figure left blank: a sentence says there is none
    return f"一次性 {cny(amount)}" if amount else "无一次性费用"


def quote_ctx(q) -> dict:
    """The offer's figures as the texts quote them (strings, ¥ formatted)."""

    saving = None
    if q.current_spend is not None:
        saving = q.current_spend - q.monthly_total
    return {
        "monthly": cny(q.monthly_total), "one_off": cny(q.one_off_total), "first_year": cny(q.first_year_total),
        "one_off_said": _one_off_said(q.one_off_total),
        "annual": cny(q.annual_total), "gross_monthly": cny(q.gross_monthly),
        "discount": cny(-sum((d.monthly for d in q.discounts), Decimal(0))),
        "has_discount": bool(q.discounts),
        # each discount as the summary table labels it (总机V网组合（8%）、商务优惠（5%）): one name everywhere
        "discount_labels": [f"{d.label}（{d.rate:.0%}）" for d in q.discounts],
        "budget": None if q.budget is None else cny(q.budget),
        "within_budget": q.within_budget,
        "over_budget": None if q.budget is None or q.within_budget else cny(q.monthly_total - q.budget),
        "budget_fit": budget_fit(q),
        "current_spend": None if q.current_spend is None else cny(q.current_spend),
        "saving": None if saving is None else cny(abs(saving)),
        "saves": saving is not None and saving > 0,
        # products with a quantity the client is to confirm: priced per unit, not in the figures above
        "to_confirm": list(dict.fromkeys(ln.name for ln in q.to_confirm)),
        "alternatives": [{"label": a.label, "products": a.product_names, "monthly": cny(a.monthly_total),
                          "first_year": cny(a.first_year_total), "covered": a.covered} for a in q.alternatives],
        **offer_extras(q),
    }


def one_off_parts(parts: list[tuple[str, Decimal]], shown: int = 3) -> str | None:
    """What a one-off total is made of, largest first: 一次性费用 ¥346,000.00（其中行业终端 ¥336,000.00、…）,
    or MAS的一次性费用 ¥2,000.00 when one product has it all; None when there is none."""
    if not parts:
        return None
    if len(parts) == 1:
        return f"{parts[0][0]}的一次性费用 {cny(parts[0][1])}"
    total = sum((amount for _n, amount in parts), Decimal(0))
    said = "、".join(f"{name} {cny(amount)}" for name, amount in parts[:shown])
    return f"一次性费用 {cny(total)}（其中{said}{' 等' if len(parts) > shown else ''}）"


def budget_fit(q) -> dict | None:
    """The budget comparison every text states alike: the monthly fee against the monthly budget,
    the one-off costs named apart, and the first year against twelve months of the budget."""
    if q.budget is None:
        return None
    over = q.monthly_total - q.budget
    return {
        "budget": cny(q.budget), "monthly": cny(q.monthly_total), "monthly_within": over <= 0,
        "monthly_over": cny(over) if over > 0 else None,
        "share": f"{q.monthly_total / q.budget * 100:.1f}%" if q.budget else None,
        "one_off": cny(q.one_off_total) if q.one_off_total else None,
        "one_off_said": one_off_parts(q.one_off_by_product()),
        "first_year": cny(q.first_year_total), "year_budget": cny(q.year_budget),
        "first_year_within": q.first_year_within_budget,
        # products with a quantity to be confirmed: outside every figure above, so no sentence may
        # hold the fee against the budget as if it were the whole price (已计入部分 …；待确认项目另计)
        "pending": list(dict.fromkeys(ln.name for ln in q.to_confirm)),
        # what the texts offer when it does not fit: the staged plan, else the essential bundle
        "remedy": "phasing" if q.phasing is not None and not (over <= 0 and q.first_year_within_budget)
        else "essential" if over > 0 and q.alternatives else None,
    }


def _words(rec: Recommendation, words):
    if words is None:  # a caller without a workspace: the packaged vocabulary
        words = load_vocabulary([packaged_templates()]).words_for(rec.profile.industry, rec.profile.name)
    return words


# A clause that says what goes wrong (slow, lost, missed, too dear...), and one that asks or
# addresses us: a need's heading names the first, never the second.
_TROUBLE = re.compile(r"(?<!有)没(有|人|个?准)|不够|不到|不上|不通|不准|不清|不及时|不方便|不稳|卡|慢|漏|难|麻烦|吵|投诉|乱|丢|断"
                      r"|差|太贵|太多|太高|老是|经常|总是|占线|掉线|听不|看不|找不|打不|对不上|跟不上|忙不过来|费时|浪费|出错|错"
                      r"|花钱|扯皮|自己出|自己贴|自己先垫|话费.{0,8}[万千]|不知道")
_ASKING = re.compile(r"能不能|能否|可不可以|有没有|想|希望|要是能|最好|需要|你们|帮")
# The client's own wish (想让…, 希望…), as against a request to us (你们…, 帮…): it may complete a
# first clause that only sets the scene ("客人打电话来等接通的时候，想让他听听我们的招牌菜"), which
# alone would leave the heading hanging.
_WISH = re.compile(r"^(想|希望|最好|要是能)")
_TO_US = re.compile(r"你们|帮")
_BUT = re.compile(r"^(但是|可是|不过|而且|但|可)")


def need_title(statement: str, limit: int = 24, joined: int = 28) -> str:
    """A need's heading, in the client's words: their first clause, and after a colon the clause
    saying what goes wrong when the first only sets the scene ("客服就四个人：一到双十一电话根本打不进来"),
    or, when nothing goes wrong in it, their wish that follows ("检验报告出来了，想让系统自动发短信…")."""
    parts = clauses(statement)
    first = parts[0] if parts else ""
    if not 4 <= len(first) <= limit:
        return statement[:limit].rstrip() + ("……" if len(statement) > limit else "")
    if not _TROUBLE.search(first) and not _ASKING.search(first):
        trouble = next((c for c in parts[1:] if _TROUBLE.search(c) and not _ASKING.search(c)), None)
        trouble = trouble and _BUT.sub("", trouble)
        if trouble and len(trouble) >= 4 and len(first) + 1 + len(trouble) <= joined:
            return f"{first}：{trouble}"
        wish = parts[1] if len(parts) > 1 else ""
        if _WISH.search(wish) and not _TO_US.search(wish) and len(first) + 1 + len(wish) <= joined:
            return f"{first}，{wish}"
    return first


def said(rec: Recommendation, limit: int = 3) -> list[str]:
    """What the client said, for the background: the first statement of each need area, in order."""
    out, areas = [], set()
    for cat, s in rec.profile.statements():
        if cat not in areas:
            areas.add(cat)
            out.append(s)
    return out[:limit]


def open_needs_ctx(rec: Recommendation, words=None, offer=None, today: dt.date | None = None) -> list[dict]:
    """The statements no 明确 link answers, verbatim; ``outside``: nothing in the catalog is near
    (not a telecom matter), else a product may fit once the client has told us more.

    ``candidates``: the products the matcher links to the statement as 待确认 (the view's ``pending``,
    :func:`pitchcraft.match.pitched.client_view`), surest first, at most the two it keeps per statement,
    each with what the catalog says it does for these words (:func:`.headline.message`, in the client's
    words), whether the proposal already has it for another need (``in_plan``, ``in_quote``) and, when
    the quote does not hold it, its list prices (outside every total). What to confirm first is the
    template's table (templates/proposal/open_needs.j2), by product id, in the client's words: the
    matcher's questions are the brief's, in no particular industry's words."""
    unmatched = set(rec.unmatched)
    pending = candidate_links(rec)
    planned = {m.product.id for m in rec.all_products}
    quoted = {ln.product_id for ln in offer.lines} if offer is not None else set()
    on = offer.date if offer is not None else today
    out = []
    for s in rec.open_needs:
        links = pending.get(s, [])
        candidates = [_candidate_ctx(link, rec, words, planned, quoted, on) for link in links]
        out.append({"statement": s, "title": need_title(s), "outside": s in unmatched, "candidates": candidates})
    return out


def candidate_links(rec: Recommendation) -> dict[str, list]:
    """Open statement -> its 待确认 links (the view's ``pending``), surest first, one per product, at
    most two (the matcher keeps no more per statement); none for a statement nothing is near."""
    open_needs, unmatched = set(rec.open_needs), set(rec.unmatched)
    out: dict[str, list] = {}
    for link in sorted(getattr(rec, "pending", ()), key=lambda link: -link.score):
        if link.statement not in open_needs or link.statement in unmatched:
            continue
        same = out.setdefault(link.statement, [])
        if len(same) < 2 and all(x.product.id != link.product.id for x in same):
            same.append(link)
    return out


_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")


def _bigrams(text: str) -> set[str]:
    return {run[i:i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}


def _candidate_ctx(link, rec: Recommendation, words, planned: set[str], quoted: set[str],
                   on: dt.date | None) -> dict:
    """One 待确认 product for an open need, as 待进一步沟通 names it: the catalog's own words only."""
    p = link.product.copy_for(rec.profile.industry, rec.profile.name)
    if words is not None:
        p = replace(p, summary=fill(p.summary, words), benefits=tuple(fill(b, words) for b in p.benefits))
    probe = ProductMatch(p, link.score, [StatementMatch(link.statement, link.category)], [])
    prices = []
    if p.id not in quoted:
        for item, _said in items_for(p, (link.statement,)):
            if on is None or effective(item, on):
                prices.append({"name": item.name, "price": cny(item.price), "unit": UNITS[item.unit],
                               "monthly": item.billing == "monthly", "tiered": bool(item.tiers)})
    benefit = message(probe)
    # the benefit nearest the client's words when it shares any with them; else what the product is
    # (its summary's lead), true whatever the statement: a benefit picked only for being the catalog's
    # first would claim something this client did not ask about
    does = benefit if benefit and _bigrams(benefit) & _bigrams(link.statement) else lead_clause(p.summary)
    return {"id": p.id, "name": p.name, "does": does,
            "in_plan": p.id in planned, "in_quote": p.id in quoted, "prices": prices}


def offer_extras(q) -> dict:
    """Phasing and value for the texts (pitchcraft.quote.Phasing, pitchcraft.value.Claim): data only."""
    names = {ln.product_id: ln.name for ln in q.lines}
    ph = q.phasing
    phasing = None if ph is None else {
        "reason": ph.reason, "basis": ph.basis, "limit": cny(ph.limit_monthly),
        "phase_1": [names.get(pid, pid) for pid in ph.phase_1], "later": [names.get(pid, pid) for pid in ph.later],
        "phase_1_monthly": cny(ph.phase_1_quote.monthly_total), "phase_1_one_off": cny(ph.phase_1_quote.one_off_total),
        "phase_1_first_year": cny(ph.phase_1_quote.first_year_total),
        "phase_1_one_off_said": _one_off_said(ph.phase_1_quote.one_off_total),
        "later_monthly": cny(ph.later_quote.monthly_total), "later_first_year": cny(ph.later_quote.first_year_total),
        "later_one_off": cny(ph.later_quote.one_off_total), "later_one_off_said": _one_off_said(ph.later_quote.one_off_total),
        "later_one_off_parts": one_off_parts(ph.later_quote.one_off_by_product()),
        "full_one_off_said": one_off_parts(q.one_off_by_product()),
        "full_monthly": cny(ph.full_monthly), "full_annual": cny(12 * ph.full_monthly),
        "full_one_off": cny(ph.full_first_year - 12 * ph.full_monthly),
        "full_first_year": cny(ph.full_first_year),
    }
    saving = monthly_saving(q.value)
    value = [{"kind": c.kind, "product": c.product_name, "unit": c.unit, "basis": c.basis, "statement": c.statement,
              "assumption": c.assumption, "working": c.working, "approximate": c.approximate,
              "amount": cny(c.amount) if c.unit.startswith("元") else f"{c.amount.normalize():f}"}
             for c in q.value]
    return {"phasing": phasing, "value": value, "value_saving": None if saving is None else cny(saving),
            "value_saving_annual": None if saving is None else cny(12 * saving)}


def context(rec: Recommendation, today: dt.date, quote=None, issuer=None, words=None) -> dict:
    """``issuer`` is the :class:`~pitchcraft.model.company.Issuer` of the documents (``issuer`` and
    ``manager`` in the templates); dates all carry their year."""
    p = rec.profile
    words = _words(rec, words)
    by_cat: dict[str, list[str]] = {}
    for cat, s in p.statements():
        by_cat.setdefault(cat, []).append(s)
    visit = p.visit_date or today
    who = issuer.as_context() if issuer is not None else {"issuer": None, "manager": None}
    return {
        **who,
        "date": cn_date(today),
        "visit_date": cn_date(visit),
        "visit_known": p.visit_date is not None,
        "visit_past": visit < today,
        "plan_start": cn_date(plan_start(p.visit_date, today)),
        "client": {
            "name": p.name, "industry": industry_group(p.industry), "peers": industry_peers(p.industry),
            "employees": p.employees,
            "sites": p.sites, "tier": p.tier, "region": p.region, "size": SIZES[p.size] if p.size else None,
            "current": [x.name for x in rec.current_products] + rec.unknown_current,
            "competitor": p.competitor,
        },
        "needs": [{"key": k, "label": CATEGORIES.get(k, "其他需求"), "statements": v} for k, v in by_cat.items()],
        "products": [_product_ctx(m) for m in rec.products],
        "extensions": [_product_ctx(m) for m in rec.extensions],
        "categories": _categories_ctx(rec),
        "cases": [{"title": c.case.title, "client": c.case.client_label, "results": list(c.case.results),
                   "industry": industry_group(c.case.industry), "other_industry": c.other_industry,
                   "sample": c.case.sample} for c in rec.cases],
        "unmatched": rec.unmatched,
        "contacts": [{"name": c.name, "title": c.title or "", "role": ROLES.get(c.role or "", ""),
                      "attitude": ATTITUDES.get(c.attitude or "", "")} for c in p.contacts],
        "statement_count": len(p.statements()),
        "matched_count": len(p.statements()) - len(rec.open_needs),
        "words": words.as_dict(),
        "said": said(rec),
        "open_needs": open_needs_ctx(rec, words, quote, today),
        "quote": quote_ctx(quote) if quote is not None and quote.lines else None,
    }


def category_rows(rec: Recommendation) -> list[tuple[str, list[str]]]:
    """Need area -> the bundle's products in it, in the fixed order of the four areas."""
    rows = []
    for key, label in CATEGORIES.items():
        names = [m.product.name for m in rec.all_products if m.product.category == key]
        if names:
            rows.append((label, names))
    return rows


def _categories_ctx(rec: Recommendation) -> list[dict]:
    return [{"label": label, "products": names} for label, names in category_rows(rec)]


