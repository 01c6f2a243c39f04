"""The wheel carries the library, its assets and the tables: installed anywhere, it loads the course.

The project is built from a copy of its files (so that the checkout gets no ``build/`` or
``*.egg-info``), installed into a folder of its own, and imported from another folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.requirements import Requirement

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("pip") is None, reason="pip is not installed: no wheel can be built"
    ),
]

#: What the copy of the project needs to build.
PROJECT_FILES = ["pyproject.toml", "README.md", "LICENSE", "course_lib", "data", "jupyter"]


def build_requirements_installed() -> bool:
    """Whether this environment has what ``[build-system] requires`` (then no isolated build is needed)."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"][
        "requires"
    ]
    for spec in map(Requirement, requires):
        try:
            if not spec.specifier.contains(metadata.version(spec.name), prereleases=True):
                return False
        except metadata.PackageNotFoundError:
            return False
    return True


def pip(*args: str, cwd: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, f"pip {' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in PROJECT_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(path, src / name)
    # Offline with this environment's setuptools when it is recent enough; otherwise pip builds in
    # an isolated environment from the configured index.
    no_isolation = ["--no-build-isolation"] if build_requirements_installed() else []
    pip("wheel", "--no-deps", *no_isolation, "-w", str(work / "dist"), str(src), cwd=work)
    (found,) = (work / "dist").glob("course_lib-*.whl")
    return found


@pytest.fixture(scope="module")
def site(wheel) -> Path:
    target = wheel.parent.parent / "site"
    pip("install", "--no-deps", "--target", str(target), str(wheel), cwd=wheel.parent)
    return target


def test_the_wheel_carries_the_library_its_assets_and_the_tables(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "course_lib").rglob("*.py")}
    assert modules and modules <= names
    assets = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "course_lib" / "assets").rglob("*") if p.is_file()
    }
    assert "course_lib/assets/world_110m.json" in assets and assets <= names
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    tables = {f"course_lib/_data/{r['path']}" for r in package["resources"]}
    assert tables and tables <= names
    assert {"course_lib/_data/datapackage.json", "course_lib/_data/README.md"} <= names
    assert not any(n.startswith(("tests/", "notebooks/", "scripts/", "benchmarks/", "data/")) for n in names)


def test_the_installed_wheel_loads_the_course_from_inside_itself(site, tmp_path):
    code = (
        "import json, course_lib\n"
        "from course_lib.exercises import check\n"
        "tables = course_lib.load_course()\n"
        "print(json.dumps({'module': course_lib.__file__,\n"
        "    'data': str(course_lib.bundled_data_dir()), 'resolved': str(course_lib.resolve_data_dir()),\n"
        "    'tables': sorted(tables), 'rows': {k: len(v) for k, v in tables.items()},\n"
        "    'schema': sorted(course_lib.load_schema().names), 'country': course_lib.country_label('MLI'),\n"
        "    'check': str(check('00.1', ...))}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_DATA_DIR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout)
    assert Path(found["module"]).is_relative_to(site), "course_lib was not imported from the installed wheel"
    assert Path(found["data"]).is_relative_to(site) and Path(found["data"]) == site / "course_lib" / "_data"
    assert found["resolved"] == found["data"]
    assert found["tables"] == found["schema"] and all(n > 0 for n in found["rows"].values())
    assert found["country"] == "Mali (MLI)"
    assert found["check"].startswith("No answer yet")


def test_the_wheel_enables_the_server_extension_and_the_lab_settings(wheel):
    archive = zipfile.ZipFile(wheel)
    server = [
        n for n in archive.namelist() if n.endswith("etc/jupyter/jupyter_server_config.d/course_lib.json")
    ]
    assert server
    assert json.loads(archive.read(server[0]))["ServerApp"]["jpserver_extensions"] == {"course_lib": True}
    (settings,) = [n for n in archive.namelist() if n.endswith("share/jupyter/lab/settings/overrides.json")]
    assert json.loads(archive.read(settings))["@jupyterlab/notebook-extension:tracker"] == {
        "windowingMode": "none"
    }
