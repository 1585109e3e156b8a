"""The output folder: one per proposal, written atomically, with a manifest, never clobbered.

Files are first written into a hidden staging folder beside the target, then the staging folder is
renamed into place, so a reader never sees half a proposal and a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from . import __version__
from .errors import OutputExistsError, UsageError
from .load import Catalog
from .schema import Profile

_UNSAFE = re.compile(r"[^\w\u3400-\u9fff-]+")


def slug(name: str) -> str:
    """A client name as one safe folder-name part: no separators, dots or control characters."""
    text = unicodedata.normalize("NFKC", name)
    text = _UNSAFE.sub("-", text).strip("-_")
    text = re.sub(r"-{2,}", "-", text)[:60].strip("-_")
    return text or "client"


def folder_name(profile: Profile, date: dt.date) -> str:
    return f"{date.isoformat()}-{slug(profile.name)}"


def check_target(out_dir: Path, name: str, force: bool) -> Path:
    target = out_dir / name
    if target.exists() and not force:
        raise OutputExistsError(f"建议书文件夹已存在：{target}。如需重新生成并覆盖，请加 --force")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出位置不是文件夹：{out_dir}")
    return target


def manifest(profile_path: Path, catalog: Catalog, files: dict[str, bytes], now: dt.datetime) -> dict:
    return {
        "tool": "pitchcraft",
        "version": __version__,
        "generated_at": now.isoformat(timespec="seconds"),
        "profile": profile_path.name,
        "catalog_sha256": catalog.checksum,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }


def write_folder(out_dir: Path, name: str, files: dict[str, bytes], meta: dict, *, force: bool) -> Path:
    target = check_target(out_dir, name, force)
    if target.resolve().parent != out_dir.resolve():  # slug() makes this impossible; keep it checked
        raise UsageError(f"拒绝写到输出目录之外：{target}")
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir))
    try:
        for fname, data in files.items():
            _write_file(staging / fname, data)
        _write_file(staging / "manifest.json",
                    (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        os.chmod(staging, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".old", dir=out_dir))
            os.replace(target, old / "previous")
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
