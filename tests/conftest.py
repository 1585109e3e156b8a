from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pitchcraft.cli import main
from pitchcraft.render import pdf as render_pdf

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
EVAL = ROOT / "tests" / "eval"
# The eight profiles of the presales review of round 11, read as their clients would (one of each kind of need).
REVIEWED = {
    "mfg": ROOT / "examples" / "precision-manufacturing.yaml",
    "hosp": ROOT / "examples" / "county-hospital.yaml",
    "mart": ROOT / "examples" / "chain-supermarket.yaml",
    "bank": EVAL / "profiles" / "33-city-commercial-bank.yaml",
    "orange": EVAL / "profiles" / "38-navel-orange-coop.yaml",
    "hotel": EVAL / "profiles" / "41-seaside-resort-hotel.yaml",
    "ferry": EVAL / "tuning" / "119-zhuhai-wanshan-haidao-keyun.yaml",
    "gas": EVAL / "tuning" / "116-zhongshan-qijiang-ranqi.yaml",
}


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


def profile_with(folder: Path, source: Path, name: str, **changes) -> Path:
    """A copy of the profile ``source`` as ``folder/name.yaml`` with fields changed, each given as
    ``section__key=value`` (``visit__branch="深圳"``)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        data.setdefault(section, {})[key] = value
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def copy_workspace(ws: Path) -> Path:
    """``ws`` made a copy of the shipped workspace's content (catalog, cases, templates)."""
    for name in ("catalog", "cases", "templates"):
        shutil.copytree(ROOT / name, ws / name, symlinks=True)
    return ws


@lru_cache(maxsize=1)
def _shipped_company():
    from pitchcraft.load import load_company, with_regions

    return with_regions(load_company(ROOT / "catalog" / "company.yaml")[0], ROOT / "templates" / "regions.yaml")


@lru_cache(maxsize=1)
def _issued_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="pitchcraft-issued-"))


def issued(profile: Path, branch: str = "shenzhen") -> Path:
    """A profile as a documents test generates it. A client the province table puts in another
    province (templates/regions.yaml) gets documents only when its manager names the branch that
    serves it (visit.branch), so such a labelled profile is copied with ``branch`` named, as its
    manager would have to; every other profile is itself. Matching tests read the files as they are."""
    profile = Path(profile)
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    client, visit = data.get("client") or {}, data.get("visit") or {}
    region = str(client.get("region") or "")
    if visit.get("branch") or not region or _shipped_company().foreign_province(region) is None:
        return profile
    data["visit"] = {**visit, "branch": branch}
    copy = _issued_dir() / profile.parent.name / profile.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy


def generate_each(tmp: Path, profiles: dict[str, Path], *args: str, ws: Path | None = None,
                  printed: dict[str, str] | None = None) -> dict[str, Path]:
    """Each profile generated once into ``tmp`` (with ``args``, e.g. ``--brief``) by a copy of the shipped
    workspace, or by ``ws``: key -> the folder the proposal went to; what the command printed goes
    into ``printed`` when given. A client of another province is given a branch (:func:`issued`)."""
    cli = Cli(ws or copy_workspace(tmp / "ws"))
    out = {}
    for key, profile in profiles.items():
        profile = issued(profile)
        dest = tmp / f"out-{key}"
        result = cli("generate", profile, "--out", dest, *args)
        assert result.exit_code == 0, result.output
        (out[key],) = [p for p in dest.iterdir() if not p.name.startswith(".")]
        if printed is not None:
            printed[key] = result.stdout
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


def modules_a_generate_imports(out: Path) -> list[str]:
    """The modules one whole ``pitchcraft generate`` process of the manufacturing example imports
    (``python -X importtime``), its proposal written under ``out``: what a one-shot run pays for."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "pitchcraft", "--workspace", str(ROOT), "generate",
                          str(ROOT / "examples" / "precision-manufacturing.yaml"), "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    return re.findall(r"^import time:.*\|\s*([\w.]+)\s*$", run.stderr, flags=re.M)
