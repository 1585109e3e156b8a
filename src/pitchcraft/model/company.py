"""The issuer of every document: the provincial company, its city branches and the account managers.

The identity is workspace data (``catalog/company.yaml``, format in its header); no company name is
written in code. A client's ``client.region`` picks the branch that serves it (:meth:`Company.branch_for`),
a profile may name its branch, and ``visit.manager`` finds the manager's phone, e-mail and branch.
:func:`resolve_issuer` makes those choices once per profile; the documents only read the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .spec import Boolean, Field, Layout, ListOf, Section, Text, build, declared, spec_of
from .vocab import WAIVERS_SPEC

# Place names are compared without one of these endings (the first that fits, once), and only when
# at least two characters are left: 番禺区 = 番禺, 大鹏新区 = 大鹏, 虎门镇 = 虎门, but 东区 stays 东区.
PLACE_SUFFIXES = ("新区", "开发区", "街道", "市", "区", "县", "镇")

MOBILE = r"1[3-9]\d{9}"
LANDLINE = r"0\d{2,3}-\d{3,4} ?\d{4}"
HOTLINE = r"\d{5,6}|400-?\d{3}-?\d{4}|" + LANDLINE

_PLACE = Text(max_len=20, description="地名（不带“市”“区”“县”等后缀）")
_BRANCH_ID = r"[a-z0-9][a-z0-9-]*"

def place_key(name: str) -> str:
    """A place name without its administrative ending, as the header of company.yaml defines."""
    name = "".join(name.split())
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Province:
    """One province-level division of China, with the public names of its prefecture-level places."""

    name: str = declared(Text(max_len=10, description="通称（不带“省”“自治区”等后缀），如 福建"), required=True)
    full_name: str = declared(Text(max_len=20, description="全称，如 福建省、广西壮族自治区"), required=True)
    cities: tuple[str, ...] = declared(ListOf(_PLACE, min_items=1, description="地级市、地区、自治州、盟的通称"),
                                       required=True)
    counties: tuple[str, ...] = declared(ListOf(_PLACE, description="县级市、县的通称（可选）"), default=())

    layout: ClassVar[Layout] = Layout(description="省级行政区")


@dataclass(frozen=True)
class Regions:
    """The province table (templates/regions.yaml): which province a written region lies in."""

    provinces: tuple[Province, ...] = declared(ListOf(spec_of(Province), min_items=1, description="省级行政区"),
                                               required=True)
    file: Path | None = None

    layout: ClassVar[Layout] = Layout(description="全国省级行政区及其地级行政区（templates/regions.yaml）")

    def province_of(self, region: str) -> Province | None:
        """The province ``region`` names or begins with (福建漳州, 海南省海口市, 泉州市丰泽区, 晋江),
        None when the table does not know it. The longest name that fits wins (吉林市 is 吉林)."""
        region = "".join(region.split())
        best: tuple[int, Province] | None = None
        for prov in self.provinces:
            for name in (prov.full_name, prov.name, *prov.cities, *prov.counties):
                key = place_key(name) if name not in (prov.full_name, prov.name) else name
                for head in {name, key}:
                    if len(head) >= 2 and region.startswith(head) and (best is None or len(head) > best[0]):
                        best = (len(head), prov)
        return best[1] if best else None


REGIONS_SPEC = spec_of(Regions)


def build_regions(data: dict, file: Path | None = None) -> Regions:
    """The province table from data :data:`REGIONS_SPEC` validated."""
    return build(Regions, data, file=file)


@dataclass(frozen=True)
class Branch:
    id: str = declared(Text(max_len=40, pattern=_BRANCH_ID, pattern_hint="小写英文字母、数字和连字符，如 dongguan",
                            description="分公司编号；客户档案和客户经理用它指定分公司"), required=True)
    name: str = declared(Text(max_len=30, description="简称，如 东莞分公司"), required=True)
    full_name: str = declared(Text(max_len=80, description="全称，如 中国移动通信集团广东有限公司东莞分公司"), required=True)
    city: str = declared(Text(max_len=20, description="所在地市（不带“市”字）"), required=True)
    serves: tuple[str, ...] = declared(ListOf(_PLACE, min_items=1, description="服务的地市、区县、镇街名称"), required=True)
    address: str = declared(Text(max_len=100, description="分公司地址"), required=True)
    service_hotline: str = declared(Text(max_len=20, pattern=LANDLINE, rule="company-phone",
                                         pattern_hint="“区号-号码”，如 \"0769-2200 0000\"",
                                         description="分公司政企服务电话"), required=True)
    example: bool = declared(Boolean(description="true：地址和服务电话是示例数据，正式使用前请替换"), default=False)

    layout: ClassVar[Layout] = Layout(description="地市分公司")


@dataclass(frozen=True)
class Manager:
    name: str = declared(Text(max_len=20, description="客户经理姓名"), required=True)
    phone: str | None = declared(Text(max_len=11, accept_numbers=True, pattern=MOBILE, rule="company-phone",
                                      pattern_hint="11 位手机号码，如 \"13800000000\"", description="手机号码"),
                                 required=True)
    branch: str | None = declared(Text(max_len=40, description="所属分公司的 id"), required=True)  # a branch id
    email: str | None = declared(Text(max_len=80, pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+",
                                      pattern_hint="电子邮箱，如 liming@example.com", description="电子邮箱"),
                                 default=None)
    example: bool = declared(Boolean(description="true：这个人是示例数据，正式使用前请换成真实客户经理"), default=False)

    layout: ClassVar[Layout] = Layout(description="客户经理")


@dataclass(frozen=True)
class Company:
    """The provincial company with its branches and managers, as company.yaml holds them."""

    name: str = declared(Text(max_len=60, description="省公司全称，如 中国移动通信集团广东有限公司"), required=True,
                         at="company.name")
    short_name: str | None = declared(Text(max_len=20, description="简称，如 广东移动"), at="company.short_name")
    department: str = declared(Text(max_len=30, description="出具部门，如 政企客户部"), required=True,
                               at="company.department")
    hotline: str = declared(Text(max_len=20, accept_numbers=True, pattern=HOTLINE, rule="company-phone",
                                 pattern_hint="客服热线，如 \"10086\"", description="全省客服热线"), required=True,
                            at="company.hotline")
    province: str = declared(Text(max_len=10, description="省份名称（不带“省”字），如 广东"), required=True,
                             at="company.province")
    branches: tuple[Branch, ...] = declared(ListOf(spec_of(Branch), description="地市分公司"), absent=list)
    managers: tuple[Manager, ...] = declared(ListOf(spec_of(Manager), description="客户经理"), absent=list)
    file: Path | None = None
    regions: Regions | None = None  # the province table (templates/regions.yaml), given by the loader
    _served: dict[str, Branch] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for b in self.branches:
            for place in b.serves:
                self._served.setdefault(place_key(place), b)

    layout: ClassVar[Layout] = Layout(description="出具方身份（catalog/company.yaml）",
                                      sections={"company": Section("省公司", required=True)},
                                      extra={"waivers": Field(WAIVERS_SPEC, default=list)})

    def branch(self, ref: str) -> Branch | None:
        """A branch by id, name, full name or city (东莞分公司, dongguan, 东莞)."""
        ref = "".join(ref.split())
        for b in self.branches:
            if ref in (b.id, b.name, b.full_name, b.city):
                return b
        return None

    def manager(self, name: str) -> Manager | None:
        name = "".join(name.split())
        return next((m for m in self.managers if m.name == name), None)

    def foreign_province(self, region: str) -> Province | None:
        """The other province ``region`` lies in, when no branch serves it and the province table
        knows it (泉州: 福建); None for a place of this province or one the table does not know."""
        if self.branch_for(region) is not None or self.regions is None:
            return None
        prov = self.regions.province_of(region)
        if prov is None or place_key(prov.name) == place_key(self.province):
            return None
        return prov

    def branch_for(self, region: str) -> Branch | None:
        """The branch that serves ``region``, or None when none does.

        Beside a single place (东莞, 番禺区, 虎门镇) a region may be written city first, the province
        before it (深圳南山, 佛山市顺德区, 广东省东莞市): the city and the place after it must then be
        served by the same branch. Nothing is guessed: 海口市龙华区 is not 深圳's 龙华.
        """
        region = "".join(region.split())
        for prefix in (self.province + "省", self.province):
            if region.startswith(prefix) and len(region) > len(prefix):
                region = region[len(prefix):]
                break
        found = self._served.get(place_key(region))
        if found is not None:
            return found
        for place, b in self._served.items():
            for head in (place + "市", place):
                if region.startswith(head) and len(region) > len(head):
                    if self._served.get(place_key(region[len(head):])) is b:
                        return b
        return None


@dataclass(frozen=True)
class Issuer:
    """Who issues one client's documents: the company, the branch if one serves the client, the manager."""

    company: Company
    branch: Branch | None
    manager: Manager | None

    @property
    def full_name(self) -> str:
        return self.branch.full_name if self.branch else self.company.name

    @property
    def branch_hotline(self) -> bool:
        """Whether the phone the client is given is the branch's own (not sample data)."""
        return self.branch is not None and not self.branch.example

    @property
    def hotline(self) -> str:
        """The number the client calls: the branch's, unless company.yaml marks it as an example;
        then the provincial hotline (10086), which is real."""
        return self.branch.service_hotline if self.branch_hotline else self.company.hotline

    @property
    def hotline_label(self) -> str:
        return "政企客户服务电话" if self.branch_hotline else "客户服务热线"

    @property
    def address(self) -> str | None:
        """The branch's address; none when company.yaml marks it as an example."""
        return self.branch.address if self.branch_hotline else None

    def as_context(self) -> dict:
        """The template variables ``issuer`` and ``manager``: only what is true of the issuer (sample
        data of company.yaml is left out, :func:`resolve_issuer`)."""
        issuer = {"company": self.company.name, "branch": self.branch.name if self.branch else None,
                  "full_name": self.full_name, "address": self.address, "hotline": self.hotline,
                  "hotline_label": self.hotline_label, "department": self.company.department}
        m = self.manager
        manager = {"name": m.name, "phone": m.phone, "email": m.email} if m else None
        return {"issuer": issuer, "manager": manager}


