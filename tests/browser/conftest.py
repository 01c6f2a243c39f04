"""Browser fixtures: Debian's Chromium driven by Playwright, against servers the tests start.

- ``lab_server``: a JupyterLab on 127.0.0.1 serving the repository (autosave off, its
  settings, workspaces and checkpoints in a temporary folder: a test never writes to the
  notebooks it runs);
- ``voila_server``: the explorers dashboard (``dashboards/serve.py``, as ``make dashboard``);
- ``html_export``: the static pages of ``make html`` (``scripts/export_html.py``);
- ``page`` records every request that leaves the machine (any host but 127.0.0.1 and
  localhost); ``file_page`` every request that is not to a ``file://`` URL.

The tests skip with a visible reason where Chromium (or axe-core, installed with npm) is
missing, and fail instead under ``CI=true``, so that CI can never pass by skipping them.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LOCAL_HOSTS = ("127.0.0.1", "localhost")
SCREENSHOTS = ROOT / "build" / "screenshots"
HTML_DIR = ROOT / "build" / "html"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def missing(reason: str) -> None:
    """Skip with ``reason``, or fail under ``CI=true`` (where nothing may be skipped)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: browser tests are required in CI", pytrace=False)
    pytest.skip(reason)


def require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def jupyter_env(home: Path) -> dict[str, str]:
    """The environment with Jupyter's and IPython's folders inside ``home``."""
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        env[var] = str(home / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def pytest_terminal_summary(terminalreporter) -> None:
    """List the notebooks whose Run All passed only when tried a second time, and why."""
    notes = [
        f"{report.nodeid}: {value}"
        for report in terminalreporter.stats.get("passed", [])
        for key, value in report.user_properties
        if key == "ran_twice"
    ]
    if notes:
        terminalreporter.section("browser tests that needed a second Run All")
        for line in notes:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """A JupyterLab serving the repository on 127.0.0.1, with its own config folders."""
    require_chromium()
    port = free_port()
    token = "course-test-token"
    home = tmp_path_factory.mktemp("jupyter")
    env = jupyter_env(home)
    # No autosave: the tests run notebooks but must never write them back.
    settings = home / "config" / "lab" / "user-settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    # The course's server extension (plotly.js and the base map, for the figures), as `make lab` enables it.
    extensions = home / "config" / "jupyter_server_config.d"
    extensions.mkdir(parents=True)
    shutil.copy(ROOT / "jupyter" / "course_lib.json", extensions / "course_lib.json")
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.open_browser=False",
        "--LabApp.news_url=None",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--FileCheckpoints.root_dir={home / 'checkpoints'}",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(home / "lab.log", "wb")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/status?token={token}", proc)
        wait_for(f"{base}/course-lib/plotly.min.js?token={token}", proc)
        yield {"base": base, "token": token, "log": home / "lab.log"}
    finally:
        stop(proc)
        log.close()


def shutdown_kernels(lab: dict) -> None:
    """Stop every session's kernel of ``lab`` (one notebook's kernel must not slow the next)."""
    url = f"{lab['base']}/api/sessions?token={lab['token']}"
    with urllib.request.urlopen(url, timeout=10) as r:
        sessions = json.load(r)
    for s in sessions:
        req = urllib.request.Request(
            f"{lab['base']}/api/sessions/{s['id']}?token={lab['token']}", method="DELETE"
        )
        urllib.request.urlopen(req, timeout=10).close()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """The explorers dashboard served by Voila on 127.0.0.1, started as ``make dashboard`` does."""
    require_chromium()
    port = free_port()
    home = tmp_path_factory.mktemp("voila")
    cmd = [sys.executable, str(ROOT / "dashboards" / "serve.py"), f"--port={port}"]
    log = open(home / "voila.log", "wb")
    proc = subprocess.Popen(cmd, env=jupyter_env(home), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/voila/static/plotly.min.js", proc)
        yield {"base": base, "log": home / "voila.log"}
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="session")
def html_export():
    """``build/html``, as ``make html`` exports it (the committed notebooks, not run again)."""
    require_chromium()
    start = time.monotonic()
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "export_html.py"), "--out", str(HTML_DIR)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, f"export_html.py failed:\n{out.stdout}\n{out.stderr}"
    print(f"\nexport_html.py: {out.stdout.strip().splitlines()[-1]} ({time.monotonic() - start:.0f} s)")
    return HTML_DIR


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.outside_requests = []

    def record(request):
        host = request.url.split("/")[2].split(":")[0] if "://" in request.url else ""
        if request.url.startswith(("http://", "https://", "ws://", "wss://")) and host not in LOCAL_HOSTS:
            pg.outside_requests.append(request.url)

    pg.on("request", record)
    # JupyterLab opening the first notebook of a fresh server sometimes asks for the kernel
    # (its kernel specs not loaded yet): take the one it proposes, the notebook's own, before
    # any action of the test (a modal dialog would swallow the clicks).
    dialog = pg.locator(".jp-Dialog", has_text="Select Kernel")
    pg.add_locator_handler(dialog, lambda d: d.locator(".jp-mod-accept").click())
    yield pg
    context.close()


def open_file_page(context):
    """A page of ``context`` that records every request not to a ``file://`` (or inline) URL."""
    pg = context.new_page()
    pg.outside_requests = []

    def record(request):
        if not request.url.startswith(("file://", "data:", "blob:")):
            pg.outside_requests.append(request.url)

    pg.on("request", record)
    return pg


@pytest.fixture
def file_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield open_file_page(context)
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's ``axe.min.js``, installed by ``npm ci`` in tests/browser (``make test`` does it)."""
    if not AXE.is_file():
        missing(f"axe-core is not installed ({AXE.relative_to(ROOT)}): run `cd tests/browser && npm ci`")
    return AXE
