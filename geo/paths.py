"""Where the project's files live. One place, so tests and the app agree."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"


def cache_dir() -> Path:
    """Directory for derived, rebuildable files (the gazetteer index).

    ``GEO_CACHE_DIR`` overrides it; the default sits in ``data/cache`` so the
    project stays self-contained and works offline.
    """
    path = Path(os.environ.get("GEO_CACHE_DIR", DATA_DIR / "cache"))
    path.mkdir(parents=True, exist_ok=True)
    return path
