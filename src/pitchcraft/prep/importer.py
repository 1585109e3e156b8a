"""``pitchcraft import``: a CRM client list (.xlsx or .csv) into one needs profile per row.

Columns are found by their headers: a default table knows the usual Chinese headers of a CRM export
(客户名称, 行业, 员工数, 需求描述, 基础通信需求 …) and a mapping file (YAML, ``表头: 字段``) overrides
or extends it. Every row is checked with the profile schema itself (:data:`PROFILE_SPEC`), so a row
is imported exactly when its profile would be accepted by ``recommend`` and ``generate``.

Nothing is half-written: all profiles are first written into a hidden staging folder inside the
output folder and loaded back; only when every one of them is good are they moved into place. An
existing profile file is never overwritten without ``--force``; the row is reported instead.
Every row that is not imported is listed with the reason, on screen and in ``import-report.csv``.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from ..cells import csv_cell
from ..errors import InputError, Problem, UsageError
from ..fsutil import Staging, dir_lock, fsync_dir, write_text
from .interview import (EMPTY_WORDS, count_value, date_value, fold, money_value, split_names, stage_profile, tier_value)
from ..model.catalog import Catalog, name_key
from ..model.display import display_width, pad
from ..model.profile import PROFILE_SPEC
from ..model.vocab import ATTITUDES, CATEGORIES, CATEGORY_NAMES, INDUSTRY_LABELS, ROLES
from ..model.spec import INVALID, Choice, Ctx
from ..write import slug
from ..match.recommend import Matcher
from ..reading import ReadError, check_zip, decode_text, read_regular, safe_stem, xml_safe
from ..yamlsrc import Located, read_yaml

REPORT_NAME = "import-report.csv"
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 20  # a CRM export may put a title or the export time above the header row

# Where a column can go: field path -> how the report names it.
TARGETS: dict[str, str] = {
    "client.name": "客户名称",
    "client.industry": "行业",
    "client.employees": "员工数",
    "client.sites": "网点数",
    "client.tier": "客户等级",
    "client.region": "地区",
    "client.current_services": "现有业务",
    "client.competitor": "竞争对手",
    "needs": "需求描述",
    **{f"needs.{key}": f"{label}需求" for key, label in CATEGORIES.items()},
    "contacts.name": "关键人",
    "contacts.title": "关键人职务",
    "contacts.role": "关键人角色",
    "contacts.attitude": "关键人态度",
    "budget.monthly_cny": "月预算",
    "visit.date": "拜访日期",
    "visit.manager": "客户经理",
    "visit.phone": "客户经理电话",
    "ignore": "不导入",
}

# The headers of a typical CRM export, as written in Chinese (compared after folding, see _header_key).
DEFAULT_COLUMNS: dict[str, str] = {
    **dict.fromkeys(("客户名称", "单位名称", "集团名称", "集团客户名称", "客户全称", "企业名称"), "client.name"),
    **dict.fromkeys(("行业", "所属行业", "行业类别", "行业分类"), "client.industry"),
    **dict.fromkeys(("员工数", "员工人数", "人数", "职工人数"), "client.employees"),
    **dict.fromkeys(("网点数", "站点数", "厂区数", "门店数", "分支机构数", "办公点数"), "client.sites"),
    **dict.fromkeys(("客户等级", "价值等级", "集团等级", "客户级别", "集团级别"), "client.tier"),
    **dict.fromkeys(("地区", "区域", "所在地区", "所属区域", "地市"), "client.region"),
    **dict.fromkeys(("现有业务", "已订购业务", "在用业务", "已有业务"), "client.current_services"),
    **dict.fromkeys(("竞争对手", "主要竞争对手", "竞争运营商", "友商"), "client.competitor"),
    **dict.fromkeys(("需求", "需求描述", "客户需求", "需求内容"), "needs"),
    **{f"{label}{suffix}": f"needs.{key}" for key, label in CATEGORIES.items() for suffix in ("", "需求")},
    **dict.fromkeys(("关键人", "关键人姓名", "联系人", "联系人姓名"), "contacts.name"),
    **dict.fromkeys(("关键人职务", "联系人职务", "职务"), "contacts.title"),
    **dict.fromkeys(("关键人角色", "角色"), "contacts.role"),
    **dict.fromkeys(("关键人态度", "态度"), "contacts.attitude"),
    **dict.fromkeys(("月预算", "预算", "每月预算"), "budget.monthly_cny"),
    **dict.fromkeys(("客户经理", "客户经理姓名"), "visit.manager"),
    **dict.fromkeys(("联系电话", "客户经理电话", "经理电话"), "visit.phone"),
    **dict.fromkeys(("拜访日期", "计划拜访日期", "拜访时间"), "visit.date"),
}


def _target_names() -> dict[str, str]:
    """Every spelling a mapping file may use for a field: the path, its report name, 需求 areas in Chinese."""
    names = {path: path for path in TARGETS}
    names.update({label: path for path, label in TARGETS.items()})
    for spelling, key in CATEGORY_NAMES.items():
        names[f"needs.{spelling}"] = f"needs.{key}"
    names.update({"忽略": "ignore", "不导入": "ignore"})
    return names


TARGET_CHOICE = Choice(_target_names(), "字段", "字段：" + "、".join(TARGETS))


def _header_key(text: Any) -> str:
    """A header as compared: folded, no white space, no 必填 marks or trailing colon."""
    if text is None:
        return ""
    key = re.sub(r"\s+", "", fold(str(text)))
    key = re.sub(r"[(（](必填|选填|可选)[)）]", "", key)
    return key.strip("*:：").casefold()


# --- the mapping -------------------------------------------------------------------------------------


def load_mapping(path: Path | None) -> dict[str, str]:
    """The default header table, overridden by a mapping file (``表头: 字段`` or under ``columns:``)."""
    mapping = {_header_key(h): target for h, target in DEFAULT_COLUMNS.items()}
    if path is None:
        return mapping
    src, problems = read_yaml(Path(path))
    if src is None or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    data, base = src.data, ()
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data, base = data["columns"], ("columns",)
    if not isinstance(data, dict):
        raise InputError([Problem(path, 1, None, "", "映射文件应为键值对：表头: 字段，例如 单位全称: client.name")])
    ctx = Ctx(src)
    own: dict[str, str] = {}
    for header, target in data.items():
        if target is None:
            own[_header_key(header)] = "ignore"
            continue
        checked = TARGET_CHOICE.check(target, base + (header,), ctx)
        if checked is not INVALID:
            own[_header_key(header)] = checked
    if any(p.severity == "error" for p in ctx.problems):
        raise InputError(ctx.problems)
    mapping.update(own)
    return mapping


# --- reading the table -------------------------------------------------------------------------------


@dataclass
class Sheet:
    rows: list[tuple[int, list[Any]]]  # (row number as Excel shows it, cell values)
    name: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Formula:
    """An .xlsx cell that holds a formula and no computed value (a file written by a program, never
    opened and saved in Excel): there is nothing to import, and the report says so."""
    text: str


MAX_TABLE_BYTES = 64 * 1024 * 1024   # a CSV file, or one part of an .xlsx once unpacked
MAX_XLSX_TOTAL = 256 * 1024 * 1024   # all parts of an .xlsx once unpacked


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        _check_regular(path)
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        if sheet:
            raise UsageError("CSV 文件没有工作表，--sheet 只用于 Excel 文件")
        return _read_csv(path)
    if not path.exists():
        raise UsageError(f"文件不存在：{path}")
    if suffix == ".xls":
        raise UsageError(f"不支持旧版 Excel 格式 .xls：{path}。请在 Excel 或 WPS 中“另存为” .xlsx 后再导入")
    raise UsageError(f"不认识的文件类型 {suffix or '（无扩展名）'}：{path}。请导入 .xlsx 或 .csv 文件")


def _check_regular(path: Path) -> None:
    """A regular file of a sane size (a FIFO, a device or a folder is refused before it is opened)."""
    try:
        read_regular(path, 0, "客户清单")  # reads nothing: the checks alone
    except ReadError as exc:
        if not exc.too_large:
            raise UsageError(f"{path}：{exc.message}") from None


def _read_xlsx(path: Path, sheet: str | None) -> Sheet:
    # deferred: openpyxl, only for .xlsx files
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError, ValueError, TypeError,
              AttributeError, EOFError, zlib.error, ParseError, SyntaxError)
    damaged = f"无法打开 Excel 文件 {path}：文件已损坏或不是 .xlsx 格式；请在 Excel 或 WPS 中打开后重新保存为 .xlsx"
    if not zipfile.is_zipfile(path):
        raise UsageError(damaged)
    try:
        check_zip(path, "Excel 文件", max_part=MAX_TABLE_BYTES, max_total=MAX_XLSX_TOTAL)
    except ReadError as exc:
        raise UsageError(f"{path}：{exc.message}") from None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except broken:
        raise UsageError(damaged) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise UsageError(f"{path} 中没有名为“{sheet}”的工作表，现有：{'、'.join(wb.sheetnames)}")
        if not wb.worksheets:
            raise UsageError(f"{path} 中没有工作表")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows = []
        for number, values in enumerate(ws.iter_rows(values_only=True), 1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise UsageError(f"{path} 超过 {MAX_ROWS} 行，请分批导入")
            rows.append((number, [_clean_cell(v) for v in values]))
        if any(v is None for _n, values in rows for v in values):
            rows = _with_formulas(path, ws.title, rows)
        notes = [] if len(wb.sheetnames) == 1 or sheet else [
            f"文件有 {len(wb.sheetnames)} 个工作表，只导入了第一个“{ws.title}”（可用 --sheet 指定）"]
        return Sheet(rows, ws.title, notes)
    except UsageError:
        raise
    except broken:  # a truncated sheet or a missing part shows only while the rows are read
        raise UsageError(damaged) from None
    finally:
        wb.close()


def _with_formulas(path: Path, title: str, rows: list[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The rows with each empty cell that holds a formula marked as :class:`Formula`: openpyxl
    gives such a cell's cached value, which a file never computed by Excel does not have."""
    from openpyxl import load_workbook  # deferred with _read_xlsx

    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        out = []
        for (number, values), formulas in zip(rows, wb[title].iter_rows(values_only=True)):
            out.append((number, [Formula(xml_safe(f)) if v is None and isinstance(f, str) and f.startswith("=") else v
                                 for v, f in zip(values, formulas)] + values[len(formulas):]))
        return out + rows[len(out):]
    finally:
        wb.close()