@dataclass(frozen=True)
class IssuerNote:
    """Something the manager should know about how the issuer was chosen (a warning on stderr)."""

    field: str
    message: str
    refuses: bool = False  # documents must not be issued as things stand (a client of another province)
    where: tuple | None = None  # set: the note is about company.yaml at this path, not the profile


class UnknownBranch(ValueError):
    """A profile names a branch company.yaml does not have."""


def resolve_issuer(company: Company, *, region: str | None, branch: str | None, manager: str | None,
                   phone: str | None) -> tuple[Issuer, list[IssuerNote]]:
    """The issuer of a client's documents, and what the manager should be told about it.

    The branch is the one the profile names, else the one serving the client's region, else (no
    region given) the manager's own; a region no branch serves leaves only the provincial company.
    The manager's phone and e-mail come from the profile first, then company.yaml.
    """
    notes: list[IssuerNote] = []
    known = company.manager(manager) if manager else None
    chosen: Branch | None = None
    foreign = company.foreign_province(region) if region else None
    if branch:
        chosen = company.branch(branch)
        if chosen is None:
            names = "、".join(f"{b.id}（{b.name}）" for b in company.branches[:5])
            raise UnknownBranch(f"出具方信息中没有分公司“{branch}”；可用分公司编号或名称，如 {names} 等")
        if foreign is not None:
            notes.append(IssuerNote("client.region", f"地区“{region}”属于{foreign.full_name}；按档案 visit.branch，"
                                    f"文档由{chosen.full_name}出具，请确认由本分公司服务这家客户"))
    elif foreign is not None:
        notes.append(IssuerNote("client.region", f"地区“{region}”属于{foreign.full_name}，不在{company.name}的服务范围内："
                                f"以{company.short_name or company.name}名义给外省客户出具的建议书与事实不符，"
                                "因此不生成文档。如确由本省某家分公司服务这家客户（如客户在本省设有总部或分支机构），"
                                "请在档案 visit.branch 中写明分公司（编号、简称或地市名，如 shenzhen、深圳分公司、深圳）；"
                                f"否则请转交{foreign.name}的同事", refuses=True))
    elif region:
        chosen = company.branch_for(region)
        if chosen is None:
            notes.append(IssuerNote("client.region", f"地区“{region}”不在任何分公司的服务范围内"
                                    f"（{_shown(company.file)}），文档只署省公司 {company.name}；"
                                    "如有对应分公司，请在档案 visit.branch 中写明"))
    elif known is not None and known.branch:
        chosen = company.branch(known.branch)
    if chosen is not None and known is not None and known.branch and known.branch != chosen.id:
        own = company.branch(known.branch)
        notes.append(IssuerNote("visit.manager", f"客户经理{known.name}属于{own.name if own else known.branch}，"
                                f"文档按服务本客户的{chosen.name}出具"))
    person: Manager | None = None
    sample = known is not None and known.example  # the name is the profile's; phone and e-mail would be samples
    if manager:
        person = Manager(manager, phone or (known.phone if known and not sample else None),
                         known.branch if known else None, known.email if known and not sample else None,
                         sample)
        if known is None and not phone:
            notes.append(IssuerNote("visit.manager", f"出具方信息中没有客户经理“{manager}”，档案也没有填写电话；"
                                    f"文档只写姓名，联系电话用服务热线 {_hotline(company, chosen)}"))
    else:
        notes.append(IssuerNote("visit.manager", "档案没有填写客户经理（visit.manager），文档中的联系电话用"
                                f"{chosen.name if chosen else '省公司'}服务热线 {_hotline(company, chosen)}"))
    notes += _example_notes(company, chosen, known, phone)
    return Issuer(company, chosen, person), notes


