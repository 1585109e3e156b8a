"""The client's words: what its industry calls its places, people, those it serves and its business.

``templates/vocabulary.yaml`` holds one set of words per industry (with overrides by a word of the
client's name: a dental chain's sites are 诊所, a hospital's 院区). Section texts read them as
``words.site`` etc.; the catalog's client-facing product texts name them with a few fixed
placeholders (〔场所〕 …, see :data:`PLACEHOLDERS`) that :func:`fill` replaces by plain string
substitution, so product text never becomes a template. ``catalog validate`` checks the file and
every placeholder of the catalog with file:line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, Problem
from ..model.catalog import Catalog
from ..model.spec import INVALID, Ctx, Field, ListOf, MapOf, Record, Text, validate
from ..model.vocab import INDUSTRIES
from ..workspace import first_template
from ..reading import read_regular
from ..yamlsrc import read_yaml

VOCABULARY = "vocabulary.yaml"
WORDS = ("kind", "site", "hq", "staff", "served", "business", "menu")
# placeholder in catalog text -> the word it stands for
PLACEHOLDERS = {"〔场所〕": "site", "〔总部〕": "hq", "〔人员〕": "staff", "〔服务对象〕": "served",
                "〔业务〕": "business", "〔导航〕": "menu"}
BOX_WORD = 6  # the most characters of an hq or site word the architecture figure's boxes show whole
_TOKEN = re.compile(r"〔[^〔〕]{1,8}〕")

_WORD = Text(min_len=1, max_len=40)
_OVERRIDE = Record({"match": Field(ListOf(Text(min_len=1, max_len=20)), required=True),
                    **{w: Field(_WORD) for w in WORDS}}, description="按客户名称改用的说法")
SPEC = Record({"industries": Field(MapOf(Record(
    {**{w: Field(_WORD, required=True) for w in WORDS}, "by_name": Field(ListOf(_OVERRIDE))},
    description="一个行业的用语")), required=True)}, description="行业用语")


@dataclass(frozen=True)
class Words:
    kind: str
    site: str
    hq: str
    staff: str
    served: str
    business: str
    menu: str

    def as_dict(self) -> dict[str, str]:
        return {w: getattr(self, w) for w in WORDS}


@dataclass(frozen=True)
class Vocabulary:
    industries: dict[str, tuple[dict, tuple[tuple[tuple[str, ...], dict], ...]]]  # key -> (words, overrides)
    file: Path

    def words_for(self, industry: str, client_name: str = "") -> Words:
        """The words of ``industry``, with the first override whose word the client's name contains."""
        base, overrides = self.industries[industry]
        words = dict(base)
        for match, changes in overrides:
            if any(m in client_name for m in match):
                words.update(changes)
                break
        return Words(**words)


def fill(text: str, words: Words) -> str:
    """Catalog text with its placeholders replaced by the client's words (no template engine)."""
    if "〔" not in text:
        return text
    for token, key in PLACEHOLDERS.items():
        text = text.replace(token, getattr(words, key))
    return text


def read_vocabulary(path: Path) -> tuple[Vocabulary | None, list[Problem]]:
    src, problems = read_yaml(Path(path))
    if src is None:
        return None, problems
    ctx = Ctx(src)
    data = validate(SPEC, ctx)
    problems += ctx.problems
    if data is INVALID or data is None:
        return None, problems
    industries = data["industries"]
    for key in industries:
        if key not in INDUSTRIES:
            line, col = src.where(("industries", key))
            problems.append(Problem(path, line, col, f"industries.{key}",
                                    f"未知的行业代码 {key}，可选：{'、'.join(INDUSTRIES)}"))
    for key in INDUSTRIES:
        if key not in industries:
            line, col = src.where(("industries",))
            problems.append(Problem(path, line, col, "industries", f"缺少行业 {key}（{INDUSTRIES[key]}）的用语"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    for key, spec in industries.items():  # the architecture figure's boxes hold the hq and site words
        for i, words in enumerate([spec, *(spec.get("by_name") or ())]):
            for w in ("hq", "site"):
                if words.get(w) and len(words[w]) > BOX_WORD:
                    at = ("industries", key) + (("by_name", i - 1) if i else ()) + (w,)
                    problems.append(src.problem(at, f"“{words[w]}”超过 {BOX_WORD} 个字，方案结构图的方框里放不下，"
                                                      "会被截断；请换一个短些的叫法", severity="warning",
                                                rule="box-word"))
    table = {key: ({w: spec[w] for w in WORDS},
                   tuple((tuple(o["match"]), {w: o[w] for w in WORDS if o.get(w)}) for o in spec.get("by_name") or ()))
             for key, spec in industries.items()}
    return Vocabulary(table, Path(path)), problems


def vocabulary_file(templates: list[Path]) -> Path:
    """The workspace's own file if it has one, else the packaged one."""
    return first_template(templates, VOCABULARY)


def check_vocabulary(templates: list[Path], catalog: Catalog | None, catalog_file: Path | None = None) -> list[Problem]:
    """What ``catalog validate`` reports: the file's problems, and every 〔…〕 in the catalog's
    product texts that is not one of :data:`PLACEHOLDERS` (with the catalog's line)."""
    _vocab, problems = read_vocabulary(vocabulary_file(templates))
    if catalog is None:
        return problems
    lines = read_regular(catalog_file).decode("utf-8", "replace").splitlines() if catalog_file else []
    for p in catalog.products:
        for text in product_texts(p):
            for token in _TOKEN.findall(text):
                if token in PLACEHOLDERS:
                    continue
                line = next((i + 1 for i, ln in enumerate(lines) if token in ln), None)
                problems.append(Problem(catalog_file or "catalog", line, None, f"products.{p.id}",
                                        f"未知的占位词 {token}，可用：{'、'.join(PLACEHOLDERS)}",
                                        rule="placeholder"))
    return problems


def product_texts(p) -> list[str]:
    """A product's client-facing texts, the ones that may hold placeholders (its industry_copy too)."""
    return p.texts()


@lru_cache(maxsize=8)
def _load(path: Path, _stamp: int) -> Vocabulary:
    vocab, problems = read_vocabulary(path)
    if vocab is None:
        raise InputError([p for p in problems if p.severity == "error"] or problems)
    return vocab


def load_vocabulary(templates: list[Path]) -> Vocabulary:
    """The vocabulary for a run; raises :class:`InputError` with file:line when the file is broken."""
    path = vocabulary_file(templates)
    return _load(path, path.stat().st_mtime_ns if path.exists() else 0)
