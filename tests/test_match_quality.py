"""Matching quality on labelled profiles: the bar is recall >= 0.9 and precision >= 0.85.

tests/eval/profiles holds our own labelled set (all 14 industries, statements as clients speak);
../shared/eval/profiles, when present beside the checkout, is scored too.
"""

from __future__ import annotations

import pytest

from conftest import ROOT
from eval.scoring import score
from pitchcraft.pipeline import load_content
from pitchcraft.model.vocab import INDUSTRIES
from pitchcraft.workspace import Workspace

OURS = ROOT / "tests" / "eval" / "profiles"
SHARED = ROOT.parent / "shared" / "eval" / "profiles"
# Retired held-out sets, tuning now: 47-64, 74-89 (the second held-out set), 90-105 (the third), 106-121
# (the fourth), 122-137 (the fifth, retired in the seventh round), 138-153 (the sixth, retired in the
# eighth) and 154-169 (the seventh, retired in the ninth) in tuning/, 65-73 in holdout/
RETIRED = [ROOT / "tests" / "eval" / "tuning", ROOT / "tests" / "eval" / "holdout"]


@pytest.fixture(scope="module")
def content():
    return load_content(Workspace.open(ROOT))


def test_labelled_set_is_broad():
    import yaml

    profiles = [p for p in OURS.glob("*.yaml") if not p.name.endswith(".gold.yaml")]
    assert len(profiles) >= 12
    industries = {yaml.safe_load(p.with_name(p.stem + ".gold.yaml").read_text(encoding="utf-8"))["industry"]
                  for p in profiles}
    assert industries == set(INDUSTRIES)


def test_quality_on_our_labelled_profiles(content):
    s = score([OURS], content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.recall >= 0.9, s.summary()
    assert s.precision >= 0.85, s.summary()
    assert s.forbidden == 0, s.summary()
    assert s.claimed == 0, s.summary()


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/eval not beside this checkout")
def test_quality_on_shared_profiles(content):
    s = score([SHARED], content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.recall >= 0.9, s.summary()
    assert s.precision >= 0.85, s.summary()
    assert s.claimed == 0, s.summary()


def test_quality_on_the_retired_held_out_sets(content):
    """The sets seen in tuning keep what the ninth round reached with set 7 retired into them (0.997 /
    0.992 / 207 of 211 unmatched reported / 4 traps claimed; before its tuning 0.974 / 0.984 / 202 / 9), above
    the first sight of sets 5 (0.818 / 0.936 / 20 of 23 / 3), 6 (138-153: 0.857 / 0.973 / 28 of 34 / 6) and 7
    (154-169: 0.800 / 0.934 / 22 of 27 / 5 / 2 forbidden); on unseen profiles only a new held-out set tells."""
    s = score(RETIRED, content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.profiles >= 123, s.summary()
    assert s.recall >= 0.995 and s.precision >= 0.99, s.summary()
    assert s.unmatched_reported >= 0.98 * s.unmatched and s.claimed <= 4, s.summary()
    assert s.forbidden == 0, s.summary()


def test_bundle_is_focused(content):
    """A proposal pitches a handful of products, never the catalog."""
    s = score([OURS], content)
    assert 2.5 <= s.out / s.profiles <= 8



HELD_OUT = ROOT / "tests" / "eval" / "holdout8"


def test_the_held_out_set_keeps_its_first_sight_figures(content):
    """Held-out set 8 (170-185: written by a helper who never saw the catalog, labelled by another who
    never ran the matcher) was scored once with the eighth round's matcher (0.800 / 0.973 / 44 of 50 /
    6 claimed / 0 forbidden) and once with the ninth's (0.814 / 0.973 / 44 of 50 / 6 / 0); with coverage
    by share (chosen on tuning) 0.829 / 0.972 / 45 of 50 / 5 / 0. Never tune on it; this only stops a
    change from making it worse."""
    s = score([HELD_OUT], content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.profiles == 16
    assert s.recall >= 0.82 and s.precision >= 0.97, s.summary()
    assert s.unmatched_reported >= 45 and s.claimed <= 5 and s.forbidden == 0, s.summary()
