"""One product per need: of two products that answer the same statements in the same way, the
documents pitch and price one and name the other as an option.

A client reading a quote that charges for two ways of doing one thing (集团专线 and IP专线 for “门店要
连总部”) cannot accept it. A new product B is *set aside* as an alternative to a product A when every
statement B answers clearly, A answers too (clearly, or A was chosen by the manager), in the same
category of product and from the same kinds of need, and A ranks above B there. B then answers
nothing A does not: a product that answers a need of its own is never set aside, and one that
answers a statement from another kind of need (手机邮箱 for 手机上收不到邮件 beside 企业邮箱 for
邮箱容量) is a second answer, not an alternative.

Two products are alternatives only when each really does what the statement asks: each has a cue word
of its own in the ask (not in what the client has now, and not also a word of the other's catalog
phrasing: 线路 and 机房 in “订单系统放在公司机房…要一条多线的线路” are IP专线's words as much as 集团专线's), and
the catalog does not sell them together (a bundle such as 网点联网组合 says 集团专线 and IP专线 do different
parts of one job: 内网互联 and 统一出口). A lower-ranked product that fails this only rides on the better
one's statement: it is shown neither there nor as an option (``outranked``), and with nothing of its own
left it is not in the documents at all.

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


def set_aside(new: list, extensions: list, statements: list, bundles=()) -> None:
    """Mark each new product that is an alternative to a better-ranked one (``alternative_to``, the
    pitched product's id) and list it on the pitched one (``options``). ``new`` and ``extensions`` are
    the ProductMatch picks after the manager's choices; ``statements`` their StatementMatch list;
    ``bundles`` the catalog's (pricing.bundles): products sold together do different parts of one job."""
    picks = {m.product.id: m for m in new + extensions}
    order = {sm.statement: _ranked(sm, picks) for sm in statements}
    sms = {sm.statement: sm for sm in statements}
    for b in sorted(new, key=lambda m: -m.score):
        if b.chosen or b.existing or b.outranked:
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
        own = {link.statement: _own_words(sms[link.statement], b, a) for link in mine}
        paired = next((x.name for x in bundles if {a.product.id, b.product.id} <= set(x.products)), None)
        if not paired and all(own.values()) and not all(_own_words(sms[link.statement], a, b) for link in mine):
            continue  # b says what it does, a does not: not the better answer, b stays pitched
        if paired or not all(own.values()):  # rides on a's statement: not another way to do what it asks
            b.outranked = tuple(link.statement for link in mine)
            b.reasons[:] = [r.replace(f"这正是{b.product.name}解决的问题", f"原话与{b.product.name}的说法相近")
                            for r in b.reasons]
            first = next((link.statement for link in mine if not own[link.statement]), mine[0].statement)
            theirs = _own_words(sms[first], a, b)
            said = f"（客户说的“{_clause(first, theirs[0])}”）" if theirs else ""
            why = (f"产品目录把{a.product.name}和{b.product.name}作为“{paired}”一起办理，二者做的是不同的事，不能互相替代"
                   if paired else f"客户原话中没有只有{b.product.name}才做的事")
            b.reasons.append(f"这句话要的是{a.product.name}做的事{said}；{why}，{b.product.name}不写入建议书和 PPT，也不作为可选方案")
            continue
        b.alternative_to = a.product.id
        st = mine[0].statement
        b.ranked_as = _weights(sms[st], a, b)
        b.reasons.append(f"与{a.product.name}都能做到客户要的事（{b.product.name}：“{_clause(st, own[st][0])}”；"
                         f"{a.product.name}：“{_clause(st, _own_words(sms[st], a, b)[0])}”）；"
                         f"按客户要的那部分原话计，{a.product.name}排在前面（{b.ranked_as}），"
                         f"建议书和 PPT 只把{b.product.name}写作可选方案，不计入报价")
        a.options = (*a.options, b.product)
        a.option_words = (*a.option_words, _clause(mine[0].statement, own[mine[0].statement][0]))
    for b in new + extensions:  # pitched for a need of its own: shown there only, not as a second answer
        if b.chosen or b.alternative_to or b.outranked:
            continue
        clear = [link for link in b.links if link.confidence.clear]
        under = [link.statement for link in clear if _above(b, link, order.get(link.statement, []), picks)]
        if under and len(under) < len(clear):
            b.outranked = tuple(under)


def only_rides(m) -> bool:
    """Whether ``m`` answers clearly only statements it rides on (``outranked`` by a product that does
    what they ask): not pitched unless the manager chose it."""
    hidden = set(m.outranked)
    return (not m.chosen and bool(hidden)
            and all(not link.confidence.clear or link.statement in hidden for link in m.links))


def _wanted(statement: str) -> str:
    """What the statement asks for, as the cue words were found: without what the client has now, from
    what it insists on."""
    scene = without_what_they_have(mandarin(statement))
    return insisted(scene) or scene


def _weight(e, wanted: str) -> float:
    """The matcher's score less what its cue words outside ``wanted`` brought."""
    if not e.cues:
        return e.score
    outside = sum(not contains(wanted, c) for c in e.cues)
    return e.score - e.cue_bonus * outside / len(e.cues)


def _ranked(sm, picks: dict) -> list[str]:
    """The products answering ``sm``, best first: by the score without the cue words outside what the
    statement insists on, then in the matcher's order."""
    wanted = _wanted(sm.statement)
    ranked = sorted(enumerate(sm.products), key=lambda ie: (-_weight(ie[1], wanted), ie[0]))
    return [e.product.id for _, e in ranked if e.product.id in picks]


def _own_words(sm, b, a) -> list[str]:
    """``b``'s evidence of its own for what ``sm`` asks: its cue words found in the ask (not in what the
    client has now) that are not words of ``a``'s catalog phrasing too. 线路 and 机房 in “订单系统放在公司机房…
    要一条多线的线路” are IP专线's words as much as 集团专线's: they show no point-to-point circuit is asked for."""
    e = next((x for x in sm.products if x.product.id == b.product.id), None)
    if e is None:
        return []
    wanted = _wanted(sm.statement)
    theirs = [mandarin(t) for t in (*a.product.client_phrases, *a.product.keywords)]
    return [c for c in e.cues if contains(wanted, c) and not any(contains(t, c) for t in theirs)]


_CLAUSE_END = re.compile(r"[，,。；;！？!?：:]")


def _clause(statement: str, cue: str) -> str:
    """The client's whole clause, verbatim, in which ``cue`` was found (the statement when none is)."""
    return next((c.strip() for c in _CLAUSE_END.split(statement) if c.strip() and contains(c, cue)), statement)


def _weights(sm, a, b) -> str:
    """The two products' scores as ranked on ``sm``, for the manager."""
    wanted = _wanted(sm.statement)
    got = {e.product.id: _weight(e, wanted) for e in sm.products}
    return f"{a.product.name} {got.get(a.product.id, a.score):.2f}，{b.product.name} {got.get(b.product.id, b.score):.2f}"


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
