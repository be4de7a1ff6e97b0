#!/usr/bin/env bash
# Sets up (apt), builds, makes the bundled sample project and opens it in the desktop program.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash tools/setup.sh
export CCACHE_BASEDIR="$here"
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
sample="$here/build/dev/sample/sample.lbproj"
if [ ! -f "$sample" ]; then
  bash tools/make_sample.sh "$here/build/dev/bin/labelbench-cli" "$here/build/dev/sample"
fi
exec "$here/build/dev/bin/labelbench" "$sample"
