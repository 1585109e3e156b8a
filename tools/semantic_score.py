"""tools/score_folder.py with the semantic second opinion on (developer aid, English output).

usage: python tools/semantic_score.py DIR [DIR ...] [-v]

The same figures as tools/score_folder.py, from a matcher built with ``semantic=True``
(:mod:`pitchcraft.match.semantic`), as ``pitchcraft recommend`` and the web app match.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]


def main(argv: list[str]) -> int:
    recommend = importlib.import_module("pitchcraft.match.recommend")
    plain = recommend.Matcher.__init__

    def with_semantic(self, *args, **kwargs):
        kwargs.setdefault("semantic", True)
        plain(self, *args, **kwargs)

    recommend.Matcher.__init__ = with_semantic
    spec = importlib.util.spec_from_file_location("score_folder", ROOT / "tools" / "score_folder.py")
    score_folder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score_folder)
    return score_folder.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
