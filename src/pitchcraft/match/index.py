"""An inverted index of short texts, scored by IDF-weighted cosine over n-gram sets.

Each catalog product contributes many short documents (its client phrasings, summary, benefits);
a need statement is scored against every document sharing a feature with it, through the postings,
so the cost grows with the statement's features, not with the size of the catalog.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .text import grams


@dataclass(frozen=True)
class Doc:
    owner: str   # product id, or "" for out-of-scope phrasings
    text: str
    weight: float  # how much a match on this kind of text counts (phrases > summary)


class Index:
    def __init__(self, docs: list[Doc]):
        self.docs = docs
        features = [grams(d.text) for d in docs]
        df: dict[str, int] = defaultdict(int)
        for fs in features:
            for g in fs:
                df[g] += 1
        n = max(len(docs), 1)
        self.idf = {g: math.log(1 + n / c) for g, c in df.items()}
        self.default_idf = math.log(1 + n)  # a feature the index has never seen
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.norms: list[float] = []
        for i, fs in enumerate(features):
            for g in fs:
                self.postings[g].append(i)
            self.norms.append(math.sqrt(sum(self.idf[g] ** 2 for g in fs)) or 1.0)

    def search(self, text: str) -> dict[int, tuple[float, set[str]]]:
        """Cosine similarity of ``text`` with every document sharing a feature: doc -> (score, shared)."""
        fs = grams(text)
        qnorm = math.sqrt(sum(self.idf.get(g, self.default_idf) ** 2 for g in fs)) or 1.0
        dots: dict[int, float] = defaultdict(float)
        shared: dict[int, set[str]] = defaultdict(set)
        for g in fs:
            w = self.idf.get(g)
            if w is None:
                continue
            for i in self.postings[g]:
                dots[i] += w * w
                shared[i].add(g)
        return {i: (dots[i] / (qnorm * self.norms[i]), shared[i]) for i in dots}
