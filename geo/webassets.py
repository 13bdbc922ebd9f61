"""The map's JavaScript and CSS, served by Streamlit from ``static/`` (no CDN).

Why generated and not committed: the files come from the pinned ``xstatic-*``
PyPI packages (Leaflet, jQuery, Leaflet.markercluster), so the versions on
disk always match ``requirements.txt`` and the repository carries no copy of
third-party code. ``ensure_static()`` copies them into ``static/`` when the app
starts (idempotent, atomic per file, so concurrent sessions never serve a
half-written file); ``static/`` itself is in the repository (with its README)
so Streamlit finds the folder when the server starts.

Folium's own defaults load Bootstrap, Font Awesome and awesome-markers from
CDNs; the map uses circle markers and GeoJSON layers, so it needs none of them
and ``LOCAL_JS``/``LOCAL_CSS`` replace the whole list.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo.paths import ROOT

STATIC_DIR = ROOT / "static"
URL_PREFIX = "/app/static/"


@dataclass(frozen=True)
class Asset:
    """One file taken from an installed xstatic package."""

    package: str  # importable xstatic module, e.g. "xstatic.pkg.leaflet"
    source: str  # path inside the package's data folder
    target: str  # path inside static/ (and in the URL)


ASSETS: tuple[Asset, ...] = (
    Asset("xstatic.pkg.leaflet", "leaflet.js", "leaflet/leaflet.js"),
    Asset("xstatic.pkg.leaflet", "leaflet.css", "leaflet/leaflet.css"),
    Asset("xstatic.pkg.leaflet", "images/layers.png", "leaflet/images/layers.png"),
    Asset("xstatic.pkg.leaflet", "images/layers-2x.png", "leaflet/images/layers-2x.png"),
    Asset("xstatic.pkg.leaflet", "images/marker-icon.png", "leaflet/images/marker-icon.png"),
    Asset("xstatic.pkg.leaflet", "images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    Asset("xstatic.pkg.leaflet", "images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    Asset("xstatic.pkg.jquery", "jquery.min.js", "jquery/jquery.min.js"),
    Asset("xstatic.pkg.leaflet_markercluster", "leaflet.markercluster.js",
          "markercluster/leaflet.markercluster.js"),
    Asset("xstatic.pkg.leaflet_markercluster", "MarkerCluster.css", "markercluster/MarkerCluster.css"),
    Asset("xstatic.pkg.leaflet_markercluster", "MarkerCluster.Default.css",
          "markercluster/MarkerCluster.Default.css"),
)

# (name, url) pairs in the shape folium's default_js/default_css expect. Order
# matters: Leaflet before jQuery-using popups and before the cluster plugin.
LOCAL_JS: list[tuple[str, str]] = [
    ("leaflet", URL_PREFIX + "leaflet/leaflet.js"),
    ("jquery", URL_PREFIX + "jquery/jquery.min.js"),
]
LOCAL_CSS: list[tuple[str, str]] = [
    ("leaflet_css", URL_PREFIX + "leaflet/leaflet.css"),
]
CLUSTER_JS: list[tuple[str, str]] = [
    ("markerclusterjs", URL_PREFIX + "markercluster/leaflet.markercluster.js"),
]
CLUSTER_CSS: list[tuple[str, str]] = [
    ("markerclustercss", URL_PREFIX + "markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", URL_PREFIX + "markercluster/MarkerCluster.Default.css"),
]


def source_path(asset: Asset) -> Path:
    """Where the installed package keeps the file (raises ImportError if the package is missing)."""
    import importlib

    module = importlib.import_module(asset.package)
    return Path(module.BASE_DIR) / asset.source


OUTLINES = ("countries", "2018", "2024")  # basemap layers: country outlines, Kazakhstan's two region layouts


def outline_url(kind: str) -> str:
    """Where the map fetches an outline layer (written by :func:`ensure_static`)."""
    return f"{URL_PREFIX}outlines/{kind}.json"


def outline_bytes(kind: str) -> bytes:
    """An outline layer as the GeoJSON text the map fetches (from the boundary data in data/)."""
    import json

    from geo.boundaries import country_outlines, region_outlines

    data = country_outlines() if kind == "countries" else region_outlines(kind)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _write_if_changed(dst: Path, data: bytes) -> bool:
    """Write ``data`` to ``dst`` atomically unless it already holds exactly that; True if written."""
    if dst.is_file() and dst.stat().st_size == len(data) and dst.read_bytes() == data:
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True


def ensure_static(static_dir: Path = STATIC_DIR) -> list[str]:
    """Copy every asset into ``static_dir`` unless an identical copy is there, and write the
    basemap's outline layers (``outlines/*.json``) from the boundary data.

    Returns the targets written (empty when all were up to date), so callers
    and tests can tell a fresh copy from a no-op.
    """
    written: list[str] = []
    for kind in OUTLINES:
        target = f"outlines/{kind}.json"
        if _write_if_changed(static_dir / target, outline_bytes(kind)):
            written.append(target)
    for asset in ASSETS:
        if _write_if_changed(static_dir / asset.target, source_path(asset).read_bytes()):
            written.append(asset.target)
    return written


def inline_text(url: str) -> str:
    """The text of a local asset given its URL, for self-contained HTML snapshots."""
    if not url.startswith(URL_PREFIX):
        raise ValueError(f"not a local asset URL: {url}")
    target = url[len(URL_PREFIX):]
    for asset in ASSETS:
        if asset.target == target:
            return source_path(asset).read_text(encoding="utf-8")
    raise ValueError(f"unknown local asset: {url}")
