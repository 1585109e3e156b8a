"""One product per need: of two products that answer the same statements in the same way, the
documents pitch and price one and name the other as an option.

A client reading a quote that charges for two ways of doing one thing (集团专线 and IP专线 for “门店要
连总部”) cannot accept it. A new product B is *set aside* as an alternative to a product A when every
statement B answers clearly, A answers too (clearly, or A was chosen by the manager), in the same
category of product and from the same kinds of need, and A ranks above B there. B then answers
nothing A does not: a product that answers a need of its own is never set aside, and one that
answers a statement from another kind of need (手机邮箱 for 手机上收不到邮件 beside 企业邮箱 for
邮箱容量) is a second answer, not an alternative.

A product that is the best answer to any statement of its own, even one still 待确认, is not set aside;
when it is pitched for a clear need of its own, the documents show it there only, not as a second,
lower-ranked answer to a statement another pitched product answers alike (``outranked``: 千里眼 for 观景台
直播, not beside GPRS企业接入 for 想在手机上统一关掉空调).

The manager's choice is final: a product in ``choices.add`` is always pitched and priced, never set
aside (adding the set-aside one pitches both, as the catalog's bundles such as 网点联网组合 sell them;
to switch, add it and drop the other), and a product the manager chose keeps the ones below it aside.

Rank on a statement: the matcher's score, less what
cue words brought that name what the client has now (用的是普通宽带's 宽带 is no evidence for a broadband
product over the line between the sites they ask to connect: :func:`.evidence.without_what_they_have`)
or that come before what the statement insists on, after a contrast (矿区的风机房…装了监测仪…，可安全处规定
这些设备一律不准跟互联网通: 风机房's 机房 does not decide) or in its ask (想…, 希望…).
"""

from __future__ import annotations

import re

from .evidence import _ask, without_what_they_have
from .text import contains, mandarin

# Where a statement turns to what it insists on (…，可是…, …，但…): what comes after is what matters.
_CONTRAST = re.compile(r"[，,](但是|但系|但|可是|可(?![以能])|不过|只是)")


def insisted(statement: str) -> str | None:
    """The part of a statement that says what is wanted: after its first contrast, else from its ask on;
    None when it has neither."""
    hit = _CONTRAST.search(statement)
    if hit:
        return statement[hit.end():]
    ask = _ask(statement)
    return statement[ask.start():] if ask else None


def set_aside(new: list, extensions: list, statements: list) -> None:
    """Mark each new product that is an alternative to a better-ranked one (``alternative_to``, the
    pitched product's id) and list it on the pitched one (``options``). ``new`` and ``extensions`` are
    the ProductMatch picks after the manager's choices; ``statements`` their StatementMatch list."""
    picks = {m.product.id: m for m in new + extensions}
    order = {sm.statement: _ranked(sm, picks) for sm in statements}
    for b in sorted(new, key=lambda m: -m.score):
        if b.chosen or b.existing:
            continue
        mine = [link for link in b.links if link.confidence.clear]
        # the best answer to a statement of its own, even one still 待确认, is not set aside
        if not mine or any(order.get(link.statement, [None])[0] == b.product.id for link in b.links):
            continue
        winners = None
        for link in mine:
            here = {a.product.id for a in _above(b, link, order.get(link.statement, []), picks)}
            winners = here if winners is None else winners & here
        if not winners:
            continue
        a = next(picks[pid] for pid in order[mine[0].statement] if pid in winners)
        b.alternative_to = a.product.id
        b.reasons.append(f"与{a.product.name}回应的是同一件事：建议书和 PPT 只把{b.product.name}写作可选方案，不计入报价")
        a.options = (*a.options, b.product)
    for b in new + extensions:  # pitched for a need of its own: shown there only, not as a second answer
        if b.chosen or b.alternative_to:
            continue
        clear = [link for link in b.links if link.confidence.clear]
        under = [link.statement for link in clear if _above(b, link, order.get(link.statement, []), picks)]
        if under and len(under) < len(clear):
            b.outranked = tuple(under)


def _ranked(sm, picks: dict) -> list[str]:
    """The products answering ``sm``, best first: by the score without the cue words outside what the
    statement insists on, then in the matcher's order."""
    scene = without_what_they_have(mandarin(sm.statement))  # as the cue words were found
    wanted = insisted(scene) or scene

    def weight(e) -> float:
        if not e.cues:
            return e.score
        outside = sum(not contains(wanted, c) for c in e.cues)
        return e.score - e.cue_bonus * outside / len(e.cues)

    ranked = sorted(enumerate(sm.products), key=lambda ie: (-weight(ie[1]), ie[0]))
    return [e.product.id for _, e in ranked if e.product.id in picks]


def _above(b, link, ranked: list[str], picks: dict) -> list:
    """The products ranked above ``b`` on ``link``'s statement that answer it as ``b`` does."""
    kinds = set(link.confidence.kinds)
    out = []
    for pid in ranked:
        if pid == b.product.id:
            break
        a = picks[pid]
        if a.alternative_to or a.product.category != b.product.category:
            continue
        theirs = next((x for x in a.links if x.statement == link.statement), None)
        if theirs is not None and (theirs.confidence.clear or a.chosen) and set(theirs.confidence.kinds) == kinds:
            out.append(a)
    return out
