"""Matching: a profile against the catalog and the case library, with a reason for every pick.

Pure functions over domain objects; nothing here reads files or knows about documents.
"""

from .recommend import (CaseMatch, ProductMatch, Recommendation, StatementMatch, recommend)

__all__ = ["recommend", "Recommendation", "ProductMatch", "CaseMatch", "StatementMatch"]
