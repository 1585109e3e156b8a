"""YAML to plain Python data, keeping the line and column of every value.

PyYAML's constructors forget where a value came from, so we compose the node tree ourselves
(libyaml when available) and convert it, recording ``path -> (line, col)``. Only the plain YAML
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
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # libyaml is about 4x faster and keeps marks too
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python fallback
    _Loader = yaml.SafeLoader

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


class _Converter:
    def __init__(self, file: Path, line_offset: int, budget: int):
        self.file = file
        self.line_offset = line_offset
        self.budget = budget
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.scalars = _Loader("")  # used only for its scalar constructors

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        self.problems.append(
            Problem(self.file, node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1,
                    path_str(path), message)
        )

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > self.budget:
            raise _TooLarge(node)
        self.marks.setdefault(path, self.mark(node))
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, path, f"不支持的 YAML 标签 {node.tag}，只允许普通的文字、数字、列表和键值")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_node, path, "键必须是简单的文字")
                    continue
                key = self.scalar(key_node, path)
                if isinstance(key, (dt.date, float, bool)) or key is None:
                    key = key_node.value
                if key in out:
                    self.problem(key_node, path + (key,), f"键 {key} 重复出现，后一个会覆盖前一个")
                sub = path + (key,)
                self.marks[sub] = self.mark(key_node)
                out[key] = self.convert(value_node, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        try:
            return self.scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problem(node, path, f"无法解读的值 {node.value!r}: {exc}")
            return None


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
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, None, "",
                              "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器中另存为 UTF-8 后重试")]
    return text, []


def parse(text: str, file: Path, line_offset: int = 0) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document. Returns (located data, problems); data is None on a fatal problem."""
    try:
        node = yaml.compose(text, Loader=_Loader)
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
    conv = _Converter(file, line_offset, budget)
    try:
        data = conv.convert(node, ())
    except _TooLarge as big:
        mark = big.node.start_mark
        return None, [_bomb(file, mark.line + 1 + line_offset, mark.column + 1, budget)]
    return Located(file, data, conv.marks), conv.problems


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
    count, mark = count_values(text, limits.max_nodes)
    if mark is None:
        return []
    return [Problem(file, mark.line + 1, mark.column + 1, "",
                    f"{limits.what}展开后超过 {limits.max_nodes} 个值（可能是别名炸弹，或选错了文件），拒绝处理",
                    rule="yaml")]
