"""An inverted index of short texts, scored by IDF-weighted cosine over n-gram sets.

Each catalog product contributes many short documents (its client phrasings, summary, benefits);
identical texts are indexed once. :meth:`Index.search` scores every document sharing a feature
with a statement. Callers that need only the best few use a :class:`Query`: the common single
characters reach nearly every text but weigh little, so a :class:`Walk` takes from each
feature's postings only the texts it could lift above a limit, and only those are scored.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from functools import cached_property, reduce
from itertools import accumulate, chain
from operator import add
from typing import NamedTuple

from .text import grams


class Doc(NamedTuple):
    owner: str   # product id, or "" for out-of-scope phrasings
    text: str
    weight: float  # how much a match on this kind of text counts (phrases > summary)


class Index:
    """Texts by number, their features by number, and each feature's postings."""

    def __init__(self, docs: list[Doc]):
        self.docs = docs
        ids: dict[str, int] = {}  # text -> number
        self.text_of = [ids.setdefault(doc.text, len(ids)) for doc in docs]  # doc -> its text
        self.docs_of: list[list[int]] = [[] for _ in ids]  # text -> the docs having it
        for i, t in enumerate(self.text_of):
            self.docs_of[t].append(i)
        features = [grams(text) for text in ids]
        df = Counter(chain.from_iterable(features))  # documents, not texts, having a feature:
        for fs, having in zip(features, self.docs_of):
            if len(having) > 1:
                df.update(dict.fromkeys(fs, len(having) - 1))
        n = max(len(docs), 1)
        self.idf = {g: math.log(1 + n / c) for g, c in df.items()}
        self.default_idf = math.log(1 + n)  # a feature the index has never seen
        square = {g: w ** 2 for g, w in self.idf.items()}
        # Summed over each text's own feature set, in its order, as scores always were.
        self.norms = [math.sqrt(sum(map(square.__getitem__, fs))) or 1.0 for fs in features]
        self.names = list(df)  # feature number -> feature
        self.ids = {g: f for f, g in enumerate(self.names)}
        self.features = [tuple(map(self.ids.__getitem__, fs)) for fs in features]  # text -> feature numbers
        self.weight = [max(docs[i].weight for i in having) for having in self.docs_of]  # text -> its docs' highest
        # What a unit of dot product is worth in a text's weighted cosine; postings list the
        # texts where it is worth most (the shortest) first.
        self.reach = [weight / norm for weight, norm in zip(self.weight, self.norms)]
        self.less = [-r for r in self.reach]  # the sort key of postings
        self.postings: list[list[int]] = [[] for _ in self.names]  # feature number -> texts
        for t in sorted(range(len(features)), key=self.less.__getitem__):
            for f in self.features[t]:
                self.postings[f].append(t)

    def query(self, text: str) -> Query:
        return Query(self, text)

    def search(self, text: str) -> dict[int, float]:
        """Cosine similarity of ``text`` with every document sharing a feature: doc -> score.

        Documents come in the order a term-at-a-time pass over the text's features first reaches
        them, which callers keeping the first of equal scores rely on.
        """
        q = self.query(text)
        dots: dict[int, float] = {}
        order: list[int] = []
        for f, ww in zip(q.position, q.squares):
            reached: list[int] = []
            for t in self.postings[f]:
                if t in dots:
                    dots[t] += ww
                else:
                    dots[t] = ww
                    reached += self.docs_of[t]
            order += sorted(reached)
        return {i: dots[t] / (q.norm * self.norms[t]) for i in order for t in (self.text_of[i],)}


