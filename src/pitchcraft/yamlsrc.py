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

import codecs
import datetime as dt
import operator
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # libyaml is about 4x faster and keeps marks too
    _SafeLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python fallback
    _SafeLoader = yaml.SafeLoader

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
MAX_BYTES = 64 * 1024 * 1024  # bytes read from any file
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
    def __init__(self, loader: _Loader, file: Path, line_offset: int, budget: int):
        self.loader = loader  # its constructors build the scalars that are not plain text
        self.file = file
        self.line_offset = line_offset
        self.budget = budget
        self.keys: dict[yaml.Node, Any] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        self.problems.append(
            Problem(self.file, node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1,
                    path_str(path), message)
        )

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > self.budget:
            raise _TooLarge(node)
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
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
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problem(node, path, f"无法解读的值 {node.value!r}: {exc}")
            return None
        except (KeyError, AttributeError, TypeError):  # PyYAML's constructors on e.g. `!!bool maybe`
            tag = node.tag.rsplit(":", 1)[-1]
            self.problem(node, path, f"无法解读的值 {node.value!r}：不符合标签 !!{tag} 要求的写法")
            return None


_SLOW = object()
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _quick_scalar(tag: str, value: str) -> Any:
    """A number, a date, true or null in its usual form, built as PyYAML's constructor builds it;
    ``_SLOW`` for any other form, and for one that would fail, left to PyYAML and its messages."""
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


def size_text(n: int) -> str:
    """A byte count as a reader says it: 980 字节, 3.2 KB, 1.5 MB."""
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def too_large(file: Path, size: int | None, limit: int, what: str = "文件") -> Problem:
    """``size`` is None when it is not known (a pipe or a device): only that it is over the limit."""
    told = f"（{size_text(size)}）" if size is not None and size > limit else ""
    return Problem(file, None, None, "", f"{what}过大{told}，上限 {size_text(limit)}；请检查是否选错了文件",
                   rule="io")


def decode(raw: bytes, file: Path) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 (with or without BOM) only, with a clear message otherwise."""
    if len(raw) > MAX_BYTES:
        return None, [too_large(file, len(raw), MAX_BYTES)]
    try:  # as "utf-8-sig" decodes (the error's offset too), without its codec written in Python
        text = (raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, None, "",
                              "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器中另存为 UTF-8 后重试")]
    return text, []


def parse(text: str, file: Path, line_offset: int = 0) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document. Returns (located data, problems); data is None on a fatal problem."""
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        what = exc.problem or "YAML 语法错误"
        return None, [Problem(file, line, col, "", f"YAML 语法错误：{what}", rule="yaml")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, None, None, "", f"YAML 语法错误：{exc}", rule="yaml")]
    if node is None:
        return None, [Problem(file, 1 + line_offset, None, "", "文件是空的", rule="yaml")]
    budget = node_budget(len(text))
    conv = _Converter(loader, file, line_offset, budget)
    try:
        data = conv.convert(node, ())
    except _TooLarge as big:
        mark = big.node.start_mark
        return None, [_bomb(file, mark.line + 1 + line_offset, mark.column + 1, budget)]
    return Composed(file, data, root=node, line_offset=line_offset, keys=conv.keys), conv.problems


def _bomb(file: Path, line: int | None, col: int | None, budget: int) -> Problem:
    return Problem(file, line, col, "", f"YAML 展开后超过 {budget} 个节点（可能是别名炸弹），拒绝处理", rule="yaml")


def read_bytes(file: Path, max_bytes: int | None = None, what: str = "文件") -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, reading no more than ``max_bytes`` (default :data:`MAX_BYTES`) + 1 of them, so a
    huge file, a device or a pipe that never ends is refused without filling memory."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        raw, size = _read_bounded(file, limit)
    except FileNotFoundError:
        return None, [Problem(file, None, None, "", "文件不存在", rule="io")]
    except IsADirectoryError:
        return None, [Problem(file, None, None, "", "这是一个文件夹，不是 YAML 文件", rule="io")]
    except OSError as exc:
        return None, [Problem(file, None, None, "", f"无法读取：{exc.strerror or exc}", rule="io")]
    if len(raw) > limit:
        return None, [too_large(file, size, limit, what)]
    return raw, []


def _read_bounded(file: Path, limit: int) -> tuple[bytes, int | None]:
    """Up to ``limit + 1`` bytes of a file, and its size when the file system knows it."""
    with open(file, "rb") as fh:
        raw = fh.read(limit + 1)
        st = os.fstat(fh.fileno())
    return raw, (st.st_size if stat.S_ISREG(st.st_mode) else None)


def read_yaml(file: Path) -> tuple[Located | None, list[Problem]]:
    raw, problems = read_bytes(file)
    if raw is None:
        return None, problems
    text, problems = decode(raw, file)
    if text is None:
        return None, problems
    return parse(text, file)


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
        raw, size = _read_bounded(file, limits.max_bytes)
    except OSError:
        return []
    if len(raw) > limits.max_bytes:
        return [too_large(file, size, limits.max_bytes, limits.what)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
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
