"""A built :class:`~pitchcraft.match.index.Index` kept between runs, in the user's cache folder.

Indexing the shipped catalog's 600-odd phrasings takes several times longer than reading the
stored index back, and a one-proposal run pays it every time. The entry is keyed by every
phrasing with its owner and weight and by the indexing code itself, so a changed catalog or a new
version of pitchcraft is indexed afresh; an entry that cannot be read or written only costs the
indexing. Large catalogs are not stored: an index of tens of thousands of phrasings is millions
of objects, slower to unpickle than to build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from ..cache import cache_folder, code_digest
from .index import Doc, Index

STORE_BELOW = 10_000  # phrasings; see the module's docstring
KEEP = 8              # entries kept (a product manager editing the catalog makes a new one per edit)


def cached_index(docs: list[Doc]) -> Index:
    """``Index(docs)``, read from the cache folder when it holds this very index."""
    folder = cache_folder("index") if len(docs) < STORE_BELOW else None
    if folder is None:
        return Index(docs)
    path = folder / _key(docs)
    try:
        with open(path, "rb") as f:
            index = pickle.load(f)
        if isinstance(index, Index) and len(index.docs) == len(docs):
            return index
    except Exception:  # noqa: BLE001 - a missing, partial or foreign entry is rebuilt, whatever it raises
        pass
    index = Index(docs)
    _store(folder, path, index)
    return index


def _key(docs: list[Doc]) -> str:
    here = Path(__file__).parent  # the indexing code: features and stop words, and the index
    h = hashlib.sha256(code_digest(here / "index.py", here / "text.py").encode())
    for doc in docs:
        h.update(f"{doc.owner}\0{doc.text}\0{doc.weight!r}\n".encode("utf-8"))
    return h.hexdigest()


def _store(folder: Path, path: Path, index: Index) -> None:
    """Written whole under a temporary name and renamed, so a reader never sees half an entry;
    the oldest entries beyond :data:`KEEP` are removed."""
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".index-")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
        entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
