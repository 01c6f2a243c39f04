"""pyproject.toml, the two locks and environment.yml agree, and the venv is the lock.

``requirements.lock`` pins what the course needs to run (environment.yml installs it);
``requirements-dev.lock`` pins the development tools on top of it.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import yaml
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name


def lock(name: str = "requirements.lock") -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        assert match, f"{name}: {line!r} is not an exact pin"
        pins[canonicalize_name(match[1])] = match[2]
    assert pins, f"{name} pins nothing"
    return pins


def all_pins() -> dict[str, str]:
    """Both locks together (the development lock adds to the course's, never re-pins it)."""
    course, dev = lock(), lock("requirements-dev.lock")
    assert not set(course) & set(dev), f"pinned in both locks: {sorted(set(course) & set(dev))}"
    return {**course, **dev}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_every_declared_dependency_is_pinned_in_the_lock():
    runtime, pins = lock(), all_pins()
    extras = [r for extra in project()["optional-dependencies"].values() for r in extra]
    assert project()["dependencies"] and extras
    for spec, where, lock_name in [(s, runtime, "requirements.lock") for s in project()["dependencies"]] + [
        (s, pins, "requirements-dev.lock") for s in extras
    ]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in where, f"{req.name} is declared in pyproject.toml but not pinned in {lock_name}"
        assert req.specifier.contains(where[name], prereleases=True), (
            f"{req.name}=={where[name]} breaks {spec!r}"
        )


def test_the_course_stack_is_in_the_lock():
    course, dev = lock(), lock("requirements-dev.lock")
    for name in ["jupyterlab", "pandas", "ipywidgets", "plotly", "anywidget", "networkx"]:
        assert name in course, name
    for name in ["nbval", "pytest", "pytest-xdist", "ruff", "hypothesis", "playwright"]:
        assert name in course or name in dev, name


def test_environment_yml_installs_the_lock_with_a_matching_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    version = python.split("=", 1)[1]
    assert SpecifierSet(project()["requires-python"]).contains(version + ".0")
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-r requirements.lock" in pip_section and "-e ." in pip_section


def test_the_running_environment_is_the_lock():
    wrong = []
    for name, version in all_pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} not installed")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} != {version}")
    assert not wrong, "the environment differs from requirements.lock: " + "; ".join(wrong)
