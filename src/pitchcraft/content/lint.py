"""Every check on the catalog and the case library, in one place.

``pitchcraft catalog validate`` runs :func:`lint`; ``generate`` and ``recommend`` load the same
files through :mod:`pitchcraft.load`, which uses the readers below (this module sits under it), so a file that the linter
rejects can never reach a client's proposal.

A file is read into a :class:`CatalogFile` or :class:`CaseFile`: YAML with positions, the schema
(:mod:`pitchcraft.model`), then the rules that need only that file. Rules across files (a case
naming a product, a product naming a case) run on those results, so a broken catalog does not stop
the cases from being checked, and every problem of every file is reported at once.

Each finding is a :class:`~pitchcraft.errors.Problem` with a stable rule id (:data:`RULES`,
documented in docs/content-format.md). Some warnings may be kept with a written reason
(``waivers:``); those are counted, not shown.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from ..errors import Problem
from ..model.company import COMPANY_SPEC, Company, build_company, place_key
from ..model.catalog import (CATALOG_HEADER_FIELDS, PRODUCT_SPEC, PRODUCTS_SPEC, Catalog, Product, build_pricing,
                             build_product, name_key)
from ..model.case import (CASE_SECTION_OUTCOME, CASE_SECTIONS, CASE_SECTIONS_CLIENT, CASE_SECTIONS_FORMER, CASE_SPEC,
                          Case, build_case)
from ..model.spec import INVALID, Choice, Ctx, ListOf, Record, Text, clean_text, validate
from ..model.vocab import CASE_STATUS_NAMES, PLACEHOLDER, PRODUCT_STATUS_NAMES
from ..yamlsrc import Located, decode, parse, path_str, read_bytes
from . import salesstory

EXPIRING_DAYS = 30           # tariff-expiring: how many days ahead an expiry is announced
DEFAULT_MAX_CASE_AGE = 3     # case-stale: years
PARALLEL_MIN_FILES = 400     # below this many case files, reading in one process is faster

# rule id -> (severity, what it checks); the reference is docs/content-format.md
RULES: dict[str, tuple[str, str]] = {
    "io": ("error", "文件无法读取"),
    "yaml": ("error", "YAML 语法错误（Tab 缩进、中文冒号、“-”后缺空格等）、文件不是 UTF-8 编码或文件为空"),
    "characters": ("warning", "文件中有文档无法容纳的字符（控制字符、U+FFFE、U+FFFF），已删除"),
    "folded-text": ("warning", "一个列表项写在了多行上，会合并成一条（可能漏写了“- ”）"),
    "schema": ("error", "字段的类型、必填字段、取值范围和格式"),
    "unknown-field": ("warning", "未知字段（多半是拼写错误），内容被忽略"),
    "duplicate-id": ("error", "两个产品或两个案例用了同一个 id"),
    "duplicate-name": ("error", "一个名称或别名同时指向两个产品"),
    "dangling-ref": ("error", "引用的产品或案例不存在（案例的 products、产品的 related_cases、replaced_by、requires、excludes）"),
    "ref-conflict": ("error", "requires / excludes 自相矛盾"),
    "tariff-negative": ("error", "资费价格为负数"),
    "tariff-unit": ("error", "未知的计费单位"),
    "tariff-expired": ("error", "资费已过失效日期，或生效日期晚于失效日期"),
    "tariff-expiring": ("warning", f"资费将在 {EXPIRING_DAYS} 天内到期"),
    "tariff-quantity": ("error", "资费的数量依据写法不对：per: messages 缺少每包条数 contains，或只按客户所说计数的项目写了 share"),
    "retired-referenced": ("error", "在用案例、在售产品引用了已下线的产品"),
    "copy-figure": ("error", "产品文案中的数字与结构化字段矛盾：可用率、故障恢复/响应时间与服务等级不同，或有阶梯价的资费只写了起步单价"),
    "absolute-claim": ("warning", "宣传文字中有广告法禁止的绝对化用语（最、第一、唯一、国家级、顶级、100% 等）"),
    "case-consent": ("error", "未取得授权（consent: false）却写了客户真实名称"),
    "case-stale": ("warning", "案例数据年份早于设定的年限，或没有写年份"),
    "case-format": ("error", "案例文件格式：头信息、小节的名称（客户背景、面临的挑战、解决方案、实施成效、内部复盘）、未填写的占位内容"),
    "case-outcome": ("error", "案例没有成效：缺少“## 实施成效”小节或 results，或成效里没有数字"),
    "case-sales-story": ("warning", "案例给客户看的部分（标题、需求、成效、客户评价、四个正文小节）读起来像销售过程：任务、打法、竞争对手、签约、我方业绩"),
    "case-sample": ("warning", "编写的示例案例（sample: true），用于客户前必须换成真实案例"),
    "case-id": ("error", "案例 id 格式不对或与文件名不一致"),
    "case-draft": ("warning", "草稿案例（status: draft），不会被方案引用"),
    "waiver": ("error", "说明理由（waivers）写法不对：缺少理由、规则不能说明，或没有对应的提示（警告）"),
    "company-phone": ("error", "出具方信息（company.yaml）中的电话格式不对：手机 11 位，服务电话写成“区号-号码”"),
    "company-example": ("warning", "出具方信息（company.yaml）中还有示例数据（example: true）：地址、服务电话或客户经理需换成真实信息"),
}

# --- absolute claims (《广告法》第九条第三项) -----------------------------------------------------
# Each starts with a literal character, so texts are scanned for those characters first (a regex
# alternation tried at every position costs ~60 µs per KB; this costs a few).
# Ordinal and limit uses are not claims: 最多 3 个、最近、第一次、第一时间、唯一编号 …
_CLAIMS = (
    r"最(?![多少近后终早晚长短初])",
    r"第一(?![次步天批期阶轮年周月季条项类部章节线时])",
    r"唯一(?!标识|编号|编码|识别|身份|的编号|的标识|ID|id|码)",
    "国家级", "世界级", "顶级", "顶尖", "极致", "独家", "首家", "首个", "首选", "绝对", "万能", "永久", "零风险",
    "百分之百",
    r"100(?:\.0+)?\s*[%％]",
)
_ABSOLUTE = re.compile("|".join(_CLAIMS))
_CLAIM_START = re.compile("[" + "".join(sorted({c[0] for c in _CLAIMS})) + "]")
# the text a reader of a proposal or a pitch sees; clients' own words (client_phrases, needs) are not claims
_PRODUCT_CLAIM_FIELDS = ("name", "summary", "how_it_works", "promotion")
_PRODUCT_CLAIM_LISTS = ("aliases", "benefits")


def absolute_terms(text: str) -> list[tuple[int, str]]:
    """Offsets and words of the absolute claims in ``text``."""
    out = []
    start = _CLAIM_START.search(text)
    while start:
        at = start.start()
        hit = _ABSOLUTE.match(text, at)
        if hit and not (hit.group()[0] == "1" and at and (text[at - 1].isdigit() or text[at - 1] == ".")):
            out.append((at, hit.group()))  # 100% but not 1100% or 0.100%
            at = hit.end() - 1
        start = _CLAIM_START.search(text, at + 1)
    return out


def _claim_message(text: str, offset: int, term: str) -> str:
    context = " ".join(text[max(0, offset - 6):offset + len(term) + 6].split())
    return (f"“{context}”中的“{term}”是广告法禁止的绝对化用语，请改为可核实的表述"
            "（或在 waivers 中写明理由）")


# --- results ----------------------------------------------------------------------------------


@dataclass
class _Waiver:
    rule: str
    term: str | None
    path: tuple
    used: bool = False


class _Sink:
    """Collects one file's findings; warnings covered by a waiver are counted apart."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.waived: list[Problem] = []

    def add(self, problem: Problem, waivers: list[_Waiver] = (), term: str | None = None) -> None:
        if problem.severity == "warning":
            for w in waivers:
                if w.rule == problem.rule and (w.term is None or w.term == term):
                    w.used = True
                    self.waived.append(problem)
                    return
        self.problems.append(problem)

    def unused(self, src: Located, waivers: list[_Waiver]) -> None:
        for w in waivers:
            if not w.used:
                what = f"“{w.term}”的 {w.rule}" if w.term else w.rule
                self.add(src.problem(w.path, f"没有需要说明理由的 {what} 提示，请删除这条说明",
                                     severity="warning", rule="waiver"))


