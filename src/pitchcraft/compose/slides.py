"""The pitch deck's slides, with the speaker notes the manager reads before the visit."""

from __future__ import annotations

from ..match import Recommendation
from ..schema import CATEGORIES, INDUSTRY_LABELS, SAMPLE_MARK
from ..textblocks import render_text
from .context import COMPANY, DEPARTMENT, PLAN_PHASES, _product_ctx
from .model import Chart, Slide, Table


def _notes(env, name: str, ctx: dict) -> str:
    return render_text(env, f"pitch/{name}", ctx).strip()


def compose_slides(rec: Recommendation, env, ctx: dict, title: str, offer=None) -> list[Slide]:
    p = rec.profile
    slides = [Slide("title", f"{p.name}\n信息化解决方案", f"{COMPANY} {DEPARTMENT} · {ctx['date']}",
                    notes=_notes(env, "title.j2", ctx))]
    agenda = ["客户现状与需求", "解决方案总览", "推荐产品", "成功案例", "下一步计划"]
    if not rec.cases:
        agenda.remove("成功案例")
    slides.append(Slide("content", "汇报提纲", bullets=[(0, a) for a in agenda], notes=_notes(env, "agenda.j2", ctx)))
    facts = [f"行业：{INDUSTRY_LABELS[p.industry]}"]
    if p.employees:
        facts.append(f"规模：{p.employees} 人" + (f"，{p.sites} 个办公点/厂区/门店" if p.sites else ""))
    if p.region:
        facts.append(f"地区：{p.region}")
    if ctx["client"]["current"]:
        facts.append("已在使用：" + "、".join(ctx["client"]["current"]))
    facts.append(f"本次梳理出 {len(p.statements())} 条需求，覆盖 {len(ctx['needs'])} 个方面")
    slides.append(Slide("content", "贵单位现状", bullets=[(0, f) for f in facts], notes=_notes(env, "situation.j2", ctx)))
    need_bullets: list[tuple[int, str]] = []
    for group in ctx["needs"]:
        need_bullets += [(0, group["label"])] + [(1, s) for s in group["statements"]]
    slides.append(Slide("content", "我们听到的需求", bullets=need_bullets, notes=_notes(env, "needs.j2", ctx)))
    covered = {key: 0 for key in CATEGORIES}
    asked = {key: 0 for key in CATEGORIES}
    for sm in rec.statements:
        if sm.category in asked:
            asked[sm.category] += 1
            covered[sm.category] += sm.matched
    keys = [k for k in CATEGORIES if asked[k]]
    slides.append(Slide("chart", "需求覆盖情况", chart=Chart(
        tuple(CATEGORIES[k] for k in keys),
        (("提出的需求", tuple(asked[k] for k in keys)), ("本方案覆盖", tuple(covered[k] for k in keys))),
        "各方面需求条数"), notes=_notes(env, "coverage.j2", ctx)))
    slides.append(Slide("diagram", "整体方案：需求到产品",
                        diagram=[(c["label"], c["products"]) for c in ctx["categories"]],
                        notes=_notes(env, "solution_map.j2", ctx)))
    map_rows = [(_short(sm.statement, 56), "、".join(e.product.name for e in sm.products))
                for sm in rec.statements if sm.matched]
    for i, rows in enumerate(_chunks(map_rows, 7)):
        slides.append(Slide("table", "需求与方案对应" + ("（续）" if i else ""),
                            table=Table(("客户需求", "对应产品"), tuple(rows), (4.6, 1.9)),
                            notes=_notes(env, "solution_table.j2", ctx)))
    for m in rec.all_products:
        pctx = dict(ctx, product=_product_ctx(m))
        bullets = [(0, "为您解决")] + [(1, s) for s in [sm.statement for sm in m.statements][:2]]
        bullets += [(0, "带来的价值")] + [(1, b) for b in m.product.benefits[:2]]
        bullets += [(0, "资费"), (1, m.product.tariff_summary)]
        heading = m.product.name + ("（现有业务扩容）" if m.existing else "")
        slides.append(Slide("content", heading, bullets=bullets, notes=_notes(env, "product.j2", pctx)))
    for c in rec.cases:
        cctx = dict(ctx, case={"title": c.case.title, "client": c.case.client_label,
                               "results": list(c.case.results), "reasons": c.reasons})
        who = c.case.client_label
        if c.other_industry:  # introduced as another industry's case, never passed off as the client's own
            who = f"其他行业的参考案例：{INDUSTRY_LABELS[c.case.industry]} · {who}"
        bullets = [(0, who)] + [(0, "成效")] + [(1, r) for r in c.case.results[:3]]
        mark = SAMPLE_MARK if c.case.sample else ""  # an invented case says so
        slides.append(Slide("content", "案例：" + _case_title(c.case.title, 24 - len(mark)) + mark, bullets=bullets,
                            notes=_notes(env, "case.j2", cctx)))
    if offer is not None and offer.lines:
        slides.append(_pricing_slide(offer, env, ctx))
    steps = [f"{name}：{what}" for name, _a, _b, what in PLAN_PHASES[:4]]
    slides.append(Slide("content", "下一步计划", bullets=[(0, s) for s in steps],
                        notes=_notes(env, "next_steps.j2", ctx)))
    contact = "客户经理：" + " ".join(x for x in (p.manager, p.manager_phone) if x) if p.manager else DEPARTMENT
    slides.append(Slide("closing", "谢谢！", contact, notes=_notes(env, "closing.j2", ctx)))
    return slides


def _pricing_slide(offer, env, ctx: dict) -> Slide:
    """Monthly cost per need area, as a native chart; totals and current spend in its title."""
    from ..quote import cny

    per_area = offer.by_category()
    keys = [k for k in CATEGORIES if k in per_area]
    series = [("方案月费（元）", tuple(float(per_area[k]) for k in keys))]
    title = f"每月 {cny(offer.monthly_total)}，首年合计 {cny(offer.first_year_total)}"
    if offer.current_spend is not None:
        title += f"（目前每月支出 {cny(offer.current_spend)}）"
    categories = [CATEGORIES[k] for k in keys]
    return Slide("chart", "投资概览", chart=Chart(tuple(categories), tuple(series), title, money=True),
                 notes=_notes(env, "pricing.j2", ctx))


def _case_title(title: str, limit: int) -> str:
    """A case's title as a slide title fits it: whole, else its hook (a case title reads
    "hook：who and what", and the slide's first line names the client), cut only if even that is
    too long."""
    hook = title.split("：", 1)[0]
    return title if len(title) <= limit else _short(hook, limit)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]
