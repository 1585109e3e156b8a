"""The account manager's visit brief (拜访简报): an internal Word document, composed here as data.

It is what the training decks say a manager should carry into a visit: who the key persons are and
how to win each of them (role × attitude), how close the relationship is (seed 004's clip, zipper and
velcro), the bundle with one line of value per product, the questions to ask for every need
(situation, problem, implication, need-payoff), the objections to expect with an answer for each —
price first, never a blind cut — the needs to take back to product managers, and the next steps along
the work manual's flow (制定方案 → 顾问式营销 → 合同签订 → 售后服务 → 二次营销).

The brief is marked 内部资料 请勿外传 and is never merged into the client's proposal: it is its own
file. :mod:`pitchcraft.render.brief_docx` writes it; this module decides what it says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .briefcases import case_blocks
from . import needs as needs_text
from .context import cn_date, money
from .document import plan_for
from .plan import Plan, load_plan
from .model import Numbering, Table
from ..content.copy import Copy, load_copy, put
from ..content.vocabulary import Words, load_vocabulary
from ..match import Recommendation
from ..match.recommend import ProductMatch
from ..model.catalog import Product
from ..model.profile import Profile
from ..model.vocab import ATTITUDES, CATEGORIES, CATEGORY_NAMES, INDUSTRY_LABELS, ROLES, SIZE_SHORT
from .textblocks import Bullets, Heading, Para
from ..match.pitched import BRIEF_WORDS, alternative_line, in_documents, rides, riding_line, set_aside
from .view import client_view, in_client_words
from ..workspace import packaged_templates
from ..quote import for_recommendation
from ..yamlsrc import decode, parse, read_yaml

BANNER = "内部资料 请勿外传"
TITLE_WORD = "拜访简报"
TITLE_CHARS = 16  # full-width characters the Title style (26 pt on the A4 text width, 436 pt) holds on one line
UNPRICED = "（数量待确认）"  # a pitched product the quote prices per unit only, as the price answer names it
STALE_DAYS = 60  # a visit date this far behind the brief's date: the notes are old, the manager is told
FAR_OVER = Decimal("0.3")  # a monthly fee this far over the budget: the manager is warned before the visit
SMALL_SHARE = Decimal("0.1") # a priced monthly fee below this share of the budget, items unpriced: not the plan's price

# --- key persons: role x attitude -> how to win them over -------------------------------------------

# The copy (how to win each person over) is workspace data: templates/brief/people.yaml.


def _strategy(role: str | None, attitude: str | None, copy: Copy) -> str:
    if role is None:
        return copy.role_unknown
    if attitude is None:
        return copy.attitude_unknown + copy.strategies[(role, "neutral")]
    return copy.strategies[(role, attitude)]


def _priority(role: str | None, attitude: str | None) -> str:
    if role == "decision_maker":
        return "关键支持" if attitude == "supportive" else "首要争取"
    if attitude == "opposed":
        return "重点化解"
    if attitude == "supportive":
        return "可以依靠"
    return "继续争取"


# --- relationship stage (seed 004: 夹子 / 拉链 / 尼龙搭扣) ------------------------------------------------

# The stages' names, meanings and next steps are workspace data: templates/brief/stages.yaml.
VELCRO_FROM = 3  # current services from which the relationship counts as velcro
NETWORK_CUE = "coverage"  # the needs table's cue (proposal/needs.yaml) of a complaint routed to network maintenance


def network_routed(rec: Recommendation, cues: tuple[dict, ...]) -> list[str]:
    """The statements no product answers that the proposal routes to network maintenance (a coverage
    complaint, by the proposal's own needs table): no product to sell, nothing for a product manager."""
    return [st for st in rec.unmatched
            if (cue := needs_text.cue_of(st, cues)) is not None and cue["key"] == NETWORK_CUE]


def spin_pair(statement: str, copy: Copy, cue: str | None = None) -> tuple[str, str]:
    """The implication and need-payoff questions for one statement (``templates/interview/topics.yaml``):
    the first rule whose cue (the statement's cue in the proposal's needs table) or words fit it and
    none of whose ``unless`` words it has; the neutral pair, about the statement only, when none fits."""
    for rule in copy.topics["topics"]:
        if any(w in statement for w in rule.get("unless") or ()):
            continue
        if (rule.get("cue") and rule["cue"] == cue) or any(w in statement for w in rule.get("words") or ()):
            return rule["implication"], rule["need_payoff"]
    neutral = copy.topics["neutral"]
    return neutral["implication"], neutral["need_payoff"]


# --- competitors ---------------------------------------------------------------------------------------

# The competitors recognised (name fragments -> who, their usual bundle: stated as fact, never
# disparaged) and every objection's answer are workspace data: templates/brief/objections.yaml.


def competitor_of(name: str | None, copy: Copy) -> tuple[str, str] | None:
    if not name:
        return None
    for c in copy.answers["competitors"]:
        if any(f in name for f in c["match"]):
            return c["who"], c["bundle"]
    return None


# --- per product: a question to qualify the need, and the client's likely question with an answer -------

# The copy is workspace data (templates/brief/playbooks.yaml, pitchcraft.content.copy).


def _playbook(p: Product, copy: Copy) -> tuple[str, str, str]:
    if p.id in copy.playbooks:
        return copy.playbooks[p.id]
    generic = copy.answers["product"]
    return (copy.generic_qualify, put(generic["says"], product=p.name, tariff=p.tariff_summary),
            "\n".join(put(line, product=p.name, tariff=p.tariff_summary) for line in generic["answer"]))


def pitched(rec: Recommendation) -> list[ProductMatch]:
    """The new products the proposal and the deck pitch, best first: the only ones a strategy line
    (the stage's lead, the answer to a competitor, the first demonstration) may name. A product set
    aside as an option, held for confirmation or only riding on another's statement is left out of
    them; the brief says so where it lists those."""
    return [m for m in rec.products if in_documents(m)]


def _objection_mark(m: ProductMatch) -> str:
    """How the objections table marks a product the documents do not pitch."""
    if set_aside(m):
        return "（可选方案，未报价）"
    return "" if in_documents(m) else "（待确认，未写入建议书）"


# --- the brief as data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    name: str
    title: str
    role: str       # Chinese label, or 未记录
    attitude: str   # Chinese label, or 未记录
    priority: str
    strategy: str


@dataclass(frozen=True)
class Stage:
    key: str        # clip | zipper | velcro
    name: str
    basis: str
    meaning: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Objection:
    topic: str
    says: str
    answer: str


@dataclass(frozen=True)
class NeedQuestions:
    category: str
    statement: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    phase: str
    todo: str
    when: str


@dataclass
class Brief:
    client: str
    title: str
    banner: str
    meta: tuple[tuple[str, str], ...]
    people: list[PersonPlan]
    stage: Stage
    objections: list[Objection]
    questions: list[NeedQuestions]
    unmatched: list[str]   # no product answers them, to take back to the product managers
    steps: list[Step]
    blocks: list = field(default_factory=list)   # Heading, Para, Bullets, Table, in reading order
    footer_note: str = ""
    issuer: str = ""  # who the brief is from: "<company or branch> <department>", in its header
    plan: Plan | None = None  # the proposal's plan, which the next steps follow
    heading: str = ""  # the title as the first page writes it (a line break before 拜访简报 when long)
    network: list[str] = field(default_factory=list)  # coverage complaints: routed to network maintenance


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _names(items: list[str] | tuple[str, ...]) -> str:
    return "、".join(items)


def read_discovery(data: Any) -> dict[str, dict[str, Any]]:
    """What the interview learnt (``discovery:``), read leniently: statement -> notes, plus situations.

    Returns ``{"situations": {category: text}, "notes": {statement: {"implication": …, "need_payoff": …}}}``.
    Malformed parts are ignored: they are the manager's own notes, not part of the contract.
    """
    out: dict[str, dict[str, Any]] = {"situations": {}, "notes": {}}
    disc = data.get("discovery") if isinstance(data, dict) else None
    if not isinstance(disc, dict):
        return out
    for raw_key, entry in disc.items():
        cat = CATEGORY_NAMES.get(str(raw_key).strip())
        if cat is None or not isinstance(entry, dict):
            continue
        if isinstance(entry.get("situation"), str) and entry["situation"].strip():
            out["situations"][cat] = entry["situation"].strip()
        for item in entry.get("needs") or []:
            if isinstance(item, dict) and isinstance(item.get("statement"), str):
                notes = {k: item[k].strip() for k in ("implication", "need_payoff")
                         if isinstance(item.get(k), str) and item[k].strip()}
                out["notes"][item["statement"].strip()] = notes
    return out


def _people(profile: Profile, copy: Copy) -> list[PersonPlan]:
    plans = []
    for c in profile.contacts:
        plans.append(PersonPlan(c.name, c.title or "—", ROLES.get(c.role or "", "未记录"),
                                ATTITUDES.get(c.attitude or "", "未记录"), _priority(c.role, c.attitude),
                                _strategy(c.role, c.attitude, copy)))
    return plans


def _stage(rec: Recommendation, copy: Copy, offer=None) -> Stage:
    """The relationship stage; its lead products are the price answer's first step (one story for the
    manager: what to open with is what to sell first when the budget is tight)."""
    profile = rec.profile
    current = [p.name for p in rec.current_products] + list(rec.unknown_current)
    n = len(current)
    key = "clip" if n == 0 else "zipper" if n < VELCRO_FROM else "velcro"
    name, meaning, actions = copy.stages[key]
    core = _priced_names(rec, offer)[0] if offer is not None else []
    lead = _names([n.removesuffix(UNPRICED) for n in core] or [m.product.name for m in pitched(rec)[:2]]) \
        or "客户最关心的一项需求"
    if key == "clip":
        basis = "档案中没有客户在用的我方业务，按新客户对待"
    else:
        basis = f"客户已在使用我方 {n} 项业务：{_names(current)}"
    if profile.competitor:
        basis += f"；现有或竞争的供应商：{profile.competitor}"
    return Stage(key, name, basis, meaning,
                 tuple(put(a, lead=lead, current=_names(current) or "—") for a in actions))


def _priced_names(rec: Recommendation, offer) -> tuple[list[str], list[str]]:
    """The products the client's quote prices, as the brief may stage them: the proposal's own two
    steps when it has them, else the first two and the rest. Only products pitched with a figure in
    the quote: a product set aside, held for confirmation or all 待确认 is no phase of anything."""
    if offer is None:
        names = [m.product.name for m in pitched(rec)]
        return names[:2], names[2:]
    by_id: dict[str, str] = {}
    for ln in offer.lines:
        if not ln.to_confirm and ln.gross:
            by_id.setdefault(ln.product_id, ln.name)
    # a pitched product with no figure in the quote (every quantity 待确认) is still in a phase, marked
    unpriced = {m.product.id: m.product.name + UNPRICED for m in pitched(rec) if m.product.id not in by_id}
    phasing = getattr(offer, "phasing", None)
    if phasing is not None:
        core = [by_id[i] for i in phasing.phase_1 if i in by_id]
        later = [by_id[i] for i in phasing.later if i in by_id]
        return core, later + list(unpriced.values())
    # no steps in the proposal: the need the client raised first leads (the most urgent stays in step 1)
    rank = {st: i for i, (_c, st) in enumerate(rec.profile.statements())}
    first_said = {m.product.id: min((rank.get(sm.statement, len(rank)) for sm in m.statements), default=len(rank))
                  for m in rec.products}
    named = {**by_id, **unpriced}
    ids = sorted(named, key=lambda i: first_said.get(i, len(rank)))
    names = [named[i] for i in ids]
    return names[:2], names[2:]


def _price_objection(rec: Recommendation, copy: Copy, offer=None) -> Objection:
    profile, text = rec.profile, copy.answers["price"]
    core, later = _priced_names(rec, offer)
    if core and later and len(core) + len(later) >= 3:
        budget = put(text["budget_phased"], core=_names(core), later=_names(later))
    else:
        budget = text["budget_small"]
    priced = {n for n in core + later if not n.endswith(UNPRICED)}
    fixed = "；".join([f"{m.product.name} {m.product.tariff_summary}" for m in pitched(rec)
                     if offer is None or m.product.name in priced][:4])
    lines = [text["ask_why"], text["cheaper_rival"], budget, text["no_intent"],
             put(text["value"], first_need=profile.statements()[0][1]),
             put(text["tariffs"], tariffs=fixed or text["no_tariffs"]),
             put(text["budget_known"], budget=money(profile.budget_monthly)) if profile.budget_monthly is not None
             else text["budget_unknown"]]
    for a in (getattr(offer, "needs_approval", None) or ()):
        if a.rule == "manager-discount" and text.get("discount_approval"):
            lines.append(put(text["discount_approval"], requested=f"{a.requested:.0%}", granted=f"{a.granted:.0%}",
                             approver=a.role or "超出全部授权、无人可批的"))
    return Objection(text["topic"], text["says"], "\n".join(lines))


def _competitor_objection(rec: Recommendation, copy: Copy) -> Objection:
    text = copy.answers["competitor"]
    name = rec.profile.competitor or ""
    known = competitor_of(name, copy)
    ours = _names([m.product.name for m in pitched(rec)[:3]]) or text["ours_missing"]
    if known:
        who, bundle = known
        return _answered(text["topic"], text["known"], who=who, bundle=bundle, ours=ours)
    return _answered(text["topic"], text["other"], name=name, ours=ours)


def _status_quo_objection(rec: Recommendation, copy: Copy) -> Objection:
    text = copy.answers["status_quo"]
    return _answered(text["topic"], text, first_need=rec.profile.statements()[0][1])


def _answered(topic: str, text: dict, **values: str) -> Objection:
    """An objection of the copy (``says`` and ``answer`` lines) with the client's facts put in."""
    return Objection(topic, put(text["says"], **values), "\n".join(put(line, **values) for line in text["answer"]))


def _person_objections(people: list[PersonPlan], profile: Profile, copy: Copy) -> list[Objection]:
    out, seen = [], set()
    for c in profile.contacts:
        if c.attitude != "opposed" or c.role is None or c.role in seen:
            continue
        seen.add(c.role)
        says, answer = copy.objections[c.role]
        out.append(Objection(f"{c.name}（{ROLES[c.role]}）", says, answer))
    return out


def _product_objections(rec: Recommendation, copy: Copy) -> list[Objection]:
    """The client's likely question on each new product the documents name: pitched first; one held
    for confirmation or set aside as an option marked so; none for a product that only rides on
    another's statement (left out of the documents: nothing to answer for)."""
    out = []
    for m in [*pitched(rec), *(m for m in rec.products if not in_documents(m) and not rides(m))]:
        _qualify, says, answer = _playbook(m.product, copy)
        out.append(Objection(m.product.name + _objection_mark(m), says, answer))
    return out


def _questions(rec: Recommendation, discovery: dict, copy: Copy, cues: tuple[dict, ...] = ()) -> list[NeedQuestions]:
    notes = discovery.get("notes", {})
    network = set(network_routed(rec, cues))
    pitched_ids = {m.product.id for m in rec.all_products if in_documents(m)}
    riders = {m.product.id for m in rec.all_products if rides(m)}
    outranked = {(m.product.id, st) for m in rec.all_products for st in getattr(m, "outranked", ())}
    out = []
    for sm in rec.statements:
        cue = needs_text.cue_of(sm.statement, cues)
        implication, need_payoff = spin_pair(sm.statement, copy, cue["key"] if cue else None)
        qs = []
        # the question of a product the documents pitch for this statement; else the 待确认 link's own
        sure = [e.product for e in sm.products if e.product.id in pitched_ids and e.confidence.clear
                and (e.product.id, sm.statement) not in outranked]
        ask = next((e.confidence.question for e in sm.products if e.confidence.question), None)
        if sure:
            same_area = [p for p in sure if p.category == sm.category]
            qs.append("核实：" + _playbook((same_area or sure)[0], copy)[0])
            # another candidate of the same sentence, held for confirmation, asks what the sentence is
            # about (the bank's POS terminals: 行业终端 asks for field staff, GPRS企业接入 for the devices)
            other = next((e for e in sm.products if e.product.id not in pitched_ids and e.product.id not in riders
                          and e.confidence.question), None)
            if other is not None:
                qs.append(f"核实（也可能是{other.product.name}，待确认）：{other.confidence.question}")
        elif sm.matched and ask:
            qs.append("核实（对应产品待确认）：" + ask)
        elif sm.matched:
            shown = [e.product for e in sm.products if e.product.id not in riders] or [e.product for e in sm.products]
            same_area = [p for p in shown if p.category == sm.category]
            qs.append("核实：" + _playbook((same_area or shown)[0], copy)[0])
        elif sm.statement in network:
            qs.append(copy.sections["questions"]["coverage"])
        else:
            qs.append(copy.sections["questions"]["unmatched"])
        known = notes.get(sm.statement, {})
        qs.append(f"影响（已了解）：{known['implication']}——拜访时确认具体数字" if "implication" in known
                  else f"影响：{implication}")
        qs.append(f"价值（客户期望）：{known['need_payoff']}" if "need_payoff" in known
                  else f"价值：{need_payoff}")
        out.append(NeedQuestions(sm.category, sm.statement, tuple(qs)))
    return out


# The work manual's stage each phase of the proposal's plan belongs to (plan.yaml names the phases).
def _manual_stage(name: str, data: dict) -> str:
    if name == data["talk"]["name"]:
        return "顾问式营销"
    if name in (data["confirm"]["name"], data["agreement"]["name"]):
        return "合同签订"
    return "二次营销" if name == data["review"]["name"] else "售后服务"


def plan_when(start: dt.date, end: dt.date) -> str:
    """A phase's dates as the proposal's 实施计划 writes them (on one line)."""
    return cn_date(start) if start == end else f"{cn_date(start)}至{cn_date(end)}"


def _steps(rec: Recommendation, people: list[PersonPlan], today: dt.date, plan: Plan, data: dict,
           back: list[str] | None = None) -> list[Step]:
    """Before and at the visit, the manager's own two steps; after it, the proposal's own plan
    (:mod:`.plan`, the same phases and dates as its 实施计划 and the deck's 下一步), each phase in the
    manual's stage it belongs to, with what the manager adds to it."""
    profile = rec.profile
    back = list(rec.unmatched) if back is None else back  # the needs to take back to product managers
    visit = profile.visit_date
    past = visit is not None and visit < today
    shown = pitched(rec)
    urgent = {e.product.id for sm in rec.statements if sm.statement == plan.urgent for e in sm.products}
    first = next((m.product.name for m in shown if m.product.id in urgent), None) or (
        shown[0].product.name if shown else None)
    win = [p for p in people if p.priority in ("首要争取", "重点化解")]
    gatekeepers = [p.name for p in people if p.role == ROLES["gatekeeper"]]
    untouched = [label for key, label in CATEGORIES.items() if key not in profile.needs]
    prepare = "用 pitchcraft generate 生成建议书和 PPT；准备费用对比测算、资费明细和同行业案例"
    if back:
        prepare += f"；把 {len(back)} 条待带回需求先发给产品经理"
    visit_todo = "按提问清单挖掘需求（现状→问题→影响→价值），" + (
        f"先谈客户最急的一件事和对应的{first}；能在手机上演示的产品现场演示，争取试用或试点" if first
        else "弄清客户最急的一件事，回来后与产品经理研究方案")
    if win:
        visit_todo += f"；重点见{_names([p.name for p in win])}"
    steps = [
        Step("制定方案", prepare, f"{_cn_date(visit - dt.timedelta(days=1))}前"
             if visit and visit - dt.timedelta(days=1) >= today else "拜访前"),
        Step("顾问式营销", visit_todo, f"下次拜访（档案中的{_cn_date(visit)}已过，请约定新日期）" if past
             else _cn_date(visit) if visit else "拜访当天（日期未定）"),
    ]
    delivery_seen = False
    for ph in plan.phases:
        stage = _manual_stage(ph.name, data)
        todo = f"{ph.name}：{ph.what}。客户配合：{ph.client}"
        if ph.name == data["agreement"]["name"] and gatekeepers:
            todo += f"。请{_names(gatekeepers)}提前审阅费用和合同"
        if ph.live and not delivery_seen:  # the first go-live: the manager's first revisit follows it
            delivery_seen = True
            todo += "。客户经理跟进开通进度，开通后一周内回访，处理问题不过夜"
        if stage == "二次营销":
            if back:
                todo += "。答复待带回的需求"
            if untouched:
                todo += ("；" if back else "。") + f"从尚未谈到的{_names(untouched)}方面发掘新需求"
        steps.append(Step(stage, todo, plan_when(ph.start, ph.end)))
    return steps


def compose_brief(rec: Recommendation, today: dt.date, discovery: dict | None = None,
                  copy: Copy | None = None, issuer=None, words: Words | None = None, offer=None,
                  plan_data: dict | None = None, cues: tuple[dict, ...] | None = None) -> Brief:
    """Everything the brief says, as data, with its blocks in reading order. ``copy`` is the
    workspace's sales copy (:mod:`pitchcraft.content.copy`); the packaged copy when absent.
    ``issuer`` is the :class:`~pitchcraft.model.company.Issuer` of the client's documents: the
    brief names the same. ``words`` are the client's (the workspace's vocabulary); the catalog's
    texts the brief quotes are put in them, as in the client documents (no 〔场所〕 left over).
    ``offer`` is the documents' quote: the quantities it leaves to the client are asked at the visit.
    ``plan_data`` is the workspace's ``proposal/plan.yaml`` (:func:`.plan.load_plan`; the packaged one
    when absent): the steps after the visit are the proposal's own plan, phase for phase and date for date.
    ``cues`` are the proposal's needs table (``proposal/needs.yaml``, the packaged one when absent): a
    statement it routes to network maintenance is said so, never counted as a need without a product."""
    copy = copy or load_copy([packaged_templates()])
    if words is None:
        words = load_vocabulary([packaged_templates()]).words_for(rec.profile.industry, rec.profile.name)
    discovery = discovery or {"situations": {}, "notes": {}}
    plan_data = plan_data or load_plan(packaged_templates() / "proposal" / "plan.yaml")
    if cues is None:
        cues = needs_text.load_cues(packaged_templates() / "proposal" / "needs.yaml")
    shown = in_client_words(client_view(rec), words)  # the proposal's plan is made from what it pitches
    plan = plan_for(shown, plan_data, today, offer if offer is not None else
                    for_recommendation(shown, shown.pricing, today), words, discovery)
    rec = in_client_words(rec, words)
    profile = rec.profile
    people = _people(profile, copy)
    stage = _stage(rec, copy, offer)
    objections = [_price_objection(rec, copy, offer)]
    objections.append(_competitor_objection(rec, copy) if profile.competitor else _status_quo_objection(rec, copy))
    objections += _person_objections(people, profile, copy)
    objections += _product_objections(rec, copy)
    questions = _questions(rec, discovery, copy, cues)
    network = network_routed(rec, cues)
    back = [st for st in rec.unmatched if st not in network]
    steps = _steps(rec, people, today, plan, plan_data, back)
    manager = issuer.manager if issuer is not None else None
    meta = tuple((k, v) for k, v in (
        ("拜访日期", _visit_meta(profile.visit_date, today)),
        ("出具单位", f"{issuer.full_name}（{issuer.company.department}）" if issuer is not None else None),
        ("客户经理", " ".join(x for x in (manager.name, manager.phone, manager.email) if x) if manager
         else "未填写（文档中的联系电话为服务热线" + (f" {issuer.hotline}" if issuer is not None else "") + "）"),
        ("编制日期", _cn_date(today)),
    ) if v)
    brief = Brief(profile.name, f"{profile.name}{TITLE_WORD}", BANNER, meta, people, stage, objections, questions,
                  back, steps,
                  footer_note=copy.sections["footer"],
                  issuer=f"{issuer.full_name} {issuer.company.department}" if issuer is not None else "",
                  plan=plan, network=network)
    brief.blocks = _blocks(rec, brief, discovery, copy, offer, shown.cases, words.site)
    brief.heading = title_heading(profile.name)
    notes = before_visit(profile.visit_date, today, manager is not None, offer, copy)
    if notes:  # what the manager must know before walking in: first, above the snapshot
        brief.blocks[:0] = [Para(copy.warnings["lead"], "lead"), Bullets(tuple(notes))]
    return brief


def title_heading(name: str) -> str:
    """The title as the first page shows it: on one line when it fits, else the client's name, a line
    break, and 拜访简报 on its own line (never a last line of one character, as "…拜访简 / 报")."""
    title = name + TITLE_WORD
    width = sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in title)
    return title if width <= TITLE_CHARS else f"{name}\n{TITLE_WORD}"


