"""Files to validated domain objects: profiles, the catalog, the case library.

Every function gathers all problems of its files and raises one :class:`InputError` with all of
them; warnings are returned to the caller, who decides whether to show them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .errors import InputError, Problem
from .schema import Case, Product, Profile
from .spec import INVALID, Ctx
from .yamlsrc import Located, decode, parse, read_yaml


@dataclass
class Catalog:
    products: tuple[Product, ...]
    out_of_scope: tuple[str, ...]
    out_of_scope_cues: tuple[str, ...]
    file: Path
    checksum: str
    by_id: dict[str, Product] = field(default_factory=dict)
    by_name: dict[str, Product] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.products}
        self.by_name = {}
        for p in self.products:
            for n in p.names:
                self.by_name.setdefault(_name_key(n), p)

    def resolve(self, name: str) -> Product | None:
        """A product by id, name or alias (case and width insensitive)."""
        return self.by_id.get(name) or self.by_name.get(_name_key(name))


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", name).casefold()


def _fail_if_errors(problems: list[Problem]) -> list[Problem]:
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return [p for p in problems if p.severity == "warning"]


def _top_level_mapping(src: Located | None, problems: list[Problem], what: str) -> bool:
    if src is None:
        return False
    if not isinstance(src.data, dict):
        kind = "列表" if isinstance(src.data, list) else "单个值"
        line, col = src.where(())
        problems.append(Problem(src.file, line, col, "", f"{what}的最外层应为键值对（如 client: …），实际是{kind}"))
        return False
    return True


def load_profile(path: Path) -> tuple[Profile, list[Problem]]:
    """Read and validate one client needs profile."""
    src, problems = read_yaml(path)
    if not _top_level_mapping(src, problems, "需求档案") or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    ctx = Ctx(src)
    data = schema.validate(schema.PROFILE_SPEC, ctx)
    problems += ctx.problems
    warnings = _fail_if_errors(problems)
    assert data is not INVALID
    return schema.build_profile(data), warnings


def load_catalog(path: Path) -> tuple[Catalog, list[Problem]]:
    src, problems = read_yaml(path)
    if not _top_level_mapping(src, problems, "产品目录") or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    ctx = Ctx(src)
    data = schema.validate(schema.CATALOG_SPEC, ctx)
    problems += ctx.problems
    if data is INVALID:
        raise InputError(problems)
    products = []
    for i, item in enumerate(data["products"]):
        products.append(schema.build_product(item, src.where(("products", i))[0]))
    problems += _catalog_cross_checks(products, src)
    warnings = _fail_if_errors(problems)
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    return Catalog(tuple(products), tuple(data["out_of_scope"]), tuple(data["out_of_scope_cues"]), path,
                   checksum), warnings


def _catalog_cross_checks(products: list[Product], src: Located) -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, tuple[str, int]] = {}
    ids = {p.id for p in products}
    for i, p in enumerate(products):
        if p.id in seen_ids:
            problems.append(src.problem(("products", i, "id"), f"产品 id {p.id} 重复（第一次出现在第 {seen_ids[p.id]} 行）",
                                        rule="duplicate-id"))
        seen_ids.setdefault(p.id, src.where(("products", i, "id"))[0] or 0)
        for j, n in enumerate(p.names):
            key = _name_key(n)
            path = ("products", i, "name") if j == 0 else ("products", i, "aliases", j - 1)
            if key in seen_names and seen_names[key][0] != p.id:
                other, line = seen_names[key]
                problems.append(src.problem(path, f"名称或别名“{n}”同时指向 {other}（第 {line} 行）和 {p.id}",
                                            rule="duplicate-name"))
            seen_names.setdefault(key, (p.id, src.where(path)[0] or 0))
        if p.replaced_by and p.replaced_by not in ids:
            problems.append(src.problem(("products", i, "replaced_by"), f"replaced_by 指向不存在的产品 {p.replaced_by}",
                                        rule="dangling-ref"))
    return problems


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.S | re.M)
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*$", re.M)


def load_case(path: Path) -> tuple[Case, list[Problem]]:
    """One case file: YAML front matter between ``---`` lines, then ``## 小节`` Markdown sections."""
    case, _src, warnings = _load_case(path)
    return case, warnings


def _load_case(path: Path) -> tuple[Case, Located, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(path, None, None, "", f"无法读取：{exc.strerror}", rule="io")]) from None
    text, problems = decode(raw, path)
    if text is None:
        raise InputError(problems)
    m = _FRONT.match(text)
    if not m:
        raise InputError([Problem(path, 1, 1, "", "案例文件应以 --- 开头的 YAML 头信息开始，并以单独一行 --- 结束",
                                  rule="case-format")])
    src, problems = parse(m.group(1), path, line_offset=1)
    if not _top_level_mapping(src, problems, "案例头信息") or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    ctx = Ctx(src)
    data = schema.validate(schema.CASE_SPEC, ctx)
    problems += ctx.problems
    body = text[m.end():]
    body_line = text[: m.end()].count("\n") + 1
    sections = _sections(body)
    for name in schema.CASE_SECTIONS_REQUIRED:
        if not sections.get(name):
            problems.append(Problem(path, body_line, 1, "", f"正文缺少“## {name}”小节（或小节为空）",
                                    rule="case-format"))
    if data is not INVALID and data["id"] != path.stem:
        problems.append(src.problem(("id",), f"id {data['id']} 应与文件名 {path.stem} 一致", rule="case-id"))
    warnings = _fail_if_errors(problems)
    return schema.build_case(data, sections, str(path)), src, warnings


def _sections(body: str) -> dict[str, str]:
    from .spec import clean_text

    out: dict[str, str] = {}
    parts = _HEADING.split(body)
    for title, content in zip(parts[1::2], parts[2::2]):
        out[title.strip()] = clean_text(content, multiline=True)
    return out


def load_cases(folder: Path, catalog: Catalog | None) -> tuple[list[Case], list[Problem]]:
    """Every ``*.md`` in the case folder; all files' problems together."""
    problems: list[Problem] = []
    cases: list[Case] = []
    sources: dict[str, Located] = {}
    if not folder.is_dir():
        return [], []
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            case, src, warnings = _load_case(path)
        except InputError as exc:
            problems += exc.problems
            continue
        problems += warnings
        cases.append(case)
        sources.setdefault(case.id, src)
    seen: dict[str, str] = {}
    for case in cases:
        if case.id in seen:
            problems.append(Problem(case.file, 2, 1, "id", f"案例 id {case.id} 与 {seen[case.id]} 重复",
                                    rule="duplicate-id"))
            continue
        seen.setdefault(case.id, case.file)
        if catalog is not None:
            for i, pid in enumerate(case.products):
                if pid not in catalog.by_id:
                    problems.append(sources[case.id].problem(("products", i), f"产品 {pid} 在产品目录中不存在",
                                                             rule="dangling-ref"))
    if catalog is not None:
        ids = {c.id for c in cases}
        for p in catalog.products:
            for ref in p.related_cases:
                if ref not in ids:
                    problems.append(Problem(catalog.file, p.line, None, f"{p.id}.related_cases",
                                            f"相关案例 {ref} 在案例库中不存在", rule="dangling-ref"))
    warnings = _fail_if_errors(problems)
    return cases, warnings
