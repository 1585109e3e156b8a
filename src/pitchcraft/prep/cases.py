"""The case library's authoring helpers: search cases by wording, start a new case file."""

from __future__ import annotations

import datetime as dt
import json

from ..match.index import Doc, Index
from ..model.case import CASE_SECTIONS
from ..model.display import display_width
from ..model.vocab import PLACEHOLDER, WORKFLOW_STEPS

# --- search -----------------------------------------------------------------------------------


def search(cases, text: str, *, industry: str | None = None, products: list[str] = (), size: str | None = None
           ) -> list[tuple[object, float, str]]:
    """Cases passing the filters, ranked by how much of ``text`` they share (character n-grams).

    Each case is indexed field by field (title, needs, results, body sections), with the matcher's
    IDF-weighted index; a case scores its best field plus a little for every other field that
    shares words, so a case that answers the query in several places comes first. Returns
    ``(case, score, best matching text)``; without text, every filtered case in id order.
    """

    pool = [c for c in cases
            if (not industry or c.industry == industry) and all(p in c.products for p in products)
            and (not size or c.size == size)]
    if not text.strip():
        return [(c, 0.0, "") for c in sorted(pool, key=lambda c: c.id)]
    docs: list[Doc] = []
    for k, c in enumerate(pool):
        owner = str(k)
        docs.append(Doc(owner, c.title, 1.0))
        docs += [Doc(owner, n, 1.0) for n in c.needs]
        docs += [Doc(owner, r, 0.8) for r in c.results]
        docs += [Doc(owner, s, 0.7) for s in c.sections.values() if s]
        docs.append(Doc(owner, f"{c.client_label} {c.region or ''}", 0.5))
    index = Index(docs)
    best: dict[int, tuple[float, str]] = {}
    fields: dict[int, int] = {}
    for i, score in index.search(text).items():
        doc = index.docs[i]
        k = int(doc.owner)
        score *= doc.weight
        fields[k] = fields.get(k, 0) + 1
        if score > best.get(k, (0.0, ""))[0]:
            best[k] = (score, doc.text)
    ranked = [(pool[k], score + 0.02 * (fields[k] - 1), matched) for k, (score, matched) in best.items()
              if score >= 0.05]
    ranked.sort(key=lambda hit: (-hit[1], hit[0].id))
    return ranked


# --- the scaffold -----------------------------------------------------------------------------


def scaffold(case_id: str, *, title: str | None = None, industry: str | None = None, products: list[str] = (),
             step: str | None = None, default_product: str = "vpmn", year: int | None = None) -> str:
    """A new case file with every field, the consent fields and the body sections, as a draft.

    The file is valid as it stands (a draft is never cited, so ``catalog validate`` passes); every
    value still to be written is marked 【待填写】, and an active case that still contains the mark
    is refused.
    """

    todo = PLACEHOLDER
    year = year or dt.date.today().year

    def pad(text: str) -> str:
        return text + " " * max(1, 38 - display_width(text))

    def field(key: str, value: str, note: str, given: bool = False) -> str:
        return pad(f"{key}: {value}") + f"# {'' if given else todo}{note}"

    # the first four are what a client reads; 内部复盘 only the visit brief reads
    sections = {
        "客户背景": f"{todo}客户是谁：行业、规模、地区、站点、已在用的业务。只写客户的情况。",
        "面临的挑战": f"{todo}客户原来的做法、遇到的问题和代价（尽量有数字），用客户自己认同的说法。",
        "解决方案": f"{todo}每个产品一条，写它为客户解决什么、怎么用：\n\n- **产品名称**：做法\n\n再写分几步实施。",
        "实施成效": f"{todo}客户取得的成效，每条带数字和数据来源，与头信息的 results 一致：\n\n"
                    "- 如：内部通话费用每月下降约 30%（上线前后各三个月的话费账单对比）",
        "内部复盘": f"{todo}只给客户经理看（拜访简报会引用，方案中不出现）：需求是怎么发现的、关键人、"
                    "怎么做成的、可复用的做法、待核实的地方。没有可写的就删除这一节。",
    }
    assert tuple(sections) == CASE_SECTIONS
    lines = [
        "---",
        field("id", case_id, "与文件名一致", given=True),
        field("title", _quoted(title or "新案例"), "一句话标题，如：三个厂区一张网：精密制造企业内部通话降本", bool(title)),
        field("status", "draft", "草稿不会被方案引用；写完后改为 active，不再使用时改为 archived", given=True),
        "client:",
        field("  display_name", _quoted("某企业"), "脱敏名称，如：华南某精密制造企业；没有授权时方案里只显示它"),
        field("  real_name", "null", "客户真实名称：只有取得客户书面授权后才能填写", given=True),
        field("  consent", "false", "取得授权后改为 true；否则标题、正文、需求、成效中都不能出现真实名称", given=True),
        field("industry", industry or "manufacturing", "行业键或中文名，如 制造业", bool(industry)),
        field("sub_industry", "null", "细分行业，如 城市燃气、连锁门店零售；同细分行业的客户优先引用，可选值见 docs/content-format.md",
              given=True),
        field("employees", "null", "员工人数", given=True),
        field("sites", "null", "办公点、厂区或门店数", given=True),
        field("region", "null", "地区，如 深圳", given=True),
        field("year", str(year), "成效数据的测量年份；超过 3 年会提示更新"),
        field("products", f"[{', '.join(products or [default_product])}]", "产品 id，见 pitchcraft catalog list",
              bool(products)),
        pad("needs:") + "# 客户说的原话",
        pad(f"  - {_quoted('客户的一句原话')}") + f"# {todo}",
        field("workflow_step", step or WORKFLOW_STEPS[2], "、".join(WORKFLOW_STEPS), bool(step)),
        pad("results:") + "# 可量化的成效，每条带数字",
        pad(f"  - {_quoted('如：内部通话费用每月下降约 30%')}") + f"# {todo}",
        field("quote", "null", "客户的一句原话（客户评价），不写人名", given=True),
        field("quote_consent", "false", "客户同意在方案中引用这句话后改为 true；否则只在内部可见", given=True),
        field("quote_by", "null", "说这句话的人的职务，如 信息中心主任", given=True),
        field("sample", "false", "编写的示例（不是真实客户）时改为 true：方案中会标注（示例）", given=True),
        field("waivers", "[]", "确需保留的提示及理由：- {rule: case-sales-story, term: 词, reason: 理由}", given=True),
        "---",
    ]
    for name, hint in sections.items():
        lines += [f"## {name}", "", hint, ""]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