def _months(days: int) -> str:
    return f"{days // 30} 个月" if days >= 60 else f"{days} 天"


def _visit_meta(visit: dt.date | None, today: dt.date) -> str:
    """The visit date as the header states it: a date behind the brief's own is said to be past."""
    if visit is None:
        return "未定"
    if visit < today:
        return f"{_cn_date(visit)}（已过，早于本简报的编制日期 {_months((today - visit).days)}）"
    if visit == today:
        return f"{_cn_date(visit)}（今天）"
    return _cn_date(visit)


def before_visit(visit: dt.date | None, today: dt.date, has_manager: bool, offer=None,
                 copy: Copy | None = None) -> list[str]:
    """The brief's warnings to the manager, in the order they matter at the door: the visit date
    (past, long past, not set), no named manager, the quote far over the budget, the quantities the
    client did not give and those counted from the profile rather than from the client's words.
    The sentences are ``templates/brief/warnings.yaml``'s (``copy.warnings``)."""
    text = (copy or load_copy([packaged_templates()])).warnings
    out = []
    if visit is None:
        out.append(text["no_visit_date"])
    elif visit < today:
        days = (today - visit).days
        line = put(text["visit_past"], date=_cn_date(visit), age=_months(days))
        if days >= STALE_DAYS:
            line += text["visit_stale"]
        out.append(line + text["visit_moved"])
    if not has_manager:
        out.append(text["no_manager"])
    if offer is not None and offer.budget:
        monthly, budget = offer.monthly_total, offer.budget
        if monthly > budget:
            over = (monthly - budget) / budget
            line = put(text["over_budget"], monthly=money(monthly), budget=money(budget), over=f"{over:.0%}",
                       first_year=money(offer.first_year_total))
            if over >= FAR_OVER:
                line += text["far_over"]
            out.append(line)
        elif offer.first_year_total > offer.year_budget:
            out.append(put(text["first_year_over"], monthly=money(monthly), budget=money(budget),
                           one_off=money(offer.one_off_total), first_year=money(offer.first_year_total),
                           year_budget=money(offer.year_budget)))
    if offer is not None:
        missing = list(dict.fromkeys(ln.name for ln in offer.to_confirm))
        if missing:
            line = put(text["unquoted"], items=_names(missing))
            if offer.budget and offer.monthly_total < offer.budget * SMALL_SHARE:
                line += put(text["unquoted_small"], monthly=money(offer.monthly_total),
                            share=f"{offer.monthly_total / offer.budget:.1%}")
            out.append(line)
        counted = list(dict.fromkeys(
            f"{ln.name} {ln.item} ×{ln.quantity}（{ln.basis}）" for ln in offer.lines
            if (ln.rule == "employees" and ln.quantity) or (ln.rule == "sites" and ln.quantity > 1)))
        if counted:
            out.append(put(text["counted"], items="；".join(counted)))
    return out


