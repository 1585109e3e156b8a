"""The proposal's outline and the templates behind it, checked before anything is rendered.

``templates/proposal/outline.yaml`` says which chapters appear, in what order and on what condition;
each chapter's words live in a Jinja2 text. Presales edit both, so every mistake — a condition, a
template, a variable or a ``[[component]]`` that does not exist, a Jinja syntax error — is reported
with its file and line before any document is composed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta

from ..cache import cache_folder, code_digest
from ..errors import InputError, Problem
from ..reading import ReadError, decode_text, read_regular
from .textblocks import MAX_TEMPLATE_BYTES, make_env, syntax_message
from ..model.spec import Boolean, Field, ListOf, Record, Text, INVALID, read_checked

PITCH_NOTES = ("title.j2", "situation.j2", "needs.j2", "solution_map.j2", "product.j2", "case.j2", "pricing.j2",
               "next_steps.j2", "closing.j2", "contact.j2")
NOTE_EXTRAS = {"product.j2": {"product"}, "case.j2": {"case"}, "title.j2": {"persons"}, "pricing.j2": {"persons"}}


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    when: str | None
    numbered: bool = True


# A chapter's ``when``: computed from the recommendation and the texts' variables (``ctx``).
CONDITIONS = {
    "has_products": lambda rec, ctx: bool(rec.all_products),
    "has_cases": lambda rec, ctx: bool(rec.cases),
    "has_unmatched": lambda rec, ctx: bool(rec.unmatched),
    "has_open_needs": lambda rec, ctx: bool(ctx.get("open_needs")),
    "has_contacts": lambda rec, ctx: bool(rec.profile.contacts),
    "has_extensions": lambda rec, ctx: bool(rec.extensions),
    "has_production_control": lambda rec, ctx: bool(rec.profile.needs.get("production_control")),
    "has_quote": lambda rec, ctx: any(m.product.tariff_items for m in rec.products),
    "has_budget": lambda rec, ctx: rec.profile.budget_monthly is not None,
    "has_compliance": lambda rec, ctx: bool(ctx.get("compliance")),
}

# The chapter that says what the proposal does not answer yet (待进一步沟通): every outline keeps it,
# shown whenever there is such a need, so a statement of the client's never silently vanishes.
OPEN_NEEDS_TEMPLATE = "open_needs.j2"
OPEN_NEEDS_WHEN = (None, "has_open_needs")

OUTLINE_SPEC = Record({
    "sections": Field(ListOf(Record({
        "title": Field(Text(max_len=60), required=True),
        "template": Field(Text(max_len=100, pattern=r"[\w.-]+\.j2", pattern_hint="proposal/ 下的 .j2 文件名"),
                          required=True),
        "when": Field(Text(max_len=40)),
        "numbered": Field(Boolean(), default=True),
    }), min_items=1), required=True),
})


def load_outline(path: Path) -> list[Section]:
    sections, _lines = _read_outline(path)
    return sections


def _read_outline(path: Path) -> tuple[list[Section], list[tuple[int | None, int | None]]]:
    src, data, problems = read_checked(path, OUTLINE_SPEC)
    if src is None:
        raise InputError(problems)
    if data is not INVALID:
        for i, s in enumerate(data["sections"]):
            if s["when"] and s["when"] not in CONDITIONS:
                problems.append(src.problem(("sections", i, "when"),
                                            f"条件 {s['when']} 不存在，可选：{'、'.join(CONDITIONS)}", rule="outline"))
        problems += _open_needs_problems(src, data["sections"])
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    sections = [Section(s["title"], s["template"], s["when"], s["numbered"]) for s in data["sections"]]
    lines = [src.where(("sections", i, "template")) for i in range(len(sections))]
    return sections, lines


def _open_needs_problems(src, sections: list[dict]) -> list[Problem]:
    """The outline keeps the 待进一步沟通 chapter (open_needs.j2), with no condition but has_open_needs:
    without it, the needs the proposal does not answer would be left out of it without a word."""
    found = [i for i, s in enumerate(sections) if s["template"] == OPEN_NEEDS_TEMPLATE]
    if not found:
        return [src.problem(("sections",), f"大纲中没有“待进一步沟通”一章（template: {OPEN_NEEDS_TEMPLATE}）："
                            "客户提出而方案还没有回应的需求会从建议书中消失。请加回这一章"
                            "（标题和位置可以改，when 写 has_open_needs 或不写）", rule="outline")]
    return [src.problem(("sections", i, "when"), f"“待进一步沟通”一章（{OPEN_NEEDS_TEMPLATE}）的 when 只能写 "
                        f"has_open_needs 或不写：写成 {sections[i]['when']} 时，有待沟通的需求也可能不出现在建议书中",
                        rule="outline")
            for i in found if sections[i]["when"] not in OPEN_NEEDS_WHEN]


def check_templates(outline: Path, find, allowed: set[str], components: set[str]) -> list[Section]:
    """The outline's sections, after checking every template they and the deck use.

    ``find(relative)`` locates a template file (workspace first, then packaged defaults) or None.
    """
    sections, lines = _read_outline(outline)
    problems: list[Problem] = []
    for i, (section, (line, col)) in enumerate(zip(sections, lines)):
        path = find(f"proposal/{section.template}")
        if path is None:
            problems.append(Problem(outline, line, col, f"sections[{i}].template",
                                    f"模板文件 proposal/{section.template} 不存在", rule="outline"))
            continue
        problems += _check_one(path, allowed, components)
    for name in PITCH_NOTES:
        path = find(f"pitch/{name}")
        if path is None:
            problems.append(Problem(outline.parent.parent / "pitch" / name, None, None, "",
                                    "演讲备注模板不存在", rule="template"))
            continue
        problems += _check_one(path, allowed | NOTE_EXTRAS.get(name, set()), set())
    if problems:
        raise InputError(problems)
    return sections


def _check_one(path: Path, allowed: set[str], components: set[str]) -> tuple[Problem, ...]:
    """One template's findings; a file that is no regular, bounded UTF-8 text is one finding itself."""
    try:
        raw = read_regular(path, MAX_TEMPLATE_BYTES, "模板文件")
    except ReadError as exc:
        return (Problem(path, None, None, "", exc.message, rule="io"),)
    text, line, message = decode_text(raw)
    if text is None:
        return (Problem(path, line, None, "", message, rule="io"),)
    return _check_source(path, text, frozenset(allowed), frozenset(components))


