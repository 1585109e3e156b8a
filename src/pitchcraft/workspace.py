"""Where the content lives: a workspace folder with catalog/, cases/, templates/ and proposals/.

Templates are looked up file by file: the workspace's ``templates/`` first, then the defaults shipped
inside the package, so a company can replace one file (say its brand deck) and keep the rest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError, Problem, UsageError
from .reading import not_regular


def packaged_templates() -> Path:
    """The default templates: inside the installed package, or the checkout's templates/ folder
    when running from source (an editable install maps packages, not data folders)."""
    installed = Path(str(resources.files("pitchcraft") / "templates"))
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "templates"


def first_template(templates: list[Path], relative: str) -> Path:
    """``relative`` in the first of ``templates`` (folders, the workspace's first) that has it, else
    in the last. Anything at the path counts, a folder or a device too: it is then refused with its
    name when read, not silently skipped for the packaged file."""
    for folder in templates:
        if os.path.lexists(Path(folder) / relative):
            return Path(folder) / relative
    return Path(templates[-1]) / relative


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def open(cls, root: Path | str | None) -> "Workspace":
        root = Path(root or ".").resolve()
        ws = cls(root)
        if not root.is_dir():
            raise UsageError(f"工作目录不存在：{root}")
        reason = not_regular(ws.catalog_file, "产品目录")
        if reason is not None:
            raise UsageError(f"{ws.catalog_file}：{reason}")
        if not ws.catalog_file.is_file():
            raise UsageError(f"在 {root} 中找不到产品目录 catalog/products.yaml；"
                             "请在 pitchcraft 工作目录中运行，或用 --workspace 指定")
        return ws

    @property
    def catalog_file(self) -> Path:
        return self.root / "catalog" / "products.yaml"

    @property
    def company_file(self) -> Path:
        """The issuer: provincial company, city branches, account managers."""
        return self.root / "catalog" / "company.yaml"

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def proposals_dir(self) -> Path:
        return self.root / "proposals"

    def template_optional(self, relative: str) -> Path | None:
        try:
            return self.template(relative)
        except UsageError:
            return None

    def template(self, relative: str) -> Path:
        """A template file: the workspace's own if present, else the packaged default. A workspace
        file that is there but no regular file (a device, a pipe, a folder, a broken link) is an
        error naming it: the company meant its own file, so the default is not used silently."""
        own = self.root / "templates" / relative
        if own.is_file():
            return own
        reason = not_regular(own, "模板文件")
        if reason is not None:
            raise InputError([Problem(own, None, None, "", f"{reason}（不会改用内置的同名文件；请换成普通文件，"
                                                        "或删除它以使用内置文件）", rule="io")])
        default = packaged_templates() / relative
        if default.is_file():
            return default
        raise UsageError(f"找不到模板文件 templates/{relative}（工作目录和内置模板中都没有）")
