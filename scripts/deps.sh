#!/usr/bin/env bash
# Installs every Debian package openecpa needs, then the front end's npm packages.
# Idempotent: a second run with everything present does no network work.
# Runs as root (CI, fresh machines) or through sudo when it is available.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # toolchain (compilers are on the machine; these complete it)
  build-essential cmake ninja-build pkg-config clang clang-format clang-tidy
  libclang-rt-14-dev libfuzzer-14-dev
  # libraries
  libboost-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev libpq-dev libsodium-dev
  nlohmann-json3-dev libtomlplusplus-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libp11-kit-dev
  # real components the tests and the demo run
  softhsm2 opensc openssl sqlite3 postgresql chromium nginx wrk curl jq
  # Chinese glyphs, so screenshots of the zh-TW pages show text rather than boxes
  fonts-noto-cjk
  # node for the front end
  nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package.
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "deps: missing packages (${missing[*]}) and not root; run as root" >&2; exit 1
  fi
fi

# node/npm may come from elsewhere (the machine image ships Node 20 outside Debian's packages): skip
# Debian's if the commands already work.
if [ ${#missing[@]} -gt 0 ] && command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # An install without a package list finds nothing on a fresh machine: refresh once, then install.
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "deps: Debian packages present"
fi

# The PostgreSQL package starts a cluster on some machines; tests run their own server in a temp dir.
if [ -d web ] && [ -f web/package-lock.json ]; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    echo "deps: npm ci in web/"
    (cd web && npm ci --no-audit --no-fund)
  else
    echo "deps: web/node_modules up to date"
  fi
fi
