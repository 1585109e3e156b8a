"""What the client's documents present: only the links the matcher is sure of (明确).

A product whose links are all 待确认 is not pitched in the proposal or the deck: it goes to the
visit brief, with the question to ask (:attr:`Recommendation.to_confirm`). A pitched product keeps
only the statements it clearly answers; a statement with no 明确 link is listed as 待进一步沟通
(``open_needs``). A product the account manager added on purpose (``choices``) stays pitched.
The brief keeps the whole recommendation, in the client's words too (:func:`in_client_words`).

:func:`in_documents` is the one test of whether a product is in the client's documents: the
pipeline prices the documents' offer with it (``pipeline.documents_quote``), and the command
line and the web mark each product with it.
"""

from __future__ import annotations

from dataclasses import replace

from ..content.vocabulary import Words, fill
from ..match import Recommendation
from ..match.recommend import ProductMatch
from ..model.vocab import INDUSTRY_LABELS

# The name covering every kind of client an industry key holds, for a sentence that puts two
# clients in one industry (同属…行业) or names a cited case's industry: a city bus company and a
# cold-chain carrier are both logistics (物流, 交通运输), but only 交通物流 is true of both.
# Industries whose label already covers all their clients keep it.
INDUSTRY_GROUPS = {"logistics": "交通物流", "hospitality": "酒店餐饮", "construction": "建筑与房地产",
                   "it": "互联网与信息技术"}


def industry_group(key: str) -> str:
    """What a client document calls an industry when it is not only the client's own (see above)."""
    return INDUSTRY_GROUPS.get(key) or INDUSTRY_LABELS[key]


def in_documents(m: ProductMatch) -> bool:
    """Whether the proposal and the deck pitch this product: a 明确 link, or the manager chose it."""
    return any(link.confidence.clear for link in m.links) or bool(getattr(m, "chosen", False))


_kept = in_documents


def client_view(rec: Recommendation) -> Recommendation:
    """The recommendation as the client documents show it (idempotent: a view of a view is itself)."""
    if getattr(rec, "client_only", False):
        return rec
    products = [m for m in rec.products if _kept(m)]
    extensions = [m for m in rec.extensions if _kept(m)]
    kept = {m.product.id for m in products + extensions}
    statements = [replace(sm, products=[e for e in sm.products if e.product.id in kept and e.confidence.clear])
                  for sm in rec.statements]
    by_text = {sm.statement: sm for sm in statements}

    def narrowed(m: ProductMatch) -> ProductMatch:
        links = [link for link in m.links if link.confidence.clear]
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
    return view


def in_client_words(rec: Recommendation, words: Words) -> Recommendation:
    """The recommendation with its products' client-facing texts in the client's words (〔场所〕 → 院区 …)
    wherever they are held (products, links, statements), and its cases' industry named so that it
    is true of both clients (:func:`industry_group`). Used for the client documents and the brief."""
    worded_products: dict[int, object] = {}

    def product_of(p):
        if id(p) not in worded_products:
            worded_products[id(p)] = replace(
                p, summary=fill(p.summary, words), how_it_works=fill(p.how_it_works, words),
                benefits=tuple(fill(b, words) for b in p.benefits),
                faq=tuple((fill(q, words), fill(a, words)) for q, a in p.faq))
        return worded_products[id(p)]

    def phrase(text):
        return fill(text, words) if text else text

    statements = [replace(sm, products=[replace(e, product=product_of(e.product), phrase=phrase(e.phrase))
                                        for e in sm.products]) for sm in rec.statements]
    by_text = {sm.statement: sm for sm in statements}

    def worded(m: ProductMatch) -> ProductMatch:
        product = product_of(m.product)
        links = [replace(link, product=product, phrase=phrase(link.phrase)) for link in m.links]
        return replace(m, product=product, links=links,
                       statements=[by_text.get(sm.statement, sm) for sm in m.statements])

    out = replace(rec, products=[worded(m) for m in rec.products], extensions=[worded(m) for m in rec.extensions],
                  statements=statements, cases=[_case_in_words(c, rec.profile.industry) for c in rec.cases])
    for attr in ("client_only", "withheld"):
        if hasattr(rec, attr):
            setattr(out, attr, getattr(rec, attr))
    return out


def _case_in_words(c, client_industry: str):
    """A cited case whose reason names its industry as :func:`industry_group` does."""
    own = industry_group(c.case.industry)
    said = (f"{own}行业的参考案例（{industry_group(client_industry)}行业暂无用到本方案产品的案例）"
            if c.other_industry else f"同属{own}行业")
    reasons = [said if r.startswith("同属") or "行业的参考案例" in r else r for r in c.reasons]
    return replace(c, reasons=reasons)
