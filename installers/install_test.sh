#!/usr/bin/env bash
# Install test: build the .deb, make a clean Debian 12 root with debootstrap, install the package
# there with apt resolving its Depends, and use the CLI inside it. Fails if any shared library is
# missing. Needs root (debootstrap, chroot) and Debian's mirror. Run by `tools/test.sh
# --with-install-test`, not by CI (it takes minutes).
#   bash installers/install_test.sh <build dir>
set -euo pipefail
build="$(cd "${1:?usage: install_test.sh <build dir>}" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$build/install-test-root"
mirror="${LB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

for tool in debootstrap chroot dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "install test: $tool is missing (apt-get install debootstrap dpkg-dev)"; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "install test: needs root for debootstrap/chroot"; exit 2; }

echo "== building the package"
(cd "$build" && cpack -G DEB >/dev/null)
deb="$(ls -t "$build"/labelbench_*_amd64.deb | head -1)"
echo "package: $deb"
dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ */  depends: /'

if [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "== debootstrap bookworm into $root"
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$build/debootstrap.log" 2>&1 ||
    { tail -20 "$build/debootstrap.log"; exit 1; }
fi

cleanup() { umount "$root/proc" 2>/dev/null || true; }
trap cleanup EXIT
mount -t proc proc "$root/proc" 2>/dev/null || true

echo "== installing with apt inside the clean root"
cp "$deb" "$root/tmp/labelbench.deb"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/labelbench.deb \
  >"$build/install-test-apt.log" 2>&1 || { tail -30 "$build/install-test-apt.log"; exit 1; }

echo "== every shared library resolves"
missing=$(chroot "$root" sh -c 'for f in /usr/bin/labelbench /usr/bin/labelbench-cli /usr/lib/labelbench/plugins/*.so; do [ -e "$f" ] && ldd "$f"; done' | grep "not found" || true)
if [ -n "$missing" ]; then
  echo "install test: missing shared libraries:"; echo "$missing"; exit 1
fi

echo "== using the CLI inside the root"
mkdir -p "$root/tmp/lbtest/images"
for f in fruits.jpg HappyFish.jpg baboon.jpg; do
  cp "/usr/share/doc/opencv-doc/examples/data/$f" "$root/tmp/lbtest/images/"
done
rm -f "$root/tmp/lbtest/p.lbproj"*
chroot "$root" labelbench-cli --version
chroot "$root" labelbench-cli create /tmp/lbtest/p.lbproj
chroot "$root" labelbench-cli import images /tmp/lbtest/p.lbproj /tmp/lbtest/images
chroot "$root" labelbench-cli export-json /tmp/lbtest/p.lbproj /tmp/lbtest/out.json
chroot "$root" labelbench-cli status /tmp/lbtest/p.lbproj
count=$(python3 -c "import json,sys; print(len(json.load(open('$root/tmp/lbtest/out.json'))['items']))")
[ "$count" = 3 ] || { echo "install test: expected 3 exported items, got $count"; exit 1; }
[ -f "$root/usr/share/applications/labelbench.desktop" ] || { echo "install test: no desktop entry"; exit 1; }
[ -f "$root/usr/share/mime/packages/labelbench-mime.xml" ] || { echo "install test: no MIME type"; exit 1; }
echo "install test passed"
