"""``python -m geo``: one sub-command per job, each a thin wrapper over the Python API.

Like sqlite-utils, the command line mirrors the library: every command calls
one public function and prints its result; errors are one line on stderr and a
non-zero exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys


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
