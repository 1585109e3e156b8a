"""A built :class:`~pitchcraft.match.index.Index` kept between runs, in the user's cache folder.

Indexing the shipped catalog's 600-odd phrasings takes several times longer than reading the
stored index back, and a one-proposal run pays it every time. The entry is keyed by every
phrasing with its owner and weight and by the indexing code itself, so a changed catalog or a new
version of pitchcraft is indexed afresh; an entry that cannot be read or written only costs the
indexing. Large catalogs are not stored: an index of tens of thousands of phrasings is millions
of objects, slower to read back than to build.

An entry is JSON: the index's attributes as plain numbers, strings, lists and maps, with tuples and
:class:`~pitchcraft.match.index.Doc` tagged. Reading it runs no code (unlike a pickle, which may
call anything), so a planted file can at worst make a wrong index, and the cache folder itself is
refused when others could write into it (:func:`pitchcraft.cache.trusted`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..cache import cache_folder, code_digest
from ..fsutil import write_file
from .index import Doc, Index

STORE_BELOW = 10_000  # phrasings; see the module's docstring
KEEP = 8              # entries kept (a product manager editing the catalog makes a new one per edit)
FORMAT = "pitchcraft-index-1"


def cached_index(docs: list[Doc]) -> Index:
    """``Index(docs)``, read from the cache folder when it holds this very index."""
    folder = cache_folder("index") if len(docs) < STORE_BELOW else None
    if folder is None:
        return Index(docs)
    path = folder / (_key(docs) + ".json")
    try:
        index = loads(path.read_bytes())
        if len(index.docs) == len(docs) and all(isinstance(d, Doc) for d in index.docs):
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


# --- the format: plain JSON, tuples and docs tagged --------------------------------------------


def _plain(value):
    if isinstance(value, Doc):
        return {"doc": [value.owner, value.text, value.weight]}
    if isinstance(value, tuple):
        return {"tuple": [_plain(v) for v in value]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {"map": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"not stored: {type(value).__name__}")


def _back(value):
    if isinstance(value, list):
        return [_back(v) for v in value]
    if isinstance(value, dict):
        (tag, body), = value.items()
        if tag == "doc":
            owner, text, weight = body
            return Doc(str(owner), str(text), float(weight))
        if tag == "tuple":
            return tuple(_back(v) for v in body)
        if tag == "map":
            return {_back(k): _back(v) for k, v in body}
        raise ValueError(tag)
    return value


def dumps(index: Index) -> bytes:
    return json.dumps({"format": FORMAT, "index": _plain(vars(index))}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> Index:
    entry = json.loads(data)
    if entry.get("format") != FORMAT:
        raise ValueError("format")
    index = Index.__new__(Index)
    vars(index).update(_back(entry["index"]))
    return index


def _store(folder: Path, path: Path, index: Index) -> None:
    """Written whole under a temporary name and renamed (:func:`pitchcraft.fsutil.write_file`), so
    a reader never sees half an entry; the oldest entries beyond :data:`KEEP` are removed."""
    try:
        write_file(path, dumps(index), mode=0o600)
        entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        pass
