"""Which products the client's proposal and deck pitch, and the recommendation as they show it.

Only the links the matcher is sure of (明确) reach the client: a product whose links are all 待确认
stays in the visit brief, with the question to ask; a product the account manager chose
(``choices.add``) is pitched; a product set aside as an alternative to another that answers the same
statements (:mod:`.alternatives`) is not pitched nor priced, only named as an option. Here, below the compose package, so that the command line and the web
can tell what the documents hold without loading templates (jinja2).
"""

from __future__ import annotations

from dataclasses import replace

from .recommend import ProductMatch, Recommendation


def in_documents(m: ProductMatch) -> bool:
    """Whether the proposal and the deck pitch (and price) this product: a 明确 link, or the manager
    chose it; not when it is set aside as an alternative to another (named there as an option)."""
    if getattr(m, "chosen", False):
        return True
    if getattr(m, "alternative_to", None):
        return False
    hidden = set(getattr(m, "outranked", ()))  # statements another product answers, m only rides on
    return any(link.confidence.clear and link.statement not in hidden for link in m.links)


def set_aside(m: ProductMatch) -> bool:
    """Whether ``m`` is set aside as an alternative to a pitched product (not priced, named as an option)."""
    return bool(m.alternative_to) and not in_documents(m)


def rides(m: ProductMatch) -> bool:
    """Whether ``m`` only rides on statements a better product answers and it does not do
    (:mod:`.alternatives`): not in the documents, not an option, nothing to confirm."""
    hidden = set(getattr(m, "outranked", ()))
    return (not in_documents(m) and not set_aside(m) and bool(m.links)
            and all(link.confidence.clear and link.statement in hidden for link in m.links))


def riding_line(m: ProductMatch) -> str:
    """For the manager: why a product the matcher found is left out of the documents."""
    why = next((r for r in m.reasons if r.startswith("这句话要的是")), "另一产品已回应这句话")
    return f"未写入：{m.product.name}：{why}"


# How a manager changes the choices, in the words of the command line (the profile's fields) or of the
# brief (no field names reach a reader: the web page's buttons instead).
PROFILE_WORDS = {"add": "在需求档案的 choices.add 中写上“{}”", "drop": "choices.drop 中写上“{}”",
                 "swap": "把需求档案 choices.add 中的“{}”换成“{}”"}
BRIEF_WORDS = {"add": "在需求档案中选定加入{}（网页上点它的“确认后加入建议书”）", "drop": "去掉{}（点“不推荐此产品”）",
               "swap": "在需求档案中把选定的{}换成{}"}


def alternative_line(rec: Recommendation, m: ProductMatch, words: dict = PROFILE_WORDS) -> str:
    """For the manager: which alternative was set aside, for which product and why, and how to switch."""
    pitched = next((x for x in rec.all_products if x.product.id == m.alternative_to), None)
    other = pitched.product.name if pitched is not None else m.alternative_to
    name = m.product.name
    said = f"可选方案、未报价：{name}与{other}都能做到客户要的事，"
    if pitched is not None and pitched.chosen:
        return (said + f"客户经理选定了{other}，建议书和 PPT 只推荐并报价{other}，把{name}写作可选方案；"
                f"如客户更适合{name}，{words['swap'].format(other, name)}")
    ranked = f"（{m.ranked_as}）" if getattr(m, "ranked_as", "") else ""
    return (said + f"只算客户要的那部分原话（不算客户现有的业务和铺垫的话），{other}的匹配度更高{ranked}，"
            f"建议书和 PPT 只推荐并报价{other}，把{name}写作可选方案；"
            f"如客户更适合{name}，{words['add'].format(name)}、{words['drop'].format(other)}；"
            f"两个都要时只加入{name}")


def client_view(rec: Recommendation) -> Recommendation:
    """The recommendation as the client documents show it (idempotent: a view of a view is itself)."""
    if getattr(rec, "client_only", False):
        return rec
    products = [m for m in rec.products if in_documents(m)]
    extensions = [m for m in rec.extensions if in_documents(m)]
    kept = {m.product.id for m in products + extensions}
    outranked = {(m.product.id, s) for m in products + extensions for s in getattr(m, "outranked", ())}
    statements = [replace(sm, products=[e for e in sm.products if e.product.id in kept and e.confidence.clear
                                        and (e.product.id, sm.statement) not in outranked])
                  for sm in rec.statements]
    by_text = {sm.statement: sm for sm in statements}

    def narrowed(m: ProductMatch) -> ProductMatch:
        links = [link for link in m.links if link.confidence.clear and link.statement not in m.outranked]
        clear = {link.statement for link in links}
        return replace(m, links=links, statements=[by_text.get(sm.statement, sm) for sm in m.statements
                                                   if sm.statement in clear])

    names = {m.product.id: m.product.name for m in products + extensions}
    cases = []
    for c in rec.cases:
        shared = [pid for pid in c.shared_products if pid in kept]
        if c.shared_products and not shared:
            continue  # chosen for a product the documents do not pitch
        reasons = [r for r in c.reasons if not r.startswith("用到了")]
        if shared:
            reasons.append("用到了本方案中的同样产品：" + "、".join(names[pid] for pid in shared))
        cases.append(replace(c, shared_products=shared, reasons=reasons))
    view = replace(rec, products=[narrowed(m) for m in products], extensions=[narrowed(m) for m in extensions],
                   statements=statements, cases=cases)
    view.client_only = True  # marks a view (not a dataclass field: the JSON report never sees it)
    view.withheld = [m for m in rec.products + rec.extensions if m.product.id not in kept]
    # the 待确认 links of the whole recommendation: named in 待进一步沟通 as candidates to confirm, never priced
    view.pending = rec.to_confirm
    return view
