"""The layers contract (``[tool.importlinter]`` in pyproject.toml, docs/architecture.md) holds, covers every
top-level package, and fails on a back import."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"]
needs_linter = pytest.mark.skipif(
    importlib.util.find_spec("importlinter") is None and os.environ.get("CI") != "true",
    reason="import-linter is not installed (pip install -e '.[test]')",
)


def contract() -> dict[str, object]:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c for c in conf["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return layers


def lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(LINT, cwd=cwd, capture_output=True, text=True, timeout=300, env=env, check=False)


def test_every_top_level_module_of_the_package_is_in_a_layer() -> None:
    """A package missing from the contract is checked by nothing: dropping a layer fails here."""
    listed = {name.strip() for layer in contract()["layers"] for name in str(layer).replace(":", "|").split("|")}
    present = {
        f"sentinel.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "sentinel").iterdir()
        if (p.suffix == ".py" and p.name != "__init__.py") or (p / "__init__.py").is_file()
    }
    assert present - listed == set(), "add these to a layer in pyproject.toml"
    assert listed - present == set(), "these layers name nothing"


@needs_linter
def test_the_package_keeps_its_layers() -> None:
    r = lint(ROOT)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "1 kept, 0 broken" in r.stdout


@needs_linter
def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path: Path) -> None:
    """The model (near the bottom) importing the pipeline (near the top), in a copy of the package."""
    shutil.copytree(ROOT / "sentinel", tmp_path / "sentinel", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "sentinel" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nimport sentinel.pipeline.core  # noqa: E402\n")
    r = lint(tmp_path)
    assert r.returncode != 0
    assert "sentinel.model -> sentinel.pipeline.core" in r.stdout, r.stdout[-3000:]
