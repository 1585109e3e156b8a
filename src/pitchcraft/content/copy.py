"""The sales copy an account manager reads, kept as workspace data a product manager edits:
``templates/brief/playbooks.yaml`` (per product: a question that qualifies the need, the client's
likely question and its answer), ``templates/brief/people.yaml`` (how to win each key person over,
by role and attitude, and what an opposed one says with the answer), ``templates/brief/stages.yaml``
(the relationship stages with their next steps), ``templates/brief/objections.yaml`` (the price,
competitor and status-quo objections every brief answers, the competitors it recognises, and the
answer for a product without a playbook), ``templates/brief/warnings.yaml`` (the brief's 拜访前请注意),
``templates/brief/sections.yaml`` (each section's fixed text), ``templates/interview/spin.yaml`` (the
consultative questions per need area, asked by ``pitchcraft interview``; the brief prints their
situation and problem questions) and ``templates/interview/topics.yaml`` (the brief's implication and
need-payoff questions, chosen by what each statement is about, a neutral pair when no rule fits).

A text may name a few of the client's facts as ``{name}`` (each field says which, :class:`Slotted`);
they are replaced as plain text (:func:`put`), never evaluated, and any other ``{…}`` is an error.

Each file is read with positions and checked by a spec, so ``catalog validate`` reports a problem
with file:line like the catalog's, and every product id of the playbooks is checked against the
catalog. A workspace's own file replaces the packaged one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, Problem
from ..model.catalog import Catalog
from ..model.spec import INVALID, Field, ListOf, MapOf, Record, Text, read_checked
from ..model.vocab import ATTITUDES, CATEGORIES, ROLES, SPIN_LABELS
from ..workspace import first_template

PLAYBOOKS = "brief/playbooks.yaml"
OBJECTIONS = "brief/objections.yaml"
PEOPLE = "brief/people.yaml"
STAGES_FILE = "brief/stages.yaml"
SPIN_FILE = "interview/spin.yaml"
WARNINGS = "brief/warnings.yaml"
SECTIONS = "brief/sections.yaml"
TOPICS = "interview/topics.yaml"
STAGE_KEYS = ("clip", "zipper", "velcro")  # the relationship stages (seed 004), loosest first

_SLOT = re.compile(r"\{([^{}]*)\}")


@dataclass
class Slotted(Text):
    """A text that may name some of the client's facts as ``{name}``: only those of ``slots``."""
    slots: tuple[str, ...] = ()

    def _unknown(self, value: str) -> list[str]:
        return [name for name in _SLOT.findall(value) if name not in self.slots]

    def as_is(self, value) -> bool:
        return super().as_is(value) and not self._unknown(value)

    def check(self, value, path, ctx):
        out = super().check(value, path, ctx)
        if isinstance(out, str):
            for name in self._unknown(out):
                can = "、".join("{" + s + "}" for s in self.slots)
                ctx.error(path, f"未知的占位 {{{name}}}" + (f"，这里可用：{can}" if can else "，这里不能用占位"))
        return out


def put(text: str, **values: str) -> str:
    """``text`` with its ``{name}`` slots replaced by ``values`` (plain text, no template engine)."""
    return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _slotted(max_len: int, *slots: str) -> Slotted:
    return Slotted(min_len=2, max_len=max_len, slots=slots)


_LINE = Text(min_len=2, max_len=300)
PLAYBOOKS_SPEC = Record({
    "generic_qualify": Field(_LINE, required=True),
    "products": Field(MapOf(Record({
        "qualify": Field(_LINE, required=True),
        "client_asks": Field(_LINE, required=True),
        "answer": Field(Text(min_len=2, max_len=600), required=True),
    }, description="一个产品的话术")), required=True),
}, description="拜访简报的产品话术")
_SAYS = Record({"says": Field(_LINE, required=True), "answer": Field(Text(min_len=2, max_len=600), required=True)})
PEOPLE_SPEC = Record({
    "role_unknown": Field(_LINE, required=True),
    "attitude_unknown": Field(_LINE, required=True),
    "strategies": Field(Record({role: Field(Record({att: Field(_LINE, required=True) for att in ATTITUDES},
                                                   description=f"{label}：按态度"), required=True)
                                for role, label in ROLES.items()}), required=True),
    "objections": Field(Record({role: Field(_SAYS, required=True) for role in ROLES}), required=True),
}, description="关键人的争取办法和反对意见")
STAGES_SPEC = Record({key: Field(Record({
    "name": Field(Text(min_len=2, max_len=40), required=True),
    "meaning": Field(Text(min_len=2, max_len=600), required=True),
    "actions": Field(ListOf(_slotted(300, "lead", "current"), min_items=1), required=True),
}), required=True) for key in STAGE_KEYS}, description="客户关系阶段")


