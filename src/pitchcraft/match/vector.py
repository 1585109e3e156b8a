"""The catalog's index as numpy arrays: every product's two closest texts at once, for large catalogs.

Only :class:`~pitchcraft.match.recommend.Matcher` imports this module, and only for a catalog
above its size threshold, while it builds its index: ``import numpy`` costs more than matching a
small catalog does, and ``pitchcraft generate`` on the shipped catalog must never pay it.

The arrays give each product's closest and second-closest weighted cosine, from which the matcher
keeps the products that may place; their scores are then computed by the pure code, so results do
not depend on how numpy adds. (Adding each feature's weight in the query's order, as done here,
gives the same floats anyway.)
"""

from __future__ import annotations

from itertools import accumulate, chain

import numpy as np

from .index import Index, Query


class ProductArrays:
    """Postings as one array, and every product's docs as rows of text numbers and doc weights.

    Row ``r`` holds the ``r``-th doc of every product having more than ``r`` docs: products go
    in order of how many docs they have, most first, so each row is a prefix of the one before
    and the best two of every product take a few array operations per row.
    """

    def __init__(self, index: Index, product_docs: list[range]):
        self.text_count = len(index.features)
        self.starts = [0, *accumulate(map(len, index.postings))]  # feature number -> its slice of postings
        # intp, not int32: numpy converts any other index array before using it.
        self.postings = np.fromiter(chain.from_iterable(index.postings), dtype=np.intp, count=self.starts[-1])
        self.norms = np.array(index.norms)
        order = sorted(range(len(product_docs)), key=[-len(span) for span in product_docs].__getitem__)
        self.rank = np.argsort(order)  # product position -> its place in the rows
        rows = [[span[r] for span in map(product_docs.__getitem__, order) if r < len(span)]
                for r in range(max(map(len, product_docs), default=0))]
        self.row_ends = list(accumulate(map(len, rows)))
        docs = list(chain.from_iterable(rows))
        self.texts = np.array([index.text_of[d] for d in docs], dtype=np.intp)
        self.weights = np.array([index.docs[d].weight for d in docs], dtype=float)

    def cosines(self, query: Query) -> np.ndarray:
        """The cosine of the query with every text."""
        starts, postings = self.starts, self.postings
        features = list(query.position)  # in the order exact scores add their weights, as bincount does
        if not features:
            return np.zeros(self.text_count)
        reached = np.concatenate([postings[starts[f]:starts[f + 1]] for f in features])
        weights = np.repeat(query.squares, [starts[f + 1] - starts[f] for f in features])
        dots = np.bincount(reached, weights, minlength=self.text_count)
        dots /= query.norm * self.norms
        return dots

    def closest(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """Every product's best and second-best weighted cosine (0 where it has none)."""
        scores = self.cosines(query)[self.texts]
        scores *= self.weights
        best = scores[:len(self.rank)].copy()  # the first row: every product has a doc, its summary
        second = np.zeros(len(best))
        for start, end in zip(self.row_ends, self.row_ends[1:]):
            row, n = scores[start:end], end - start
            np.maximum(second[:n], np.minimum(best[:n], row), out=second[:n])
            np.maximum(best[:n], row, out=best[:n])
        return best[self.rank], second[self.rank]

    def factors(self, fits: list[tuple[float, list[str]]]) -> np.ndarray:
        """The products' fit factors as an array, for :meth:`contenders`."""
        return np.array([factor for factor, _ in fits], dtype=float)

    def contenders(self, query: Query, factors: np.ndarray, cue_counts: dict[int, int], support_weight: float,
                   keyword_bonus: float, count: int, slack: float) -> list[int]:
        """The products whose score may place among the best ``count``, in catalog order.

        Scores are estimated as the matcher computes them (closest text, plus the second-closest
        one, plus cue words, times the fit); a product is kept if it has a shared feature or a cue
        word and its estimate reaches the ``count``-th best estimate, less a margin of ``slack``
        for rounding. Every product whose exact score ties into the best ``count`` is kept.
        """
        best, second = self.closest(query)
        bonus = np.zeros(len(best))
        scored = best > 0
        if cue_counts:
            at = np.fromiter(cue_counts, dtype=np.intp, count=len(cue_counts))
            bonus[at] = keyword_bonus * np.fromiter(cue_counts.values(), dtype=float, count=len(cue_counts))
            scored[at] = True
        estimates = (best + support_weight * second + bonus) * factors
        positions = np.flatnonzero(scored)
        if len(positions) > count:
            estimates = estimates[positions]
            nth = float(np.partition(estimates, -count)[-count])
            positions = positions[estimates >= nth - slack * (1.0 + abs(nth))]
        return positions.tolist()