def _waivers(items: list[dict], base: tuple) -> list[_Waiver]:
    return [_Waiver(w["rule"], w["term"], base + ("waivers", i)) for i, w in enumerate(items)]


@dataclass
class CatalogFile:
    """One read of catalog/products.yaml: the valid products, and what is wrong."""

    path: Path
    catalog: Catalog | None        # None when the file cannot be read as YAML at all
    problems: list[Problem]
    waived: list[Problem]
    raw_status: dict[str, str] = field(default_factory=dict)  # every product entry with an id, valid or not
    checked: list[tuple[int, Product]] = field(default_factory=list)  # (index in the file, product), broken ones too


@dataclass
class CaseFile:
    """One read of a case file; ``case`` is None when its front matter is invalid."""

    path: Path
    id: str | None
    id_line: int | None
    status: str
    product_refs: list[tuple[str, int | None, int | None]]  # product id, line, column
    case: Case | None
    problems: list[Problem]
    waived: list[Problem]


@dataclass
class Report:
    """Everything ``catalog validate`` found, files in order, each file's findings by position."""

    problems: list[Problem]
    waived: list[Problem]
    products: int
    cases: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ----------------------------------------------------------------------------------


def _read_text(path: Path) -> tuple[bytes | None, str | None, list[Problem]]:
    raw, problems = read_bytes(path)  # a regular file, bounded: a case linked to /dev/zero is refused
    if raw is None:
        return None, None, problems
    text, problems = decode(raw, path)
    return raw, text, [replace(p, rule="yaml") if p.severity == "error" else p for p in problems]


def _locate(lines: list[str], line: int | None, col: int | None, needle: str, span: int
            ) -> tuple[int | None, int | None]:
    """Where ``needle`` is written in the file, searching from a value's position onwards.

    YAML marks point at a value's key (or list dash); the words inside, in plain, quoted or block
    scalars, are found in the raw lines that follow, within ``span`` lines.
    """
    if line is None:
        return line, col
    start = (col or 1) - 1
    for n in range(line - 1, min(line - 1 + span, len(lines))):
        at = lines[n].find(needle, start if n == line - 1 else 0)
        if at >= 0:
            return n + 1, at + 1
    return line, col


def _scan_claims(sink: _Sink, src: Located, lines: list[str], path: tuple, text: str,
                 waivers: list[_Waiver]) -> None:
    terms = absolute_terms(text)
    if not terms:
        return
    line, col = src.where(path)
    span = text.count("\n") + 3
    seen: set[str] = set()
    for offset, term in terms:
        if term in seen:
            continue  # one finding per word and field
        seen.add(term)
        at_line, at_col = _locate(lines, line, col, term, span)
        sink.add(Problem(src.file, at_line, at_col, path_str(path), _claim_message(text, offset, term),
                         "warning", "absolute-claim"), waivers, term)


_CATALOG_HEADER = Record(CATALOG_HEADER_FIELDS)
_PRODUCT_STATUS = PRODUCT_STATUS_NAMES