def _too_long_cell(path: Path, text: str, line_num: int, dialect: Any, records: list[list[str]]) -> str:
    """Where a CSV cell longer than the reader takes is: its row (as Excel numbers it), its column."""
    limit = csv.field_size_limit()
    lines = text.splitlines()
    line = lines[line_num - 1] if 0 < line_num <= len(lines) else ""
    cells = line.split(getattr(dialect, "delimiter", ","))
    col = next((i + 1 for i, cell in enumerate(cells) if len(cell) > limit), None)
    header = next((r for r in records if any(c.strip() for c in r)), [])
    name = f"（表头“{header[col - 1]}”）" if col and col <= len(header) and header[col - 1].strip() else ""
    where = f"第 {len(records) + 1} 行第 {col} 列{name}" if col else f"第 {len(records) + 1} 行"
    return (f"{path}：{where}的内容过长（超过 {limit} 字），一格写不下这么多；"
            "请检查是否粘贴了多余的内容，或把需求分成几行")


def _clean_cell(value: Any) -> Any:
    """A cell's value with what no document can carry (NUL, U+FFFE …) dropped."""
    return xml_safe(value) if isinstance(value, str) else value


def _read_csv(path: Path) -> Sheet:
    try:
        raw = read_regular(path, MAX_TABLE_BYTES, "客户清单")
    except ReadError as exc:
        raise UsageError(f"{path}：{exc.message}") from None
    notes = []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode 文本"
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UsageError(f"{path} 是 UTF-16 编码，但内容已损坏；请在 Excel 中另存为“CSV UTF-8”后再导入") from None
    else:
        text, _line, _message = decode_text(raw)
    if text is None:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise UsageError(f"无法识别 {path} 的文字编码（既不是 UTF-8 也不是 GBK）；请在 Excel 中另存为"
                             "“CSV UTF-8”后再导入") from None
        notes.append("文件不是 UTF-8 编码，已按 GBK 读取（中文版 Excel 导出 CSV 的默认编码）；请核对导入的文字是否正常")
    text = text.replace("\x00", "")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    records = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for record in reader:
            records.append([xml_safe(cell) for cell in record])
            if len(records) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise UsageError(f"{path} 超过 {MAX_ROWS} 行，请分批导入")
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise UsageError(_too_long_cell(path, text, reader.line_num, dialect, records)) from None
        raise UsageError(f"CSV 文件格式有误：{path}（第 {len(records) + 1} 行附近，可能是引号没有配对）") from None
    return Sheet([(n, list(r)) for n, r in enumerate(records, 1)], "", notes)


