"""The products set aside as alternatives (:mod:`pitchcraft.match.alternatives`), named in the pitched
product's section of the proposal and on its slide as an option that is not priced."""

from __future__ import annotations

from .context import need_title
from .textblocks import render_text

TEMPLATE = "proposal/option.j2"


def option_texts(env, m, short: bool = False) -> list[str]:
    """One sentence per product set aside for ``m`` (none when there is none): what it is, that it
    answers the same need, that the quote has only ``m``; ``short`` for the deck's line."""
    need = need_title(m.statements[0].statement) if len(m.statements) == 1 else ""
    return [render_text(env, TEMPLATE, {"option": {"name": p.name, "summary": p.summary}, "product": m.product.name,
                                        "need": need, "short": short}).strip()
            for p in getattr(m, "options", ())]