def _snapshot(rec: Recommendation, stage: Stage, site: str = "办公点/厂区/门店", network: int = 0) -> Table:
    """The client at a glance; ``site`` the client's word for its sites (院区, 门店 …), as its documents say."""
    p = rec.profile
    size = "、".join(x for x in (
        f"{p.employees} 人" if p.employees else "",
        f"{p.sites} 个{site}" if p.sites else "",
    ) if x) or "未填写"
    if p.size:
        size += f"（{SIZE_SHORT[p.size]}）"
    current = [m.name for m in rec.current_products]
    current_text = _names(current) if current else "无（新客户）"
    if rec.unknown_current:
        current_text += f"；产品目录中找不到：{_names(rec.unknown_current)}，请核实"
    counts = [f"{CATEGORIES.get(k, '其他')} {len(v)}" for k, v in p.needs.items() if v]
    total = len(p.statements())
    open_needs = len(rec.open_needs)  # no 明确 link: the proposal's 待进一步沟通
    asked = open_needs - len(rec.unmatched)
    needs = (f"共 {total} 条（{'，'.join(counts)}）；建议书中有产品回应 {total - open_needs} 条"
             + (f"，对应产品待确认 {asked} 条" if asked else "")
             + (f"，转网络维护 {network} 条" if network else "") + f"，待带回 {len(rec.unmatched) - network} 条")
    rows = [
        ("客户名称", p.name),
        ("行业", INDUSTRY_LABELS[p.industry]),
        ("规模", size),
        ("价值等级", f"{p.tier} 类" if p.tier else "未填写"),
        ("地区", p.region or "未填写"),
        ("现有我方业务", current_text),
        ("竞争对手", p.competitor or "未填写"),
        ("月预算", money(p.budget_monthly) if p.budget_monthly is not None else "未填写"),
        ("需求概况", needs),
        ("关系阶段", stage.name),
    ]
    return Table(("项目", "内容"), tuple(rows), (1.4, 6.0))


