"""The account manager's word is final: the profile's ``choices`` applied to the matcher's picks.

Applied once in :func:`pitchcraft.match.recommend.recommend`, after ranking and before cases are
chosen: a dropped product is taken out of the picks, out of every statement's evidence (a
statement only it answered becomes unanswered, 待进一步沟通) and out of the case choice (no case
that cites it), so it appears nowhere; an added product is pitched whatever the matcher said,
its reason saying the manager chose it. :func:`choice_problems` is the bad-input check:
a name that is no product of the catalog, a retired product added, a product both added and
dropped, each reported at its file, line and field.
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import InputError, Problem

CHOSEN = "客户经理选定"


def chosen_reason(name: str) -> str:
    return f"{CHOSEN}：{name}由客户经理根据对客户的了解加入本方案"


def choice_problems(choices, catalog) -> list[Problem]:
    """What is wrong with ``choices`` against this catalog (empty when all is well)."""
    if not choices:
        return []
    out: list[Problem] = []

    def problem(field: str, message: str) -> None:
        line, col = choices.places.get(field, (None, None))
        out.append(Problem(choices.file, line, col, field, message, rule="choices"))

    added: dict[str, str] = {}
    for key, names in (("add", choices.add), ("drop", choices.drop)):
        for i, name in enumerate(names):
            field = f"choices.{key}[{i}]"
            product = catalog.resolve(name)
            if product is None:
                problem(field, f"产品目录中没有“{name}”（请写产品名称、别名或 id）")
            elif key == "add" and not product.active:
                hint = f"，可改为{catalog.by_id[product.replaced_by].name}" \
                    if product.replaced_by and product.replaced_by in catalog.by_id else ""
                problem(field, f"“{name}”已下线，不能再推荐{hint}")
            elif key == "add":
                added[product.id] = name
            elif product.id in added:
                problem(field, f"“{name}”同时写在 add（加入）和 drop（去掉）中，请只保留一处")
    for name in choices.quantities:
        if catalog.resolve(str(name)) is None:
            problem(f"choices.quantities.{name}", f"产品目录中没有“{name}”（请写产品名称、别名或 id）")
    return out


def apply_choices(catalog, choices, new: list, extensions: list, statements: list, make
                  ) -> tuple[list, list, set[str]]:
    """The picks (ProductMatch) with the manager's choices applied, and the ids dropped (for the
    case choice). ``make`` builds a ProductMatch for an added product the matcher did not pick.
    Raises :class:`InputError` when the choices do not fit the catalog."""
    problems = choice_problems(choices, catalog)
    if problems:
        raise InputError(problems)
    if not choices or not (choices.add or choices.drop):
        return new, extensions, set()
    dropped = {p.id for p in map(catalog.resolve, choices.drop) if p is not None}
    for sm in statements:
        sm.products = [ev for ev in sm.products if ev.product.id not in dropped]
    new = [m for m in new if m.product.id not in dropped]
    extensions = [m for m in extensions if m.product.id not in dropped]
    names = [n for pid in dropped for n in catalog.by_id[pid].names]
    for m in new + extensions:
        m.product = _without_mentions(m.product, names)
    for name in choices.add:
        product = catalog.resolve(name)
        product = _without_mentions(product, names)
        have = next((m for m in new if m.product.id == product.id), None)
        if have is None:
            ext = next((m for m in extensions if m.product.id == product.id), None)
            if ext is not None:  # the client has it: the manager still wants it pitched
                extensions.remove(ext)
                have = make(product, ext.score, ext.statements, list(ext.reasons[1:]), links=ext.links)
            else:
                have = make(product, 0.0, [], [])
            new.append(have)
        if not have.chosen:
            have.chosen = True
            have.reasons.insert(0, chosen_reason(product.name))
    return new, extensions, dropped


def _without_mentions(product, names: list[str]):
    """The product with its benefit lines and how-it-works sentences that name a dropped product
    left out (V网's "可与集团号簿、集团彩铃……组成标准通信包" when 集团彩铃 is dropped)."""
    if not names:
        return product

    def names_one(text: str) -> bool:
        return any(n in text for n in names)

    def without(texts):  # the benefit lines and how-it-works of the product or one of its industry_copy entries
        benefits = tuple(b for b in texts.benefits if not names_one(b))
        how = texts.how_it_works
        if how:
            sentences = re.split(r"(?<=[。；！？\n])", how)
            how = "".join(x for x in sentences if not names_one(x)).strip() or how
        if benefits == texts.benefits and how == texts.how_it_works:
            return texts
        return dataclasses.replace(texts, benefits=benefits or texts.benefits, how_it_works=how)

    copies = tuple(without(c) for c in product.industry_copy)
    out = without(product)
    if copies != product.industry_copy:
        out = dataclasses.replace(out, industry_copy=copies)
    return out
