"""The profile form: its fields to a profile (as the data of profile.md) and back, and where on the
form each of the pipeline's problems belongs.

The form does not check the profile itself: what a person typed goes to the pipeline as it is (a
number where it looks like one), so the messages beside the fields are the pipeline's own.
"""

from __future__ import annotations

import re

from pitchcraft.model.vocab import INDUSTRY_LABELS

from .service import problem_field

NEED_AREAS = [("basic_comms", "基础通信"), ("mobile_office", "移动办公"), ("production_control", "生产控制"),
              ("marketing", "服务营销")]
INDUSTRIES = list(INDUSTRY_LABELS.items())  # the pipeline's own table: the form, the import and the documents agree
INDUSTRY_LABEL = dict(INDUSTRIES)
TIERS = [("", "（未填）"), ("A", "A 类"), ("B", "B 类"), ("C", "C 类")]
ROLES = [("", "（未填）"), ("decision_maker", "决策者"), ("influencer", "影响者"), ("user", "使用者"),
         ("gatekeeper", "把关者")]
ATTITUDES = [("", "（未填）"), ("supportive", "支持"), ("neutral", "中立"), ("opposed", "反对")]
LABELS = {"client_name": "客户名称", "industry": "行业", "employees": "员工人数", "sites": "网点数",
          "tier": "客户等级", "region": "地区", "budget": "月预算", "visit_date": "拜访日期"}
VISIT = ("date", "manager", "phone", "branch")  # the visit's fields the form shows, as visit_<key>
CONTACT_ROWS = 2   # empty key-person rows on a new form
MAX_CONTACTS = 30

# The pipeline's field path (its first parts) -> the form field it is shown beside.
FIELD_OF = {
    "client.name": "client_name", "client.industry": "industry", "client.employees": "employees",
    "client.sites": "sites", "client.tier": "tier", "client.region": "region",
    "client.current_services": "current_services", "client.competitor": "competitor",
    "budget.monthly_cny": "budget", "budget": "budget", "visit.date": "visit_date",
    "visit.manager": "visit_manager", "visit.phone": "visit_phone", "visit.branch": "visit_branch",
    **{f"needs.{key}": f"need_{key}" for key, _ in NEED_AREAS},
    **{f"needs.{label}": f"need_{key}" for key, label in NEED_AREAS},
    "needs": "needs",
}


def _number(text: str):
    text = text.strip().replace(",", "").replace("，", "")
    return int(text) if re.fullmatch(r"\d{1,12}", text) else text


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def _names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"[,，、;；\n]", text) if n.strip()]


def contact_count(form) -> int:
    n = 0
    while f"contact_name_{n}" in form and n < MAX_CONTACTS:
        n += 1
    return n


def profile_from_form(form, keep: dict | None = None) -> dict:
    """The profile a filled-in form stands for. ``keep`` is the profile the form was opened from:
    what the form does not show (choices, quantities, an uploaded file's extra keys) is kept."""
    get = lambda name: (form.get(name) or "").strip()  # noqa: E731
    client: dict = {k: v for k, v in (("name", get("client_name")), ("industry", get("industry"))) if v}
    for field, key in (("employees", "employees"), ("sites", "sites")):
        if get(field):
            client[key] = _number(get(field))
    if get("tier"):
        client["tier"] = get("tier")
    if get("region"):
        client["region"] = get("region")
    if get("current_services"):
        client["current_services"] = _names(get("current_services"))
    if get("competitor"):
        client["competitor"] = get("competitor")
    contacts = []
    for i in range(contact_count(form)):
        row = {k: get(f"contact_{k}_{i}") for k in ("name", "title", "role", "attitude")}
        if row["name"]:
            contacts.append({k: v for k, v in row.items() if v})
    data: dict = dict(keep or {})
    data["client"] = {**{k: v for k, v in (keep or {}).get("client", {}).items()
                         if k not in ("name", "industry", "employees", "sites", "tier", "region",
                                      "current_services", "competitor")}, **client}
    if contacts:
        data["contacts"] = contacts
    else:
        data.pop("contacts", None)
    data["needs"] = {key: _lines(form.get(f"need_{key}") or "") for key, _ in NEED_AREAS}
    if get("budget"):
        data["budget"] = {"monthly_cny": _number(get("budget"))}
    else:
        data.pop("budget", None)
    visit = {k: get(f"visit_{k}") for k in VISIT}
    visit = {k: v for k, v in visit.items() if v}
    if visit:
        data["visit"] = visit
    else:
        data.pop("visit", None)
    return data


