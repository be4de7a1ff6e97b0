#!/bin/sh
# Launcher for the portable archive: runs LabelBench from wherever the archive was unpacked,
# with the bundled libraries. Usage: ./labelbench [project.lbproj]   or   ./labelbench cli --help
here="$(cd "$(dirname "$0")" && pwd)"
export LD_LIBRARY_PATH="$here/lib/labelbench/bundled${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LABELBENCH_ASSETS="$here/share/labelbench"
if [ "$1" = "cli" ]; then
  shift
  exec "$here/bin/labelbench-cli" "$@"
fi
exec "$here/bin/labelbench" "$@"