def read_catalog(path: Path, *, today: dt.date | None = None) -> CatalogFile:
    """Read and check the product catalog; never raises for what is in the file."""
    today = today or dt.date.today()
    raw, text, problems = _read_text(path)
    if text is None:
        return CatalogFile(path, None, problems, [])
    src, parse_problems = parse(text, path)
    problems += parse_problems
    if src is None:
        return CatalogFile(path, None, problems, [])
    if not isinstance(src.data, dict):
        kind = "列表" if isinstance(src.data, list) else "单个值"
        problems.append(src.problem((), f"产品目录的最外层应为键值对（catalog:、products: …），实际是{kind}"))
        return CatalogFile(path, None, problems, [])

    ctx = Ctx(src)
    header = _CATALOG_HEADER.check({k: v for k, v in src.data.items() if k != "products"}, (), ctx)
    if header is INVALID:
        header = {"out_of_scope": [], "out_of_scope_cues": [], "pricing": None}
    raw_products = src.data.get("products")
    items: Any = []
    if raw_products is None:
        ctx.error((), "缺少必填字段 products")
    else:
        items = PRODUCTS_SPEC.check_items(raw_products, ("products",), ctx)
        if items is INVALID:
            items = []
    problems += ctx.problems

    raw_status: dict[str, str] = {}
    for entry in raw_products if isinstance(raw_products, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            status = entry.get("status")
            key = _PRODUCT_STATUS.get(status.strip()) if isinstance(status, str) else None
            raw_status.setdefault(entry["id"], key or "active")

    products: list[Product] = []
    index_of: dict[str, int] = {}
    waivers_of: dict[int, list[_Waiver]] = {}
    for i, data in items:
        products.append(build_product(data, src.where(("products", i))[0]))
        index_of.setdefault(data["id"], i)
        waivers_of[i] = _waivers(data["waivers"], ("products", i))
    indexed = [(i, p) for (i, _d), p in zip(items, products)]
    # a product with a schema error is still checked for everything else, so that one run reports
    # all errors instead of one round per fix: checked without its broken fields where it can be
    for i, data in _repaired(src, raw_products, {i for i, _ in items}, ctx.problems):
        indexed.append((i, build_product(data, src.where(("products", i))[0])))
        waivers_of[i] = _waivers(data["waivers"], ("products", i))
    indexed.sort(key=lambda item: item[0])

    sink = _Sink()
    for p in problems:
        sink.add(p)
    lines = text.split("\n")
    _check_products(sink, src, lines, indexed, raw_status, waivers_of, today)
    for i, _p in indexed:
        sink.unused(src, waivers_of[i])
    _check_bundles(sink, src, header.get("pricing") or {}, raw_status)

    catalog = Catalog(tuple(products), tuple(header["out_of_scope"]), tuple(header["out_of_scope_cues"]), path,
                      hashlib.sha256(raw).hexdigest(), src=src, index_of=index_of,
                      pricing=build_pricing(header["pricing"]))
    return CatalogFile(path, catalog, _by_id(sink.problems, raw_products), _by_id(sink.waived, raw_products),
                       raw_status, indexed)


_PRODUCT_FIELD = re.compile(r"^products\[(\d+)\](?:\.([A-Za-z_]+))?")


def _repaired(src: Located, raw_products: Any, valid: set[int], found: list[Problem]) -> list[tuple[int, dict]]:
    """The products that failed their schema, checked again without the fields that failed."""
    if not isinstance(raw_products, list):
        return []
    broken: dict[int, set[str]] = {}
    for p in found:
        m = _PRODUCT_FIELD.match(p.field)
        if m and int(m.group(1)) not in valid:
            broken.setdefault(int(m.group(1)), set()).add(m.group(2) or "")
    out = []
    for i, fields in sorted(broken.items()):
        entry = raw_products[i] if i < len(raw_products) else None
        if not isinstance(entry, dict) or "" in fields:
            continue
        repaired = {k: v for k, v in entry.items() if k not in fields}
        for name in fields:
            spec = PRODUCT_SPEC.fields.get(name)
            if spec is not None and spec.required:
                stand_in = _stand_in(spec.spec, i)
                if stand_in is None:
                    break
                repaired[name] = stand_in
        else:
            data = PRODUCT_SPEC.check(repaired, ("products", i), Ctx(src))  # its findings are known
            if data is not INVALID:
                out.append((i, data))
    return out


def _stand_in(spec: Any, i: int) -> Any:
    """A valid value standing in for a broken required field while the rest is checked (never shown)."""
    if isinstance(spec, Choice):
        return next(iter(spec.choices))
    if isinstance(spec, Text):
        return f"待修正{i}"[: spec.max_len].ljust(spec.min_len, "正")
    if isinstance(spec, ListOf) and spec.min_items <= 1:
        item = _stand_in(spec.item, i)
        return [item] if item is not None else None
    return None


def _by_id(problems: list[Problem], raw_products: Any) -> list[Problem]:
    """``products[25].tariff`` named as a product manager knows it: ``vpmn.tariff``."""
    if not isinstance(raw_products, list):
        return problems
    out = []
    for p in problems:
        m = _PRODUCT_FIELD.match(p.field)
        entry = raw_products[int(m.group(1))] if m and int(m.group(1)) < len(raw_products) else None
        pid = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(pid, str) and re.fullmatch(r"[a-z][a-z0-9_]{0,59}", pid):
            rest = p.field[len(f"products[{m.group(1)}]"):]
            p = replace(p, field=f"{pid}{rest}")
        out.append(p)
    return out


def _check_bundles(sink: _Sink, src: Located, pricing: dict, status: dict[str, str]) -> None:
    """Bundle rules name existing, active products; discount authority grows with the role."""
    for i, bundle in enumerate(pricing.get("bundles") or ()):
        for j, ref in enumerate(bundle["products"]):
            if ref not in status:
                sink.add(src.problem(("pricing", "bundles", i, "products", j), f"组合优惠中的产品 {ref} 不存在",
                                     rule="dangling-ref"))
            elif status[ref] == "retired":
                sink.add(src.problem(("pricing", "bundles", i, "products", j), f"组合优惠中的产品 {ref} 已下线",
                                     rule="retired-referenced"))
    limits = [a["max_discount"] for a in pricing.get("authority") or ()]
    for i in range(1, len(limits)):
        if limits[i] < limits[i - 1]:
            sink.add(src.problem(("pricing", "authority", i, "max_discount"),
                                 "折让权限应由低到高排列：上级的权限不能小于下级", rule="schema"))


def _check_products(sink: _Sink, src: Located, lines: list[str], products: list[tuple[int, Product]],
                    raw_status: dict[str, str], waivers_of: dict[int, list[_Waiver]], today: dt.date) -> None:
    first_id: dict[str, tuple] = {}  # product id -> path of its first id
    name_owner: dict[str, tuple[str, str, tuple]] = {}  # name key -> (product id, name as written, path)
    by_id = {p.id: p for _, p in products}

    def line_of(path: tuple) -> int:  # asked only for a finding: positions are looked up, not kept
        return src.where(path)[0] or 0

    for i, p in products:
        base = ("products", i)
        if p.id in first_id:
            sink.add(src.problem(base + ("id",), f"产品 id {p.id} 重复（第一次出现在第 {line_of(first_id[p.id])} 行）",
                                 rule="duplicate-id"))
        else:
            first_id[p.id] = base + ("id",)
        for j, n in enumerate(p.names):
            path = base + ("name",) if j == 0 else base + ("aliases", j - 1)
            key = name_key(n)
            owner = name_owner.get(key)
            if owner and owner[0] != p.id:
                sink.add(src.problem(path, f"名称或别名“{n}”同时指向 {owner[0]}（“{owner[1]}”，第 {line_of(owner[2])} 行）"
                                           f"和 {p.id}，按名称查找产品时会找错", rule="duplicate-name"))
            elif not owner:
                name_owner[key] = (p.id, n, path)
            if n in by_id and n != p.id:
                sink.add(src.problem(path, f"名称或别名“{n}”与另一个产品的 id 相同，按名称查找时会找到产品 {n}",
                                     rule="duplicate-name"))

    for i, p in products:
        base = ("products", i)
        waivers = waivers_of[i]
        _check_refs(sink, src, base, p, raw_status)
        _check_tariff(sink, src, base, p, today, waivers)
        for name in _PRODUCT_CLAIM_FIELDS:
            _scan_claims(sink, src, lines, base + (name,), getattr(p, name), waivers)
        for name in _PRODUCT_CLAIM_LISTS:
            for j, text in enumerate(getattr(p, name)):
                _scan_claims(sink, src, lines, base + (name, j), text, waivers)
        for j, entry in enumerate(p.industry_copy):  # read by clients of those industries, as the defaults
            at = base + ("industry_copy", j)
            for name in ("summary", "how_it_works"):
                if getattr(entry, name):
                    _scan_claims(sink, src, lines, at + (name,), getattr(entry, name), waivers)
            for k, text in enumerate(entry.benefits):
                _scan_claims(sink, src, lines, at + ("benefits", k), text, waivers)
        _scan_claims(sink, src, lines, base + ("tariff", "summary"), p.tariff_summary, waivers)
        for j, item in enumerate(p.tariff_items):
            _scan_claims(sink, src, lines, base + ("tariff", "items", j, "name"), item.name, waivers)
        for path, text in _copy_texts(base, p):
            _check_figures(sink, src, lines, path, text, p, waivers)


def _copy_texts(base: tuple, p: Product) -> Iterator[tuple[tuple, str]]:
    """Every text of a product a client or a manager reads, with its path in the file."""
    for name in ("summary", "how_it_works", "promotion"):
        yield base + (name,), getattr(p, name)
    yield base + ("tariff", "summary"), p.tariff_summary
    for j, text in enumerate(p.benefits):
        yield base + ("benefits", j), text
    for j, (_q, a) in enumerate(p.faq):
        yield base + ("faq", j, "a"), a
    for j, entry in enumerate(p.industry_copy):
        at = base + ("industry_copy", j)
        for name in ("summary", "how_it_works"):
            if getattr(entry, name):
                yield at + (name,), getattr(entry, name)
        for k, text in enumerate(entry.benefits):
            yield at + ("benefits", k), text
        for k, (_q, a) in enumerate(entry.faq):
            yield at + ("faq", k, "a"), a


# A figure the copy states that the product's structured fields also hold: the service level's
# availability, restore and response times, and the unit prices of the tariff.
_AVAILABILITY = re.compile(r"可用率\s*(?:达到?|不低于|高达|为)?\s*(\d+(?:\.\d+)?)\s*%")
_HOURS = {"restore": (re.compile(r"(\d+)\s*小时内?(?:修复|恢复)"), "故障恢复"),
          "response": (re.compile(r"(\d+)\s*小时内?响应"), "故障响应")}
_UNIT_PRICE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*元\s*/\s*[^\s，。；、,;（）()\d]{1,2}")
_FIRST_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _check_figures(sink: _Sink, src: Located, lines: list[str], path: tuple, text: str, p: Product,
                   waivers: list[_Waiver]) -> None:
    """A figure in a product's copy that contradicts its structured fields (rule copy-figure): an
    availability or a repair time other than the service level's, a flat unit price for an item
    whose price falls with the quantity (tiers) when the same text does not give the tier prices.
    The client reads both in one proposal (the product text and the service or price table)."""
    if not text:
        return
    line, col = src.where(path)
    span = text.count("\n") + 3

    def report(written: str, message: str) -> None:
        at_line, at_col = _locate(lines, line, col, written, span)
        sink.add(Problem(src.file, at_line, at_col, path_str(path), message, rule="copy-figure"), waivers, written)

    level = p.service_level
    committed = level.availability if level else None
    for m in _AVAILABILITY.finditer(text):
        want = _FIRST_NUMBER.search(committed or "")
        if want is None or Decimal(m.group(1)) != Decimal(want.group(0)):
            shown = f"服务等级 service_level.availability 写的是 {committed}" if committed else "服务等级没有写可用率"
            report(m.group(0), f"文案写“{m.group(0)}”，{shown}：客户在同一份建议书的产品介绍和服务保障表里会看到"
                               "两个不同的数，请改成一致")
    for key, (pattern, label) in _HOURS.items():
        committed_hours = getattr(level, key) if level else None
        want = _FIRST_NUMBER.search(committed_hours or "")
        if want is None:
            continue  # no commitment to compare with (e.g. 偏远地区以合同约定为准)
        for m in pattern.finditer(text):
            if Decimal(m.group(1)) != Decimal(want.group(0)):
                report(m.group(0), f"文案写“{m.group(0)}”，服务等级 service_level.{key}（{label}）写的是"
                                   f"{committed_hours}，请改成一致")
    mentioned = {Decimal(m.group(1)) for m in re.finditer(r"(?<![\d.])(\d+(?:\.\d+)?)\s*元", text)}
    for m in _UNIT_PRICE.finditer(text):
        value = Decimal(m.group(1))
        for j, item in enumerate(p.tariff_items):
            if item.price != value or not item.tiers or all(t.price in mentioned for t in item.tiers):
                continue
            tiers = "，".join(f"第 {t.from_quantity} 个起 {t.price} 元" for t in item.tiers)
            report(m.group(0), f"文案写“{m.group(0)}”，但资费 tariff.items[{j}]（{item.name}）是阶梯价：{tiers}；"
                               "报价按阶梯计，客户会看到与文案不同的单价。请在这段文案里写明阶梯价，或改资费")
            break


def _check_refs(sink: _Sink, src: Located, base: tuple, p: Product, status: dict[str, str]) -> None:
    def missing(path: tuple, ref: str, what: str) -> None:
        sink.add(src.problem(path, f"{what} {ref} 在产品目录中不存在", rule="dangling-ref"))

    if p.replaced_by:
        path = base + ("replaced_by",)
        if p.replaced_by not in status:
            missing(path, p.replaced_by, "replaced_by 指向的产品")
        elif p.replaced_by == p.id:
            sink.add(src.problem(path, "replaced_by 不能指向产品自己", rule="ref-conflict"))
        elif status[p.replaced_by] == "retired":
            sink.add(src.problem(path, f"替代产品 {p.replaced_by} 也已下线，请指向在售的产品", rule="retired-referenced"))
    for kind, label in (("requires", "requires（必须同时开通）中的产品"), ("excludes", "excludes（不能同时开通）中的产品")):
        for j, ref in enumerate(getattr(p, kind)):
            path = base + (kind, j)
            if ref == p.id:
                sink.add(src.problem(path, f"{kind} 不能包含产品自己", rule="ref-conflict"))
            elif ref not in status:
                missing(path, ref, label)
            elif kind == "requires" and p.active and status[ref] == "retired":
                sink.add(src.problem(path, f"在售产品不能依赖已下线的产品 {ref}", rule="retired-referenced"))
    for j, ref in enumerate(p.requires):
        if ref in p.excludes:
            sink.add(src.problem(base + ("requires", j), f"{ref} 同时出现在 requires 和 excludes 中", rule="ref-conflict"))


SAID_ONLY_BASES = ("people", "subscribers", "vehicles", "devices", "rooms")  # quote.SAID_ONLY: no share of anything


def _check_tariff(sink: _Sink, src: Located, base: tuple, p: Product, today: dt.date, waivers: list[_Waiver]) -> None:
    for j, item in enumerate(p.tariff_items):
        path = base + ("tariff", "items", j)
        if item.per == "messages" and not item.contains:
            sink.add(src.problem(path + ("per",), f"资费“{item.name}”按发送对象折算短信包（per: messages），"
                                 "要写每包条数，如 contains: 10000", rule="tariff-quantity"))
        if item.per in SAID_ONLY_BASES and item.share is not None:
            sink.add(src.problem(path + ("share",), f"资费“{item.name}”只按客户所说的数量计（per: {item.per}），"
                                 "不能再写比例 share；客户没说数量时报价写“待确认”", rule="tariff-quantity"))
        if item.effective and item.expires and item.effective > item.expires:
            sink.add(src.problem(path + ("effective",), f"生效日期 {item.effective} 晚于失效日期 {item.expires}",
                                 rule="tariff-expired"))
            continue
        if not p.active or not item.expires:
            continue  # a retired product is never quoted
        if item.expires < today:
            sink.add(src.problem(path + ("expires",),
                                 f"资费“{item.name}”已于 {item.expires} 失效，不能再用于报价；请更新价格和有效期",
                                 rule="tariff-expired"))
        elif (item.expires - today).days <= EXPIRING_DAYS:
            sink.add(src.problem(path + ("expires",),
                                 f"资费“{item.name}”将于 {item.expires} 失效（还有 {(item.expires - today).days} 天）",
                                 severity="warning", rule="tariff-expiring"), waivers)


# --- cases ------------------------------------------------------------------------------------

_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*\r?$", re.M)
_CASE_STATUS = CASE_STATUS_NAMES


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """``(front matter, body, line of the body's first line)``, or None without front matter.

    The front matter sits between a first line ``---`` and the next line that is ``---``.
    """
    first = text.find("\n")
    if first < 0 or text[:first].rstrip(" \t\r") != "---":
        return None
    at = first
    while True:
        at = text.find("\n---", at)
        if at < 0:
            return None
        end = text.find("\n", at + 4)
        end = len(text) if end < 0 else end
        if not text[at + 4:end].strip(" \t\r"):
            body_start = min(end + 1, len(text))
            return text[first + 1:at + 1], text[body_start:], text.count("\n", 0, body_start) + 1
        at += 4


def body_sections(body: str, first_line: int = 1) -> list[tuple[str, int, str]]:
    """``## 小节`` headings of a case body: (title, line of the heading, raw text under it)."""
    out = []
    heads = list(_HEADING.finditer(body))
    for k, m in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(body)
        out.append((m.group(1).strip(), first_line + body.count("\n", 0, m.start()), body[m.end():end]))
    return out


def read_case(path: Path, *, today: dt.date | None = None, max_case_age: int = DEFAULT_MAX_CASE_AGE,
              keep_case: bool = True) -> CaseFile:
    """Read and check one case file; never raises for what is in the file."""
    today = today or dt.date.today()
    result = CaseFile(path, None, None, "active", [], None, [], [])
    _raw, text, problems = _read_text(path)
    result.problems = problems
    if text is None:
        return result
    parts = split_front_matter(text)
    if parts is None:
        problems.append(Problem(path, 1, 1, "", "案例文件应以 --- 开头的 YAML 头信息开始，并以单独一行 --- 结束",
                                rule="case-format"))
        return result
    front, body, body_line = parts
    src, parse_problems = parse(front, path, line_offset=1)
    problems += parse_problems
    if src is None:
        return result
    if not isinstance(src.data, dict):
        problems.append(src.problem((), "案例头信息应为键值对（id:、title: …）"))
        return result
    raw = src.data
    if isinstance(raw.get("id"), str):
        result.id = raw["id"].strip()
        result.id_line = src.where(("id",))[0]
    if isinstance(raw.get("status"), str):
        result.status = _CASE_STATUS.get(raw["status"].strip(), "active")
    if isinstance(raw.get("products"), list):
        result.product_refs = [(pid.strip(), *src.where(("products", i)))
                               for i, pid in enumerate(raw["products"]) if isinstance(pid, str)]

    ctx = Ctx(src)
    data = validate(CASE_SPEC, ctx)
    sink = _Sink()
    for p in problems + ctx.problems:
        sink.add(p)

    sections = body_sections(body, body_line)
    titles = _check_sections(sink, path, body, body_line, sections)

    if data is not INVALID:
        lines = front.split("\n")
        lines = [""] + lines  # front matter starts on line 2 of the file
        waivers = _waivers(data["waivers"], ())
        _check_case(sink, src, lines, data, path, body, body_line, today, max_case_age, waivers)
        _check_outcome(sink, src, data, path, body_line, titles)
        _check_sales_story(sink, src, lines, data, path, sections, waivers)
        sink.unused(src, waivers)
        if keep_case:
            cleaned = {title: clean_text(content, multiline=True) for title, _line, content in sections}
            result.case = build_case(data, cleaned, str(path))
    result.problems, result.waived = sink.problems, sink.waived
    return result


def _check_sections(sink: _Sink, path: Path, body: str, body_line: int, sections: list[tuple[str, int, str]]
                   ) -> dict[str, tuple[int, str]]:
    """The body's ``## 小节``: only the known ones, each once, the client-facing ones present and
    written; returns title -> (line, text). A missing 实施成效 is the outcome rule's."""
    known = "、".join(f"## {name}" for name in CASE_SECTIONS)
    titles: dict[str, tuple[int, str]] = {}
    for title, line, content in sections:
        if title in titles:
            sink.add(Problem(path, line, 1, "", f"“## {title}”小节重复（第 {titles[title][0]} 行已有），请合并为一节",
                             rule="case-format"))
        elif title not in CASE_SECTIONS:
            former = CASE_SECTIONS_FORMER.get(title)
            hint = f"；旧格式的“## {title}”请改为{former}" if former else ""
            sink.add(Problem(path, line, 1, "", f"“## {title}”不是案例的小节，案例正文依次为：{known}{hint}",
                             rule="case-format"))
        else:
            titles[title] = (line, content)
    first = _HEADING.search(body)
    if (body[:first.start()] if first else body).strip():
        sink.add(Problem(path, body_line, 1, "", f"正文在第一个小节之前有文字；请放进 {known} 中的一节",
                         rule="case-format"))
    for name in CASE_SECTIONS_CLIENT:
        if name == CASE_SECTION_OUTCOME:
            continue
        if name not in titles:
            sink.add(Problem(path, body_line, 1, "", f"正文缺少“## {name}”小节（案例正文依次为：{known}）",
                             rule="case-format"))
        elif not titles[name][1].strip():
            sink.add(Problem(path, titles[name][0], 1, "", f"“## {name}”小节是空的", rule="case-format"))
    return titles


_FIGURE = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万半][成倍个家户人所条次天周月年]")


