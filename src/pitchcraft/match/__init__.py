"""Matching: a profile against the catalog and the case library, with a reason for every pick.

Pure functions over domain objects; nothing here reads files or knows about documents. Every
statement→product link has a confidence (明确 / 待确认; 无 when nothing answers): see
:mod:`.recommend` for what a :class:`Recommendation` offers the documents, :mod:`.evidence` for how.
"""

from .evidence import CLEAR, LEVELS, NONE, TO_CONFIRM, Confidence
from .recommend import (CaseMatch, Link, ProductMatch, Recommendation, StatementMatch, recommend)

__all__ = ["recommend", "Recommendation", "ProductMatch", "CaseMatch", "StatementMatch", "Link", "Confidence",
           "CLEAR", "TO_CONFIRM", "NONE", "LEVELS"]
