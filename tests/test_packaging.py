"""Installing haizhi puts one top-level package, `haizhi`, into site-packages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("pipeline", "extractors", "templates", "fixtures")


def test_package_list_matches_the_tree() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"haizhi"} | {"haizhi." + ".".join(p.parent.relative_to(ROOT).parts)
                          for d in FOLDERS for p in (ROOT / d).rglob("__init__.py")}
    assert listed == found


def _not_source(folder: str, names: list[str]) -> set[str]:
    top = {".git", ".venv", "outputs", "build"} if Path(folder) == ROOT else set()
    return {n for n in names if n in top or n == "__pycache__" or n.endswith((".egg-info", "_cache"))}


def test_pip_install_gives_one_top_level_package(tmp_path: Path) -> None:
    # build a wheel from a copy of the source (the checkout stays clean), with this environment's setuptools
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=_not_source)
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                        "--no-index", "-w", str(tmp_path / "dist"), str(src)],
                       capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("haizhi-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps",
                        "--no-index", str(wheel)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    top = {p.name for p in site.iterdir() if not p.name.endswith((".dist-info", ".pth"))} - {"__pycache__"}
    assert top == {"haizhi"}, top
    assert {p.name for p in (site / "haizhi").iterdir()} >= set(FOLDERS)
    assert (venv / "bin" / "haizhi").is_file()
    assert (site / "haizhi" / "templates" / "notice_coop.docx").is_file()
    assert (site / "haizhi" / "fixtures" / "years" / "2026.yaml").is_file()
    assert (site / "haizhi" / "pipeline" / "office" / "fonts.conf").is_file()
    assert (site / "haizhi" / "pipeline" / "intake" / "migrations" / "versions" / "0001_initial.py").is_file()
    ok = subprocess.run([str(py), "-c", "import haizhi.pipeline.core.fields as f; print(f.__file__)"],
                        capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith(str(site)), ok.stderr
    for name in FOLDERS:
        bare = subprocess.run([str(py), "-c", f"import {name}"], capture_output=True, text=True, cwd=tmp_path)
        assert bare.returncode != 0 and "ModuleNotFoundError" in bare.stderr