# --- rows to profiles ----------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    client: str
    imported: bool
    reason: str
    file: str = ""

    @property
    def result(self) -> str:
        return "已导入" if self.imported else "已跳过"


@dataclass
class ImportResult:
    source: Path
    sheet: str
    rows: list[RowResult]
    written: list[Path]
    report: Path
    notes: list[str]

    @property
    def skipped(self) -> list[RowResult]:
        return [r for r in self.rows if not r.imported]


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    target: str


def _plan(sheet: Sheet, mapping: dict[str, str], source: Path) -> tuple[int, list[Column], list[str]]:
    """The header row, the columns to use and the notes about the rest."""
    for position, (number, values) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if any(mapping.get(_header_key(v)) == "client.name" for v in values):
            break
    else:
        known = "、".join(h for h, t in DEFAULT_COLUMNS.items() if t == "client.name")
        raise UsageError(f"{source}：前 {HEADER_SEARCH_ROWS} 行中找不到客户名称列（表头应为 {known} 之一），"
                         "或用 --mapping 指定哪一列是客户名称（如 单位全称: client.name）；未写入任何文件")
    columns, unused = [], []
    for index, header in enumerate(values):
        target = mapping.get(_header_key(header))
        if target is None:
            if _header_key(header):
                unused.append(str(header).strip())
        elif target != "ignore":
            columns.append(Column(index, str(header).strip(), target))
    targets = {c.target for c in columns}
    missing = []
    if "client.industry" not in targets:
        missing.append("行业（表头如 " + "、".join(h for h, t in DEFAULT_COLUMNS.items() if t == "client.industry") + "）")
    if not any(t == "needs" or t.startswith("needs.") for t in targets):
        missing.append("需求（表头如 需求描述，或 基础通信需求、移动办公需求 等按类别的列）")
    if missing:
        raise UsageError(f"{source}：找不到必需的列：{'；'.join(missing)}。可用 --mapping 指定列的含义；未写入任何文件")
    notes = [f"以下列没有导入（不认识的表头，可用 --mapping 指定）：{'、'.join(unused)}"] if unused else []
    return position, columns, notes


