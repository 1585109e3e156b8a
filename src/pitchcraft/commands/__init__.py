"""The CLI's commands, one module per area; each registers itself on :data:`pitchcraft.cli.main`.

Heavy modules (python-docx, python-pptx, the matcher) are imported inside the commands, so
``pitchcraft --help`` and a failing argument stay fast.
"""
