"""The command line: parses arguments, calls :mod:`pitchcraft.pipeline`, prints results.

:mod:`.app` holds the root group; each other module of this package is one area of commands and
adds them to :data:`main` when imported, so a new module is a new set of commands with no list to
keep here. Heavy modules (python-docx, python-pptx, the matcher) are imported inside the commands,
so ``pitchcraft --help`` and a failing argument stay fast.
"""

from __future__ import annotations

import importlib
import pkgutil

from .app import main, run, warn, workspace_of

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in ("app", "zh"):  # the root group; click's texts in Chinese
        importlib.import_module(f"{__name__}.{_module}")

__all__ = ["main", "run", "warn", "workspace_of"]
