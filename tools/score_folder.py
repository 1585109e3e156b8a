"""Score folders of labelled profiles (``X.yaml`` + ``X.gold.yaml`` pairs) with tests/eval/scoring.py.

usage: python tools/score_folder.py DIR [DIR ...] [-v]

Prints recall, precision, unmatched reported, trap statements claimed and forbidden picks, per
folder and, for several folders, over all of them; ``-v`` adds a line per profile (must groups
missed, products the gold does not accept). Run from the checkout; the shipped catalog is used.
Developer aid: its output is English-labelled and never reaches a client.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]  # tests/eval/scoring.py, this checkout's pitchcraft

from eval.scoring import Score, score  # noqa: E402
from pitchcraft.match.recommend import Matcher  # noqa: E402
from pitchcraft.pipeline import load_content  # noqa: E402
from pitchcraft.workspace import Workspace  # noqa: E402


def line(name: str, s: Score) -> str:
    reported = s.unmatched_reported / s.unmatched if s.unmatched else 1.0
    return (f"{name}: profiles {s.profiles}  recall {s.recall:.3f} ({s.hit}/{s.must})  "
            f"precision {s.precision:.3f} ({s.ok}/{s.out})  "
            f"unmatched reported {s.unmatched_reported}/{s.unmatched} ({reported:.2f})  "
            f"trap statements claimed {s.claimed}  forbidden {s.forbidden}")


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    dirs = [Path(a) for a in argv if a != "-v"]
    if not dirs or not all(d.is_dir() for d in dirs):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    content = load_content(Workspace.open(ROOT))
    matcher = Matcher(content.catalog)
    total = Score()
    for d in dirs:
        s = score([d], content, matcher)
        if verbose:
            print("\n".join("  " + x for x in s.lines))
        print(line(str(d), s))
        for name in ("must", "hit", "out", "ok", "forbidden", "unmatched", "unmatched_reported", "claimed", "profiles"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    if len(dirs) > 1:
        print(line("all", total))
    return 0 if total.profiles else 1  # no labelled pair found: say so by the exit code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
