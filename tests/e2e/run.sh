#!/usr/bin/env bash
# Runs the browser end-to-end tests: builds the front end if needed (E2E_REBUILD=1 forces it), then every
# tests/e2e/*.test.mjs against real Chromium. Prints "N passed, M failed"; exits non-zero on any failure.
# Arguments filter test files by name (e.g. `tests/e2e/run.sh help`). Screenshots: build/e2e-artifacts/.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo/web"
if [[ ! -d node_modules ]]; then npm ci --no-audit --no-fund; fi
npm run build >/dev/null   # always: a stale dist would test yesterday's pages
exec node "$repo/tests/e2e/run.mjs" "$@"
