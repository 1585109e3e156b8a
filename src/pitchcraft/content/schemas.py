"""JSON Schemas for editors, generated from the declared types of :mod:`pitchcraft.model`.

The files in ``schemas/`` are this module's output (``pitchcraft schema KIND``), shipped so that
VS Code's YAML extension completes keys and underlines mistakes in catalog/ and in profiles while
a product manager or an account manager types; a test keeps them equal to what the code validates.
"""

from __future__ import annotations

import json

from ..model.case import Case
from ..model.catalog import Catalog
from ..model.profile import Profile
from ..model.spec import spec_of

DRAFT = "http://json-schema.org/draft-07/schema#"

# kind -> (the type its file holds, file name in schemas/, title)
KINDS = {
    "products": (Catalog, "products.schema.json", "pitchcraft 产品图谱（catalog/products.yaml）"),
    "cases": (Case, "case.schema.json", "pitchcraft 案例头信息（cases/*.md 的 --- 之间）"),
    "profile": (Profile, "profile.schema.json", "pitchcraft 客户需求档案"),
}


def schema_for(kind: str) -> dict:
    """The JSON Schema (draft-07, what the YAML extension reads best) of one kind of file."""
    cls, _file, title = KINDS[kind]
    return {"$schema": DRAFT, "title": title, **spec_of(cls).json_schema()}


def dumps(kind: str) -> str:
    """The schema as the text shipped in ``schemas/``: stable key order, Chinese kept readable."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"
