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

# The helpers below expect: $gui_name (for messages), $art, $app_pid once the program runs, and
# $gui_state (the JSON state file the program writes in --test-mode: LB_TEST_STATE for the image
# canvas, LB_TEXT_TEST_STATE for the text panel).
fail() {
  echo "$gui_name FAILED: $*" >&2
  import -window root "$art/failure.png" 2>/dev/null || true
  echo "--- program log:" >&2
  tail -20 "$art/labelbench.log" >&2 || true
  exit 1
}

# Waits until the state file says `cond` (a python expression over s) holds.
wait_state() {
  local cond="$1" what="$2"
  for _ in $(seq 150); do
    if [ -f "$gui_state" ] && python3 - "$gui_state" "$cond" <<'PY' 2>/dev/null; then return 0; fi
import json, sys
s = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    kill -0 "$app_pid" 2>/dev/null || fail "the program exited while waiting for: $what"
    sleep 0.2
  done
  fail "timed out waiting for: $what"
}

# Screen position of image pixel (x, y), from the canvas transform the program reports.
at() {
  python3 - "$gui_state" "$1" "$2" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x, y = float(sys.argv[2]), float(sys.argv[3])
print(round(s["origin_x"] + x * s["zoom"]), round(s["origin_y"] + y * s["zoom"]))
PY
}

# Saves a screenshot of the whole screen as $art/<name>.png and fails if it is blank.
shot() {
  sleep 0.6  # let a couple of frames render
  import -window root "$art/$1.png"
  local sd
  sd="$(identify -format '%[fx:standard_deviation]' "$art/$1.png")"
  python3 -c "import sys; sys.exit(0 if float('$sd') > 0.02 else 1)" || fail "screenshot $1 looks blank (stddev $sd)"
  echo "screenshot $1.png (stddev $sd)"
}

# Waits for the LabelBench window and gives it the keyboard focus.
wait_window() {
  local win=""
  for _ in $(seq 100); do
    win="$(xdotool search --onlyvisible --name '^LabelBench$' 2>/dev/null | head -1 || true)"
    [ -n "$win" ] && break
    sleep 0.2
  done
  [ -n "$win" ] || fail "no LabelBench window appeared"
  xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus --sync "$win" 2>/dev/null || true
}

# Drags with the left button from ($1,$2) to ($3,$4) in a few real pointer moves.
drag() {
  local x0="$1" y0="$2" x1="$3" y1="$4"
  xdotool mousemove "$x0" "$y0" && sleep 0.1
  xdotool mousedown 1 && sleep 0.1
  for f in 0.25 0.5 0.75 1.0; do
    xdotool mousemove "$(python3 -c "print(round($x0 + ($x1 - $x0) * $f))")" "$(python3 -c "print(round($y0 + ($y1 - $y0) * $f))")"
    sleep 0.08
  done
  xdotool mouseup 1
}

# Starts the program under test on project $1 as user $2 (language $3, default en) in test mode,
# its output in $art/labelbench$4.log, and sets $app_pid.
launch_app() {
  "$build/bin/labelbench" "$1" --user "$2" --lang "${3:-en}" --test-mode >"$art/labelbench${4:-}.log" 2>&1 &
  app_pid=$!
}

# The canvas tests' start: the sample project (tools/make_sample.sh) in $art/work as $db, the
# canvas state file as $gui_state, and the program opened on it as the annotator.
start_on_sample_project() {
  export LB_TEST_STATE="$art/work/state.json"
  gui_state="$LB_TEST_STATE"
  db="$(bash "$here/tools/make_sample.sh" "$build/bin/labelbench-cli" "$art/work")"
  launch_app "$db" ann
}

# Quits with Ctrl+Q and fails if the program does not exit.
quit_app() {
  xdotool key ctrl+q
  for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$app_pid" 2>/dev/null && { import -window root "$art/quit_failed.png"; fail "the program did not quit on Ctrl+Q"; }
  app_pid=""
}

# Reads the script's arguments (<build dir> <artefact dir>) into $build and $art, sets $here (the
# source tree) and empties the artefact folder. With a sub-folder name, artefacts go to $art/<sub>.
#   gui_test_dirs <script name> <sub-folder or ""> "$@"
gui_test_dirs() {
  local script="$1" sub="$2"
  shift 2
  build="$(cd "${1:?usage: $script <build dir> <artifact dir>}" && pwd)"
  art="${2:?usage: $script <build dir> <artifact dir>}"
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  mkdir -p "$art"
  if [ -n "$sub" ]; then
    art="$(cd "$art" && pwd)/$sub"
    rm -rf "$art"
  else
    art="$(cd "$art" && pwd)"
    rm -rf "$art/work" "$art/config" "$art"/*.png
  fi
  mkdir -p "$art/work" "$art/config"
}

# Panels publish their widgets' rectangles in their own state file, $panel, as s["widgets"].
# Waits until the panel state satisfies a python expression over s.
wait_panel() {
  local saved="$gui_state"
  gui_state="$panel"
  wait_state "$1" "$2"
  gui_state="$saved"
}

# Clicks the middle of a panel widget (by its key in s["widgets"]), or at a fraction $2 of its width.
click_widget() {
  local key="$1" fx="${2:-0.5}" x y
  wait_panel "'$key' in s['widgets']" "the panel's widget $key"
  read -r x y < <(python3 - "$panel" "$key" "$fx" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x, y, w, h = s["widgets"][sys.argv[2]]
print(round(x + w * float(sys.argv[3])), round(y + h / 2))
PY
)
  xdotool mousemove "$x" "$y" && sleep 0.15 && xdotool click 1 && sleep 0.3
}

# Clicks a widget until the panel state satisfies a condition: a click can be lost under load
# (e.g. on the frame where another window takes the focus), and typing into a field that did not
# get the focus would send the keys to the canvas as shortcuts.
click_until() {
  local key="$1" cond="$2" what="$3" try
  for try in 1 2 3 4; do
    click_widget "$key"
    for _ in $(seq 10); do
      python3 - "$panel" "$cond" <<'PY' 2>/dev/null && return 0
import json, sys
s = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
      sleep 0.2
    done
  done
  fail "clicking $key did not lead to: $what"
}
