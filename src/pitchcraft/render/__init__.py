"""Renderers: the only modules that import python-docx and python-pptx.

Each takes a :class:`pitchcraft.compose.Proposal` and a reference document, and returns the file's
bytes; writing them is :mod:`pitchcraft.write`'s job.
"""
