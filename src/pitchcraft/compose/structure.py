"""The proposal's structural data beside its texts: the architecture figure's layers and the
per-industry security and compliance notes (``templates/proposal/architecture.yaml``,
``compliance.yaml``). Presales edit them like the outline, so they are checked the same way: a
mistake is reported with its file and line before anything is composed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..model.vocab import INDUSTRIES
from .model import Architecture
from ..model.spec import Choice, Ctx, Field, MapOf, Record, Text, INVALID
from ..yamlsrc import read_yaml

LAYERS = {"public": "贵单位的客户与公众", "platform": "平台与应用", "link": "网络与线路", "device": "站点的终端与设备"}

ARCHITECTURE_SPEC = Record({
    "products": Field(MapOf(Record({
        "layer": Field(Choice({k: k for k in LAYERS}, "层次", "层次：" + "、".join(f"{k} {v}" for k, v in LAYERS.items())),
                       required=True),
        "text": Field(Text(max_len=60), required=True),
        "device": Field(Text(max_len=20)),
    })), default=dict),
    "sites": Field(MapOf(Record({
        "hq": Field(Text(max_len=12), required=True),
        "site": Field(Text(max_len=12), required=True),
    })), required=True),
})

COMPLIANCE_SPEC = Record({
    "industries": Field(MapOf(Record({
        "basis": Field(Text(max_len=300), required=True),
        "data": Field(Text(max_len=300), required=True),
        "protection": Field(Text(max_len=300), required=True),
        "isolation": Field(Text(max_len=300), required=True),
        "line_isolation": Field(Text(max_len=300)),
    })), default=dict),
})


@dataclass(frozen=True)
class Layout:
    roles: dict[str, tuple[str, str, str | None]]  # product id -> (layer, text, device at the sites)
    sites: dict[str, tuple[str, str]]       # industry key or "default" -> (hq, site)

    def site_names(self, industry: str) -> tuple[str, str]:
        return self.sites.get(industry) or self.sites.get("default") or ("总部", "分支站点")


def load_layout(path: Path) -> Layout:
    data = _read(path, ARCHITECTURE_SPEC, set(INDUSTRIES) | {"default"}, "sites")
    return Layout({k: (v["layer"], v["text"], v["device"]) for k, v in data["products"].items()},
                  {k: (v["hq"], v["site"]) for k, v in data["sites"].items()})


def architecture(rec, layout: Layout, caption: str = "图：总体方案结构") -> Architecture:
    """The client's network from the recommendation (:class:`pitchcraft.match.Recommendation`):
    each product in the layer ``architecture.yaml`` gives it; one it does not list goes by its
    category (服务营销 reaches the client's customers, the rest is a platform for the staff)."""
    p = rec.profile
    hq, site = layout.site_names(p.industry)
    layers: dict[str, list[str]] = {"public": [], "platform": [], "link": [], "device": []}
    notes: list[tuple[str, str]] = []
    for m in rec.all_products:
        prod = m.product
        layer, text, device = layout.roles.get(prod.id) or (
            ("public", prod.summary[:30], None) if prod.category == "marketing" else ("platform", "贵单位员工", None))
        name = prod.name + ("（现有）" if m.existing else "")
        layers[layer].append(name)
        notes.append((name, text))
        if device and layer != "device" and device not in layers["device"]:  # e.g. machines on IoT cards
            layers["device"].append(device)
            notes.append((device, f"经{prod.name}接入"))
    return Architecture(p.sites, p.employees, tuple(layers["link"]), tuple(layers["device"]),
                        tuple(layers["platform"]), tuple(layers["public"]), hq, site, tuple(notes), caption)


def load_compliance(path: Path) -> dict[str, dict[str, str | None]]:
    """Industry key -> its notes (basis, data, protection, isolation, line_isolation)."""
    return _read(path, COMPLIANCE_SPEC, set(INDUSTRIES), "industries")["industries"]


_SPECS = {"sites": ARCHITECTURE_SPEC, "industries": COMPLIANCE_SPEC}


def _read(path: Path, spec: Record, keys: set[str], keyed: str) -> dict:
    stat = path.stat()
    return _read_cached(path, stat.st_mtime_ns, stat.st_size, frozenset(keys), keyed)


@lru_cache(maxsize=8)
def _read_cached(path: Path, _mtime: int, _size: int, keys: frozenset[str], keyed: str) -> dict:
    """Read once per file version and process (a batch composes hundreds of proposals)."""
    spec = _SPECS[keyed]
    src, problems = read_yaml(path)
    if src is None:
        raise InputError(problems)
    ctx = Ctx(src)
    data = spec.check(src.data, (), ctx)
    problems += ctx.problems
    if data is not INVALID:
        for key in data[keyed]:
            if key not in keys:
                problems.append(src.problem((keyed, key), f"行业 {key} 不存在，可选：{'、'.join(sorted(keys))}",
                                            rule="outline"))
    if any(p.severity == "error" for p in problems) or data is INVALID:
        raise InputError(problems)
    return data
