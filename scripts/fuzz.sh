#!/usr/bin/env bash
# Runs every libFuzzer target built by the `fuzz` preset for a short time each, on a copy of its seed
# corpus (new inputs land in build/, not in the tree). FUZZ_SECONDS sets the time per target.
set -euo pipefail
build=${1:-build/fuzz}
seconds=${FUZZ_SECONDS:-20}
cd "$(dirname "$0")/.."
status=0
for corpus in fuzz/corpus/*/; do
  name=$(basename "$corpus")
  bin="$build/fuzz/$name"
  [ -x "$bin" ] || { echo "fuzz: $bin not built"; status=1; continue; }
  work="$build/fuzz-work/$name"
  mkdir -p "$work"
  echo "fuzz: $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -artifact_prefix="$work/" "$work" "$corpus" \
      > "$work/log.txt" 2>&1; then
    tail -30 "$work/log.txt"; echo "fuzz: $name FAILED (artifacts in $work)"; status=1
  else
    grep -E '^#[0-9]+.*DONE' "$work/log.txt" | tail -1 || true
  fi
done
exit $status
