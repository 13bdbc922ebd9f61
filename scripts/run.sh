#!/usr/bin/env bash
# Install the runtime dependencies and open the dashboard on the bundled seeds.
# Extra arguments go to the app, e.g.: bash scripts/run.sh --store my.sqlite
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
if [ "$#" -gt 0 ]; then
  exec .venv/bin/streamlit run app.py -- "$@"
fi
exec .venv/bin/streamlit run app.py
