"""Benchmark the dashboard in a real browser: first load, slider step latency, server memory.

    /work/venv/bin/python bench/bench_dashboard.py [--events 10000] [--steps 8]

Builds two stores in a temporary folder -- the seeds (real extractor) and a
synthetic one of ``--events`` events at real Kazakh places over 40 days --
starts ``streamlit run app.py`` on each, and drives Debian's chromium:
time from page open to drawn markers, time from an arrow key on the slider to
the map showing the new day (``window.geoEventWindow``), in "that day" and
"up to that day" modes, and the server's resident memory afterwards.
Aims: < 300 ms per step on the seeds, < 1 s at 10,000 events, first load < 5 s.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.model import Document, Event, Source  # noqa: E402
from geo.paths import SEEDS_DIR  # noqa: E402
from geo.store import Store  # noqa: E402
from geo.taxonomy import TYPE_NAMES  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

PLACES = [("Almaty", 43.25, 76.92, "Almaty City", "KZ75"), ("Aktau", 43.65, 51.17, "Mangystau", "KZ47"),
          ("Zhanaozen", 43.34, 52.86, "Mangystau", "KZ47"), ("Aktobe", 50.28, 57.21, "Aktobe", "KZ15"),
          ("Nur-Sultan", 51.18, 71.45, "Nur-Sultan City", "KZ71")]
SLIDER = '[data-testid="stSlider"] input[type="range"]'
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def synthetic_store(path: Path, n_events: int, days: int = 40, per_doc: int = 50, seed: int = 7) -> None:
    """n_events distinct events (unique place ids, jittered around real towns), per_doc per article."""
    rnd = random.Random(seed)
    first = date(2022, 1, 1)
    with Store(path) as store:
        for d in range((n_events + per_doc - 1) // per_doc):
            name = f"bench_{d:05d}.txt"
            events = []
            for i in range(d * per_doc, min((d + 1) * per_doc, n_events)):
                town, lat, lon, admin1, code = rnd.choice(PLACES)
                day = first + timedelta(days=rnd.randrange(days))
                level = rnd.choices(["city", "region", "country"], [85, 10, 5])[0]
                events.append(Event(
                    event_type=rnd.choice(TYPE_NAMES), place=town if level == "city" else admin1,
                    place_id=f"bench:{i}", level=level, lat=lat + rnd.uniform(-0.3, 0.3),
                    lon=lon + rnd.uniform(-0.3, 0.3), country="KZ", date_start=day.isoformat(),
                    date_end=day.isoformat(), time_precision="day", admin1=admin1,
                    region_code=code if level == "region" else None,
                    sources=[Source(doc=name, evidence=f"Event {i}: workers gathered in {town} demanding "
                                    "lower fuel prices and the resignation of the government.")],
                ))
            store.add_document(Document(name=name, text="synthetic", sha256=f"{d:064d}",
                                        title=f"Synthetic article {d}", publisher="bench",
                                        published="2022-02-15"), events)
        store.set_meta("seeded", "synthetic benchmark store")


def seeds_store(path: Path) -> None:
    with Store(path) as store:
        store.ingest([SEEDS_DIR])
        store.set_meta("seeded", "benchmark")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(store: Path, steps: int) -> dict:
    from playwright.sync_api import sync_playwright

    proc, base = start_server(store)
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t0 = time.perf_counter()
            page.goto(base)
            frame = page.wait_for_selector(MAP_IFRAME, timeout=120_000).content_frame()
            frame.wait_for_function("window.geoEventWindow !== undefined", timeout=120_000)
            out["first_load_s"] = time.perf_counter() - t0
            out["drawn_on_load"] = frame.evaluate("window.geoEventCount")
            for mode in ("up to that day", "that day"):
                page.locator('[data-testid="stRadioOption"]', has_text=mode).first.click()
                page.wait_for_function(
                    "m => [...document.querySelectorAll('[data-testid=\"stRadioOption\"]')]"
                    ".some(o => o.dataset.selected === 'true' && o.innerText.trim() === m)", arg=mode)
                page.wait_for_function("s => document.querySelectorAll(s).length === 1 && "
                                       "!document.querySelector('[data-stale=\"true\"]')", arg=SLIDER)
                times, drawn = [], []
                key = "ArrowLeft"
                for _ in range(steps):
                    before = frame.evaluate("window.geoEventWindow")
                    slider = page.locator(SLIDER)
                    value, low, high = (slider.get_attribute(a) for a in ("value", "min", "max"))
                    if value == low:
                        key = "ArrowRight"
                    elif value == high:
                        key = "ArrowLeft"
                    slider.focus()
                    t = time.perf_counter()
                    page.keyboard.press(key)
                    frame.wait_for_function("old => window.geoEventWindow !== old", arg=before, timeout=60_000)
                    times.append((time.perf_counter() - t) * 1000)
                    drawn.append(frame.evaluate("window.geoEventCount"))
                    page.wait_for_function("s => document.querySelectorAll(s).length === 1 && "
                                           "!document.querySelector('[data-stale=\"true\"]')", arg=SLIDER)
                out[mode] = {"median_ms": statistics.median(times), "max_ms": max(times),
                             "drawn": f"{min(drawn)}-{max(drawn)}"}
            browser.close()
        out["server_rss_mb"] = rss_mb(proc.pid)
    finally:
        stop_server(proc)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--steps", type=int, default=8)
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} missing: install Debian's chromium (scripts/test.sh does)", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench_dashboard_"))
    try:
        results = {}
        seeds = tmp / "seeds" / "events.sqlite"
        seeds.parent.mkdir()
        seeds_store(seeds)
        results["seeds"] = measure(seeds, args.steps)
        synth = tmp / "synthetic" / "events.sqlite"
        synth.parent.mkdir()
        t = time.perf_counter()
        synthetic_store(synth, args.events)
        print(f"built synthetic store of {args.events} events in {time.perf_counter() - t:.1f}s")
        results[f"{args.events} events"] = measure(synth, args.steps)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for name, r in results.items():
        print(f"\n== {name}")
        print(f"first load: {r['first_load_s']:.2f} s ({r['drawn_on_load']} drawn), "
              f"server RSS {r['server_rss_mb']:.0f} MB")
        for mode in ("that day", "up to that day"):
            m = r[mode]
            print(f"slider step, {mode:>15}: median {m['median_ms']:.0f} ms, max {m['max_ms']:.0f} ms "
                  f"(drawn {m['drawn']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
