"""What the client's documents present: only the links the matcher is sure of (明确).

A product whose links are all 待确认 is not pitched in the proposal or the deck: it goes to the
visit brief, with the question to ask (:attr:`Recommendation.to_confirm`). A pitched product keeps
only the statements it clearly answers; a statement with no 明确 link is listed as 待进一步沟通
(``open_needs``). A product the account manager added on purpose (``choices``) stays pitched.
The brief keeps the whole recommendation.
"""

from __future__ import annotations

from dataclasses import replace

from ..content.vocabulary import Words, fill
from ..match import Recommendation
from ..match.recommend import ProductMatch


def _kept(m: ProductMatch) -> bool:
    return any(link.confidence.clear for link in m.links) or bool(getattr(m, "chosen", False))


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
    """The pitched products with their client-facing texts in the client's words (〔场所〕 → 院区 …)."""

    def worded(m: ProductMatch) -> ProductMatch:
        p = m.product
        product = replace(p, summary=fill(p.summary, words), how_it_works=fill(p.how_it_works, words),
                          benefits=tuple(fill(b, words) for b in p.benefits),
                          faq=tuple((fill(q, words), fill(a, words)) for q, a in p.faq))
        links = [replace(link, product=product) for link in m.links]
        return replace(m, product=product, links=links)

    out = replace(rec, products=[worded(m) for m in rec.products], extensions=[worded(m) for m in rec.extensions])
    for attr in ("client_only", "withheld"):
        if hasattr(rec, attr):
            setattr(out, attr, getattr(rec, attr))
    return out