def _cell(value: Any) -> Any:
    """A cell as data: text stripped, 无/—/N/A and blanks as nothing, whole floats as ints."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return None if not text or fold(text).casefold() in EMPTY_WORDS else text
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_MARKER = re.compile(r"(?:^|(?<=[\s。，,]))(?:[(（]\d{1,2}[)）]|\d{1,2}[、．.](?!\d)|[①-⑳])\s*")


def split_statements(text: str) -> list[str]:
    """A need cell into statements: one per line or per ；/; and per list number (1、 2. （3） ④).

    The enumeration comma 、 is not a separator: “主管、班组长之间电话多” is one statement.
    """
    out = []
    for part in re.split(r"[；;\n\r]+", text):
        for piece in _MARKER.split(part):
            piece = piece.strip().rstrip("。.，,").strip()
            if piece:
                out.append(piece)
    return out


class NeedSorter:
    """Puts a statement from a general 需求 column into the need area of the closest catalog phrasing."""

    def __init__(self, catalog: Catalog | None):
        self.catalog = catalog
        self._index = None

    def category(self, statement: str) -> str | None:
        if self.catalog is None:
            return None
        if self._index is None:
            self._index = Matcher(self.catalog, vectorise_from=float("inf")).index  # the index alone: no numpy
        best, owner = 0.0, ""
        for i, score in self._index.search(statement).items():
            doc = self._index.docs[i]
            if doc.owner and score * doc.weight > best:
                best, owner = score * doc.weight, doc.owner
        return self.catalog.by_id[owner].category if owner and best >= 0.05 else None


_TEXT_TARGETS = {"client.name", "client.industry", "client.region", "client.competitor", "client.tier",
                 "contacts.name", "contacts.title", "contacts.role", "contacts.attitude", "visit.manager"}


def _convert(target: str, value: Any) -> Any:
    if target in ("client.employees", "client.sites"):
        return count_value(value)
    if target == "client.tier":
        return tier_value(str(value))
    if target == "visit.date":
        return date_value(value)
    if target == "budget.monthly_cny":
        return money_value(value)
    if target == "visit.phone" and isinstance(value, int):
        return str(value)
    if target in _TEXT_TARGETS and isinstance(value, (int, float)):
        return str(value)
    return value


@dataclass
class _Row:
    number: int
    data: dict
    marks: dict
    notes: list[str]
    header_at: dict[int, str]  # column number (1-based) -> header
    formulas: dict[str, str] = field(default_factory=dict)  # target (client.name) -> its formula


def _build_row(number: int, values: list[Any], columns: list[Column], sorter: NeedSorter) -> _Row:
    client: dict[str, Any] = {}
    contact: dict[str, Any] = {}
    budget: dict[str, Any] = {}
    visit: dict[str, Any] = {}
    needs: dict[str, list[str]] = {}
    marks: dict[tuple, tuple[int, int]] = {}
    notes: list[str] = []
    groups = {"client": client, "contacts": contact, "budget": budget, "visit": visit}
    formulas: dict[str, str] = {}
    for col in columns:
        raw = values[col.index] if col.index < len(values) else None
        if isinstance(raw, Formula):
            formulas.setdefault(col.target, raw.text)
            notes.append(f"“{col.header}”一格是公式 {raw.text}，没有计算结果，未导入这一格"
                         "（请在 Excel 中打开并保存一次，或改填数值或文字）")
            continue
        value = _cell(raw)
        if value is None:
            continue
        where = (number, col.index + 1)
        if col.target == "needs" or col.target.startswith("needs."):
            for statement in split_statements(str(value)):
                if col.target == "needs":
                    cat = sorter.category(statement)
                    if cat is None:
                        cat = "basic_comms"
                        notes.append(f"需求“{statement}”未能判断属于哪个方面，暂放在基础通信下")
                else:
                    cat = col.target.split(".", 1)[1]
                items = needs.setdefault(cat, [])
                marks[("needs", cat, len(items))] = where
                marks.setdefault(("needs", cat), where)
                items.append(statement)
            marks.setdefault(("needs",), where)
            continue
        group, name = col.target.split(".", 1)
        target = groups[group]
        if name in target:
            continue  # two columns for one field: the first filled one wins
        if name == "current_services":
            value = split_names(str(value))
        target[name] = _convert(col.target, value)
        path = ("contacts", 0, name) if group == "contacts" else (group, name)
        marks[path] = where
    data: dict[str, Any] = {"client": client, "needs": needs}
    if contact:
        data["contacts"] = [contact]
    if budget:
        data["budget"] = budget
    if visit:
        data["visit"] = visit
    return _Row(number, data, marks, notes, {c.index + 1: c.header for c in columns}, formulas)


def _reason(problem: Problem, row: _Row) -> str:
    """One schema problem as the report says it: which column, what is wrong."""
    header = row.header_at.get(problem.col or -1)
    message = problem.message
    m = re.match(r"缺少必填字段 (\w+)", message)
    if m:
        path = f"{problem.field}.{m.group(1)}" if problem.field else m.group(1)
        if path in row.formulas:
            return _formula_reason(TARGETS.get(path, path), row.formulas[path])
        return f"缺少{TARGETS.get(path, path)}（该列为空）"
    if problem.field.startswith("needs") and "至少需要一条需求" in message:
        return "没有需求描述（需求列为空），档案至少需要一条客户需求"
    if problem.field == "client.industry" and "，可选：" in message:  # the Chinese names, for the manager
        message = message.split("，可选：")[0] + "，可选：" + "、".join(INDUSTRY_LABELS.values())
    return f"{header}：{message}" if header else message


def _formula_reason(label: str, formula: str) -> str:
    return (f"{label}一格是公式 {formula}，没有计算结果（文件未经 Excel 计算保存）；"
            "请在 Excel 中打开并保存一次，或把公式改成文字")


def _profile_data(checked: dict, source: Path, row: int) -> dict:
    """The validated row written the way an account manager reads a profile (Chinese values)."""
    c = checked["client"]
    client: dict[str, Any] = {"name": c["name"], "industry": INDUSTRY_LABELS[c["industry"]]}
    for key in ("employees", "sites", "tier", "region"):
        if c.get(key) is not None:
            client[key] = c[key]
    if c.get("current_services"):
        client["current_services"] = list(c["current_services"])
    if c.get("competitor"):
        client["competitor"] = c["competitor"]
    data: dict[str, Any] = {"client": client}
    contacts = []
    for person in checked.get("contacts") or []:
        out = {"name": person["name"]}
        if person.get("title"):
            out["title"] = person["title"]
        if person.get("role"):
            out["role"] = ROLES[person["role"]]
        if person.get("attitude"):
            out["attitude"] = ATTITUDES[person["attitude"]]
        contacts.append(out)
    if contacts:
        data["contacts"] = contacts
    data["needs"] = {k: list(v) for k, v in checked["needs"].items() if v}
    if (checked.get("budget") or {}).get("monthly_cny") is not None:
        data["budget"] = {"monthly_cny": str(checked["budget"]["monthly_cny"])}
    visit = {k: v for k, v in (checked.get("visit") or {}).items() if v is not None}
    if visit:
        data["visit"] = visit
    data["source"] = {"file": source.name, "row": row}
    return data


def import_clients(source: Path, out_dir: Path, catalog: Catalog | None, *, mapping: Path | None = None,
                   sheet: str | None = None, force: bool = False) -> ImportResult:
    """Read the list, check every row, write the good profiles (all or none) and the report."""
    source, out_dir = Path(source), Path(out_dir)
    columns_map = load_mapping(mapping)
    table = read_sheet(source, sheet)
    position, columns, notes = _plan(table, columns_map, source)
    notes = table.notes + notes
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出位置不是文件夹：{out_dir}")
    sorter = NeedSorter(catalog)
    results: list[RowResult] = []
    good: list[tuple[RowResult, dict]] = []
    first_row: dict[str, int] = {}
    used_files: set[str] = set()
    for number, values in table.rows[position + 1:]:
        if all(_cell(v) is None for v in values):
            continue  # blank line
        row = _build_row(number, values, columns, sorter)
        name = row.data["client"].get("name")
        name = str(name).strip() if name is not None else ""
        if not name:
            formula = row.formulas.get("client.name")
            results.append(RowResult(number, "", False, _formula_reason(TARGETS.get("client.name", "客户名称"), formula)
                                     if formula else "缺少客户名称（该列为空）"))
            continue
        key = name_key(name)
        if key in first_row:
            results.append(RowResult(number, name, False,
                                     f"客户重复：与第 {first_row[key]} 行同名，只保留第 {first_row[key]} 行"))
            continue
        first_row[key] = number
        ctx = Ctx(Located(source, row.data, row.marks))
        checked = PROFILE_SPEC.check(row.data, (), ctx)
        errors = [p for p in ctx.problems if p.severity == "error"]
        if checked is INVALID or errors:
            reasons = list(dict.fromkeys(_reason(p, row) for p in errors)) or ["档案不完整"]
            results.append(RowResult(number, name, False, "；".join(reasons)))
            continue
        file_name = _file_name(name, used_files)
        if (out_dir / file_name).exists() and not force:
            results.append(RowResult(number, name, False,
                                     f"档案文件已存在：{file_name}（如需覆盖，请加 --force）"))
            continue
        used_files.add(file_name)
        result = RowResult(number, name, True, "；".join(row.notes), file_name)
        results.append(result)
        good.append((result, _profile_data(checked, source, number)))
    written = _write_all(out_dir, good, results)
    report = _write_report(out_dir, results)
    return ImportResult(source, table.name, results, written, report, notes)


def _file_name(name: str, used: set[str]) -> str:
    base = safe_stem(slug(name))  # never CON.yaml, NUL.yaml …: Windows cannot open those
    candidate, n = f"{base}.yaml", 2
    while candidate in used:
        candidate, n = f"{base}-{n}.yaml", n + 1
    return candidate


def _write_all(out_dir: Path, good: list[tuple[RowResult, dict]], results: list[RowResult]) -> list[Path]:
    """Stage every profile, load each back, then move them all into place; on failure, nothing."""
    if not good:
        out_dir.mkdir(parents=True, exist_ok=True)
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    with Staging(out_dir, "import") as staging:
        staged: list[tuple[Path, Path]] = []
        for result, data in good:
            try:
                final = stage_profile(staging.path, result.file, data, lock=False)
            except InputError as exc:  # a bug if it happens: report the row rather than write a bad file
                result.imported = False
                result.reason = "；".join(p.message for p in exc.problems)
                result.file = ""
                continue
            staged.append((final, out_dir / result.file))
        with dir_lock(out_dir):
            for tmp, target in staged:
                os.replace(tmp, target)
        fsync_dir(out_dir)
        return [target for _tmp, target in staged]


def _write_report(out_dir: Path, results: list[RowResult]) -> Path:
    path = out_dir / REPORT_NAME
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["行号", "客户名称", "结果", "原因或说明", "档案文件"])
    for r in results:
        writer.writerow([csv_cell(x) for x in (r.row, r.client, r.result, r.reason, r.file)])
    return write_text(path, buf.getvalue(), encoding="utf-8-sig")  # BOM: Excel opens it as UTF-8


def report_lines(result: ImportResult) -> list[str]:
    """The report as a table for the terminal."""
    where = f"（工作表“{result.sheet}”）" if result.sheet else ""
    lines = [f"导入 {result.source.name}{where}：{len(result.rows)} 行客户数据，"
             f"导入 {len(result.written)} 个档案，跳过 {len(result.skipped)} 行。"]
    lines += [f"注意：{n}" for n in result.notes]
    header = ("行号", "客户名称", "结果", "原因或说明")
    rows = [(str(r.row), r.client or "—", r.result,
             "；".join(x for x in (f"→ {r.file}" if r.file else "", r.reason) if x)) for r in result.rows]
    if rows:
        widths = [max(display_width(x[i]) for x in [header, *rows]) for i in range(3)]
        lines.append("")
        lines.append("  ".join(pad(h, w) for h, w in zip(header[:3], widths)) + "  " + header[3])
        for row in rows:
            lines.append("  ".join(pad(v, w) for v, w in zip(row[:3], widths)) + "  " + row[3])
    lines.append("")
    lines.append(f"档案目录：{result.report.parent}")
    lines.append(f"导入报告：{result.report}")
    return lines


__all__ = ["import_clients", "report_lines", "load_mapping", "read_sheet", "split_statements", "ImportResult",
           "RowResult", "DEFAULT_COLUMNS", "TARGETS"]
