# Sourced by the GUI test scripts: checks the tools, and gives them a display. Uses $DISPLAY when
# set; otherwise starts a private Xvfb on the first free display from $1 (e.g. 91) and stops it,
# and the program under test ($app_pid), when the script exits. Expects $art (artefact folder).
gui_test_setup() {
  local first_display="$1" name="$2"
  for tool in xdotool import identify python3; do
    command -v "$tool" >/dev/null || { echo "$name: $tool is missing (apt install xdotool imagemagick python3)" >&2; exit 2; }
  done
  xvfb_pid=""
  app_pid=""
  trap gui_test_cleanup EXIT
  if [ -z "${DISPLAY:-}" ]; then
    for n in $(seq "$first_display" $((first_display + 49))); do
      if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then
        export DISPLAY=":$n"
        break
      fi
    done
    Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >"$art/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  export LIBGL_ALWAYS_SOFTWARE=1
  export XDG_CONFIG_HOME="$art/config"
}

gui_test_cleanup() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true
}
