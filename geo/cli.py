"""``python -m geo``: one sub-command per job, each a thin wrapper over the Python API.

Like sqlite-utils, the command line mirrors the library: every command calls
one public function and prints its result; errors are one line on stderr and a
non-zero exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys

from geo.taxonomy import TYPE_NAMES


def cmd_place(args: argparse.Namespace) -> int:
    """Resolve place names as they would be read in an article about ``--country``."""
    from geo.gazetteer import Gazetteer, mention_record

    gaz = Gazetteer.load()
    countries = [c.upper() for c in args.country] if args.country else None
    for name in args.names:
        rec = mention_record(name, gaz.resolve_name(name, countries=countries))
        if args.json:
            print(json.dumps(rec, ensure_ascii=False))
        elif rec["place"] is None:
            print(f"{name}: unresolved ({rec['reason']})")
        else:
            where = ", ".join(x for x in (rec["admin1"], rec["country"]) if x)
            print(f"{name}: {rec['place']} [{rec['level']}] {where} "
                  f"({rec['lat']:.4f}, {rec['lon']:.4f}) confidence {rec['confidence']:.2f}")
    return 0


def _iso_date_arg(text: str) -> str:
    """argparse type: an ISO date (YYYY-MM-DD), else a one-line usage error."""
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _print_problems(problems: list) -> None:
    for prob in problems:
        print(f"problem: {prob.path}: {prob.reason}", file=sys.stderr)


def _progress_bar(quiet: bool, unit: str = "article"):
    """A tqdm bar on stderr (off when quiet or stderr is not a terminal) and a callback driving it."""
    from tqdm import tqdm

    bar = tqdm(total=0, unit=unit, file=sys.stderr, disable=quiet or not sys.stderr.isatty(),
               dynamic_ncols=True, leave=False)

    def progress(done: int, total: int, name: str) -> None:
        if bar.total != total:
            bar.total = total
        bar.set_postfix_str(name[:40], refresh=False)
        bar.update(done - bar.n)

    return bar, progress


def _run_on_store(args: argparse.Namespace, action) -> tuple[object, dict, str] | None:
    """Open ``--store`` (or the default), run ``action(store, progress)`` with a progress bar,
    and return (its result, the store's counts, the path); None after a one-line error."""
    import sqlite3

    from geo.store import Store, default_store_path

    path = args.store or default_store_path()
    bar, progress = _progress_bar(args.quiet)
    try:
        with Store(path) as store:
            result = action(store, progress)
            counts = store.counts()
    except sqlite3.Error as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return None
    finally:
        bar.close()
    return result, counts, str(path)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Add articles to the store: new ones are extracted (on Dask workers for large inputs), already
    stored ones skipped; a progress bar on a terminal, a one-line summary at the end."""
    import sqlite3

    from tqdm import tqdm

    from geo import scaleout
    from geo.store import Store, default_store_path

    path = args.store or default_store_path()
    bar = tqdm(total=None, unit=" articles", file=sys.stderr, dynamic_ncols=True, leave=False,
               disable=args.quiet or not sys.stderr.isatty())

    def progress(st: scaleout.Stats) -> None:
        if st.total is not None and bar.total != st.total:
            bar.total = st.total
        bar.set_postfix_str(f"{st.words_per_second:,.0f} words/s, {st.events:,} events", refresh=False)
        bar.update(st.articles - bar.n)

    try:
        with Store(path) as store:
            report = scaleout.ingest(args.paths, store, workers=args.workers, scheduler=args.scheduler,
                                     batch=args.batch, progress=progress)
            counts = store.counts()
    except sqlite3.Error as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 1
    finally:
        bar.close()
    rate = report.words / report.seconds if report.seconds else 0.0
    print(f"added {len(report.added)} article(s) with {report.events} event(s) "
          f"({report.words:,} words in {report.seconds:.1f} s, {rate:,.0f} words/s, {report.engine})")
    if report.skipped:
        shown = ", ".join(report.skipped[:20]) + (f" and {len(report.skipped) - 20} more" if len(report.skipped) > 20 else "")
        print(f"skipped {len(report.skipped)} already stored: {shown}")
    if report.problems:
        print(f"{len(report.problems)} problem(s):")
        for prob in report.problems:
            print(f"  {prob.path}: {prob.reason}")
    print(f"store {path}: {counts['documents']} article(s), {counts['events']} event(s)")
    return 1 if report.problems else 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def cmd_reextract(args: argparse.Namespace) -> int:
    """Run the current extractor again on every article of a store (after an upgrade)."""
    from geo.pipeline import EXTRACTOR_VERSION

    def action(store, progress) -> int:
        rows = store.reextract(progress=progress)
        store.set_meta("extractor_version", EXTRACTOR_VERSION)
        return rows

    done = _run_on_store(args, action)
    if done is None:
        return 1
    rows, counts, path = done
    print(f"re-extracted {counts['documents']} article(s): {rows} event row(s); store {path}")
    return 0


def _extract_isolating_failures(docs: list, problems: list) -> list:
    """Events of all documents; if the batch call fails, retry one by one to name the bad article."""
    from geo.documents import Problem
    from geo.merge import merge_events
    from geo.pipeline import extract_document, extract_documents

    try:
        return extract_documents(docs)
    except Exception:
        events = []
        for doc in docs:
            try:
                events.extend(extract_document(doc))
            except Exception as exc:
                problems.append(Problem(doc.path or doc.name, f"extraction failed: {type(exc).__name__}: {exc}"))
        return merge_events(events)


def cmd_extract(args: argparse.Namespace) -> int:
    """Articles to a GeoJSON or CSV file directly, without the store."""
    from geo import export
    from geo.documents import read_paths

    fmt = args.format or ("geojson" if args.output == "-" else export.format_for(args.output))
    docs, problems = read_paths(args.paths)
    problems = list(problems)
    events = _extract_isolating_failures(docs, problems) if docs else []
    if args.output == "-":
        sys.stdout.write(export.render(events, fmt))
    else:
        export.write(events, args.output, fmt=fmt)
        print(f"wrote {len(events)} event(s) from {len(docs)} article(s) to {args.output}", file=sys.stderr)
    _print_problems(problems)
    return 1 if problems else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Events of the store (filtered) as GeoJSON on stdout, or to a file by its suffix."""
    import sqlite3
    from pathlib import Path

    from geo import export
    from geo.store import Store, open_default_store

    if args.date_from and args.date_to and args.date_from > args.date_to:
        print(f"error: --from {args.date_from} is after --to {args.date_to}", file=sys.stderr)
        return 2
    if args.format in export.GIS_FORMATS and args.output in (None, "-"):
        print(f"error: --format {args.format} writes a file: give -o FILE", file=sys.stderr)
        return 2
    fmt = args.format or (None if args.output in (None, "-") or args.reviewed else export.format_for(args.output))
    try:
        if args.store:
            if not Path(args.store).is_file():
                print(f"error: {args.store}: no such store file", file=sys.stderr)
                return 1
            store = Store(args.store)
        else:
            bar, progress = _progress_bar(args.quiet)
            try:
                store = open_default_store(progress=progress)
            finally:
                bar.close()
        with store:
            query = dict(date_from=args.date_from, date_to=args.date_to, types=args.types,
                         historical=None if args.historical else False, include_rejected=args.include_rejected)
            if args.reviewed:
                return _export_reviewed(store.events(**query), args.output)
            # read a few days of events at a time and write them as they come: any store size fits
            counted = _Counted(store.iter_events(**query))
            if args.output in (None, "-"):
                for piece in export.iter_text(counted, fmt or "geojson"):
                    sys.stdout.write(piece)
            else:
                export.write(counted, args.output, fmt=fmt)
                print(f"wrote {counted.n} event(s) to {args.output}", file=sys.stderr)
    except sqlite3.Error as exc:
        print(f"error: {args.store}: {exc}", file=sys.stderr)
        return 1
    return 0


class _Counted:
    """An iterable that counts what went through it (for the one-line summary of a streamed export)."""

    def __init__(self, items) -> None:
        self._items = items
        self.n = 0

    def __iter__(self):
        for item in self._items:
            self.n += 1
            yield item


def _field_values(pairs: list[str] | None) -> dict[str, str]:
    """``--set FIELD=VALUE`` arguments as a dict; a pair without '=' is a one-line error."""
    out = {}
    for pair in pairs or ():
        field, sep, value = pair.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise ValueError(f"--set {pair!r}: write FIELD=VALUE, e.g. place=Aktobe or date_start=2022-01-05")
        out[field.strip()] = value.strip()
    return out


def _describe_event(ev) -> str:
    days = ev.date_start if ev.date_start == ev.date_end else f"{ev.date_start}..{ev.date_end}"
    where = f"{ev.site}, {ev.place}" if ev.site else ev.place
    return f"{ev.event_id} {ev.review}: {ev.event_type} at {where} ({ev.level}, {ev.country}) on {days}"


def cmd_review(args: argparse.Namespace) -> int:
    """Confirm, reject or correct events of a store, add a missed one, or show the review log."""
    from pathlib import Path

    from geo import review as rv
    from geo.store import Store

    path = args.store
    if not Path(path).is_file():
        print(f"error: {path}: no such store file", file=sys.stderr)
        return 1
    values = _field_values(args.set)
    actions = [a for a in ("confirm", "reject", "add", "history") if getattr(args, a)]
    if values and not args.add:
        actions.append("correct")
    if len(actions) != 1:
        print("error: give one of --confirm, --reject, --set FIELD=VALUE, --add or --history", file=sys.stderr)
        return 2
    action = actions[0]
    with Store(path) as store:
        if action == "history":
            for r in store.reviews() if not args.ids else [r for i in args.ids for r in store.reviews(i)]:
                print(f"{r.id} {r.event_id} {r.describe()}")
            return 0
        if action == "add":
            missing = [f for f in ("event_type", "place", "date_start") if f not in values]
            if missing or not args.doc or not args.evidence:
                print("error: --add needs --doc NAME, --evidence SENTENCE and --set event_type=T "
                      "--set place=NAME --set date_start=DATE [--set date_end=DATE]", file=sys.stderr)
                return 2
            unknown = sorted(set(values) - set(rv.FIELDS))
            if unknown:
                raise ValueError(f"cannot set {', '.join(unknown)}: fields are {', '.join(rv.FIELDS)}")
            # a place name is read in the country given, else in the country of the article's events
            countries = [args.country] if args.country else sorted(
                {ev.country for ev in store.events(include_rejected=True)
                 if any(s.doc == args.doc for s in ev.sources) and ev.country})
            found = rv.resolve_place(values["place"], countries)
            ev = store.add_event(args.doc, args.evidence, values["event_type"], found.place, values["date_start"],
                                 values.get("date_end"), reviewer=args.reviewer or "", note=args.note or "",
                                 place_mention=values["place"])
            print(_describe_event(ev))
            return 0
        if not args.ids:
            print("error: give the id of at least one event (see `python -m geo export` or the dashboard)",
                  file=sys.stderr)
            return 2
        changes = current = None
        if action == "correct":
            current = {ev.event_id: ev for ev in store.events(include_rejected=True)}
            missing = [i for i in args.ids if i not in current]
            if missing:
                raise ValueError(f"no event {', '.join(missing)} in {path}")
            # one correction for all the ids; a typed place is read in the first event's country
            found = None
            if "place" in values:
                found = rv.resolve_place(values["place"], [current[args.ids[0]].country])
                others = ", ".join(f"{c.place.name} ({c.place.level}, {c.place.country})"
                                   for c in found.candidates if c.place.id != found.place.id)
                print(f"place {values['place']!r} -> {found.place.name} ({found.place.level}, "
                      f"{found.place.country}, {found.place.id})" + (f"; other candidates: {others}" if others else ""),
                      file=sys.stderr)
            changes = rv.changes_from_fields(values, current[args.ids[0]], place=found)
        store.review(args.ids, action, changes, reviewer=args.reviewer or "", note=args.note or "", current=current)
        reviewed = {ev.event_id: ev for ev in store.events(include_rejected=True)}
        for event_id in args.ids:
            print(_describe_event(reviewed[event_id]))
    return 0


def _export_reviewed(events: list, output: str | None) -> int:
    """Reviewed events as annotation lines (SCHEME.md) for ``evaluate --gold``; warns about the
    articles whose events are not all reviewed, since scoring on them would count the unreviewed
    events as false."""
    from geo import export
    from geo.review import annotation_jsonl, annotation_records

    if output not in (None, "-") and not output.endswith(".jsonl"):
        print(f"error: --reviewed writes annotation lines: give a .jsonl file, not {output}", file=sys.stderr)
        return 2
    text = annotation_jsonl(events)
    partly = sorted({s.doc for ev in events if ev.review == "unreviewed" for s in ev.sources}
                    & {r["doc"] for r in annotation_records(events)})
    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        export.write_text(text, output)
        print(f"wrote {text.count(chr(10))} annotation line(s) to {output}", file=sys.stderr)
    if partly:
        print(f"note: {len(partly)} article(s) still have unreviewed events (review them all before scoring "
              f"on them): {', '.join(partly)}", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score a predictions GeoJSON against annotated JSONL files (SCHEME.md rules), with a
    place-only score and a breakdown of the errors showing up to ``--examples`` cases each."""
    from geo.evaluate import evaluate, format_report, load_gold, load_predictions

    if args.examples < 0:
        print(f"error: --examples must be 0 or more, not {args.examples}", file=sys.stderr)
        return 2
    gold_paths = list(args.gold)
    predictions = args.predictions
    if predictions is None:
        # "--gold A B PRED": argparse gives every name to --gold; the last one is the predictions.
        if len(gold_paths) < 2:
            print("error: give the predictions file after the gold files", file=sys.stderr)
            return 2
        predictions = gold_paths.pop()
    report = evaluate(load_gold(gold_paths), load_predictions(predictions),
                      mode="strict" if args.strict else "lenient")
    if args.json:
        print(json.dumps(report.to_dict(examples=args.examples), ensure_ascii=False, indent=1))
    else:
        print(format_report(report, examples=args.examples))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Protest and strike events from news articles: places, events, store, export.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("place", help="resolve place names with the gazetteer")
    p.add_argument("names", nargs="+", metavar="NAME", help="place names, e.g. Aktyubinsk 'Mangistau region'")
    p.add_argument("--country", action="append", metavar="CC",
                   help="ISO-2 code of the country the text is about (repeatable)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_place)


    p = sub.add_parser("ingest", help="add articles (files, folders, JSON Lines, WARC) to the event store")
    p.add_argument("paths", nargs="+", metavar="INPUT",
                   help=".txt/.md/.html files, folders of them, .jsonl[.gz] (one article a line) or "
                        ".warc[.gz] crawls")
    p.add_argument("--store", metavar="FILE", help="store file (default: data/events.sqlite or $GEO_STORE)")
    p.add_argument("--workers", type=_positive_int, metavar="N",
                   help="Dask worker processes on this machine (default: every core; 1 runs in this "
                        f"process, as does an input of fewer than 64 new articles)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="use an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (README: Scaling out)")
    p.add_argument("--batch", type=_positive_int, default=64, metavar="N",
                   help="articles written per transaction (default 64)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("reextract", help="run the current extractor again on every article of a store")
    p.add_argument("--store", metavar="FILE", help="store file (default: data/events.sqlite or $GEO_STORE)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_reextract)

    p = sub.add_parser("extract", help="extract events from articles straight to a file (no store)")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.md/.html files or folders of them")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="output .geojson/.json/.csv ('-' for stdout)")
    p.add_argument("--format", choices=("geojson", "csv"), help="output format (default: from the suffix)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("export", help="export the store's events as GeoJSON or CSV")
    p.add_argument("--store", metavar="FILE", help="store file (default: data/events.sqlite, built from seeds/)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output .geojson/.json/.csv/.parquet/.gpkg (default: GeoJSON on stdout)")
    p.add_argument("--format", choices=("geojson", "csv", "geoparquet", "gpkg"),
                   help="output format (default: from the suffix); geoparquet and gpkg are for GIS and "
                        "databases (QGIS, DuckDB)")
    p.add_argument("--from", dest="date_from", type=_iso_date_arg, metavar="DATE",
                   help="keep events whose span reaches this day or later (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", type=_iso_date_arg, metavar="DATE",
                   help="keep events whose span starts on this day or earlier (YYYY-MM-DD)")
    p.add_argument("--type", dest="types", action="extend", nargs="+", choices=TYPE_NAMES, metavar="T",
                   help=f"event types to keep ({', '.join(TYPE_NAMES)})")
    p.add_argument("--include-historical", dest="historical", action="store_true", default=True,
                   help="keep events outside the articles' main episode (default)")
    p.add_argument("--no-historical", dest="historical", action="store_false",
                   help="drop historical events")
    p.add_argument("--include-rejected", action="store_true",
                   help="keep events a reviewer rejected (their review property says so)")
    p.add_argument("--reviewed", action="store_true",
                   help="write the reviewed events (confirmed, corrected, added) as annotation lines "
                        "(.jsonl, SCHEME.md) that `evaluate --gold` reads")
    p.add_argument("--quiet", action="store_true", help="no progress bar while building the default store")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("review", help="confirm, reject or correct events of a store, or add a missed one",
                       description="Reviews are kept apart from the extractor's events and survive reextract. "
                                   "Examples: review ID --reject --note 'not a protest'; "
                                   "review ID --set place=Aktobe --set date_start=2022-01-05; "
                                   "review --add --doc a.txt --evidence 'Workers struck in Aktau on Monday.' "
                                   "--set event_type=strike --set place=Aktau --set date_start=2022-01-03")
    p.add_argument("ids", nargs="*", metavar="ID", help="event ids (the event_id of the export or the dashboard)")
    p.add_argument("--store", required=True, metavar="FILE", help="store file")
    p.add_argument("--confirm", action="store_true", help="the events are right as they are")
    p.add_argument("--reject", action="store_true", help="the events are wrong (hidden; kept in the log)")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help="correct a field: event_type, place (a name or a place id), date_start, date_end "
                        "(repeatable)")
    p.add_argument("--add", action="store_true", help="add an event the extractor missed (with --doc, "
                   "--evidence and --set)")
    p.add_argument("--doc", metavar="NAME", help="--add: the article's file name in the store")
    p.add_argument("--evidence", metavar="SENTENCE", help="--add: the sentence of the article that asserts it")
    p.add_argument("--country", metavar="CC", help="--add: read the place name in this country first")
    p.add_argument("--history", action="store_true", help="print the review log (of the given ids, or all)")
    p.add_argument("--note", metavar="TEXT", help="a note kept with the review")
    p.add_argument("--reviewer", metavar="NAME", help="who reviews (kept with the review)")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("evaluate", help="score predictions (GeoJSON) against annotated events (JSONL)")
    p.add_argument("--gold", nargs="+", required=True, metavar="FILE_OR_DIR",
                   help="annotation .jsonl files or folders of them")
    p.add_argument("predictions", nargs="?", metavar="PREDICTIONS.geojson", help="exported events")
    p.add_argument("--strict", action="store_true", help="dates must match exactly")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.add_argument("--examples", type=int, default=3, metavar="N",
                   help="error examples shown per category, in text and JSON (default 3; 0 hides them)")
    p.set_defaults(func=cmd_evaluate)

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
