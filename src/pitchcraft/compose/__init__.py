"""A recommendation becomes a Proposal: the Word document's blocks and the deck's slides.

This is where the words are chosen (from the Jinja2 section texts of the templates) and where the
structured parts (tables, product details, case cards) are laid out as data. The renderers only
turn these into python-docx / python-pptx calls.

model.py     the view-model (blocks, slides)        context.py   what the templates see
outline.py   chapters, order, conditions             document.py  the Word proposal's blocks
slides.py    the deck and its speaker notes
"""

from .context import cn_date, context, money, plan_start
from .document import compose
from .model import TOC, Architecture, Card, Chart, Cover, Diagram, Numbering, PageBreak, Proposal, Slide, Table, cn_number

__all__ = ["compose", "context", "money", "cn_date", "plan_start", "Proposal", "Slide", "Table", "Card",
           "Cover", "Diagram", "Architecture", "TOC", "PageBreak", "Chart", "Numbering", "cn_number"]
