"""``python -m pitchcraft`` is the ``pitchcraft`` command."""

from pitchcraft.cli import run

run()
