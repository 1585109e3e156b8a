"""The user's cache folder: work whose result depends only on its inputs, kept between runs.

``$PITCHCRAFT_CACHE_DIR``, else ``$XDG_CACHE_HOME/pitchcraft``, else ``~/.cache/pitchcraft``. Every
entry is keyed by a checksum of everything it was made from, so a stale entry is never found, and
a folder that cannot be written means no cache, never an error.

Some entries are code once read (Jinja's compiled templates are marshalled bytecode), so a folder
is used only when it is safe to trust, as Jinja checks its own default folder: a real directory
(not a symbolic link), owned by this user, writable by nobody else. Otherwise there is no cache.

Entries of checked data (the matcher's index, the checked catalog and cases) are :mod:`marshal`
data behind a SHA-256 (:func:`sealed`): marshal reads plain data about four times faster than JSON
walked back in Python and, unlike a pickle, reading it runs no code; it is not meant for damaged
input and its format changes between Python versions, so the checksum is checked before anything
is read and the keys name the Python (:data:`MARSHAL`). :func:`to_plain` and :func:`from_plain`
turn dataclasses (of the classes a caller names), dates, decimals and paths into such data and back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
import stat
import sys
from dataclasses import fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any, Callable

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


def prune(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` newest entries of ``folder`` (a catalog edited ten times made ten)."""
    try:
        entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


# --- entries of plain data ----------------------------------------------------------------------

MARSHAL = f"{sys.implementation.cache_tag} marshal {marshal.version}"  # for keys: whose format it is


def sealed(data: bytes) -> bytes:
    """``data`` behind its SHA-256, to be read back by :func:`unsealed`."""
    return hashlib.sha256(data).digest() + data


def unsealed(entry: bytes) -> bytes:
    """The data of a :func:`sealed` entry; ValueError when it is cut short or damaged."""
    data = entry[32:]
    if len(entry) < 32 or hashlib.sha256(data).digest() != entry[:32]:
        raise ValueError("a damaged cache entry")
    return data


_PLAIN = (str, int, float, bool, type(None))


def to_plain(value: Any, classes: dict[str, type], derived: dict[type, tuple[str, ...]] | None = None) -> Any:
    """``value`` as marshal data. Strings, numbers, and tuples and maps of them, are themselves;
    a list, a date, a decimal, a path, a dataclass of ``classes`` (the fields its constructor takes,
    but for the ``derived`` ones its ``__post_init__`` makes) and a tuple or map holding any of
    these are a list tagged by its first item, so that reading back walks only into those.
    TypeError for anything else."""
    derived = derived or {}
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple:
        items = tuple(to_plain(v, classes, derived) for v in value)
        return ["tuple", *items] if list in map(type, items) else items
    if kind is dict:
        entries = {to_plain(k, classes, derived): to_plain(v, classes, derived) for k, v in value.items()}
        return ["dict", entries] if list in map(type, [*entries, *entries.values()]) else entries
    if kind is list:
        return ["list", *(to_plain(v, classes, derived) for v in value)]
    if kind is dt.date:
        return ["date", value.toordinal()]
    if kind is Decimal:
        return ["decimal", str(value)]
    if isinstance(value, PurePath):
        return ["path", str(value)]
    if classes.get(kind.__name__) is kind:
        made = derived.get(kind, ())
        return ["object", kind.__name__, {f.name: to_plain(getattr(value, f.name), classes, derived)
                                          for f in fields(kind) if f.init and f.name not in made}]
    raise TypeError(f"not stored: {kind.__name__}")


def from_plain(data: Any, classes: dict[str, type]) -> Any:
    """The value :func:`to_plain` made ``data`` of; only ``classes`` are built."""
    if type(data) is not list:
        return data  # plain as it was stored
    tag, *body = data
    if tag == "object":
        name, values = body
        return classes[name](**{k: from_plain(v, classes) if type(v) is list else v for k, v in values.items()})
    if tag == "tuple":
        return tuple(from_plain(v, classes) if type(v) is list else v for v in body)
    if tag == "list":
        return [from_plain(v, classes) for v in body]
    if tag == "dict":
        return {from_plain(k, classes): from_plain(v, classes) for k, v in body[0].items()}
    if tag == "date":
        return dt.date.fromordinal(*body)
    if tag == "decimal":
        return Decimal(*body)
    if tag == "path":
        return Path(*body)
    raise ValueError(f"unknown tag {tag!r}")