def _to_confirm_blocks(offer, text: dict) -> list:
    """The quote's quantities the client did not give: the proposal prices them per unit, outside
    its totals; the manager asks for the number, never guesses it."""
    lines = offer.to_confirm if offer is not None else []
    if not lines:
        return []
    rows = tuple(dict.fromkeys(
        (ln.name, ln.item, (ln.source.confirm if ln.source else None) or "数量",
         f"“{ln.source.statement}”" if ln.source and ln.source.statement else "—") for ln in lines))
    return [Para(put(text["bundle"]["to_confirm"], count=str(len(rows)))),
            Table(("产品", "资费项目", "要确认的数", "客户原话"), rows, (1.3, 1.8, 1.2, 3.1), "表：待确认的数量")]


def _blocks(rec: Recommendation, brief: Brief, discovery: dict, copy: Copy, offer=None, cited=None,
            site: str = "办公点/厂区/门店") -> list:
    """The brief's blocks; ``cited`` the cases the client's documents cite (those of its view: a case
    chosen only for a product the documents leave out is not cited), ``rec.cases`` when not given."""
    num = Numbering()
    blocks: list = []
    text = copy.sections

    def h1(text: str) -> None:
        blocks.append(Heading(1, num.next(1) + text))

    def h2(text: str) -> None:
        blocks.append(Heading(2, num.next(2) + text))

    h1("客户速览")
    blocks.append(_snapshot(rec, brief.stage, site, len(brief.network)))

    h1("关键人地图")
    if brief.people:
        deciders = [x for x in brief.people if x.role == ROLES["decision_maker"]]
        to_win = [x for x in brief.people if x.priority in ("首要争取", "重点化解")]
        allies = [x for x in brief.people if x.attitude == ATTITUDES["supportive"]]
        summary = [
            "拍板的人：" + (_names([f"{x.name}（{x.title}，{x.attitude}）" for x in deciders]) if deciders
                          else text["people"]["no_decider"]),
            "需要争取：" + (_names([f"{x.name}（{x.title}，{x.role}，{x.attitude}）" for x in to_win]) if to_win
                          else text["people"]["no_one_to_win"]),
            "可以依靠：" + (_names([f"{x.name}（{x.title}）" for x in allies]) if allies
                          else text["people"]["no_ally"]),
        ]
        blocks.append(Bullets(tuple(summary)))
        blocks.append(Table(("姓名", "职务", "角色", "态度", "策略"),
                            tuple((x.name, x.title, x.role, x.attitude, f"【{x.priority}】{x.strategy}")
                                  for x in brief.people),
                            (1.0, 1.3, 0.9, 0.8, 4.6), "表：关键人与策略"))
    else:
        blocks.append(Para(text["people"]["none"]))
        blocks.append(Bullets(tuple(text["people"]["kinds"])))

    h1("客户关系阶段")
    stage = brief.stage
    blocks.append(Para(f"判断：{stage.name}。依据：{stage.basis}。", "lead"))
    blocks.append(Para(stage.meaning))
    blocks.append(Para("下一步："))
    blocks.append(Bullets(stage.actions))

    h1("推荐组合")
    if rec.all_products:
        aside = [m for m in rec.all_products if set_aside(m)]
        held = [m for m in rec.all_products if not in_documents(m) and not set_aside(m) and not rides(m)]
        riding = [m for m in rec.all_products if rides(m)]
        shown_new = pitched(rec)
        shown_ext = [m for m in rec.extensions if in_documents(m)]
        blocks.append(Para(f"建议书和 PPT 推荐 {len(shown_new)} 个新产品"
                           + (f"，另有 {len(shown_ext)} 项现有业务可扩容" if shown_ext else "")
                           + (f"；另有 {len(held)} 项待确认，没有写入建议书和 PPT（表中已注明，见“待确认”一节）"
                              if held else "")
                           + (f"；{len(aside)} 项是另一产品的替代做法，只作为可选方案写入、不报价（见下文）"
                              if aside else "")
                           + (f"；{len(riding)} 项只沾上了另一产品回应的原话，没有写入建议书和 PPT，"
                              "拜访时不要推荐（不在表中，见下文）" if riding else "")
                           + ("" if held or aside or riding else "，表中的产品都已写入建议书和 PPT")
                           + "。" + text["bundle"]["lead_tail"]))
        rows = [_bundle_row(m) for m in rec.all_products if not rides(m)]
        blocks.append(Table(("产品", "一句话价值", "回应的客户原话", "标准资费"), tuple(rows),
                            (1.3, 2.4, 2.6, 2.1), "表：推荐组合"))
        blocks += _to_confirm_blocks(offer, text)
        if aside:  # one product per need: which way was set aside, and how the manager switches
            blocks.append(Para(text["bundle"]["aside"]))
            blocks.append(Bullets(tuple(alternative_line(rec, m, BRIEF_WORDS) for m in aside)))
        if riding:  # found by the matcher, but the statement asks what another product does
            blocks.append(Para(text["bundle"]["riding"]))
            blocks.append(Bullets(tuple(riding_line(m) for m in riding)))
    else:
        blocks.append(Para(text["bundle"]["none"]))

    weak = rec.to_confirm
    if weak:  # links the matcher is not sure of: not in the client's documents, asked at the visit
        h1("待确认")
        blocks.append(Para(text["weak"]))
        blocks.append(Table(("客户原话", "可能的产品", "要问的问题"),
                            tuple((f"“{link.statement}”", link.product.name, link.question or "")
                                  for link in weak), (2.6, 1.3, 3.3), "表：待确认"))
    h1("可引用的案例")
    blocks += case_blocks(rec.cases if cited is None else cited)

    h1("拜访提问清单")
    blocks.append(Para(text["questions"]["lead"]))
    by_cat: dict[str, list[NeedQuestions]] = {}
    for q in brief.questions:
        by_cat.setdefault(q.category, []).append(q)
    situations = discovery.get("situations", {})
    for cat in [*CATEGORIES, *[c for c in by_cat if c not in CATEGORIES]]:
        label = CATEGORIES.get(cat, "其他需求")
        items = by_cat.get(cat, [])
        spin = copy.spin.get(cat, copy.spin["basic_comms"])
        if items:
            h2(label)
            if cat in situations:
                blocks.append(Para(f"已了解的现状：{situations[cat]}", "note"))
            for q in items:
                blocks.append(Para(f"“{q.statement}”", "quote"))
                blocks.append(Bullets(q.questions))
        elif cat in CATEGORIES:
            h2(f"{label}（尚未谈到）")
            blocks.append(Para(text["questions"]["untouched"]))
            blocks.append(Bullets((f"现状：{spin['situation']}", f"问题：{spin['problem']}")))

    h1("可能的异议与应答")
    blocks.append(Para(text["objections_lead"]))
    blocks.append(Table(("类型", "客户可能说", "建议应答"),
                        tuple((o.topic, o.says, o.answer) for o in brief.objections),
                        (1.0, 2.4, 5.0), "表：异议与应答"))

    h1("待带回的需求")
    if brief.unmatched:
        blocks.append(Para(put(text["unmatched"]["some"], count=str(len(brief.unmatched)))))
        blocks.append(Bullets(tuple(brief.unmatched)))
    elif not brief.network:
        blocks.append(Para(text["unmatched"]["none"]))
    if brief.network:  # a coverage complaint: to network maintenance, not to a product manager
        blocks.append(Para(put(text["unmatched"]["coverage"], count=str(len(brief.network)))))
        blocks.append(Bullets(tuple(brief.network)))
    if rec.unknown_current:
        blocks.append(Para(put(text["unmatched"]["unknown_current"], names=_names(rec.unknown_current)), "note"))

    h1("后续步骤")
    plan = brief.plan
    if plan is not None:
        visit = rec.profile.visit_date
        said = ("拜访之后的阶段和时间就是建议书“实施计划”一章和 PPT“下一步”一页的计划，按工作日排（不计周末"
                + (f"和{_names(plan.holidays)}" if plan.holidays else "") + "）；向客户讲时间时以建议书为准。")
        if visit is not None and visit < plan.start:
            said += f"档案中的拜访日期（{_cn_date(visit)}）已过，计划和建议书一样从{_cn_date(plan.start)}排起；如拜访改期，请更新档案后重新生成。"
        blocks.append(Para(said))
    blocks.append(Table(("环节", "要做的事", "时间"),
                        tuple((s.phase, s.todo, s.when) for s in brief.steps),
                        (1.2, 4.8, 2.2), "表：按工作流程的后续步骤"))
    return blocks


def _bundle_row(m: ProductMatch) -> tuple[str, str, str, str]:
    p = m.product
    name = p.name + ("\n（现有业务扩容）" if m.existing else "") + (
        "\n（可选方案，未报价）" if set_aside(m) else "" if in_documents(m) else "\n（待确认，未写入建议书）")
    value = p.benefits[0] if p.benefits else p.summary
    needs = "\n".join(f"“{sm.statement}”" for sm in m.statements)
    return (name, value, needs, p.tariff_summary)


# --- making and writing the file ------------------------------------------------------------------------


def discovery_of(source: Path | bytes) -> dict:
    """The interview's notes from a profile file, or from the exact bytes already read from it."""
    if isinstance(source, (bytes, bytearray)):
        text, _problems = decode(bytes(source), Path("profile.yaml"))
        src = parse(text, Path("profile.yaml"))[0] if text is not None else None
    else:
        src, _problems = read_yaml(Path(source))
    return read_discovery(src.data if src is not None else None)
