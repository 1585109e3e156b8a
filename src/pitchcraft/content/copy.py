"""The sales copy an account manager reads, kept as workspace data a product manager edits:
``templates/brief/playbooks.yaml`` (per product: a question that qualifies the need, the client's
likely question and its answer) and ``templates/interview/spin.yaml`` (the consultative questions per
need area, asked by ``pitchcraft interview`` and printed in the visit brief).

Each file is read with positions and checked by a spec, so ``catalog validate`` reports a problem
with file:line like the catalog's, and every product id of the playbooks is checked against the
catalog. A workspace's own file replaces the packaged one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, Problem
from ..model.catalog import Catalog
from ..model.spec import INVALID, Ctx, Field, MapOf, Record, Text, validate
from ..model.vocab import CATEGORIES, SPIN_LABELS
from ..yamlsrc import read_yaml

PLAYBOOKS = "brief/playbooks.yaml"
SPIN_FILE = "interview/spin.yaml"

_LINE = Text(min_len=2, max_len=300)
PLAYBOOKS_SPEC = Record({
    "generic_qualify": Field(_LINE, required=True),
    "products": Field(MapOf(Record({
        "qualify": Field(_LINE, required=True),
        "client_asks": Field(_LINE, required=True),
        "answer": Field(Text(min_len=2, max_len=600), required=True),
    }, description="一个产品的话术")), required=True),
}, description="拜访简报的产品话术")
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


def _read(path: Path, spec) -> tuple[object, object, list[Problem]]:
    src, problems = read_yaml(path)
    if src is None:
        return None, None, problems
    ctx = Ctx(src)
    data = validate(spec, ctx)
    return src, data, problems + ctx.problems


def read_copy(playbooks: Path, spin: Path) -> tuple[Copy | None, list[Problem]]:
    """Both copy files, checked; the copy is None when either has an error."""
    src, books, problems = _read(Path(playbooks), PLAYBOOKS_SPEC)
    _spin_src, questions, spin_problems = _read(Path(spin), SPIN_SPEC)
    problems += spin_problems
    if any(p.severity == "error" for p in problems) or books in (None, INVALID) or questions in (None, INVALID):
        return None, problems
    lines = {pid: src.where(("products", pid))[0] for pid in books["products"]}
    return Copy(books["generic_qualify"],
                {pid: (b["qualify"], b["client_asks"], b["answer"]) for pid, b in books["products"].items()},
                {cat: dict(q) for cat, q in questions.items()}, lines, Path(playbooks)), problems


def copy_files(templates: list[Path]) -> tuple[Path, Path]:
    """The playbooks and SPIN files: the first of ``templates`` (folders) that has each."""
    def first(relative: str) -> Path:
        for folder in templates:
            if (folder / relative).is_file():
                return folder / relative
        return templates[-1] / relative
    return first(PLAYBOOKS), first(SPIN_FILE)


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
def _load(playbooks: Path, spin: Path, _stamp: tuple) -> Copy:
    copy, problems = read_copy(playbooks, spin)
    if copy is None:
        raise InputError([p for p in problems if p.severity == "error"] or problems)
    return copy


def load_copy(templates: list[Path]) -> Copy:
    """The copy for a run (workspace files first, then the packaged ones); raises :class:`InputError`
    with file:line when a file is broken."""
    playbooks, spin = copy_files(templates)
    stamp = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (playbooks, spin))
    return _load(playbooks, spin, stamp)