def _says_answer(*slots: str) -> Record:
    """What the client says and the answer's lines, both may name ``slots``."""
    return Record({"says": Field(_slotted(300, *slots), required=True),
                   "answer": Field(ListOf(_slotted(600, *slots), min_items=1, single_ok=True), required=True)})


OBJECTIONS_SPEC = Record({
    "price": Field(Record({
        "topic": Field(Text(min_len=1, max_len=20), required=True),
        "says": Field(_LINE, required=True),
        **{key: Field(_slotted(300, *slots), required=True) for key, slots in (
            ("ask_why", ()), ("cheaper_rival", ()), ("budget_phased", ("core", "later")), ("budget_small", ()),
            ("no_intent", ()), ("value", ("first_need",)), ("tariffs", ("tariffs",)), ("no_tariffs", ()),
            ("budget_known", ("budget",)), ("budget_unknown", ()))},
        # the discount the profile asks for beyond the manager's authority: whose approval it needs
        "discount_approval": Field(_slotted(300, "requested", "granted", "approver")),
    }, description="价格异议"), required=True),
    "competitors": Field(ListOf(Record({
        "match": Field(ListOf(Text(min_len=1, max_len=20), min_items=1, single_ok=True), required=True),
        "who": Field(Text(min_len=1, max_len=20), required=True),
        "bundle": Field(_LINE, required=True),
    }, description="一家竞争对手")), default=list),
    "competitor": Field(Record({
        "topic": Field(Text(min_len=1, max_len=20), required=True),
        "ours_missing": Field(Text(min_len=1, max_len=40), required=True),
        "known": Field(_says_answer("who", "bundle", "ours"), required=True),
        "other": Field(_says_answer("name", "ours"), required=True),
    }, description="竞争对手异议"), required=True),
    "status_quo": Field(Record({
        "topic": Field(Text(min_len=1, max_len=20), required=True),
        **_says_answer("first_need").fields,
    }, description="现状异议"), required=True),
    "product": Field(_says_answer("product", "tariff"), required=True),
}, description="拜访简报的常见异议")
SPIN_SPEC = Record({cat: Field(Record({kind: Field(_LINE, required=True) for kind in SPIN_LABELS},
                                      description=f"{label}的四类提问"), required=True)
                    for cat, label in CATEGORIES.items()}, description="顾问式提问")


_PAIR = {"implication": Field(_LINE, required=True), "need_payoff": Field(_LINE, required=True)}


def _topic_has_test(value: dict, path: tuple, ctx) -> None:
    if not value.get("cue") and not value.get("words"):
        ctx.error(path, "cue 和 words 至少要写一项：否则这条规则对哪句原话都不适用")


_WORDS = ListOf(Text(min_len=1, max_len=20), min_items=1, single_ok=True)
TOPICS_SPEC = Record({
    "neutral": Field(Record(dict(_PAIR), description="通用的影响、价值两问"), required=True),
    "topics": Field(ListOf(Record({
        "key": Field(Text(min_len=1, max_len=30), required=True),
        "cue": Field(Text(min_len=1, max_len=30)),
        "words": Field(_WORDS),
        "unless": Field(_WORDS),
        **_PAIR,
    }, check_all=_topic_has_test, description="一条按原话选提问的规则")), default=list),
}, description="按原话选的影响、价值提问")
_W = _slotted
WARNINGS_SPEC = Record({
    "lead": Field(Text(min_len=2, max_len=20), required=True),
    **{key: Field(_W(400, *slots), required=True) for key, slots in (
        ("no_visit_date", ()), ("visit_past", ("date", "age")), ("visit_stale", ()), ("visit_moved", ()),
        ("no_manager", ()), ("over_budget", ("monthly", "budget", "over", "first_year")), ("far_over", ()),
        ("first_year_over", ("monthly", "budget", "one_off", "first_year", "year_budget")),
        ("unquoted", ("items",)), ("unquoted_small", ("monthly", "share")), ("counted", ("items",)))},
}, description="拜访前请注意")
SECTIONS_SPEC = Record({
    "footer": Field(_W(300), required=True),
    "people": Field(Record({
        "none": Field(_W(300), required=True),
        "kinds": Field(ListOf(_W(100), min_items=1), required=True),
        **{k: Field(_W(100), required=True) for k in ("no_decider", "no_one_to_win", "no_ally")},
    }), required=True),
    "bundle": Field(Record({
        **{k: Field(_W(300), required=True) for k in ("none", "lead_tail", "aside", "riding")},
        "to_confirm": Field(_W(300, "count"), required=True),
    }), required=True),
    "weak": Field(_W(300), required=True),
    "questions": Field(Record({k: Field(_W(300), required=True)
                               for k in ("lead", "untouched", "unmatched", "coverage")}), required=True),
    "objections_lead": Field(_W(300), required=True),
    "unmatched": Field(Record({
        "some": Field(_W(300, "count"), required=True),
        "none": Field(_W(300), required=True),
        "coverage": Field(_W(400, "count"), required=True),
        "unknown_current": Field(_W(300, "names"), required=True),
    }), required=True),
}, description="拜访简报各节的说明文字")


