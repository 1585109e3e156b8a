"""Text as XML character data, for the renderers that write OOXML as text (wordml, pptx)."""

from __future__ import annotations

import re

# characters XML 1.0 cannot carry; profile and catalog text is cleaned before this, templates may not be
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
