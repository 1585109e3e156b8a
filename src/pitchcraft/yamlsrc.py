"""YAML to plain Python data, keeping the line and column of every value.

PyYAML's constructors forget where a value came from, so we compose the node tree ourselves
(libyaml when available) and convert it, recording ``path -> (line, col)``. Only the plain YAML
types are built: a ``!!python/...`` or any other unknown tag is refused, duplicate keys are
reported, and the number of nodes is bounded so an alias bomb cannot exhaust memory.
"""

from __future__ import annotations

import datetime as dt
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

MAX_NODES = 2_000_000
MAX_BYTES = 64 * 1024 * 1024

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
    def __init__(self, file: Path, line_offset: int):
        self.file = file
        self.line_offset = line_offset
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
        if self.count > MAX_NODES:
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


def decode(raw: bytes, file: Path) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 (with or without BOM) only, with a clear message otherwise."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(file, None, None, "", f"文件过大（{len(raw)} 字节），上限 {MAX_BYTES} 字节")]
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
    conv = _Converter(file, line_offset)
    try:
        data = conv.convert(node, ())
    except _TooLarge as big:
        mark = big.node.start_mark
        return None, [Problem(file, mark.line + 1 + line_offset, mark.column + 1, "",
                              f"YAML 展开后超过 {MAX_NODES} 个节点（可能是别名炸弹），拒绝处理", rule="yaml")]
    return Located(file, data, conv.marks), conv.problems


def read_yaml(file: Path) -> tuple[Located | None, list[Problem]]:
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return None, [Problem(file, None, None, "", "文件不存在", rule="io")]
    except IsADirectoryError:
        return None, [Problem(file, None, None, "", "这是一个文件夹，不是 YAML 文件", rule="io")]
    except OSError as exc:
        return None, [Problem(file, None, None, "", f"无法读取：{exc.strerror}", rule="io")]
    text, problems = decode(raw, file)
    if text is None:
        return None, problems
    return parse(text, file)
