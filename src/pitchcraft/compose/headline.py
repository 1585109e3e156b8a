"""A product's headline: what it does for this client, in one short line.

A client reads a slide title or a section heading as a message, so a product's is not its name but
the catalog benefit (already in the client's words: 〔人员〕 filled in) that is nearest to what this
client said about it, cut at its first clause. Nothing is made up: the words are the catalog's own,
chosen by the client's statements; a product without benefits keeps its name alone.
"""

from __future__ import annotations

import re

from ..match.recommend import ProductMatch
from ..model.display import clauses, display_width

# One line of the deck's title at its own size: the "Pain and Answer" title box holds about 30 em
# at 28 pt (render/pptx.py measures it; tests/test_product_headlines.py checks the two agree), less
# a margin for the quarter em LibreOffice sets where CJK meets Latin.
TITLE_EM = 26.0
MIN_CLAUSE = 4  # a first clause shorter than this ("省钱") says too little alone: the next is added
TERSE_CLAUSE = 6  # a lead clause this short ("统一域名") may take the rest of its benefit when that holds the client's words

_GRAMS = re.compile(r"[\u3400-\u9fff]{2,}|[A-Za-z0-9]+")

# What the client says fails ("看不到", "没人守", "说不清", "第二天才发现"): the action before a
# failing complement, after 没人 / 没法, or after 才 (found out too late), or wished for (想…看到). A benefit that supplies it
# answers the pain; the action's answers are the words a benefit uses for it (查看 answers 看不到 and
# 没人守; 留痕 / 可查 answers 说不清). A tie of shared words then goes to the benefit that answers the
# client's statement, not to the catalog's first benefit.
_FAILING = re.compile(r"([\u4e00-\u9fff])不(?:到|见|着|清|住|进|通|上|过来|及)"
                      r"|(?:没人|没有人|没法|无法|不能)([\u4e00-\u9fff])"
                      r"|才(发现|知道)|不(知道)"
                      r"|(?:想|希望)[^，。；！？]{0,8}?(看|知道)")  # 想在总部实时看到: what is missing, as a wish
ANSWERS = {
    "看": ("看",), "见": ("看",), "守": ("看", "报警"), "管": ("管", "看"), "发现": ("报警", "告警", "看"),
    "知道": ("看", "查", "知道", "一目了然"), "接": ("接",), "听": ("接",), "打": ("接",), "进": ("接",),
    "记": ("记",), "找": ("找",), "说": ("留痕", "可查", "记录"), "查": ("查",), "收": ("收到", "送达"),
    "通": ("互联", "连", "通"), "签": ("审批", "签"), "批": ("审批",),
}
ANSWER_WEIGHT = 2  # answering what fails counts more than the first benefit's precedence (1)


def failing(statement: str) -> tuple[str, ...]:
    """The actions the client says fail, in order, each once (:data:`_FAILING`)."""
    out: list[str] = []
    for m in _FAILING.finditer(statement):
        verb = next(g for g in m.groups() if g)
        if verb not in out:
            out.append(verb)
    return tuple(out)


def answers(benefit: str, actions: tuple[str, ...]) -> int:
    """How many of the failing ``actions`` the benefit supplies."""
    return sum(1 for a in actions if any(w in benefit for w in ANSWERS.get(a, (a,))))


def text_em(text: str) -> float:
    """Width in em: a wide character one, another half (the deck's own measure, render.fit, counts
    0.55; the margin in :data:`TITLE_EM` covers the difference)."""
    return display_width(text) / 2


def _grams(text: str) -> set[str]:
    out: set[str] = set()
    for run in _GRAMS.findall(text):
        if run.isascii():
            out.add(run.lower())
        else:
            out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def lead_clause(text: str) -> str:
    """A benefit's first clause ("内部通话费用明显下降，……" -> "内部通话费用明显下降"), with the
    next one too when the first is too short to say anything alone."""
    parts = clauses(text)
    if not parts:
        return ""
    head = parts[0]
    if len(head) < MIN_CLAUSE and len(parts) > 1:
        head = f"{head}，{parts[1]}"
    return head


def message(m: ProductMatch, limit_em: float = TITLE_EM) -> str:
    """What the product does for this client, at most ``limit_em`` wide; "" when the catalog gives
    no benefit short enough (the caller then shows the product's name alone)."""
    text = "".join(sm.statement for sm in m.statements)
    said, actions = _grams(text), failing("，".join(sm.statement for sm in m.statements))
    best, best_score = "", -1
    for i, benefit in enumerate(m.product.benefits):
        clause = lead_clause(benefit)
        if not clause or text_em(clause) > limit_em:
            continue
        # the catalog's first benefit is its main one: another must share more of the client's
        # words, or answer what the client says fails (:data:`_FAILING`)
        score = len(_grams(benefit) & said) + ANSWER_WEIGHT * answers(clause, actions) + (1 if i == 0 else 0)
        if score > best_score:  # ties keep the catalog's order
            best, best_score = _with_shared(benefit, clause, said, limit_em), score
    return best


def _with_shared(benefit: str, clause: str, said: set[str], limit_em: float) -> str:
    """A terse lead clause carried on to the benefit's end when the client's words are in the rest
    ("统一域名" -> "统一域名，对外商务往来更正规" for a client who said 不像正规工厂), if it fits. Only
    the whole benefit: a longer clause stays alone rather than end the title mid-sentence."""
    if len(clause) > TERSE_CLAUSE or _grams(clause) & said or not _grams(benefit) & said:
        return clause
    whole = "，".join(clauses(benefit))
    return whole if whole.startswith(clause) and text_em(whole) <= limit_em else clause


def heading(m: ProductMatch) -> str:
    """The proposal's section heading: the product's name, then its message ("集团V网：内部通话费用明显下降")."""
    name = m.product.name + ("（现有业务扩容）" if m.existing else "")
    said = message(m)
    return f"{name}：{said}" if said else name