def _check_outcome(sink: _Sink, src: Located, data: dict, path: Path, body_line: int,
                   titles: dict[str, tuple[int, str]]) -> None:
    """A case is cited for what it achieved: no outcome, no case."""
    name = CASE_SECTION_OUTCOME
    if name not in titles:
        sink.add(Problem(path, body_line, 1, "", f"案例没有成效：正文缺少“## {name}”小节，请写明客户取得的成效（带数字和数据来源）",
                         rule="case-outcome"))
    elif not titles[name][1].strip():
        sink.add(Problem(path, titles[name][0], 1, "", f"案例没有成效：“## {name}”小节是空的", rule="case-outcome"))
    if not data["results"]:
        sink.add(src.problem((), "案例没有成效：头信息缺少 results（客户的可量化成效，每条带数字）", rule="case-outcome"))
    for i, text in enumerate(data["results"]):
        if not _FIGURE.search(text):
            sink.add(src.problem(("results", i), f"成效“{text}”没有数字；请写成可核实的结果，如“投诉每月下降约 70%”",
                                 rule="case-outcome"))


def _check_sales_story(sink: _Sink, src: Located, lines: list[str], data: dict, path: Path,
                       sections: list[tuple[str, int, str]], waivers: list[_Waiver]) -> None:
    """What a client reads of a case (title, needs, results, quote, the four sections) must not tell
    how we sold it; the internal part (内部复盘) is not looked at."""
    words = salesstory.table()
    fields = [(("title",), data["title"])] + [(("needs", i), t) for i, t in enumerate(data["needs"])]
    fields += [(("results", i), t) for i, t in enumerate(data["results"])]
    if data["quote"]:
        fields.append((("quote",), data["quote"]))
    for fpath, text in fields:
        hits = words.find(text)
        if hits:
            line, col = src.where(fpath)
            for hit in hits:
                at_line, at_col = _locate(lines, line, col, hit.text, text.count("\n") + 3)
                sink.add(Problem(path, at_line, at_col, path_str(fpath), salesstory.message(text, hit), "warning",
                                 "case-sales-story"), waivers, hit.word)
    seen: set[str] = set()
    for title, line, content in sections:
        if title not in CASE_SECTIONS_CLIENT or title in seen:
            continue
        seen.add(title)
        for hit in words.find(content):
            at_line, at_col = _position(content, hit.offset, line)
            sink.add(Problem(path, at_line, at_col, "", f"“## {title}”：" + salesstory.message(content, hit),
                             "warning", "case-sales-story"), waivers, hit.word)


