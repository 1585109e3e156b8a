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


# What clients of an industry are, as a noun a sentence can put two of them under: 同为制造企业, not
# 同属制造业行业 (a label plus 行业 doubles the word and reads as machine-made). True of every client
# the key holds, as the groups above are: a bus company and a cold-chain carrier are 交通物流企业.
INDUSTRY_PEERS = {
    "government": "党政机关", "manufacturing": "制造企业", "finance": "金融机构", "logistics": "交通物流企业",
    "retail": "零售商贸企业", "education": "教育机构", "healthcare": "医疗卫生机构", "agriculture": "农业经营单位",
    "energy": "能源企业", "construction": "建筑与房地产企业", "hospitality": "酒店餐饮企业", "media": "新闻媒体单位",
    "it": "互联网与信息技术企业", "utilities": "公用事业单位",
}


def industry_peers(key: str) -> str:
    """The noun for clients of an industry key (see above)."""
    return INDUSTRY_PEERS[key]


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
    """A cited case whose reason names its industry in words true of both clients (:data:`INDUSTRY_PEERS`)."""
    said = (f"其他行业的参考案例，客户是{industry_peers(c.case.industry)}"
            f"（{industry_peers(client_industry)}暂无用到本方案产品的案例）"
            if c.other_industry else f"同为{industry_peers(c.case.industry)}")
    reasons = [said if r.startswith("同属") or "行业的参考案例" in r else r for r in c.reasons]
    return replace(c, reasons=reasons)
