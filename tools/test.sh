#!/usr/bin/env bash
# Sets up (apt), builds and runs every test, the GUI ones under a private Xvfb display.
#   bash tools/test.sh                       # what CI runs
#   bash tools/test.sh --with-install-test   # also builds the .deb and installs it in a debootstrap root
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

with_install_test=0
for arg in "$@"; do
  case "$arg" in
    --with-install-test) with_install_test=1 ;;
    *) echo "unknown option $arg (known: --with-install-test)" >&2; exit 2 ;;
  esac
done

bash tools/setup.sh
export CCACHE_BASEDIR="$here"
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"

# GUI tests need a display: start our own Xvfb unless one is given.
xvfb_pid=""
if [ -z "${DISPLAY:-}" ] || [ "${CI:-}" = "true" ]; then
  export DISPLAY=:87
  Xvfb "$DISPLAY" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap '[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true' EXIT
  sleep 1
fi
export LIBGL_ALWAYS_SOFTWARE=1

ctest --preset ci -j 2

if [ "$with_install_test" = 1 ]; then
  bash installers/install_test.sh build/ci
fi
echo "all tests passed"