def _check_case(sink: _Sink, src: Located, lines: list[str], data: dict, path: Path, body: str, body_line: int,
                today: dt.date, max_age: int, waivers: list[_Waiver]) -> None:
    if data["id"] != path.stem:
        sink.add(src.problem(("id",), f"id {data['id']} 应与文件名 {path.stem} 一致", rule="case-id"))

    client = data["client"]
    real = client["real_name"]
    if real and not client["consent"]:
        sink.add(src.problem(("client", "real_name"),
                             "未取得客户授权（consent: false）却填写了真实名称；请删除 real_name，"
                             "或取得客户书面授权后改为 consent: true", rule="case-consent"))
        texts = [(("client", "display_name"), client["display_name"]), (("title",), data["title"])]
        texts += [(("needs", i), t) for i, t in enumerate(data["needs"])]
        texts += [(("results", i), t) for i, t in enumerate(data["results"])]
        texts += [(("quote",), data["quote"])] if data["quote"] else []
        for fpath, value in texts:
            if real in value:
                line, col = _locate(lines, *src.where(fpath), real, value.count("\n") + 3)
                sink.add(Problem(path, line, col, path_str(fpath),
                                 f"出现客户真实名称“{real}”，但未取得授权；请改用脱敏名称“{client['display_name']}”",
                                 rule="case-consent"))
        for offset in _find_all(body, real):
            line, col = _position(body, offset, body_line)
            sink.add(Problem(path, line, col, "",
                             f"正文出现客户真实名称“{real}”，但未取得授权；请改用脱敏名称“{client['display_name']}”",
                             rule="case-consent"))

    year = data["year"]
    if year is None:
        sink.add(src.problem((), "没有写 year（成效数据的测量年份），无法判断数据是否过时",
                             severity="warning", rule="case-stale"), waivers)
    elif year > today.year:
        sink.add(src.problem(("year",), f"年份 {year} 晚于今年（{today.year}），应为成效数据的测量年份"))
    elif today.year - year > max_age:
        sink.add(src.problem(("year",), f"案例数据是 {year} 年的，已超过 {max_age} 年；请更新数据，"
                                        "或归档（status: archived），或在 waivers 中写明理由",
                             severity="warning", rule="case-stale"), waivers)

    if data["quote_consent"] and not data["quote"]:
        sink.add(src.problem(("quote_consent",), "写了 quote_consent: true，却没有 quote（客户同意引用的原话）",
                             rule="case-format"))
    if data["sample"]:
        sink.add(src.problem(("sample",), "示例案例（sample: true）：不是真实客户，用于客户前必须换成真实案例；"
                                          "方案和演示稿中标题后会标注“（示例）”",
                             severity="warning", rule="case-sample"))

    if data["status"] == "draft":
        sink.add(src.problem(("status",), "草稿案例，不会被方案引用；写完后改为 status: active",
                             severity="warning", rule="case-draft"))
    elif data["status"] == "active":
        _check_placeholders(sink, src, lines, data, path, body, body_line)

    for fpath in [("title",)] + [("results", i) for i in range(len(data["results"]))]:
        value = data["title"] if fpath == ("title",) else data["results"][fpath[1]]
        _scan_claims(sink, src, lines, fpath, value, waivers)
    seen: set[str] = set()
    for offset, term in absolute_terms(body):
        if term in seen:
            continue
        seen.add(term)
        line, col = _position(body, offset, body_line)
        sink.add(Problem(path, line, col, "", _claim_message(body, offset, term), "warning", "absolute-claim"),
                 waivers, term)


