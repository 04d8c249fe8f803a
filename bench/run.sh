#!/usr/bin/env bash
# Usage: bash bench/run.sh BUILD_DIR   (make bench calls it with build/release)
# Builds and runs the benchmarks; each prints a ratio against a floor measured in the same run.
set -euo pipefail
build="${1:?usage: bench/run.sh BUILD_DIR}"
seconds="${BENCH_SECONDS:-2}"
cmake --build "$build" -j2 --target login_validation_bench password_login_bench
"$build/bench/login_validation_bench" "$seconds"
"$build/bench/password_login_bench" "$seconds"
echo
echo "context: openssl speed -seconds 1 rsa2048 (RSA-2048 verify/s on this core)"
openssl speed -seconds 1 rsa2048 2>/dev/null | awk '/^rsa 2048/ {print "  sign/s " $6 "  verify/s " $7}'
