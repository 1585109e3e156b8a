"""The products set aside as alternatives (:mod:`pitchcraft.match.alternatives`), named in the pitched
product's section of the proposal and on its slide as an option that is not priced: when the client
would choose it (what it does, from its catalog summary), the client's own clause it answers as well
(verbatim), and that it is priced on request."""

from __future__ import annotations

import re

from .textblocks import render_text

TEMPLATE = "proposal/option.j2"

# The summary's first clause says what the product is (在各场所与总部之间开通…电路); the rest how it does it.
_FIRST = re.compile(r"[，：；]")


def option_texts(env, m, short: bool = False) -> list[str]:
    """One text per product set aside for ``m`` (none when there is none); ``short`` for the deck's note."""
    words = tuple(getattr(m, "option_words", ()))
    out = []
    for i, p in enumerate(getattr(m, "options", ())):
        summary = p.summary.strip().rstrip("。")
        lead, _, rest = summary.partition(_FIRST.search(summary).group(0)) if _FIRST.search(summary) else (summary, "", "")
        out.append(render_text(env, TEMPLATE, {
            "option": {"name": p.name, "lead": lead.strip(), "rest": rest.strip()}, "product": m.product.name,
            "clause": words[i] if i < len(words) else "", "short": short}).strip())
    return out