def _check_placeholders(sink: _Sink, src: Located, lines: list[str], data: dict, path: Path, body: str,
                        body_line: int) -> None:
    mark = PLACEHOLDER
    for n, text in enumerate(lines):
        if mark in text:
            sink.add(Problem(path, n + 1, text.find(mark) + 1, "",
                             f"还有未填写的内容（{mark}）；写完前请保持 status: draft", rule="case-format"))
    for offset in _find_all(body, mark):
        line, col = _position(body, offset, body_line)
        sink.add(Problem(path, line, col, "", f"还有未填写的内容（{mark}）；写完前请保持 status: draft",
                         rule="case-format"))


def _find_all(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + len(needle))


def _position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return first_line + text.count("\n", 0, offset), offset - line_start + 1


def case_files(folder: Path) -> list[Path]:
    """The case files of a case library, in name order (a README is not a case)."""
    return [Path(p) for p in _case_paths(folder)]


def _case_paths(folder: Path) -> list[str]:
    try:
        entries = list(os.scandir(folder))  # a tenth of Path.glob's time on 20,000 files
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(e.path for e in entries if e.name.endswith(".md") and e.name.lower() != "readme.md")


# --- across files -----------------------------------------------------------------------------


def cross_check(catalog: Catalog | None, raw_status: dict[str, str], cases: list[CaseFile],
                case_stems: set[str] | None = None, checked: list[tuple[int, Product]] | None = None
                ) -> list[Problem]:
    """Rules between files: duplicate case ids, the products cases name, the cases products name.

    ``catalog`` may be None (the catalog could not be read): the case side is then skipped rather
    than reporting every product as missing. ``checked`` (from :func:`read_catalog`) has every product
    with its index in the file, those with schema errors too, so their case references are checked
    in the same run.
    """
    problems: list[Problem] = []
    first: dict[str, Path] = {}
    for cf in cases:
        if cf.id is None:
            continue
        if cf.id in first:
            problems.append(Problem(cf.path, cf.id_line, None, "id", f"案例 id {cf.id} 与 {first[cf.id]} 重复",
                                    rule="duplicate-id"))
        else:
            first[cf.id] = cf.path
    if catalog is None:
        return problems
    status = dict(raw_status)
    status.update({p.id: p.status for p in catalog.products})
    for cf in cases:
        for k, (pid, line, col) in enumerate(cf.product_refs):
            if pid not in status:
                problems.append(Problem(cf.path, line, col, f"products[{k}]", f"产品 {pid} 在产品目录中不存在",
                                        rule="dangling-ref"))
            elif status[pid] == "retired" and cf.status == "active":
                product = catalog.by_id.get(pid)
                instead = f"，请改为 {product.replaced_by}" if product and product.replaced_by else ""
                problems.append(Problem(cf.path, line, col, f"products[{k}]",
                                        f"产品 {pid} 已下线{instead}；不再使用的案例请改为 status: archived",
                                        rule="retired-referenced"))
    known_cases = set(first) | (case_stems if case_stems is not None else {cf.path.stem for cf in cases})
    if checked is None:
        checked = list(zip(_positions(catalog), catalog.products))
    for at, p in checked:
        for j, ref in enumerate(p.related_cases):
            if ref not in known_cases:
                path = ("products", at, "related_cases", j)  # this product's, also under a duplicate id
                line, col = catalog.src.where(path) if catalog.src and path[1] is not None else (p.line, None)
                problems.append(Problem(catalog.file, line, col, f"{p.id}.related_cases[{j}]",
                                        f"相关案例 {ref} 在案例库中不存在", rule="dangling-ref"))
    return problems


