"""The sales copy an account manager reads, kept as workspace data a product manager edits:
``templates/brief/playbooks.yaml`` (per product: a question that qualifies the need, the client's
likely question and its answer), ``templates/brief/people.yaml`` (how to win each key person over,
by role and attitude, and what an opposed one says with the answer), ``templates/brief/stages.yaml``
(the relationship stages with their next steps) and ``templates/interview/spin.yaml`` (the consultative questions per
need area, asked by ``pitchcraft interview`` and printed in the visit brief).

Each file is read with positions and checked by a spec, so ``catalog validate`` reports a problem
with file:line like the catalog's, and every product id of the playbooks is checked against the
catalog. A workspace's own file replaces the packaged one.
"""

from __future__ import annotations

import os

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, Problem
from ..model.catalog import Catalog
from ..model.spec import INVALID, Ctx, Field, ListOf, MapOf, Record, Text, validate
from ..model.vocab import ATTITUDES, CATEGORIES, ROLES, SPIN_LABELS
from ..yamlsrc import read_yaml

PLAYBOOKS = "brief/playbooks.yaml"
PEOPLE = "brief/people.yaml"
STAGES_FILE = "brief/stages.yaml"
SPIN_FILE = "interview/spin.yaml"
STAGE_KEYS = ("clip", "zipper", "velcro")  # the relationship stages (seed 004), loosest first

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
    "actions": Field(ListOf(_LINE, min_items=1), required=True),
}), required=True) for key in STAGE_KEYS}, description="客户关系阶段")
SPIN_SPEC = Record({cat: Field(Record({kind: Field(_LINE, required=True) for kind in SPIN_LABELS},
                                      description=f"{label}的四类提问"), required=True)
                    for cat, label in CATEGORIES.items()}, description="顾问式提问")


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


def _read(path: Path, spec) -> tuple[object, object, list[Problem]]:
    src, problems = read_yaml(path)
    if src is None:
        return None, None, problems
    ctx = Ctx(src)
    data = validate(spec, ctx)
    return src, data, problems + ctx.problems


def read_copy(playbooks: Path, spin: Path, people: Path, stages: Path) -> tuple[Copy | None, list[Problem]]:
    """The copy files, checked; the copy is None when any has an error."""
    src, books, problems = _read(Path(playbooks), PLAYBOOKS_SPEC)
    read = [_read(Path(path), spec) for path, spec in ((spin, SPIN_SPEC), (people, PEOPLE_SPEC), (stages, STAGES_SPEC))]
    for _src, _data, more in read:
        problems += more
    (questions, persons, phases) = (data for _src, data, _more in read)
    if any(p.severity == "error" for p in problems) or any(d in (None, INVALID) for d in (books, questions, persons, phases)):
        return None, problems
    lines = {pid: src.where(("products", pid))[0] for pid in books["products"]}
    return Copy(books["generic_qualify"],
                {pid: (b["qualify"], b["client_asks"], b["answer"]) for pid, b in books["products"].items()},
                {cat: dict(q) for cat, q in questions.items()}, lines, Path(playbooks),
                persons["role_unknown"], persons["attitude_unknown"],
                {(role, att): text for role, by in persons["strategies"].items() for att, text in by.items()},
                {role: (o["says"], o["answer"]) for role, o in persons["objections"].items()},
                {key: (s["name"], s["meaning"], tuple(s["actions"])) for key, s in phases.items()}), problems


def copy_files(templates: list[Path]) -> tuple[Path, Path, Path, Path]:
    """The copy's files (playbooks, SPIN, people, stages): the first of ``templates`` (folders) that has each."""
    def first(relative: str) -> Path:
        for folder in templates:
            if (folder / relative).is_file() or os.path.lexists(folder / relative):  # a pipe is read, and refused
                return folder / relative
        return templates[-1] / relative
    return first(PLAYBOOKS), first(SPIN_FILE), first(PEOPLE), first(STAGES_FILE)


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
