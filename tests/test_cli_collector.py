"""`generate` runs with the cyclic collector off; it is switched back on afterwards only in a process
that goes on, not in the `pitchcraft` process itself, which ends with the command (cli.app.run)."""

from __future__ import annotations

import gc

from pitchcraft.cli import app


def test_the_collector_comes_back_in_a_process_that_goes_on(monkeypatch):
    monkeypatch.setattr(app, "_ONE_COMMAND", False)
    with app.collector_off():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_stays_off_when_the_process_ends_with_the_command(monkeypatch):
    monkeypatch.setattr(app, "_ONE_COMMAND", True)
    try:
        with app.collector_off():
            assert not gc.isenabled()
        assert not gc.isenabled()  # switched on, it would first traverse all the run made
    finally:
        gc.enable()


def test_run_marks_the_process_as_one_command(monkeypatch):
    monkeypatch.setattr(app, "_ONE_COMMAND", False)
    monkeypatch.setattr(app, "main", lambda: None)
    monkeypatch.setattr(app.atexit, "register", lambda f: None)
    threshold = gc.get_threshold()
    try:
        app.run()
        assert app._ONE_COMMAND
    finally:
        gc.set_threshold(*threshold)
