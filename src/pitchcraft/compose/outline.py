"""The proposal's outline: which chapters, in what order, under which condition (templates data)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import RenderError


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    when: str | None
    numbered: bool = True


CONDITIONS = {
    "has_cases": lambda rec: bool(rec.cases),
    "has_unmatched": lambda rec: bool(rec.unmatched),
    "has_contacts": lambda rec: bool(rec.profile.contacts),
    "has_extensions": lambda rec: bool(rec.extensions),
    "has_production_control": lambda rec: bool(rec.profile.needs.get("production_control")),
}


def load_outline(path: Path) -> list[Section]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sections = [Section(s["title"], s["template"], s.get("when"), s.get("numbered", True))
                    for s in data["sections"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise RenderError(f"大纲文件 {path} 无法读取：{exc}") from None
    for s in sections:
        if s.when and s.when not in CONDITIONS:
            raise RenderError(f"大纲文件 {path}: 章节“{s.title}”的条件 {s.when} 不存在，"
                              f"可选：{'、'.join(CONDITIONS)}")
    return sections


