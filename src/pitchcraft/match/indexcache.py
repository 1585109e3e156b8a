"""A built :class:`~pitchcraft.match.index.Index` kept between runs, in the user's cache folder.

Indexing the shipped catalog's 600-odd phrasings takes several times longer than reading the
stored index back, and a one-proposal run pays it every time. The entry is keyed by every
phrasing with its owner and weight and by the indexing code itself, so a changed catalog or a new
version of pitchcraft is indexed afresh; an entry that cannot be read or written only costs the
indexing. Large catalogs are not stored: an index of tens of thousands of phrasings is millions
of objects, slower to read back than to build.

An entry is the index's attributes as :mod:`marshal` data: numbers, strings, lists, tuples and
maps only, its documents as plain tuples. Reading it back is about 4x cheaper than JSON walked back
in Python, and, like JSON and unlike a pickle (which may call anything), reading plain data runs no
code. marshal's format changes between Python versions and it is not meant for damaged input, so
the key names the Python that wrote the entry, the entry opens with its format and a SHA-256 of
its data, checked before the data is read (:func:`pitchcraft.cache.sealed`), and what is read must
have the index's shape; anything else is rebuilt and written again. The cache folder itself is refused when others could write into it
(:func:`pitchcraft.cache.trusted`).
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

from ..cache import MARSHAL, cache_folder, code_digest, prune, sealed, unsealed
from ..fsutil import write_file
from .index import Doc, Index

STORE_BELOW = 10_000  # phrasings; see the module's docstring
KEEP = 8              # entries kept (a product manager editing the catalog makes a new one per edit)
FORMAT = b"pitchcraft-index-2\n"  # then the attributes, sealed (a SHA-256, then the marshal data)
PYTHON = MARSHAL  # whose marshal format it is


def cached_index(docs: list[Doc]) -> Index:
    """``Index(docs)``, read from the cache folder when it holds this very index."""
    folder = cache_folder("index") if len(docs) < STORE_BELOW else None
    if folder is None:
        return Index(docs)
    path = folder / (_key(docs) + ".marshal")
    try:
        index = loads(path.read_bytes())
        if len(index.docs) == len(docs):
            return index
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign entry is rebuilt, whatever it raises
        pass
    index = Index(docs)
    _store(folder, path, index)
    return index


def _key(docs: list[Doc]) -> str:
    here = Path(__file__).parent  # the indexing code: features and stop words, the index, this format
    h = hashlib.sha256(code_digest(here / "index.py", here / "text.py", Path(__file__)).encode())
    h.update(PYTHON.encode())
    for doc in docs:
        h.update(f"{doc.owner}\0{doc.text}\0{doc.weight!r}\n".encode("utf-8"))
    return h.hexdigest()


# --- the format: a checksum, then the attributes as marshal data --------------------------------


def dumps(index: Index) -> bytes:
    attributes = {**vars(index), "docs": [tuple(doc) for doc in index.docs]}
    return FORMAT + sealed(marshal.dumps(attributes))


def loads(entry: bytes) -> Index:
    """The index stored in ``entry``; ValueError when the entry is not one, whole and undamaged."""
    if not entry.startswith(FORMAT):
        raise ValueError("not an index entry")
    attributes = marshal.loads(unsealed(entry[len(FORMAT):]))
    shape = vars(Index([]))  # each attribute's type, from the code that builds them
    if (type(attributes) is not dict or attributes.keys() != shape.keys()
            or any(type(attributes[name]) is not type(empty) for name, empty in shape.items())):
        raise ValueError("not an index")
    attributes["docs"] = [Doc(str(owner), str(text), float(weight)) for owner, text, weight in attributes["docs"]]
    index = Index.__new__(Index)
    vars(index).update(attributes)
    return index


def _store(folder: Path, path: Path, index: Index) -> None:
    """Written whole under a temporary name and renamed (:func:`pitchcraft.fsutil.write_file`), so
    a reader never sees half an entry; the oldest entries beyond :data:`KEEP` are removed."""
    try:
        write_file(path, dumps(index), mode=0o600)
    except (OSError, TypeError, ValueError):
        return
    prune(folder, KEEP)