class Query:
    """A text against an index: exact cosines of chosen texts, and close estimates.

    Exact cosines add the squared IDFs in the order of the text's feature set, as
    :meth:`Index.search` does, so both give the same floats; :meth:`approx` adds them in another
    order (equal within rounding), far cheaper. A :class:`Walk` finds the texts that may score
    above a limit.
    """

    def __init__(self, index: Index, text: str):
        self.index = index
        fs = grams(text)
        self.norm = math.sqrt(sum(index.idf.get(g, index.default_idf) ** 2 for g in fs)) or 1.0
        self.position: dict[int, int] = {}  # feature number -> its rank in the summation order
        self.squares: list[float] = []
        for g in fs:
            w = index.idf.get(g)
            if w is not None:
                self.position[index.ids[g]] = len(self.squares)
                self.squares.append(w * w)
        self.weights = dict(zip(self.position, self.squares))
        self._cache: dict[int, tuple[float, int]] = {}
        self._approx: dict[int, float] = {}

    # What estimates and walks need, made when first used (the numpy path needs none of it).

    @cached_property
    def dense(self) -> list[float]:
        """Feature number -> its squared weight here."""
        dense = [0.0] * len(self.index.ids)
        for f, ww in self.weights.items():
            dense[f] = ww
        return dense

    @cached_property
    def terms(self) -> list[int]:
        """The features, lightest first."""
        return sorted(self.position, key=self.weights.__getitem__)

    @cached_property
    def lighter(self) -> list[float]:
        """The weight of the ``k`` lightest features together, for ``k`` from 0 on."""
        return [0.0, *accumulate(map(self.weights.__getitem__, self.terms))]

    def cosine(self, t: int) -> float:
        """The exact cosine with text ``t``."""
        return self._exact(t)[0]

    def first(self, t: int) -> int:
        """The rank of the first feature text ``t`` shares (-1: none), which orders :meth:`Index.search`."""
        return self._exact(t)[1]

    def _exact(self, t: int) -> tuple[float, int]:
        hit = self._cache.get(t)
        if hit is None:
            ranks = sorted(map(self.position.__getitem__, self.position.keys() & self.index.features[t]))
            dot = reduce(add, map(self.squares.__getitem__, ranks), 0.0)
            hit = self._cache[t] = (dot / (self.norm * self.index.norms[t]), ranks[0] if ranks else -1)
        return hit

    def approx(self, t: int) -> float:
        """The cosine with text ``t``, summed in another order: equal to :meth:`cosine` within rounding."""
        hit = self._approx.get(t)
        if hit is None:
            hit = self._approx[t] = sum(map(self.dense.__getitem__, self.index.features[t])) / (
                self.norm * self.index.norms[t])
        return hit

    def walk(self) -> Walk:
        return Walk(self)


class Walk:
    """The texts sharing a feature with a query, closest first, as a limit falls.

    A text's weighted cosine is at most its dot product times ``reach / norm``. The features
    lighter than a text's heaviest shared one add at most their weight together, so each
    feature's postings are walked only over texts where it and the lighter ones together may
    reach the limit: every text left out is below it (a margin covers rounding).
    """

    def __init__(self, query: Query):
        self.query = query
        self.walked = [0] * len(query.terms)  # how far each feature's postings were walked
        self.seen: set[int] = set()

    def down_to(self, limit: float, most: int | None = None) -> set[int] | None:
        """The texts not returned before whose weighted cosine may reach ``limit``; None, without
        walking, if that takes more than ``most`` postings."""
        q, index = self.query, self.query.index
        level = limit * q.norm * (1 - 1e-9)
        less = index.less.__getitem__
        ends = [len(index.postings[f]) if level <= 0 else bisect_right(index.postings[f], -level / mass, key=less)
                for f, mass in zip(q.terms, q.lighter[1:])]
        if most is not None and sum(max(end - start, 0) for end, start in zip(ends, self.walked)) > most:
            return None
        fresh: set[int] = set()
        for k, (f, end) in enumerate(zip(q.terms, ends)):
            if end > self.walked[k]:
                fresh.update(index.postings[f][self.walked[k]:end])
                self.walked[k] = end
        fresh -= self.seen
        self.seen |= fresh
        return fresh
