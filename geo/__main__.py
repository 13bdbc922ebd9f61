"""``python -m geo``: the command-line interface (see geo/cli.py)."""
import sys

from geo.cli import main

if __name__ == "__main__":  # worker processes started by Dask import this module again
    sys.exit(main())
