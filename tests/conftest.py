from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pitchcraft.cli import main
from pitchcraft.render import pdf as render_pdf

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


def generate_each(tmp: Path, profiles: dict[str, Path], *args: str, ws: Path | None = None) -> dict[str, Path]:
    """Each profile generated once into ``tmp`` (with ``args``, e.g. ``--brief``) by a copy of the shipped
    workspace, or by ``ws``: key -> the folder the proposal went to."""
    cli = Cli(ws or copy_workspace(tmp / "ws"))
    out = {}
    for key, profile in profiles.items():
        dest = tmp / f"out-{key}"
        result = cli("generate", profile, "--out", dest, *args)
        assert result.exit_code == 0, result.output
        (out[key],) = [p for p in dest.iterdir() if not p.name.startswith(".")]
    return out


def generate_examples(tmp: Path) -> dict[str, Path]:
    """Every example generated into ``tmp``: stem -> its folder."""
    return generate_each(tmp, {p.stem: p for p in EXAMPLES})


# The page checks need LibreOffice and poppler's pdftotext (.ci/run installs both).
needs_soffice = pytest.mark.skipif(
    not shutil.which("pdftotext") or render_pdf.find_soffice() is None,
    reason="LibreOffice and poppler-utils are needed to see the pages (.ci/run installs them)")


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


@pytest.fixture(scope="module")
def content():
    """The shipped catalog and cases, loaded once per test module (a module may define its own)."""
    from pitchcraft.pipeline import load_content
    from pitchcraft.workspace import Workspace

    return load_content(Workspace.open(ROOT))


@pytest.fixture(scope="module")
def matcher(content):
    from pitchcraft.match.recommend import Matcher

    return Matcher(content.catalog)
