"""Rule case-sales-story: client-facing case text that reads like the seller's own story.

The words and patterns are data (``sales_story.yaml`` next to this module, where the choices
about false positives are written down); this module only reads and applies them. Texts are first
tested for each term's literal word, so the regular expressions run only where they can match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..yamlsrc import safe_load


TABLE = Path(__file__).with_name("sales_story.yaml")


@dataclass(frozen=True)
class Term:
    word: str
    pattern: re.Pattern | None
    kind: str


@dataclass(frozen=True)
class Hit:
    offset: int
    text: str    # what matched
    word: str    # the term's word (what a waiver's ``term`` names)
    kind: str    # the Chinese label of why it does not belong


@dataclass(frozen=True)
class SalesStory:
    kinds: dict[str, str]
    terms: tuple[Term, ...]
    allowed: tuple[str, ...]

    def find(self, text: str) -> list[Hit]:
        """Every finding in ``text``, in text order, one per place (overlapping matches count once)."""
        hits: dict[int, Hit] = {}
        for term in self.terms:
            if term.word not in text:
                continue
            if term.pattern is None:
                spans = [(m, m + len(term.word)) for m in _find_all(text, term.word)]
            else:
                spans = [m.span() for m in term.pattern.finditer(text)]
            for start, end in spans:
                if start not in hits and not self._allowed(text, start, end):
                    hits[start] = Hit(start, text[start:end], term.word, self.kinds[term.kind])
        out: list[Hit] = []
        for k in sorted(hits):
            if not out or k >= out[-1].offset + len(out[-1].text):
                out.append(hits[k])
        return out

    def _allowed(self, text: str, start: int, end: int) -> bool:
        for phrase in self.allowed:
            for at in _find_all(text, phrase):
                if at <= start and end <= at + len(phrase):
                    return True
        return False


def _find_all(text: str, needle: str):
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def parse_table(data: dict) -> SalesStory:
    """The table from its parsed YAML; a broken table is a programming error, reported plainly."""
    kinds = {str(k): str(v) for k, v in data["kinds"].items()}
    terms = []
    for entry in data["terms"]:
        word, kind = str(entry["word"]), str(entry["kind"])
        if kind not in kinds:
            raise ValueError(f"{TABLE.name}: term {word}: unknown kind {kind}")
        pattern = re.compile(entry["pattern"]) if entry.get("pattern") else None
        if pattern is not None and word not in entry["pattern"]:
            raise ValueError(f"{TABLE.name}: term {word}: the pattern must contain the word")
        terms.append(Term(word, pattern, kind))
    return SalesStory(kinds, tuple(terms), tuple(str(a) for a in data.get("allowed") or ()))


@cache
def table() -> SalesStory:
    return parse_table(safe_load(TABLE.read_text(encoding="utf-8")))


def message(text: str, hit: Hit) -> str:
    context = " ".join(text[max(0, hit.offset - 8):hit.offset + len(hit.text) + 8].split())
    return (f"“{context}”中的“{hit.text}”读起来像销售过程（{hit.kind}）；给客户看的案例只写客户的情况、方案和成效，"
            "成交经过请写到“## 内部复盘”（或在 waivers 中写明理由）")
