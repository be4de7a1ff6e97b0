#!/usr/bin/env bash
# Builds the bundled sample project from Debian's OpenCV example images (copied at build time,
# never stored in the repo), the sample schema and two users (annotator "ann", lead "lead").
#   bash tools/make_sample.sh <labelbench-cli> <outdir>     -> <outdir>/sample.lbproj
set -euo pipefail
cli="${1:?usage: make_sample.sh <labelbench-cli> <outdir>}"
out="${2:?usage: make_sample.sh <labelbench-cli> <outdir>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data=/usr/share/doc/opencv-doc/examples/data
images=(fruits.jpg baboon.jpg butterfly.jpg building.jpg apple.jpg home.jpg)

for f in "${images[@]}"; do
  if [ ! -f "$data/$f" ]; then
    echo "make_sample.sh: $data/$f is missing; install the opencv-doc package (apt install opencv-doc)" >&2
    exit 3
  fi
done
mkdir -p "$out/images"
rm -f "$out/sample.lbproj" "$out/sample.lbproj-wal" "$out/sample.lbproj-shm"
for f in "${images[@]}"; do cp "$data/$f" "$out/images/$f"; done

"$cli" create "$out/sample.lbproj" --name "LabelBench sample" >/dev/null
"$cli" schema import "$out/sample.lbproj" "$here/assets/schemas/sample.json" >/dev/null
"$cli" user add "$out/sample.lbproj" lead --role lead >/dev/null
"$cli" user add "$out/sample.lbproj" ann --role annotator >/dev/null
# The importer sorts the folder's files by name, so item ids follow the file names.
"$cli" import images "$out/sample.lbproj" "$out/images" --batch sample --user lead >/dev/null
echo "$out/sample.lbproj"
