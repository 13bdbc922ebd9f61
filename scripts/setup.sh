#!/usr/bin/env bash
# Create .venv (if missing) and install the given requirements file into it.
# Used by run.sh and test.sh so that both start from the same environment.
set -euo pipefail
cd "$(dirname "$0")/.."
req="${1:-requirements.txt}"
py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
