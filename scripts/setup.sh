#!/usr/bin/env bash
# Sets up a fresh Debian machine for this project: system packages (only when missing), npm packages,
# and the optional native training accelerator. Safe to run again.
#   bash scripts/setup.sh          app + training
#   bash scripts/setup.sh --test   the same, plus Debian's Chromium for the Playwright tests
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
[[ "${1:-}" == "--test" ]] && want_browser=true

apt_packages=()
# oneDNN for the optional native training kernels (training/native); the app does not need it.
[[ -f /usr/include/oneapi/dnnl/dnnl.hpp ]] || apt_packages+=(libdnnl-dev)
# Playwright cannot download its own browser here: use Debian's Chromium.
if $want_browser && ! command -v chromium >/dev/null 2>&1; then apt_packages+=(chromium); fi

if ((${#apt_packages[@]})); then
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    echo "setup: installing Debian packages: ${apt_packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages (needs root): ${apt_packages[*]}" >&2
  fi
fi

npm ci --no-audit --no-fund

# Optional: builds only where oneDNN and a compiler exist; the training backend ladder says why it skipped otherwise.
if npm run -s build:native -w training --if-present; then :; else echo "setup: native training kernels not built (optional)"; fi