def _example_notes(company: Company, branch: Branch | None, known: Manager | None,
                   phone: str | None) -> list[IssuerNote]:
    """What company.yaml still holds as sample data for this client's documents, which the
    documents therefore leave out, and where to fill it in."""
    notes = []
    if branch is not None and branch.example:
        i = company.branches.index(branch)
        notes.append(IssuerNote(f"branches[{i}].example", f"{branch.name}的地址和政企服务电话是示例数据（example: true），"
                                f"建议书和演示文稿中不写地址，联系电话写客服热线 {company.hotline}；"
                                f"请在 {_shown_file(company.file)} 的 branches 中 {branch.id} 一项填写真实的"
                                "地址（address）和服务电话（service_hotline）后删除 example 一行",
                                where=("branches", i, "example")))
    if known is not None and known.example:
        i = company.managers.index(known)
        left = "、".join(x for x, v in (("电话", not phone and known.phone), ("邮箱", known.email)) if v)
        if left:
            notes.append(IssuerNote(f"managers[{i}].example", f"客户经理{known.name}的{left}是示例数据（example: true），"
                                    f"文档中只写姓名{'和档案中的电话' if phone else ''}；请在 {_shown_file(company.file)} "
                                    f"的 managers 中 {known.name} 一项填写真实信息后删除 example 一行"
                                    f"{'' if phone else '，或在档案 visit.phone 中填写电话'}",
                                    where=("managers", i, "example")))
    return notes


def _shown_file(file: Path | None) -> str:
    return f"{Path(file).parent.name}/{Path(file).name}" if file else "catalog/company.yaml"


def _hotline(company: Company, branch: Branch | None) -> str:
    return branch.service_hotline if branch and not branch.example else company.hotline


def _shown(file: Path | None) -> str:
    return f"见 {Path(file).parent.name}/{Path(file).name}" if file else "见出具方信息"


# The company file's spec (validation, JSON Schema), derived from the declarations above.
COMPANY_SPEC = spec_of(Company)


def build_company(data: dict, file: Path | None = None) -> Company:
    """The issuer from data :data:`COMPANY_SPEC` validated."""
    return build(Company, data, file=file)