def _positions(catalog: Catalog) -> list[int | None]:
    """Each product's index in the file: by id, and by its line where two share an id."""
    raw = catalog.src.data.get("products") if catalog.src and isinstance(catalog.src.data, dict) else None
    out: list[int | None] = []
    for p in catalog.products:
        at = catalog.index_of.get(p.id)
        if isinstance(raw, list) and at is not None and catalog.src.where(("products", at))[0] != p.line:
            at = next((i for i, entry in enumerate(raw) if isinstance(entry, dict) and entry.get("id") == p.id
                       and catalog.src.where(("products", i))[0] == p.line), at)
        out.append(at)
    return out


# --- the whole content ------------------------------------------------------------------------


@contextmanager
def _no_gc() -> Iterator[None]:
    """Reading builds millions of small objects that live until the end: the cyclic collector would
    rescan them again and again (3x slower on 20,000 cases) and find nothing to free."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _read_chunk(paths: list[str], today: dt.date, max_case_age: int) -> list[CaseFile]:
    with _no_gc():
        return [read_case(Path(p), today=today, max_case_age=max_case_age, keep_case=False) for p in paths]


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def lint(catalog_file: Path, cases_dir: Path, *, today: dt.date | None = None,
         max_case_age: int = DEFAULT_MAX_CASE_AGE, jobs: int | None = None, company_file: Path | None = None) -> Report:
    """Check the catalog, every case file and (when given) the issuer's company.yaml; all findings of
    all files together.

    Large case libraries are read by ``jobs`` worker processes (default: one per CPU) while this
    process reads the catalog.
    """
    with _no_gc():  # what the reading built is freed on return, before the collector would scan it
        report = _lint(catalog_file, cases_dir, today or dt.date.today(), max_case_age, jobs or cpu_count())
    if company_file is not None:
        company = read_company(company_file)
        report.problems = [*company.problems, *report.problems]
        report.waived = [*company.waived, *report.waived]
    return report


def _lint(catalog_file: Path, cases_dir: Path, today: dt.date, max_case_age: int, jobs: int) -> Report:
    paths = _case_paths(cases_dir)
    if jobs > 1 and len(paths) >= PARALLEL_MIN_FILES:
        from concurrent.futures import ProcessPoolExecutor  # deferred: multiprocessing, only for large libraries

        size = max(50, len(paths) // (jobs * 4))
        chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_read_chunk, chunk, today, max_case_age) for chunk in chunks]
            cat = read_catalog(catalog_file, today=today)
            cases = [cf for f in futures for cf in f.result()]
    else:
        cat = read_catalog(catalog_file, today=today)
        cases = _read_chunk(paths, today, max_case_age)
    problems = list(cat.problems)
    waived = list(cat.waived)
    for cf in cases:
        problems += cf.problems
        waived += cf.waived
    problems += cross_check(cat.catalog, cat.raw_status, cases, checked=cat.checked)
    order = {catalog_file: 0, **{cf.path: i + 1 for i, cf in enumerate(cases)}}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), str(p.file), p.line or 0, p.col or 0))
    products = len(cat.catalog.products) if cat.catalog else 0
    return Report(problems, waived, products, len(cases))


# --- the issuer (catalog/company.yaml) ----------------------------------------------------------


@dataclass
class CompanyFile:
    """One read of catalog/company.yaml: the issuer, and what is wrong."""

    path: Path
    company: Company | None  # None when the file cannot be read, or has an error
    problems: list[Problem]
    waived: list[Problem]


_COMPANY_HEADER = Record({k: f for k, f in COMPANY_SPEC.fields.items() if k not in ("branches", "managers")})


def read_company(path: Path) -> CompanyFile:
    """Read and check the issuer's identity; never raises for what is in the file."""
    raw, text, problems = _read_text(path)
    if text is None:
        return CompanyFile(path, None, problems, [])
    src, parse_problems = parse(text, path)
    problems += parse_problems
    if src is None:
        return CompanyFile(path, None, problems, [])
    if not isinstance(src.data, dict):
        kind = "列表" if isinstance(src.data, list) else "单个值"
        problems.append(src.problem((), f"出具方信息的最外层应为键值对（company:、branches:、managers:），实际是{kind}"))
        return CompanyFile(path, None, problems, [])
    ctx = Ctx(src)
    header = _COMPANY_HEADER.check({k: v for k, v in src.data.items() if k not in ("branches", "managers")}, (), ctx)
    lists = {}
    for name in ("branches", "managers"):
        items = COMPANY_SPEC.fields[name].spec.check_items(src.data.get(name), (name,), ctx)
        lists[name] = [] if items is INVALID else items
    sink = _Sink()
    for p in problems + ctx.problems:
        sink.add(p)
    waivers = _waivers(header["waivers"], ()) if header is not INVALID else []
    _check_company(sink, src, lists["branches"], lists["managers"], waivers)
    sink.unused(src, waivers)
    company = None
    if header is not INVALID and not any(p.severity == "error" for p in sink.problems):
        company = build_company({**header, "branches": [d for _i, d in lists["branches"]],
                                 "managers": [d for _i, d in lists["managers"]]}, path)
    return CompanyFile(path, company, sink.problems, sink.waived)


