"""The proposal's structural data beside its texts: the architecture figure's layers and the
per-industry security and compliance notes (``templates/proposal/architecture.yaml``,
``compliance.yaml``). Presales edit them like the outline, so they are checked the same way: a
mistake is reported with its file and line before anything is composed. What the figure calls the
client's headquarters and other sites are the client's words (``templates/vocabulary.yaml``'s
``hq`` and ``site``), the same the proposal's sentences use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..content.vocabulary import Words, fill
from ..errors import InputError
from ..model.vocab import INDUSTRIES
from .model import Architecture
from ..model.spec import Boolean, Choice, Ctx, Field, MapOf, Record, Text, INVALID
from ..yamlsrc import read_yaml

LAYERS = {"public": "贵单位服务的对象", "platform": "平台与应用", "link": "网络与线路", "device": "站点的终端与设备"}

ARCHITECTURE_SPEC = Record({
    "products": Field(MapOf(Record({
        "layer": Field(Choice({k: k for k in LAYERS}, "层次", "层次：" + "、".join(f"{k} {v}" for k, v in LAYERS.items())),
                       required=True),
        "text": Field(Text(max_len=60), required=True),
        "device": Field(Text(max_len=20)),
        # a device layer's terminal carried by people or in vehicles: drawn with who uses it, not in
        # every site's box (the hospital's ambulance kit stood at 院本部 and both 院区)
        "carried": Field(Boolean()),
    })), default=dict),
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
    carried: frozenset[str] = frozenset()  # device-layer products carried, not installed at the sites


def load_layout(path: Path) -> Layout:
    data = _read(path, ARCHITECTURE_SPEC, frozenset(), "products")
    return Layout({k: (v["layer"], v["text"], v["device"]) for k, v in data["products"].items()},
                  frozenset(k for k, v in data["products"].items() if v.get("carried")))


def architecture(rec, layout: Layout, words: Words, caption: str = "图：总体方案结构") -> Architecture:
    """The client's network from the recommendation (:class:`pitchcraft.match.Recommendation`):
    each product in the layer ``architecture.yaml`` gives it; one it does not list goes by its
    category (服务营销 reaches the client's customers, the rest is a platform for the staff).
    ``words`` are the client's (:meth:`~pitchcraft.content.vocabulary.Vocabulary.words_for`): its
    headquarters and other sites are named as its proposal names them."""
    p = rec.profile
    hq, site = words.hq, words.site
    layers: dict[str, list[str]] = {"public": [], "platform": [], "link": [], "device": [], "carried": []}
    notes: list[tuple[str, str]] = []
    for m in rec.all_products:
        prod = m.product
        layer, text, device = layout.roles.get(prod.id) or (
            ("public", prod.summary[:30], None) if prod.category == "marketing" else ("platform", "贵单位〔人员〕", None))
        name = prod.name + ("（现有）" if m.existing else "")
        layers["carried" if layer == "device" and prod.id in layout.carried else layer].append(name)
        notes.append((name, fill(text, words)))  # 〔服务对象〕拨一个总机号码 -> 客人拨一个总机号码
        if device and layer != "device" and device not in layers["device"]:  # e.g. machines on IoT cards
            layers["device"].append(device)
            notes.append((device, f"经{prod.name}接入"))
    return Architecture(p.sites, p.employees, tuple(layers["link"]), tuple(layers["device"]),
                        tuple(layers["platform"]), tuple(layers["public"]), hq, site, tuple(notes), caption,
                        staff=words.staff, served=words.served, carried=tuple(layers["carried"]))


def load_compliance(path: Path) -> dict[str, dict[str, str | None]]:
    """Industry key -> its notes (basis, data, protection, isolation, line_isolation)."""
    return _read(path, COMPLIANCE_SPEC, set(INDUSTRIES), "industries")["industries"]


_SPECS = {"products": ARCHITECTURE_SPEC, "industries": COMPLIANCE_SPEC}


def _read(path: Path, spec: Record, keys: frozenset[str] | set[str], keyed: str) -> dict:
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
    if keyed == "products" and isinstance(src.data, dict) and "sites" in src.data:  # the words moved
        ctx.error(("sites",), "总部和站点的叫法已合并到 templates/vocabulary.yaml（每个行业的 hq、site）："
                              "请把要保留的叫法写到那里，并删除这里的 sites", rule="outline")
    data = spec.check(src.data, (), ctx)
    problems += ctx.problems
    if data is not INVALID and keys:
        for key in data[keyed]:
            if key not in keys:
                problems.append(src.problem((keyed, key), f"行业 {key} 不存在，可选：{'、'.join(sorted(keys))}",
                                            rule="outline"))
    if any(p.severity == "error" for p in problems) or data is INVALID:
        raise InputError(problems)
    return data
