"""The user's cache folder: work whose result depends only on its inputs, kept between runs.

``$PITCHCRAFT_CACHE_DIR``, else ``$XDG_CACHE_HOME/pitchcraft``, else ``~/.cache/pitchcraft``. Every
entry is keyed by a checksum of everything it was made from, so a stale entry is never found, and
a folder that cannot be written means no cache, never an error.

Some entries are code once read (Jinja's compiled templates are marshalled bytecode), so a folder
is used only when it is safe to trust, as Jinja checks its own default folder: a real directory
(not a symbolic link), owned by this user, writable by nobody else. Otherwise there is no cache.
"""

from __future__ import annotations

import hashlib
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .fsutil import write_file


def cache_folder(name: str) -> Path | None:
    """The cache's subfolder ``name``, created if needed; None when it cannot be."""
    root = os.environ.get("PITCHCRAFT_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pitchcraft"
    folder = Path(root) / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if trusted(Path(root)) and trusted(folder) else None


def trusted(folder: Path) -> bool:
    """Whether ``folder`` is a directory of this user's that nobody else may write into."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False  # a symbolic link (or a file) where the folder should be
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@lru_cache(maxsize=None)
def code_digest(*sources: Path) -> str:
    """A checksum of source files, for the key of an entry those files compute: a new version of
    the code then never finds an entry the old one made."""
    return hashlib.sha256(b"".join(Path(source).read_bytes() for source in sources)).hexdigest()


def kept(name: str, key: str, make: Callable[[], bytes], *, valid: Callable[[bytes], bool] = bool) -> bytes:
    """``make()``, read back from the cache's subfolder ``name`` when an earlier run stored it under
    ``key``, a checksum of everything ``make`` depends on (its code included, :func:`code_digest`).
    An entry that cannot be read, or that ``valid`` refuses, is made again; one that cannot be
    written only costs the making."""
    folder = cache_folder(name)
    if folder is None:
        return make()
    path = folder / key
    try:
        data = path.read_bytes()
        if valid(data):
            return data
    except OSError:
        pass
    data = make()
    try:
        write_file(path, data, mode=0o600)
    except OSError:
        pass
    return data
