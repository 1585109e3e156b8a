"""The client's documents in the client's words.

Which products the proposal and the deck pitch (only 明确 links, or the manager's choice) and the
recommendation as they show it are :mod:`pitchcraft.match.pitched` (``client_view``, ``in_documents``);
here the texts they print are put in the client's words (:func:`in_client_words`), for the brief too,
and an industry shared by two clients is named so it is true of both (:func:`industry_group`,
:func:`industry_peers`).
"""

from __future__ import annotations

from dataclasses import replace

from ..content.vocabulary import Words, fill
from ..match import Recommendation
from ..match.pitched import client_view  # noqa: F401 - the compose package exports it
from ..match.recommend import ProductMatch

def in_client_words(rec: Recommendation, words: Words) -> Recommendation:
    """The recommendation with its products' client-facing texts in the client's words wherever
    they are held (products, links, statements): the catalog's texts for the client's industry
    (:meth:`~pitchcraft.model.catalog.Product.copy_for`), their placeholders filled (〔场所〕 → 院区 …).
    Used for the client documents and the brief."""
    worded_products: dict[int, object] = {}
    industry, name = rec.profile.industry, rec.profile.name

    def product_of(p):
        if id(p) not in worded_products:
            own = p.copy_for(industry, name)
            worded_products[id(p)] = replace(
                own, summary=fill(own.summary, words), how_it_works=fill(own.how_it_works, words),
                benefits=tuple(fill(b, words) for b in own.benefits),
                faq=tuple((fill(q, words), fill(a, words)) for q, a in own.faq))
        return worded_products[id(p)]

    def phrase(text):
        return fill(text, words) if text else text

    statements = [replace(sm, products=[replace(e, product=product_of(e.product), phrase=phrase(e.phrase))
                                        for e in sm.products]) for sm in rec.statements]
    by_text = {sm.statement: sm for sm in statements}

    def worded(m: ProductMatch) -> ProductMatch:
        product = product_of(m.product)
        links = [replace(link, product=product, phrase=phrase(link.phrase)) for link in m.links]
        return replace(m, product=product, links=links, options=tuple(map(product_of, m.options)),
                       statements=[by_text.get(sm.statement, sm) for sm in m.statements])

    out = replace(rec, products=[worded(m) for m in rec.products], extensions=[worded(m) for m in rec.extensions],
                  statements=statements)
    for attr in ("client_only", "withheld", "pending"):
        if hasattr(rec, attr):
            setattr(out, attr, getattr(rec, attr))
    return out

