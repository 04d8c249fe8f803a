#!/usr/bin/env bash
# `make demo`: starts whatever parts of openecpa are built, on loopback, and says plainly what is not
# there yet. Ctrl-C stops everything it started.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."

have() { [ -x "$build/$1" ]; }
parts=(
  "apps/sim/ecpa-sim|ecpa-sim (test CA, cards, OCSP, CRL, ICSC)"
  "apps/agent/ecpa-agent|ecpa-agent (local card component on :61161)"
  "apps/portal/ecpa-portal|ecpa-portal (the web portal)"
)
missing=0
echo "openecpa demo"
for entry in "${parts[@]}"; do
  bin=${entry%%|*}; what=${entry#*|}
  if have "$bin"; then echo "  [built]   $what"; else echo "  [not yet] $what"; missing=1; fi
done
if [ "$missing" -eq 1 ]; then
  cat <<'TXT'

Not every part of the system exists yet, so there is nothing to log in to. What works today:
  - the libraries under libs/ (errors and messages, configuration, logging, Taiwan IDs and ROC dates),
    exercised by `make test`.
See README.md (Status) for what comes next.
TXT
  exit 0
fi
