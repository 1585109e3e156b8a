"""YAML to plain Python data, keeping the line and column of every value.

PyYAML's constructors forget where a value came from, so we compose the node tree ourselves
(libyaml when available), convert it and keep it: a value's line and column are looked up in the
tree when a finding needs them (:class:`Composed`). Only the plain YAML
types are built: a ``!!python/...`` or any other unknown tag is refused, duplicate keys are
reported, and the input is bounded so that neither an alias bomb nor a huge file can exhaust memory:

- a file is read up to :data:`MAX_BYTES` and no further (a 10 GB file or ``/dev/zero`` costs 64 MiB);
- the number of values after alias expansion is bounded by the document's own length
  (:func:`node_budget`): a document without aliases has at most one value per two characters, so only
  aliases can go past it, and a 1 KB alias bomb stops at about 10,000 values instead of billions;
- a kind of file may set tighter limits with :func:`check_limits` (a needs profile: 1 MiB and 20,000
  values, see :data:`PROFILE_LIMITS`), counted on the parser's event stream before anything is built.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import yamlerrors
from .errors import Problem
from .reading import (MAX_BYTES, NOT_XML, ReadError, decode_text, read_regular, size_text,  # noqa: F401
                      too_large_text, xml_safe)

try:  # libyaml is about 4x faster and keeps marks too
    _SafeLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python fallback
    _SafeLoader = yaml.SafeLoader


def safe_load(text: str):
    """``yaml.safe_load`` parsed by libyaml when available: the same data and errors' marks, about
    4x faster (PyYAML's ``safe_load`` always uses its pure-Python parser), for tables read whole
    that need no positions (pitch/notes.yaml, the sales-story terms)."""
    return yaml.load(text, Loader=_SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT, _BOOL, _NULL, _DATE = (f"tag:yaml.org,2002:{name}" for name in ("int", "bool", "null", "timestamp"))
_COLLECTION_TAGS = {yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}


def _one_regex(resolvers: list[tuple[str, re.Pattern]]) -> tuple[re.Pattern, dict[str, str]]:
    """PyYAML's implicit resolvers as one regex that tries them in their order; the group that
    matched names the tag."""
    groups = [f"(?P<t{i}>(?{'x' if regexp.flags & re.VERBOSE else ''}:{regexp.pattern}))"
              for i, (_tag, regexp) in enumerate(resolvers)]
    return re.compile("|".join(groups)), {f"t{i}": tag for i, (tag, _regexp) in enumerate(resolvers)}


_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers


@lru_cache(maxsize=None)
def _implicit_for(first: str | None) -> tuple[re.Pattern, dict[str, str]] | None:
    """The regex for plain scalars starting with ``first`` (None: with a character no resolver
    names), compiled when first needed: the thirty of them cost tens of milliseconds at start-up,
    and a profile needs a few."""
    if first is None:
        return _one_regex(_RESOLVERS[None]) if None in _RESOLVERS else None
    return _one_regex(_RESOLVERS[first] + _RESOLVERS.get(None, []))


def _implicit(first: str) -> tuple[re.Pattern, dict[str, str]] | None:
    return _implicit_for(first if first in _RESOLVERS else None)


class _Loader(_SafeLoader):
    """The safe loader with PyYAML's own implicit types, resolved with one regex per plain scalar.

    The composer asks the resolver for every value's tag, and tells it when it enters and leaves
    each value; PyYAML's resolver concatenates lists, tries a regex at a time and looks for path
    resolvers each time, which safe loading never has. Same tags, less time per value.
    """

    descend_resolver = staticmethod(operator.is_)  # called with (parent, index): a no-op in C
    ascend_resolver = staticmethod(tuple)          # called with (): a no-op in C

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:  # plain: a number, a date, true, null … or text
                table = _implicit(value[:1])
                found = table and table[0].match(value)
                if found:
                    return table[1][found.lastgroup]
            return _STR
        return _COLLECTION_TAGS[kind]

Path_ = tuple  # a path into the data: ("products", 3, "name")

MAX_NODES = 2_000_000          # values after alias expansion, for any file (the catalog is the largest)
NODE_FLOOR = 10_000           # every document may expand to this many values …
NODES_PER_CHAR = 0.5          # … plus one per two characters of its text


@dataclass(frozen=True)
class Limits:
    """How much of one kind of file pitchcraft accepts."""

    max_bytes: int
    max_nodes: int
    what: str  # the kind of file, as the message names it


PROFILE_LIMITS = Limits(1024 * 1024, 20_000, "需求档案")  # a real profile is 2-10 KB and 100-300 values


def node_budget(text_length: int) -> int:
    """How many values a document of this many characters may expand to."""
    return min(MAX_NODES, NODE_FLOOR + int(NODES_PER_CHAR * text_length))

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def path_str(path: Path_) -> str:
    """``("needs", "basic_comms", 0)`` -> ``needs.basic_comms[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Located:
    """Parsed data and where each part of it stands in its file."""

    file: Path
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column (1-based) of ``path``, or of its nearest located parent."""
        path = tuple(path)
        while True:
            if path in self.marks:
                return self.marks[path]
            if not path:
                return None, None
            path = path[:-1]

    def problem(self, path: Path_, message: str, *, severity: str = "error", rule: str = "schema") -> Problem:
        line, col = self.where(path)
        return Problem(self.file, line, col, path_str(tuple(path)), message, severity, rule)


@dataclass
class Composed(Located):
    """Data read from YAML, located through the node tree it was built from.

    A file has thousands of values and its findings need a few positions, so none is computed
    while the data is built: :meth:`where` walks the tree when asked.
    """

    root: yaml.Node | None = field(default=None, repr=False)
    line_offset: int = 0
    keys: dict[yaml.Node, Any] = field(default_factory=dict, repr=False)  # key node -> key, if not text
    _entries: dict[yaml.Node, dict] = field(default_factory=dict, init=False, repr=False)

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column (1-based) of ``path``, or of its nearest located parent.

        A mapping entry stands at its key, a list item at the item. Under a key written twice, each
        value the path reaches counts: an entry at the last key of that path, else the first item,
        as when every value was given its position in the order the data was built. Nothing inside
        a value refused for its tag is located.
        """
        nodes = [self.root]
        mark = self.root.start_mark
        for part in path:
            values: list[yaml.Node] = []
            last_key = first_item = None
            for node in nodes:
                if node.tag not in _PLAIN_TAGS:
                    continue
                if isinstance(node, yaml.MappingNode):
                    for last_key, value in self._mapping(node).get(part, ()):
                        values.append(value)
                elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                    values.append(node.value[part])
                    first_item = first_item or node.value[part]
            if not values:
                break
            mark = (last_key or first_item).start_mark
            nodes = values
        return mark.line + 1 + self.line_offset, mark.column + 1

    def _mapping(self, node: yaml.MappingNode) -> dict[Any, list[tuple[yaml.Node, yaml.Node]]]:
        """key -> its (key node, value node) entries in order: more than one if the key is repeated."""
        entries = self._entries.get(node)
        if entries is None:
            entries = self._entries[node] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    entries.setdefault(self.keys.get(key_node, key_node.value), []).append((key_node, value_node))
        return entries


class _Converter:
    def __init__(self, loader: _Loader, file: Path, line_offset: int, budget: int, text: str):
        self.loader = loader  # its constructors build the scalars that are not plain text
        self.file = file
        self.line_offset = line_offset
        self.budget = budget
        self.text = text
        self._lines: list[str] | None = None
        self.keys: dict[yaml.Node, Any] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def problem(self, node: yaml.Node, path: Path_, message: str, severity: str = "error",
                rule: str = "schema", line: int | None = None, col: int | None = None) -> None:
        line = node.start_mark.line if line is None else line
        col = node.start_mark.column if col is None else col
        self.problems.append(
            Problem(self.file, line + 1 + self.line_offset, col + 1, path_str(path), message, severity, rule)
        )

    def text_value(self, node: yaml.ScalarNode, path: Path_) -> str:
        """A text scalar, checked for what parses but is not what was meant."""
        value = node.value
        if NOT_XML.search(value):  # only through an escape: the raw characters are cleaned in decode()
            value = xml_safe(value)
            self.problem(node, path, "已删除文档无法容纳的控制字符或非字符（如 U+FFFE、U+FFFF）",
                         "warning", "characters")
        if not node.style:  # plain (None in PyYAML, '' in libyaml): a list item written without its space, or folded into the one before
            if node.start_mark.line != node.end_mark.line:
                self.folded(node, path)
            elif yamlerrors.dash_without_space(value):
                self.problem(node, path, yamlerrors.list_mark_hint(value), rule="yaml")
            elif path and isinstance(path[-1], str) and (key := yamlerrors.full_colon_key(value)) \
                    and self._starts_line(node):  # "client:\n  name：华南": a key, not text
                self.problem(node, path, yamlerrors.colon_hint(key), rule="yaml",
                             col=node.start_mark.column + value.index("："))
        return value

    def _starts_line(self, node: yaml.ScalarNode) -> bool:
        if self._lines is None:
            self._lines = self.text.split("\n")
        line = self._lines[node.start_mark.line] if node.start_mark.line < len(self._lines) else ""
        return not line[: node.start_mark.column].strip()

    def folded(self, node: yaml.ScalarNode, path: Path_) -> None:
        """Plain text over several lines is joined into one: say so where the next line begins."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        end = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
        dash = (node.start_mark.line if yamlerrors.dash_without_space(node.value)
                else yamlerrors.continuation_dash(self._lines, node.start_mark.line, end))
        if dash is not None:
            at = dash
            col = len(self._lines[at]) - len(self._lines[at].lstrip())
            self.problem(node, path, yamlerrors.list_mark_hint(self._lines[at].strip() if dash != node.start_mark.line
                                                                else node.value), rule="yaml", line=at, col=col)
        elif path and isinstance(path[-1], int):
            nxt = node.start_mark.line + 1
            col = len(self._lines[nxt]) - len(self._lines[nxt].lstrip())
            self.problem(node, path, f"这一项写在了 {end - node.start_mark.line + 1} 行上，会合并成一条；"
                         f"如果是两条，请在第 {nxt + 1 + self.line_offset} 行开头加上“- ”",
                         "warning", "folded-text", line=nxt, col=col)

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > self.budget:
            raise _TooLarge(node)
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            if not node.style or NOT_XML.search(node.value):
                return self.text_value(node, path)
            return node.value  # most values: text is the scalar as written
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, path, f"不支持的 YAML 标签 {node.tag}，只允许普通的文字、数字、列表和键值")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_node, path, "键必须是简单的文字")
                    continue
                if key_node.tag == _MERGE:
                    self.problem(key_node, path, "不支持 YAML 合并键“<<”：请把要复用的内容直接写在这里", rule="yaml")
                    continue
                key = key_node.value if key_node.tag == _STR else self.key(key_node, path)
                sub = path + (key,)
                if key in out:
                    self.problem(key_node, sub, f"键 {key} 重复出现，后一个会覆盖前一个")
                out[key] = self.convert(value_node, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def key(self, node: yaml.ScalarNode, path: Path_) -> Any:
        """A mapping key that is not text: a number, or as written (a date, a float, true or null)."""
        key = self.scalar(node, path)
        if isinstance(key, (dt.date, float, bool)) or key is None:
            key = node.value
        self.keys[node] = key
        return key

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        value = _quick_scalar(node.tag, node.value)
        if value is not _SLOW:
            return value
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, KeyError, AttributeError, TypeError):
            # PyYAML's constructors, e.g. on 2026-13-45 or `!!bool maybe`: said in the file's terms
            tag = node.tag.rsplit(":", 1)[-1]
            meaning = _TAG_MEANING.get(tag, f"符合标签 !!{tag} 要求的写法")
            self.problem(node, path, f"无法解读的值 {xml_safe(node.value)!r}：不是有效的{meaning}；"
                                     "如果它是一段文字，请给它加上英文引号")
            return None


_MERGE = "tag:yaml.org,2002:merge"
_TAG_MEANING = {"timestamp": "日期（如 2026-12-01）", "int": "整数", "float": "数字", "bool": "是/否（true 或 false）",
                "null": "空值"}


_SLOW = object()
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _quick_scalar(tag: str, value: str) -> Any:
    """A number, a date, true or null in its usual form, built as PyYAML's constructor builds it;
    ``_SLOW`` for any other form, and for one that would fail, left to PyYAML and its messages."""
    if len(value) > 40:
        return _SLOW  # a number that long is left to PyYAML, whose refusal is reported in Chinese
    if tag == _INT:
        if value.isascii() and value.isdigit() and value[0] != "0":  # not octal, hex, 1_000 or 1:30
            return int(value)
    elif tag == _BOOL:
        return _BOOLS.get(value.lower(), _SLOW)
    elif tag == _NULL:
        return None
    elif tag == _DATE and _ISO_DATE.fullmatch(value):
        try:
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:
            pass
    return _SLOW


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node):
        self.node = node


def too_large(file: Path, size: int | None, limit: int, what: str = "文件") -> Problem:
    """``size`` is None when it is not known (a pipe or a device): only that it is over the limit."""
    return Problem(file, None, None, "", too_large_text(size, limit, what), rule="io")


# what libyaml refuses to read and no document can hold: C0 and C1 controls (not tab, LF, CR),
# U+FFFE and U+FFFF; dropped where the file is read, each one reported where it stood. NEL, U+2028 and
# U+2029 are line breaks to YAML but not to the editors people use: they become spaces, so that lines
# are counted as the editor shows them
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029]")
_ODD_BREAKS = {0x85: " ", 0x2028: " ", 0x2029: " "}


def decode(raw: bytes, file: Path) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 (with or without BOM) only, with a clear message otherwise (UTF-16 and
    GBK are named). Characters no document can carry are dropped, with a warning at each."""
    if len(raw) > MAX_BYTES:
        return None, [too_large(file, len(raw), MAX_BYTES)]
    text, line, message = decode_text(raw)
    if text is None:
        return None, [Problem(file, line, None, "", message, rule="yaml")]
    if _UNREADABLE.search(text) is None:
        return text, []
    problems = [Problem(file, line, col, "", f"已删除文档无法容纳的字符 {code}", "warning", "characters")
                for line, col, code in _unreadable_at(text)[:20]]
    return _UNREADABLE.sub("", text.translate(_ODD_BREAKS)), problems


def _unreadable_at(text: str) -> list[tuple[int, int, str]]:
    return [(*yamlerrors.reader_position(text, m.start()), f"U+{ord(m.group()):04X}")
            for m in _UNREADABLE.finditer(text)]


def parse(text: str, file: Path, line_offset: int = 0) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document. Returns (located data, problems); data is None on a fatal problem.

    Syntax errors are told in Chinese where the mistake is (:mod:`pitchcraft.yamlerrors`)."""
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        line, col, message = yamlerrors.explain(exc, text)
        line = line + line_offset if line is not None else None
        return None, [Problem(file, line, col, "", f"YAML 语法错误：{message}", rule="yaml")]
    except yaml.reader.ReaderError as exc:  # a character libyaml cannot read (decode() drops the usual ones)
        line, col = yamlerrors.reader_position(text, exc.position)
        return None, [Problem(file, line + line_offset, col, "",
                              f"YAML 语法错误：文件中有无法读取的字符 U+{exc.character if isinstance(exc.character, int) else ord(exc.character):04X}，请删除它",
                              rule="yaml")]
    except yaml.YAMLError:
        return None, [Problem(file, None, None, "", "YAML 语法错误：文件无法读取，请检查缩进、冒号和引号", rule="yaml")]
    if node is None:
        return None, [Problem(file, 1 + line_offset, None, "", "文件是空的", rule="yaml")]
    budget = node_budget(len(text))
    conv = _Converter(loader, file, line_offset, budget, text)
    try:
        data = conv.convert(node, ())
    except _TooLarge as big:
        mark = big.node.start_mark
        return None, [_bomb(file, mark.line + 1 + line_offset, mark.column + 1, budget)]
    return Composed(file, data, root=node, line_offset=line_offset, keys=conv.keys), conv.problems


def _bomb(file: Path, line: int | None, col: int | None, budget: int) -> Problem:
    return Problem(file, line, col, "", f"YAML 展开后超过 {budget} 个节点（可能是别名炸弹），拒绝处理", rule="yaml")


def read_bytes(file: Path, max_bytes: int | None = None, what: str = "文件") -> tuple[bytes | None, list[Problem]]:
    """A regular file's bytes, reading no more than ``max_bytes`` (default :data:`MAX_BYTES`) + 1 of
    them: a huge file is refused without filling memory, a pipe or a device without reading it."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        return read_regular(file, limit, what), []
    except ReadError as exc:
        return None, [Problem(file, None, None, "", exc.message, rule="io")]


def read_yaml(file: Path, max_bytes: int | None = None) -> tuple[Located | None, list[Problem]]:
    raw, problems = read_bytes(file, max_bytes)
    if raw is None:
        return None, problems
    text, problems = decode(raw, file)
    if text is None:
        return None, problems
    src, more = parse(text, file)
    return src, problems + more


# --- per-kind limits, checked before parsing ----------------------------------------------------

_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


def count_values(text: str, limit: int) -> tuple[int, yaml.Mark | None]:
    """How many values ``text`` holds once its aliases are expanded, counting no further than just
    past ``limit``: (count, where the count went past the limit, or None).

    Works on the parser's event stream, so nothing is built: memory stays small whatever the input.
    A syntax error stops the count; the regular parse reports it.
    """
    count = 0
    sizes: dict[str, int] = {}          # anchor -> values in the anchored node, aliases expanded
    open_: list[tuple[str | None, int]] = []  # collections being read: (anchor, count when it started)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                count += sizes.get(event.anchor, 1)
            elif isinstance(event, _NODE_EVENTS):
                count += 1
                if isinstance(event, yaml.ScalarEvent):
                    if event.anchor:
                        sizes[event.anchor] = 1
                else:
                    open_.append((event.anchor, count - 1))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)) and open_:
                anchor, start = open_.pop()
                if anchor:
                    sizes[anchor] = count - start
            else:
                continue
            if count > limit:
                return count, event.start_mark
    except yaml.YAMLError:
        pass
    return count, None


def check_limits(file: Path, limits: Limits) -> list[Problem]:
    """The problems that make ``file`` too large for its kind: bytes on disk and values after alias
    expansion. Anything else (a missing file, bad encoding, a syntax error) is left to the reader,
    which reports it in its usual words."""
    try:
        raw = read_regular(file, limits.max_bytes, limits.what)
    except ReadError as exc:
        return [Problem(file, None, None, "", exc.message, rule="io")] if exc.too_large else []
    text, problems = decode(raw, file)
    if text is None:
        return []
    return value_limit(text, file, limits)


def value_limit(text: str, file: Path, limits: Limits) -> list[Problem]:
    """The problem of a text that expands to more values than its kind allows (an alias bomb)."""
    count, mark = count_values(text, limits.max_nodes)
    if mark is None:
        return []
    return [Problem(file, mark.line + 1, mark.column + 1, "",
                    f"{limits.what}展开后超过 {limits.max_nodes} 个值（可能是别名炸弹，或选错了文件），拒绝处理",
                    rule="yaml")]