def form_from_profile(data: dict) -> dict:
    """The form's values for a profile (a draft, an uploaded file, an archived proposal)."""
    client = data.get("client") or {}
    needs = data.get("needs") or {}
    labels = {label: key for key, label in NEED_AREAS}
    areas: dict[str, list] = {key: [] for key, _ in NEED_AREAS}
    if isinstance(needs, dict):
        for k, v in needs.items():
            key = labels.get(k, k)
            if key in areas and isinstance(v, list):
                areas[key] += [str(x) for x in v]
    industry = str(client.get("industry", ""))
    industry = INDUSTRY_LABELS.lookup.get(industry, industry)  # a Chinese name in a file shows as its key
    out = {"client_name": client.get("name", ""), "industry": industry,
           "employees": client.get("employees", ""), "sites": client.get("sites", ""),
           "tier": client.get("tier", ""), "region": client.get("region", ""),
           "current_services": "、".join(str(x) for x in client.get("current_services") or []),
           "competitor": client.get("competitor", ""),
           "budget": (data.get("budget") or {}).get("monthly_cny", ""),
           **{f"need_{k}": "\n".join(v) for k, v in areas.items()}}
    visit = data.get("visit") or {}
    for k in VISIT:
        out[f"visit_{k}"] = visit.get(k, "")
    contacts = [c for c in data.get("contacts") or [] if isinstance(c, dict)]
    out["contacts"] = [{k: str(c.get(k, "") or "") for k in ("name", "title", "role", "attitude")} for c in contacts]
    return {k: ("" if v is None else v) for k, v in out.items()}


def form_values(form) -> dict:
    """A submitted form's values as the template shows them again."""
    out = {k: form.get(k) or "" for k in ("client_name", "industry", "employees", "sites", "tier", "region",
                                           "current_services", "competitor", "budget", "visit_date",
                                           "visit_manager", "visit_phone", "visit_branch")}
    out.update({f"need_{k}": form.get(f"need_{k}") or "" for k, _ in NEED_AREAS})
    out["contacts"] = [{k: form.get(f"contact_{k}_{i}") or "" for k in ("name", "title", "role", "attitude")}
                       for i in range(contact_count(form))]
    return out


def contact_rows(form) -> list[int]:
    """The form rows that became the profile's key persons, in order (empty rows are left out)."""
    return [i for i in range(contact_count(form)) if (form.get(f"contact_name_{i}") or "").strip()]


INTEGER_EXAMPLES = {"employees": 320, "sites": 12, "budget": 15000}  # the form's whole-number fields


def place(problems, rows: list[int] | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """Each problem's message beside its form field; those of no field in a list for the top.
    ``rows`` maps the profile's key-person positions to the form's rows."""
    by_field: dict[str, list[str]] = {}
    rest: list[str] = []

    for p in problems:
        path = problem_field(p)
        target = _field_for(path, rows)
        if target:
            message = p.message
            if message.startswith("缺少必填字段") and target in LABELS:
                message = f"请填写{LABELS[target]}"
            elif message.startswith("应为整数"):  # the contract's words name YAML types, not a form's
                message = f"请填写整数（如 {INTEGER_EXAMPLES.get(target, 320)}）"
            by_field.setdefault(target, []).append(message)
        else:
            rest.append(f"{path}：{p.message}" if path else p.message)
    return by_field, rest


def _field_for(path: str, rows: list[int] | None = None) -> str | None:
    if not path:
        return None
    m = re.match(r"contacts\[(\d+)\]\.(name|title|role|attitude)", path)
    if m:
        i = int(m.group(1))
        row = rows[i] if rows is not None and i < len(rows) else i
        return f"contact_{m.group(2)}_{row}"
    if path.startswith("contacts"):
        return "contacts"
    base = re.sub(r"\[\d+\]$", "", path)
    while base:
        if base in FIELD_OF:
            return FIELD_OF[base]
        if "." not in base:
            break
        base = base.rsplit(".", 1)[0]
    return None
