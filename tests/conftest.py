from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pitchcraft.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


class Cli:
    """Runs the pitchcraft command in-process, as a user would type it."""

    def __init__(self, workspace: Path):
        self.workspace = workspace
        self.runner = CliRunner()

    def __call__(self, *args: str):
        result = self.runner.invoke(main, ["--workspace", str(self.workspace), *map(str, args)])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result


def copy_workspace(ws: Path) -> Path:
    """``ws`` made a copy of the shipped workspace's content (catalog, cases, templates)."""
    for name in ("catalog", "cases", "templates"):
        shutil.copytree(ROOT / name, ws / name, symlinks=True)
    return ws


def generate_examples(tmp: Path) -> dict[str, Path]:
    """Every example generated into ``tmp`` with a copy of the shipped workspace: stem -> its folder."""
    ws = copy_workspace(tmp / "ws")
    out = {}
    for profile in EXAMPLES:
        result = Cli(ws)("generate", profile, "--out", tmp / profile.stem)
        assert result.exit_code == 0, result.stderr
        out[profile.stem] = next(p for p in (tmp / profile.stem).iterdir() if not p.name.startswith("."))
    return out


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the shipped workspace (catalog, cases, templates), so tests may write into it."""
    ws = tmp_path / "ws"
    copy_workspace(ws)
    return ws


@pytest.fixture
def cli(workspace: Path) -> Cli:
    return Cli(workspace)


@pytest.fixture
def shipped_cli() -> Cli:
    return Cli(ROOT)