@lru_cache(maxsize=256)
def _check_source(path: Path, source: str, allowed: frozenset[str], components: frozenset[str]
                  ) -> tuple[Problem, ...]:
    """The findings for one template text; cached by its content, so a batch checks each template
    once while an edited template is checked again. A text found clean is also remembered in the
    user's cache folder: parsing the two dozen texts was a tenth of a one-proposal run."""
    stamp = _clean_stamp(source, allowed, components)
    if stamp is not None and stamp.exists():
        return ()
    problems = _find_problems(path, source, allowed, components)
    if not problems and stamp is not None:
        try:
            stamp.touch()
        except OSError:
            pass
    return problems


def _clean_stamp(source: str, allowed: frozenset[str], components: frozenset[str]) -> Path | None:
    """Where a clean check of this text is recorded: keyed by the text, the names it may use, the
    checker's own code and Jinja's version, so any change to one of them checks the text again."""
    folder = cache_folder("checked-templates")
    if folder is None:
        return None
    key = hashlib.sha256()
    for part in (code_digest(Path(__file__)), jinja2.__version__, source, *sorted(allowed), "\0", *sorted(components)):
        key.update(part.encode("utf-8") + b"\0")
    return folder / key.hexdigest()


def _find_problems(path: Path, source: str, allowed: frozenset[str], components: frozenset[str]
                   ) -> tuple[Problem, ...]:
    try:
        ast = make_env([]).parse(source)  # with pitchcraft's filters, so they parse
        undeclared = meta.find_undeclared_variables(ast)  # compiles: an unknown filter fails here
    except jinja2.TemplateSyntaxError as exc:
        exc.source = exc.source or source
        return (Problem(path, exc.lineno, None, "", syntax_message(exc), rule="template"),)
    problems = []
    for name in sorted(undeclared - allowed):
        problems.append(Problem(path, _line_of(source, rf"\b{re.escape(name)}\b"), None, "",
                                f"模板使用了不存在的变量 {name}；可用：{'、'.join(sorted(allowed))}", rule="template"))
    for n, text in enumerate(source.splitlines(), 1):
        m = re.fullmatch(r"\s*\[\[(.+?)\]\]\s*", text)
        if m and m.group(1).strip() not in components:
            problems.append(Problem(path, n, None, "", f"组件 [[{m.group(1).strip()}]] 不存在；可用："
                                    f"{'、'.join(sorted(components))}", rule="template"))
    return tuple(problems)


def _line_of(source: str, pattern: str) -> int | None:
    for n, text in enumerate(source.splitlines(), 1):
        if re.search(pattern, text):
            return n
    return None
