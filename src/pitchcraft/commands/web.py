"""The web app's commands (``users``, ``serve``) live with the web app, in :mod:`pitchcraft.web.cli`."""

from ..web import cli  # noqa: F401 - registers its commands on main
