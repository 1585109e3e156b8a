"""One table per vocabulary, and no internal key in what a reader sees.

The reader test renders the proposal, the deck and the brief of every example and of every labelled
profile and reads their text back (body, headers, footers, slides, notes, chart labels). A word in
Latin letters there must be a product's, a case's or the client's own (IP专线, MAS, V网, 5G, Mbps),
never a key of a vocabulary, a product or case id, or any other lowercase identifier (the VAT
class ``goods`` reached clients that way).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from lxml import etree

from pitchcraft.model import vocab
from pitchcraft.model.catalog import TariffItem
from pitchcraft.pipeline import Session, read_profile
from pitchcraft.quote import quantity_for, rule_label
from pitchcraft.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PROFILES = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    p for p in (ROOT / "tests" / "eval" / "profiles").glob("*.yaml") if not p.name.endswith(".gold.yaml"))
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*")

# Latin words a proposal may use of its own, beyond those of the catalog, the cases and the profile:
# units and common abbreviations a reader knows.
ALLOWED = {"kbps", "mbps", "gbps", "km", "kg", "cm", "mm", "vs"}
# The brief is the account manager's: it may name the tool and its commands.
TOOL = re.compile(r"\bpitchcraft(?: [a-z]+)?")


# --- the tables -----------------------------------------------------------------------------------


def test_every_key_of_every_vocabulary_has_a_chinese_label():
    for table in vocab.VOCABULARIES:
        assert isinstance(table, vocab.Vocab)
        assert CJK.search(table.what), table.what
        for key, label in table.items():
            assert CJK.search(label), f"{table.what}: {key} -> {label!r}"
            assert table.lookup[key] == key and table.lookup[label] == key


def test_synonyms_and_lowercase_tiers_are_accepted(tmp_path):
    profile = yaml.safe_load((ROOT / "examples" / "chain-supermarket.yaml").read_text(encoding="utf-8"))
    cases = [("物流业", "decision_maker", "决策人", "a", "A"), ("零售业", "gatekeeper", "把关人", "b", "B"),
             ("交通运输业", "influencer", "影响人", "C 类", "C")]
    industries = {"物流业": "logistics", "零售业": "retail", "交通运输业": "logistics"}
    for industry, role, role_name, tier, tier_key in cases:
        profile["client"]["industry"] = industry
        profile["client"]["tier"] = tier
        profile["contacts"][0]["role"] = role_name
        path = tmp_path / "p.yaml"
        path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
        loaded, _raw, _warnings = read_profile(path)
        assert (loaded.industry, loaded.contacts[0].role, loaded.tier) == (industries[industry], role, tier_key)


def test_every_quantity_rule_has_a_label():
    from pitchcraft.model.profile import Profile

    base = dict(name="某单位", industry="retail", employees=None, sites=None, tier=None, region=None,
                current_services=(), competitor=None, contacts=(), needs={}, budget_monthly=None,
                visit_date=None, manager=None, manager_phone=None)
    rules = set()
    for unit in vocab.UNITS:
        for per in (None, *vocab.QUANTITY_BASES):
            for share in (None, Decimal("0.2")):
                for employees, sites in ((None, None), (120, 3)):
                    item = TariffItem("项目", Decimal("1"), unit, "monthly", per=per, share=share)
                    profile = Profile(**{**base, "employees": employees, "sites": sites})
                    product = type("P", (), {"id": "x", "name": "某产品", "names": ("某产品",)})()
                    rules.add(quantity_for(item, profile, product)[1])
    for rule in rules:
        assert CJK.search(rule_label(rule)), rule


# --- what a reader sees -----------------------------------------------------------------------


def _texts(name: str, data: bytes) -> list[str]:
    """The text a reader sees in a .docx or .pptx: runs of the body, headers, footers, slides,
    notes and charts (category and series names included)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in z.namelist():
            if not part.endswith(".xml"):
                continue
            if name.endswith(".docx") and not re.match(r"word/(document|header\d*|footer\d*|footnotes)\.xml$", part):
                continue
            if name.endswith(".pptx") and not re.match(r"ppt/(slides|notesSlides|charts)/[^/]+\.xml$", part):
                continue
            root = etree.fromstring(z.read(part))
            out += [t.text for t in root.iter() if isinstance(t.tag, str) and t.tag.rsplit("}", 1)[-1] in ("t", "v")
                    and t.text]
    return out


def _latin_of(value) -> set[str]:
    words = set()
    if isinstance(value, str):
        words |= {w.lower() for w in LATIN.findall(value)}
    elif isinstance(value, dict):
        for v in value.values():
            words |= _latin_of(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            words |= _latin_of(v)
    return words


@pytest.fixture(scope="module")
def session():
    return Session.open(Workspace.open(ROOT))


@pytest.fixture(scope="module")
def own_words(session):
    """Latin words the content itself writes: product, case and template texts (not their keys)."""
    words = set(ALLOWED)
    for p in session.content.catalog.products:
        words |= _latin_of([p.name, p.aliases, p.summary, p.how_it_works, p.benefits, p.promotion,
                            p.tariff_summary, [i.name for i in p.tariff_items], p.client_phrases])
    for c in session.content.cases:
        words |= _latin_of([c.title, c.display_name, c.real_name or "", c.needs, c.results, c.sections])
    for path in (ROOT / "templates").rglob("*.j2"):
        text = re.sub(r"\{[{%#].*?[%}#]\}", " ", path.read_text(encoding="utf-8"), flags=re.S)
        words |= _latin_of(text)
    return words


def _internal_keys(session) -> set[str]:
    keys = {k.lower() for table in vocab.VOCABULARIES if table is not vocab.TIERS for k in table}
    keys |= {p.id for p in session.content.catalog.products} | {c.id for c in session.content.cases}
    return keys


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_no_internal_key_reaches_a_reader(path, session, own_words):
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    industry, tier = profile["client"].get("industry"), profile["client"].get("tier")
    # The profile's own words (its client's name, statements, people) may be shown; its keys may not.
    client_words = _latin_of({k: v for k, v in profile.items() if k not in ("client", "contacts", "quantities")})
    client_words |= _latin_of({k: v for k, v in profile["client"].items() if k not in ("industry", "tier")})
    client_words |= _latin_of([{k: v for k, v in c.items() if k not in ("role", "attitude")}
                               for c in profile.get("contacts") or []])
    keys = _internal_keys(session) - client_words - own_words
    allowed = own_words | client_words
    built = session.build(path, now=dt.datetime(2026, 12, 1, 10, 0).astimezone(), brief=True)
    assert {"proposal.docx", "pitch.pptx", "brief.docx"} <= set(built.files)
    leaks = []
    for name in ("proposal.docx", "pitch.pptx", "brief.docx"):
        for text in _texts(name, built.files[name]):
            if name == "brief.docx":
                text = TOOL.sub(" ", text)
            for word in LATIN.findall(text):
                low = word.lower()
                if low in keys or "_" in word or (word.islower() and len(word) > 1 and low not in allowed):
                    leaks.append(f"{name}: {word!r} in {text[:60]!r}")
    assert not leaks, "\n".join(leaks[:30])
    assert industry is not None and tier in (None, *vocab.TIERS.lookup)
