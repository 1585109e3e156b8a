"""The web app (``pitchcraft serve``): the same pipeline as the command line, in a browser.

:mod:`.app` builds the ASGI application, :mod:`.api` and :mod:`.pages` are its two faces (JSON with
bearer tokens, Chinese pages with signed cookies), :mod:`.service` calls the pipeline, :mod:`.db`
and :mod:`.auth` keep the archive and the accounts, :mod:`.cli` adds ``users`` and ``serve``.
"""
