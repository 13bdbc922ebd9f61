"""Shared fixtures: synthetic events, a store built in tmp, a real Streamlit server, a browser.

The server fixture starts ``streamlit run app.py`` on a free port with
``GEO_STORE`` pointing at a store built from seeds/ plus a hostile article,
and waits on ``/_stcore/health`` (no fixed sleeps). The browser is Debian's
chromium driven by Playwright (never ``playwright install``).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from geo.model import Event, Source
from geo.paths import ROOT, SEEDS_DIR

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Real Kazakh coordinates for synthetic events.
PLACES = {
    "Almaty": (43.25, 76.92, "Almaty City", "KZ75"),
    "Aktau": (43.65, 51.17, "Mangystau", "KZ47"),
    "Zhanaozen": (43.34, 52.86, "Mangystau", "KZ47"),
    "Aktobe": (50.28, 57.21, "Aktobe", "KZ15"),
    "Nur-Sultan": (51.18, 71.45, "Nur-Sultan City", "KZ71"),
}

HOSTILE_TITLE = 'Oil workers strike <img src=x onerror="window.__xss = 3">'
HOSTILE_ARTICLE = f"""{HOSTILE_TITLE}

ZHANAOZEN, 4 January 2022 - Hundreds of oil workers went on strike in Zhanaozen on 4 January 2022 \
<script>window.__xss = 1</script> demanding lower gas prices <img src=x onerror="window.__xss = 2">.
"""


def make_event(place: str = "Aktau", event_type: str = "protest", start: str = "2022-01-04",
               end: str | None = None, level: str = "city", doc: str = "a.txt",
               evidence: str = "Thousands rallied.", **kw) -> Event:
    """A real geo.model.Event at a real place; ``doc`` may be a list for several sources."""
    if place == "Kazakhstan":
        lat, lon, admin1, code = 48.0, 68.0, None, None
    else:
        lat, lon, admin1, code = PLACES[place]
    docs = doc if isinstance(doc, list) else [doc]
    ev = Event(
        event_type=event_type, place=place if level != "region" else admin1, place_id=f"test:{place}:{level}",
        level=level, lat=lat, lon=lon, country="KZ", date_start=start, date_end=end or start,
        time_precision="day", admin1=admin1 if level != "country" else None,
        region_code=code if level == "region" else None, place_mention=place,
        sources=[Source(doc=d, evidence=evidence, title=f"Title of {d}", publisher="Pub",
                        published="2022-01-10", url="https://example.org/" + d) for d in docs],
    )
    for k, v in kw.items():
        setattr(ev, k, v)
    return ev


@pytest.fixture
def event_factory() -> Callable[..., Event]:
    return make_event


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    """A store built by the real extractor from seeds/ plus one hostile (XSS) article."""
    from geo.store import Store

    folder = tmp_path_factory.mktemp("corpus")
    for f in SEEDS_DIR.iterdir():
        if f.is_file() and f.name != "sources.csv":
            shutil.copy(f, folder / f.name)
    (folder / "zz_hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    path = tmp_path_factory.mktemp("store") / "events.sqlite"
    with Store(path) as store:
        report = store.ingest([folder])
        assert not report.problems, report.problems
        store.set_meta("seeded", "built by tests/conftest.py")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll the health endpoint until it answers "ok" (each attempt blocks on the socket, no sleeps)."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = str(exc)
            # The port is not listening yet: wait for the process a moment instead of spinning.
            try:
                proc.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
    raise RuntimeError(f"streamlit not healthy after {timeout}s: {last}")


def start_server(store: Path, extra_env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run app.py`` on a free port; returns (process, base URL) once healthy."""
    port = _free_port()
    env = dict(os.environ, GEO_STORE=str(store), **(extra_env or {}))
    log = open(store.parent / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base + "/_stcore/health", proc)
    except BaseException:
        stop_server(proc)
        raise
    return proc, base


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def streamlit_server(seeds_store) -> Iterator[str]:
    proc, base = start_server(seeds_store)
    try:
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing (scripts/test.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
