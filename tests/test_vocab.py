"""One table per vocabulary, and nothing internal or empty in what a reader sees.

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
from docx import Document
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from lxml import etree
from pptx import Presentation

from conftest import issued
from pitchcraft.compose.view import client_view
from pitchcraft.content.vocabulary import fill, load_vocabulary
from pitchcraft.model import vocab
from pitchcraft.model.catalog import TariffItem
from pitchcraft.pipeline import Session, read_profile
from pitchcraft.quote import quantity_for, rule_label
from pitchcraft.render.docx import cn_quotes
from pitchcraft.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PROFILES = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    p for folder in ("profiles", "tuning") for p in (ROOT / "tests" / "eval" / folder).glob("[0-9]*.yaml")
    if not p.name.endswith(".gold.yaml"))
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
                    rules.add(quantity_for(item, profile, product)[1].rule)
    for rule in rules | {"choices", "statement"}:
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
    company = session.company  # the issuer's own words: addresses, e-mail addresses (not its branch ids)
    words |= _latin_of([company.name, company.short_name or "", [b.full_name + b.address for b in company.branches],
                        [m.email or "" for m in company.managers]])
    return words


def _internal_keys(session) -> set[str]:
    keys = {k.lower() for table in vocab.VOCABULARIES if table is not vocab.TIERS for k in table}
    keys |= {p.id for p in session.content.catalog.products} | {c.id for c in session.content.cases}
    keys |= {b.id for b in session.company.branches}
    return keys


_BUILT: dict[Path, object] = {}


def _build(session, path: Path):
    """The proposal, deck and brief of one profile, rendered once for every reader test."""
    if path not in _BUILT:
        _BUILT[path] = session.build(issued(path), now=dt.datetime(2026, 12, 1, 10, 0).astimezone(), brief=True)
    return _BUILT[path]


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
    built = _build(session, path)
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


# --- nothing empty, no placeholder, every date with its year ---------------------------------------
# The proposal and the deck read back as a client reads them: no placeholder or template markup
# (待指定, TODO, XXX, None, nan, {{ }}, [[ ]]) in any text, notes included; every date with its year; no
# empty section (a heading with nothing under it before the next heading of its level) and no empty
# table cell; a product's one-liner (its catalog ``summary``) told once in the proposal, where the
# product is presented (推荐产品详解): the overview table says which of the client's needs each product
# answers instead, and the appendix lists specifications without repeating it.

YEARLESS = re.compile(r"(?<![年\d])\d{1,2}\s*月\s*\d{1,2}\s*日")  # "12 月 31 日" without its year
PLACEHOLDER = re.compile(r"待指定|待填写|TODO|XXX|\bNone\b|\bnan\b|\bnull\b|Undefined|\{\{|\}\}|\{%|%\}|\[\[|\]\]")


def _body(data: bytes) -> list[tuple]:
    """The proposal's body in order: ("h", level, text), ("p", style, text) or ("t", rows)."""
    doc = Document(io.BytesIO(data))
    out: list[tuple] = []
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(el, doc.part)
            style = p.style.name if p.style is not None else ""
            level = re.fullmatch(r"Heading (\d)", style)
            out.append(("h", int(level.group(1)), p.text) if level else ("p", style, p.text))
        elif tag == "tbl":
            out.append(("t", [[c.text for c in row.cells] for row in DocxTable(el, doc.part).rows]))
    return out


def _empty_sections(body: list[tuple]) -> list[str]:
    empty = []
    for i, item in enumerate(body):
        if item[0] != "h":
            continue
        for nxt in body[i + 1:]:
            if nxt[0] == "h" and nxt[1] <= item[1]:
                empty.append(item[2])
                break
            if nxt[0] in ("h", "t") or nxt[2].strip():
                break
        else:
            empty.append(item[2])
    return empty


def _text(body: list[tuple]) -> str:
    return "\n".join("\n".join("\n".join(r) for r in item[1]) if item[0] == "t" else item[2] for item in body)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_nothing_internal_or_empty_reaches_a_client(path, session):
    built = _build(session, path)
    body = _body(built.files["proposal.docx"])
    text = _text(body)
    problems = [f"placeholder {m.group(0)!r}: …{text[max(0, m.start() - 30):m.end() + 30]}…"
                for m in PLACEHOLDER.finditer(text)]
    problems += [f"date without its year: {m.group(0)!r}" for m in YEARLESS.finditer(text)]
    problems += [f"empty section: {h}" for h in _empty_sections(body)]
    problems += [f"empty cell in table {item[1][0]}" for item in body if item[0] == "t"
                 for row in item[1] for cell in row if not cell.strip()]
    # the pitched products (明确 links only), their one-liner in the client's words, told once
    words = load_vocabulary([ROOT / "templates"]).words_for(built.profile.industry, built.profile.name)
    for m in client_view(built.recommendation).all_products:
        summary = m.product.copy_for(built.profile.industry, built.profile.name).summary  # the client's industry's
        told = text.count(cn_quotes(fill(summary, words).rstrip("。；;. ")))  # as printed: “” for ""
        if told != 1:
            problems.append(f"{m.product.name}: one-liner told {told} times")
    deck = Presentation(io.BytesIO(built.files["pitch.pptx"]))
    for n, slide in enumerate(deck.slides, 1):
        seen = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        seen += "\n" + (slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
        problems += [f"slide {n}: placeholder {m.group(0)!r}" for m in PLACEHOLDER.finditer(seen)]
        problems += [f"slide {n}: date without its year {m.group(0)!r}" for m in YEARLESS.finditer(seen)]
        if not seen.strip():
            problems.append(f"slide {n} is empty")
    assert not problems, "\n".join(problems[:20])


def test_the_checks_catch_what_they_look_for():
    assert _empty_sections([("h", 1, "一、甲"), ("p", "Normal", " "), ("h", 1, "二、乙"), ("p", "Body", "有内容")]) == ["一、甲"]
    assert _empty_sections([("h", 1, "一、甲"), ("h", 2, "（一）子"), ("t", [["a"]])]) == []
    assert _empty_sections([("h", 1, "一、甲"), ("h", 2, "（一）子")]) == ["（一）子"]
    for leak in ("客户经理：（待指定）", "金额 None 元", "{{ client.name }}", "nan 人", "[[plan_table]]"):
        assert PLACEHOLDER.search(leak), leak
    assert not PLACEHOLDER.search("NoneSuch 不算；Nancy 也不算")
    assert YEARLESS.findall("12 月 31 日 – 1 月 7 日") == ["12 月 31 日", "1 月 7 日"]
    assert not YEARLESS.search("2026年12月31日至\n2027年1月7日")


def test_client_text_that_reads_like_markup_stays_text(session, tmp_path):
    profile = yaml.safe_load((ROOT / "examples" / "chain-supermarket.yaml").read_text(encoding="utf-8"))
    profile["client"]["name"] = "# 标题客户"
    profile["client"]["region"] = "[[plan_table]]"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    body = _body(session.build(path, now=dt.datetime(2026, 12, 1, 10, 0).astimezone()).files["proposal.docx"])
    assert not [item for item in body if item[0] == "h" and "标题客户" in item[2]]
    background = next(item[2] for item in body if item[0] == "p" and "标题客户是" in item[2])
    assert background.replace("\u2060", "").startswith("# 标题客户是[[plan_table]]的")
