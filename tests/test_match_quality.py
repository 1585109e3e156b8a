"""Matching quality on labelled profiles: the bar is recall >= 0.9 and precision >= 0.85.

tests/eval/profiles holds our own labelled set (all 14 industries, statements as clients speak);
../shared/eval/profiles, when present beside the checkout, is scored too.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT
from eval.scoring import score

from pitchcraft.model.vocab import INDUSTRIES

OURS = ROOT / "tests" / "eval" / "profiles"
SHARED = ROOT.parent / "shared" / "eval" / "profiles"
# Retired held-out sets, tuning now: 47-64, 74-89 (the second held-out set), 90-105 (the third), 106-121
# (the fourth), 122-137 (the fifth, retired in the seventh round), 138-153 (the sixth, retired in the
# eighth), 154-169 (the seventh, retired in the ninth), 170-185 (the eighth, retired in the tenth),
# 186-201 (the ninth, retired in the eleventh), 202-217 (the tenth, retired in the twelfth) and 218-233 (the
# eleventh, retired in the thirteenth) in tuning/, 65-73 in holdout/
RETIRED = [ROOT / "tests" / "eval" / "tuning", ROOT / "tests" / "eval" / "holdout"]


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
    """The sets seen in tuning, with set 11 retired into them in the thirteenth round (187 profiles: 0.991 / 0.992 /
    394 of 400 unmatched reported / 6 traps claimed after its tuning; on its joining, before: 0.977 / 0.992 / 390 /
    10), above
    the first sight of sets 7 (154-169: 0.800 / 0.934 / 22 of 27 / 5 / 2 forbidden), 8 (170-185: 0.800 / 0.973 /
    44 of 50 / 6), 9 (186-201: 0.790 / 0.965 / 44 of 51 / 7), 10 (202-217: 0.923 / 1.000 / 38 of 48 / 10) and 11
    (218-233: 0.871 / 1.000 / 37 of 40 / 3); the 171 retired before set 11 keep their own floors (below). On
    unseen profiles only a new held-out set tells (README, Round 13)."""
    s = score(RETIRED, content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.profiles >= 187, s.summary()
    assert s.recall >= 0.9905 and s.precision >= 0.991, s.summary()
    assert s.unmatched_reported >= 394 and s.claimed <= 6, s.summary()
    assert s.forbidden == 0, s.summary()


def test_bundle_is_focused(content):
    """A proposal pitches a handful of products, never the catalog."""
    s = score([OURS], content)
    assert 2.5 <= s.out / s.profiles <= 8


def test_set_8_keeps_what_its_tuning_reached(content, tmp_path):
    """Held-out set 8 (170-185: written by a helper who never saw the catalog, labelled by another who never
    ran the matcher) was scored on first sight with the eighth round's matcher (0.800 / 0.973 / 44 of 50 / 6
    claimed / 0 forbidden) and last with the ninth's (0.829 / 0.972 / 45 of 50 / 5 / 0); the tenth round tuned
    on it (README, Round 10) to 0.986 / 0.988 / 49 of 50 / 1 / 0. Wherever its files are (holdout8/ or tuning/)."""
    for d in RETIRED:
        for path in d.glob("1[78][0-9]-*.yaml"):
            if 170 <= int(path.name[:3]) <= 185:
                shutil.copy(path, tmp_path / path.name)
    s = score([tmp_path], content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.profiles == 16
    assert s.recall >= 0.985 and s.precision >= 0.985, s.summary()
    assert s.unmatched_reported >= 49 and s.claimed <= 1 and s.forbidden == 0, s.summary()


def test_set_9_keeps_what_its_tuning_reached(content, tmp_path):
    """Held-out set 9 (186-201: written by a helper who never saw the catalog, labelled by another who never
    ran the matcher) was scored on first sight with the ninth round's matcher (0.802 / 0.966 / 43 of 51 / 8
    claimed / 0 forbidden) and the tenth's (0.790 / 0.965 / 44 of 51 / 7 / 0); the eleventh round tuned on
    it (README, Round 11) to 0.963 / 0.980 / 49 of 51 / 2 / 0. Wherever its files are (holdout9/ or tuning/)."""
    for d in RETIRED:
        for path in d.glob("[12][0-9][0-9]-*.yaml"):
            if 186 <= int(path.name[:3]) <= 201:
                shutil.copy(path, tmp_path / path.name)
    s = score([tmp_path], content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.profiles == 16 and s.must == 81 and s.unmatched == 51, s.summary()
    assert s.hit >= 78 and s.precision >= 0.98, s.summary()
    assert s.unmatched_reported >= 49 and s.claimed <= 2 and s.forbidden == 0, s.summary()


def test_set_10_keeps_what_its_tuning_reached(content, tmp_path):
    """Held-out set 10 (202-217: written by a helper who never saw the catalog, labelled by another who never
    ran the matcher) was scored on first sight by the lead with the tenth round's matcher and the eleventh's
    (both 0.923 / 1.000 / 38 of 48 / 10 claimed / 0 forbidden); the twelfth round tuned on it (README, Round 12)
    to 0.962 / 1.000 / 47 of 48 / 1 / 0, the thirteenth took its leftovers (205's switchboard to replace, 217's
    key menu, 209's area-wide push refused) to 0.987 / 1.000 / 48 of 48 / 0. Wherever its files are."""
    for d in RETIRED:
        for path in d.glob("2[01][0-9]-*.yaml"):
            if 202 <= int(path.name[:3]) <= 217:
                shutil.copy(path, tmp_path / path.name)
    s = score([tmp_path], content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.profiles == 16 and s.must == 78 and s.unmatched == 48, s.summary()
    assert s.hit >= 77 and s.precision >= 0.99, s.summary()
    assert s.unmatched_reported >= 48 and s.claimed == 0 and s.forbidden == 0, s.summary()


def _copy_range(tmp_path, first: int, last: int, outside: bool = False):
    """Copy the labelled profiles numbered first..last (or, with outside, all others) of the retired sets."""
    for d in RETIRED:
        for path in d.glob("[0-9]*.yaml"):
            number = int(path.name.split("-", 1)[0])
            if (first <= number <= last) != outside:
                shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_set_11_keeps_what_its_tuning_reached(content, tmp_path):
    """Held-out set 11 (218-233: written by a helper who never saw the catalog, labelled by another who never
    ran the matcher) was scored on first sight by the lead with the eleventh round's matcher and the twelfth's
    (both 0.871 (74/85) / 1.000 / 37 of 40 / 3 claimed, all 待确认 / 0 forbidden); the thirteenth round tuned on
    it (README, Round 13) to 1.000 (85/85) / 1.000 / 40 of 40 / 0 / 0. Wherever its files are (holdout11/ or tuning/)."""
    s = score([_copy_range(tmp_path, 218, 233)], content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.profiles == 16 and s.must == 85 and s.unmatched == 40, s.summary()
    assert s.hit == 85 and s.precision >= 0.99, s.summary()
    assert s.unmatched_reported == 40 and s.claimed == 0 and s.forbidden == 0, s.summary()


def test_retired_sets_before_set_11_keep_their_floors(content, tmp_path):
    """The 171 retired profiles before set 11 keep what the thirteenth round reached on them (0.991 / 0.991 /
    354 of 360 / 6 claimed / 0; the twelfth round's 0.989 / 0.991 / 353 / 7): set 11 joining the retired sets
    must not hide a loss on the older ones."""
    s = score([_copy_range(tmp_path, 218, 233, outside=True)], content)
    print(s.summary())
    assert s.profiles == 171, s.summary()
    assert s.recall >= 0.991 and s.precision >= 0.990, s.summary()
    assert s.unmatched_reported >= 354 and s.claimed <= 6 and s.forbidden == 0, s.summary()


def test_held_out_set_12_first_sight(content):
    """Held-out set 12 (234-249, tests/eval/holdout12: written by a helper who never saw the catalog,
    labelled by another who never ran the matcher, never tuned on) as the lead scored it on first sight
    with the twelfth and the thirteenth round's matcher: 0.815 / 0.988 / 40 of 45 / 5 claimed (all 待确认) /
    0 forbidden. A floor, so a later round that tunes elsewhere cannot lose it unnoticed."""
    s = score([ROOT / "tests" / "eval" / "holdout12"], content)
    print("\n".join(s.lines + [s.summary()]))
    assert s.profiles == 16 and s.must == 81 and s.unmatched == 45, s.summary()
    assert s.hit >= 66 and s.precision >= 0.98, s.summary()
    assert s.unmatched_reported >= 40 and s.claimed <= 5 and s.forbidden == 0, s.summary()
