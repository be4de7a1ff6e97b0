#!/usr/bin/env bash
# Installs every Debian 12 package LabelBench needs to build, test and run (idempotent).
# Run as root or with sudo available. Nothing is downloaded from outside Debian's archive.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libopencv-dev libopencv-contrib-dev libsqlitecpp-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev
  libuchardet-dev libarchive-dev libtinyxml2-dev libicu-dev libssl-dev libopencc-dev
  libimgui-dev libglfw3-dev libgl-dev libfontconfig-dev libfreetype-dev libstb-dev
  googletest libgtest-dev libgmock-dev
  fonts-noto-cjk fontconfig fonts-noto-color-emoji fonts-hanazono
  xvfb xdotool x11-apps imagemagick libgl1-mesa-dri mesa-utils
  opencv-doc python3-skimage libvips-tools findimagedupes labelme python3 opencv-data tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim libtesseract-dev libjpeg-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
