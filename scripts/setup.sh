#!/usr/bin/env bash
# Make .venv at the project root and install askback into it, with the CPU build of torch.
# Safe to re-run: it reinstalls only when pyproject.toml changed since the last successful run.
# --with-browser also installs Debian's chromium for the browser test (apt-get, as root or via sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=.venv/.askback-setup
want=$(sha256sum pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # torch first, pinned, so the CPU wheel is chosen; set ASKBACK_TORCH_INDEX to a CPU wheel index elsewhere.
  .venv/bin/python -m pip install -q "torch==2.13.0" ${ASKBACK_TORCH_INDEX:+--index-url "$ASKBACK_TORCH_INDEX"}
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi
.venv/bin/askback prepare  # the fast query encoder, exported once from the bundled weights

if [ "${1:-}" = "--with-browser" ] && ! command -v chromium >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi
