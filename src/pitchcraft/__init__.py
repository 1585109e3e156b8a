"""pitchcraft: a client needs profile in, a Word proposal and a PowerPoint pitch out.

The pipeline, one module per stage:

    load (validate) -> match (rank + reasons) -> compose (view-model) -> render (docx, pptx) -> write

Use it as a library through :mod:`pitchcraft.pipeline`; the CLI only parses arguments.
"""

__version__ = "0.1.0"
