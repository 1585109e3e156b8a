"""The output folder: one per proposal, written atomically, with a manifest, never clobbered.

Files are first written into a hidden staging folder beside the target, then the staging folder is
renamed into place, so a reader never sees half a proposal and a failure leaves nothing behind.

Several pitchcraft processes may write into the same output folder at once (a batch's workers, two
batch runs, a ``generate`` beside them). Two rules keep them from losing or clobbering each other's
work:

- deciding what to do with a target folder and renaming into it happen under one exclusive lock on
  the output folder itself (``flock`` on its directory handle; no lock file is left behind). The
  lock is held for a rename, not for rendering, so workers never wait on each other's work;
- a rename never replaces a folder it was not told to replace: a new proposal is renamed into place
  with ``os.rename``, which fails on a non-empty directory, and a replacement first moves the old
  folder aside, under the same lock.

A process killed mid-write (even by SIGKILL) leaves only a hidden ``.<name>.*.tmp`` folder. Each
staging folder is locked by the process writing it, and the kernel drops that lock when the process
dies, so :func:`clean_stale` removes exactly the staging folders nobody is writing any more.
Without ``fcntl`` (Windows) there are no locks: renames still never clobber (Windows refuses to rename
onto an existing folder) and leftovers older than an hour are removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Callable, Iterator

from . import __version__
from .errors import OutputExistsError, UsageError
from .model.catalog import Catalog
from .model.profile import Profile

from .reading import ReadError, read_regular, os_reason as reading_os_reason
from .fsutil import Staging, dir_lock, durable_write, fcntl, fsync_dir, lock_fd

_UNSAFE = re.compile(r"[^\w\u3400-\u9fff-]+")
FOLDER = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
MANIFEST = "manifest.json"
STALE_AFTER = 3600  # seconds; only where staging folders cannot be locked


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


def manifest(profile_path: Path, catalog: Catalog, files: dict[str, bytes], now: dt.datetime,
             inputs: dict | None = None) -> dict:
    """What a folder holds and what it was made from: a rerun compares ``inputs`` to skip it."""
    return {
        "tool": "pitchcraft",
        "version": __version__,
        "generated_at": now.isoformat(timespec="seconds"),
        "profile": Path(profile_path).name,
        "catalog_sha256": catalog.checksum,
        **(inputs or {}),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }


# --- reading folders back ----------------------------------------------------------------------


def read_manifest(folder: Path) -> dict | None:
    """A folder's manifest, or None when it is missing or unreadable."""
    try:
        data = json.loads(read_regular(folder / MANIFEST, 1024 * 1024).decode("utf-8"))
    except (OSError, ValueError, ReadError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    return data


def intact(folder: Path, meta: dict | None) -> bool:
    """Whether every file the manifest lists is there with the recorded checksum."""
    if not meta or not meta["files"]:
        return False
    for name, digest in meta["files"].items():
        path = folder / str(name)
        if path.parent != folder:
            return False
        try:  # a regular file, bounded: a pipe planted in the folder must not make a rerun wait
            if hashlib.sha256(read_regular(path)).hexdigest() != digest:
                return False
        except ReadError:
            return False
    return True


def proposal_folders(out_dir: Path) -> Iterator[Path]:
    """The proposal folders of an output folder (``<date>-<client>``; staging folders are hidden)."""
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return
    for entry in entries:
        if FOLDER.match(entry.name) and entry.is_dir(follow_symlinks=False):
            yield Path(entry.path)


def _put(staging: Path, target: Path, replace: bool) -> None:
    """Rename ``staging`` to ``target``; an existing target is moved aside first only if ``replace``.
    Called under the output folder's lock."""
    if replace and (target.exists() or target.is_symlink()):
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rename(target, aside / "previous")
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(aside / "previous", target)  # put the old one back
            shutil.rmtree(aside, ignore_errors=True)
            raise
        shutil.rmtree(aside, ignore_errors=True)
        return
    if target.exists() or target.is_symlink():
        raise OutputExistsError(f"建议书文件夹已存在：{target}。如需重新生成并覆盖，请加 --force")
    try:
        os.rename(staging, target)  # fails on a non-empty folder that appeared meanwhile
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
            raise OutputExistsError(f"建议书文件夹已存在：{target}。如需重新生成并覆盖，请加 --force") from None
        raise
    fsync_dir(target.parent)


def write_folder(out_dir: Path, name: str, files: dict[str, bytes], meta: dict, *, force: bool) -> Path:
    """Write one proposal folder; an existing one is replaced only with ``force``."""
    action, target = commit_folder(out_dir, name, files, meta, lambda _t: "replace" if force else "create")
    return target


def commit_folder(out_dir: Path, name: str, files: dict[str, bytes], meta: dict,
                  decide: Callable[[Path], str]) -> tuple[str, Path]:
    """Stage the files, then, under the output folder's lock, ask ``decide(target)`` what to do —
    ``"create"`` (the target must not exist), ``"replace"`` or ``"keep"`` (leave the target as it
    is and discard the staged files) — and do it. ``decide`` may raise to refuse. Returns the action
    taken and the target."""
    target = check_target(out_dir, name, force=True)
    if target.resolve().parent != out_dir.resolve():  # slug() makes this impossible; keep it checked
        raise UsageError(f"拒绝写到输出目录之外：{target}")
    staging = None
    created = _missing_folders(out_dir)
    try:
        staging = Staging(out_dir, name)
        for fname, data in files.items():
            durable_write(staging.path / fname, data)
        durable_write(staging.path / MANIFEST, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        os.chmod(staging.path, 0o755)
        with dir_lock(out_dir):
            action = decide(target)
            if action != "keep":
                _put(staging.path, target, replace=action == "replace")
    except BaseException as exc:  # nothing is left behind, not even the output folder this run made
        if staging is not None:
            staging.close()
        _remove_empty(created)
        if isinstance(exc, OSError):  # a full disk, a read-only folder, no permission
            raise UsageError(f"无法写入输出目录 {out_dir}：{os_reason(exc)}；未生成任何文件") from None
        raise
    staging.close()
    return action, target


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its ancestors that do not exist yet, deepest first: what this run would create."""
    missing = []
    for path in (folder, *folder.parents):
        if path.exists() or path.is_symlink():
            break
        missing.append(path)
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders a failed run created, deepest first, only while they are empty (another
    process's proposal written into them meanwhile is never touched)."""
    for path in folders:
        try:
            path.rmdir()
        except OSError:
            break


# where writing an output folder says it better than :data:`reading._OS_REASONS`
_WRITE_REASONS = {getattr(errno, name): text for name, text in (
    ("EACCES", "没有写入权限"),
    ("EPERM", "没有写入权限"),
    ("EROFS", "文件系统是只读的"),
    ("ENOENT", "文件夹不存在或已被删除"),
) if hasattr(errno, name)}


def os_reason(exc: OSError) -> str:
    """What the operating system said, in words an account manager reads."""
    return _WRITE_REASONS.get(exc.errno) or reading_os_reason(exc)


def clean_stale(out_dir: Path) -> list[Path]:
    """Remove the staging folders left by processes that died while writing; returns them."""
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(out_dir) if e.name.startswith(".")
                   and e.name.endswith((".tmp", ".old")) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return removed
    if not entries:
        return removed
    with dir_lock(out_dir):
        for entry in entries:
            path = Path(entry.path)
            if fcntl is None:
                with contextlib.suppress(OSError):
                    if time.time() - path.stat().st_mtime > STALE_AFTER:
                        shutil.rmtree(path, ignore_errors=True)
                        removed.append(path)
                continue
            try:
                fd = lock_fd(path, blocking=False)
            except BlockingIOError:
                continue  # its writer is alive
            try:
                if fd is not None:  # locked by nobody: its writer is gone
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path)
            finally:
                if fd is not None:
                    os.close(fd)
    return removed