def _check_company(sink: _Sink, src: Located, branches: list[tuple[int, dict]], managers: list[tuple[int, dict]],
                   waivers: list[_Waiver]) -> None:
    """Unique ids and names, every served place once, every manager's branch known, example data told once."""
    def once(seen: dict, key: str, path: tuple, what: str, rule: str) -> None:
        if key in seen:
            line = src.where(seen[key])[0]
            sink.add(src.problem(path, f"{what}与第 {line} 行重复", rule=rule))
        else:
            seen[key] = path

    ids: dict = {}
    names: dict = {}
    places: dict = {}
    for i, b in branches:
        base = ("branches", i)
        once(ids, b["id"], base + ("id",), f"分公司编号 {b['id']} ", "duplicate-id")
        once(names, b["name"], base + ("name",), f"分公司名称“{b['name']}”", "duplicate-name")
        once(names, b["full_name"], base + ("full_name",), f"分公司全称“{b['full_name']}”", "duplicate-name")
        for j, place in enumerate(b["serves"]):
            key = place_key(place)
            where = f"（写法“{place}”）" if key != place else ""
            once(places, key, base + ("serves", j), f"服务地区“{key}”{where}", "duplicate-name")
    people: dict = {}
    for i, m in managers:
        base = ("managers", i)
        once(people, m["name"], base + ("name",), f"客户经理姓名“{m['name']}”", "duplicate-name")
        if m["branch"] not in ids:
            known = "、".join(list(ids)[:6])
            sink.add(src.problem(base + ("branch",), f"客户经理{m['name']}所属分公司 {m['branch']} 不存在"
                                 f"（应为 branches 中的某个 id，如 {known}）", rule="dangling-ref"))
    examples = [("branches", i) for i, b in branches if b["example"]]
    staff = [("managers", i) for i, m in managers if m["example"]]
    if examples or staff:
        parts = ([f"{len(examples)} 个分公司的地址和服务电话"] if examples else []) + \
                ([f"{len(staff)} 名客户经理的姓名、电话和邮箱"] if staff else [])
        first = (examples or staff)[0] + ("example",)
        sink.add(src.problem(first, "、".join(parts) + "是示例数据（example: true）；建议书和演示文稿中不写示例的地址、"
                             "电话和邮箱（联系电话改写客服热线），正式使用前请换成真实信息并删除 example 行"
                             "（或在 waivers 中写明理由）",
                             severity="warning", rule="company-example"), waivers)
