#!/usr/bin/env bash
# Import Inspect AI logs into MLflow with the CLI:
#   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 examples/inspect-import.sh [logs folder or files...]
# Without MLFLOW_TRACKING_URI the CLI starts a local MLflow server over ./.mlflow for the import.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$#" -eq 0 ]; then set -- "$here/../tests/fixtures/inspect"; fi
exec deno run -A "$here/../cli.ts" import "$@" --experiment "${EXPERIMENT:-inspect-import-example}"