@dataclass(frozen=True)
class Copy:
    generic_qualify: str
    playbooks: dict[str, tuple[str, str, str]]   # product id -> (qualify, client asks, answer)
    spin: dict[str, dict[str, str]]              # need area -> SPIN kind -> question
    product_lines: dict[str, int | None]         # product id -> its line in the playbooks file
    playbooks_file: Path
    role_unknown: str = ""
    attitude_unknown: str = ""
    strategies: dict[tuple[str, str], str] = None   # (role, attitude) -> how to win the person over
    objections: dict[str, tuple[str, str]] = None   # role -> (what an opposed person says, the answer)
    stages: dict[str, tuple[str, str, tuple[str, ...]]] = None  # stage -> (name, meaning, actions)
    answers: dict = None  # templates/brief/objections.yaml as checked by OBJECTIONS_SPEC
    warnings: dict = None  # templates/brief/warnings.yaml (拜访前请注意) as checked by WARNINGS_SPEC
    sections: dict = None  # templates/brief/sections.yaml (each section's fixed text) as checked by SECTIONS_SPEC
    topics: dict = None    # templates/interview/topics.yaml (影响/价值 per statement) as checked by TOPICS_SPEC


def _read(path: Path, spec) -> tuple[object, object, list[Problem]]:
    return read_checked(path, spec)


def read_copy(playbooks: Path, spin: Path, people: Path, stages: Path, objections: Path,
              warnings: Path, sections: Path, topics: Path) -> tuple[Copy | None, list[Problem]]:
    """The copy files, checked; the copy is None when any has an error."""
    src, books, problems = _read(Path(playbooks), PLAYBOOKS_SPEC)
    read = [_read(Path(path), spec) for path, spec in ((spin, SPIN_SPEC), (people, PEOPLE_SPEC), (stages, STAGES_SPEC),
                                                      (objections, OBJECTIONS_SPEC), (warnings, WARNINGS_SPEC),
                                                      (sections, SECTIONS_SPEC), (topics, TOPICS_SPEC))]
    for _src, _data, more in read:
        problems += more
    (questions, persons, phases, answers, notes, texts, topics_data) = (data for _src, data, _more in read)
    if any(p.severity == "error" for p in problems) or any(
            d in (None, INVALID) for d in (books, questions, persons, phases, answers, notes, texts, topics_data)):
        return None, problems
    lines = {pid: src.where(("products", pid))[0] for pid in books["products"]}
    return Copy(books["generic_qualify"],
                {pid: (b["qualify"], b["client_asks"], b["answer"]) for pid, b in books["products"].items()},
                {cat: dict(q) for cat, q in questions.items()}, lines, Path(playbooks),
                persons["role_unknown"], persons["attitude_unknown"],
                {(role, att): text for role, by in persons["strategies"].items() for att, text in by.items()},
                {role: (o["says"], o["answer"]) for role, o in persons["objections"].items()},
                {key: (s["name"], s["meaning"], tuple(s["actions"])) for key, s in phases.items()}, answers,
                notes, texts, topics_data), problems


def copy_files(templates: list[Path]) -> tuple[Path, ...]:
    """The copy's files (playbooks, SPIN, people, stages, objections, warnings, sections, topics), each the
    workspace's own if it has one."""
    return tuple(first_template(templates, f) for f in (PLAYBOOKS, SPIN_FILE, PEOPLE, STAGES_FILE, OBJECTIONS,
                                                        WARNINGS, SECTIONS, TOPICS))


def check_copy(templates: list[Path], catalog: Catalog | None) -> list[Problem]:
    """What ``catalog validate`` reports about the copy: its files' problems, and every playbook
    of the workspace's own file naming a product its catalog does not have (the packaged file, the
    fallback of a workspace without one, is written for the shipped catalog and checked by the tests)."""
    copy, problems = read_copy(*copy_files(templates))
    own = copy is not None and copy.playbooks_file.parent.parent.resolve() == Path(templates[0]).resolve()
    if own and catalog is not None:
        for pid, line in copy.product_lines.items():
            if pid not in catalog.by_id:
                problems.append(Problem(copy.playbooks_file, line, None, f"products.{pid}",
                                        f"产品 {pid} 在产品目录中不存在", rule="dangling-ref"))
    return problems


@lru_cache(maxsize=8)
def _load(files: tuple[Path, ...], _stamp: tuple) -> Copy:
    copy, problems = read_copy(*files)
    if copy is None:
        raise InputError([p for p in problems if p.severity == "error"] or problems)
    return copy


def load_copy(templates: list[Path]) -> Copy:
    """The copy for a run (workspace files first, then the packaged ones); raises :class:`InputError`
    with file:line when a file is broken."""
    files = copy_files(templates)
    stamp = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in files)
    return _load(files, stamp)
