"""Benchmark the dashboard in a real browser: loads, slider steps, server CPU per viewer, many viewers.

    python bench/bench_dashboard.py [--events 10000] [--large 200000] [--steps 8] [--viewers 20]

Builds stores in a temporary folder -- the seeds (real extractor), a synthetic
one of ``--events`` events at real Kazakh places over 40 days, and a large
synthetic one of ``--large`` events -- starts ``streamlit run app.py`` on each,
and drives Debian's chromium: time from page open to drawn markers (the first
load after the server starts, which builds caches, and a second viewer's),
time from an arrow key on the slider to the map showing the new day
(``window.geoEventWindow``) in "that day" and "up to that day" modes, the
server's CPU time for one viewer (page load and three steps; a new browser, which
also fetches Streamlit's frontend files, and a returning one), and on the seeds
``--viewers`` viewers opening the dashboard at once: when the last map
appeared, errors. Aims (issue 9): step < 150 ms on the seeds, < 300 ms at
10,000 events, < 500 ms at 200,000; a second viewer's first map < 3 s (the
large store opens in < 5 s); < 0.5 s of server CPU per viewer; 20 viewers
all served without error.
"""
from __future__ import annotations

import argparse
import os
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


def server_cpu_s(pid: int) -> float:
    """User + system CPU seconds of the server process so far (from /proc, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_map(page, base: str, timeout: float = 300_000):
    """Open the dashboard; returns (seconds until the markers are drawn, the map's frame)."""
    t0 = time.perf_counter()
    page.goto(base, timeout=timeout)
    frame = page.wait_for_selector(MAP_IFRAME, timeout=timeout).content_frame()
    frame.wait_for_function("window.geoEventWindow !== undefined", timeout=timeout)
    return time.perf_counter() - t0, frame


def step(page, frame, key: str) -> float:
    """Press an arrow key on the slider; milliseconds until the map shows the new day."""
    before = frame.evaluate("window.geoEventWindow")
    page.locator(SLIDER).focus()
    t = time.perf_counter()
    page.keyboard.press(key)
    frame.wait_for_function("old => window.geoEventWindow !== old", arg=before, timeout=60_000)
    ms = (time.perf_counter() - t) * 1000
    page.wait_for_function("s => document.querySelectorAll(s).length === 1 && "
                           "!document.querySelector('[data-stale=\"true\"]')", arg=SLIDER)
    return ms


def viewer_cpu(browser, base: str, pid: int, returning: bool = False) -> float:
    """Server CPU seconds one viewer costs: the page load and three slider steps.

    A new browser (a fresh context, empty cache) also fetches Streamlit's frontend files;
    ``returning``: a browser that has opened the dashboard before (its cache holds them).
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    if returning:
        first = context.new_page()
        open_map(first, base)
        first.close()
        time.sleep(0.5)
    page = context.new_page()
    cpu0 = server_cpu_s(pid)
    _, frame = open_map(page, base)
    for key in ("ArrowLeft", "ArrowLeft", "ArrowRight"):
        step(page, frame, key)
    time.sleep(0.5)  # let the last rerun's tail finish
    cpu = server_cpu_s(pid) - cpu0
    context.close()
    return cpu


def many_viewers(browser, base: str, n: int, log: Path) -> dict:
    """n viewers opening the dashboard at once (n pages of one browser): when the last map appeared."""
    pages = [browser.new_page(viewport={"width": 1200, "height": 900}) for _ in range(n)]
    errors: list[str] = []
    for pg in pages:
        pg.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    for pg in pages:
        pg.goto(base, wait_until="commit", timeout=300_000)
    shown = 0
    for pg in pages:
        try:
            frame = pg.wait_for_selector(MAP_IFRAME, timeout=300_000).content_frame()
            frame.wait_for_function("window.geoEventWindow !== undefined", timeout=300_000)
            shown += 1
        except Exception as exc:  # a viewer never served is what this measures
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
    last = time.perf_counter() - t0
    for pg in pages:
        pg.close()
    exceptions = [ln for ln in log.read_text(errors="replace").splitlines() if "Traceback" in ln or "Error" in ln]
    return {"viewers": n, "shown": shown, "last_map_s": last, "page_errors": len(errors),
            "server_exceptions": len(exceptions)}


def measure(store: Path, steps: int, viewers: int = 0) -> dict:
    from playwright.sync_api import sync_playwright

    proc, base = start_server(store)
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            out["first_load_s"], frame = open_map(page, base)
            out["drawn_on_load"] = frame.evaluate("window.geoEventCount")
            second = browser.new_page(viewport={"width": 1400, "height": 1000})
            out["second_viewer_load_s"], _ = open_map(second, base)
            second.close()
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
                    slider = page.locator(SLIDER)
                    value, low, high = (slider.get_attribute(a) for a in ("value", "min", "max"))
                    if value == low:
                        key = "ArrowRight"
                    elif value == high:
                        key = "ArrowLeft"
                    times.append(step(page, frame, key))
                    drawn.append(frame.evaluate("window.geoEventCount"))
                out[mode] = {"median_ms": statistics.median(times), "max_ms": max(times),
                             "drawn": f"{min(drawn)}-{max(drawn)}"}
            page.close()
            out["server_cpu_per_viewer_s"] = statistics.median(viewer_cpu(browser, base, proc.pid)
                                                               for _ in range(3))
            out["server_cpu_returning_s"] = statistics.median(viewer_cpu(browser, base, proc.pid, True)
                                                              for _ in range(3))
            if viewers:
                out["many"] = many_viewers(browser, base, viewers, store.parent / f"streamlit-{base.rsplit(':', 1)[1]}.log")
            browser.close()
        out["server_rss_mb"] = rss_mb(proc.pid)
    finally:
        stop_server(proc)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--large", type=int, default=200_000, help="events of the large store (0: skip it)")
    ap.add_argument("--viewers", type=int, default=20, help="viewers at once on the seeds (0: skip)")
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
        results["seeds"] = measure(seeds, args.steps, args.viewers)
        synth = tmp / "synthetic" / "events.sqlite"
        synth.parent.mkdir()
        t = time.perf_counter()
        synthetic_store(synth, args.events)
        print(f"built synthetic store of {args.events} events in {time.perf_counter() - t:.1f}s")
        results[f"{args.events} events"] = measure(synth, args.steps)
        if args.large:
            large = tmp / "large" / "events.sqlite"
            large.parent.mkdir()
            t = time.perf_counter()
            synthetic_store(large, args.large, days=365)
            print(f"built synthetic store of {args.large} events in {time.perf_counter() - t:.1f}s")
            results[f"{args.large} events"] = measure(large, min(args.steps, 4))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for name, r in results.items():
        print(f"\n== {name}")
        print(f"first load: {r['first_load_s']:.2f} s ({r['drawn_on_load']} drawn), second viewer "
              f"{r['second_viewer_load_s']:.2f} s, server RSS {r['server_rss_mb']:.0f} MB, "
              f"server CPU per viewer (load + 3 steps) {r['server_cpu_per_viewer_s']:.2f} s "
              f"(a returning browser {r['server_cpu_returning_s']:.2f} s)")
        if "many" in r:
            m = r["many"]
            print(f"{m['viewers']} viewers at once: {m['shown']} maps shown, the last after {m['last_map_s']:.1f} s; "
                  f"{m['page_errors']} page errors, {m['server_exceptions']} server exceptions")
        for mode in ("that day", "up to that day"):
            m = r[mode]
            print(f"slider step, {mode:>15}: median {m['median_ms']:.0f} ms, max {m['max_ms']:.0f} ms "
                  f"(drawn {m['drawn']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
