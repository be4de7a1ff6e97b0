#!/usr/bin/env bash
# GUI test: drives the real labelbench window under X with real input (xdotool), then checks the
# project database holds exactly what a person did. Screenshots of every step go to the artefact
# folder and are checked not to be blank.
#   bash tests/gui/run_gui_tests.sh <build dir> <artifact dir>
# Uses $DISPLAY when set; otherwise starts its own Xvfb on a free display.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs run_gui_tests.sh "" "$@"

gui_name="gui test"
gui_test_setup 91 "$gui_name"
start_on_sample_project

wait_window
wait_state 's["item"] == 1 and s["image_w"] > 0 and s["zoom"] > 0' "the first image on the canvas"
sleep 1
shot 00_opened

# 1. A box: tool B, press, drag, release (real pointer events).
read -r x0 y0 < <(at 100 80)
read -r x1 y1 < <(at 300 220)
xdotool mousemove "$x0" "$y0" && sleep 0.2 && xdotool key b && sleep 0.2
drag "$x0" "$y0" "$x1" "$y1"
wait_state 's["annotations"] == 1' "the box to be stored"
shot 01_box

# 2. A polygon: tool P, four clicks, Enter.
xdotool key p && sleep 0.2
for pt in "350 100" "450 120" "430 240" "340 200"; do
  read -r px py < <(at $pt)
  xdotool mousemove "$px" "$py" && sleep 0.1 && xdotool click 1 && sleep 0.2
done
xdotool key Return
wait_state 's["annotations"] == 2' "the polygon to be stored"
shot 02_polygon

# 3. Change the (selected) polygon's class with the class hotkey "2" (animal).
xdotool key 2
sleep 0.8
shot 03_class_hotkey

# 4. Undo once: the class change is undone.
xdotool key ctrl+z
sleep 0.8
shot 04_undo

# 5. Next image.
xdotool key d
wait_state 's["item"] == 2' "the second image"
sleep 0.5
shot 05_next_image

quit_app

python3 - "$db" <<'PY' || fail "the project database does not hold what was done (see above)"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = lambda sql, *a: db.execute(sql, a).fetchall()
cls = dict(q("SELECT name, id FROM classes"))
rows = q("SELECT item_id, kind, class_id, coords_json FROM annotations WHERE deleted = 0 ORDER BY id")
problems = []
def check(ok, what):
    if not ok: problems.append(what)
check(len(rows) == 2, f"expected 2 live annotations, found {len(rows)}: {rows}")
if len(rows) == 2:
    (i1, k1, c1, xy1), (i2, k2, c2, xy2) = rows
    box, poly = json.loads(xy1), json.loads(xy2)
    check((i1, k1, c1) == (1, "box", cls["fruit"]), f"first annotation should be a fruit box on item 1: {rows[0]}")
    check(all(abs(a - b) <= 2.0 for a, b in zip(box, [100, 80, 300, 220])), f"box coords {box} != ~[100,80,300,220]")
    check((i2, k2) == (1, "polygon"), f"second annotation should be a polygon on item 1: {rows[1]}")
    check(c2 == cls["fruit"], f"the undone class change should leave the polygon as fruit, class id {c2}")
    check(len(poly) == 8, f"polygon should have 4 vertices: {poly}")
    want = [350, 100, 450, 120, 430, 240, 340, 200]
    check(all(abs(a - b) <= 2.0 for a, b in zip(poly, want)), f"polygon coords {poly} != ~{want}")
states = dict(q("SELECT id, state FROM items"))
check(states.get(1) == "in_progress" and states.get(2) == "in_progress", f"items 1 and 2 should be in progress: {states}")
check(all(s == "new" for i, s in states.items() if i > 2), f"untouched items should stay new: {states}")
acts = [a for (a,) in q("SELECT action FROM events ORDER BY id")]
count = lambda name: acts.count(name)
check(count("annotation_created") == 2, f"2 annotation_created events expected: {acts}")
check(count("annotation_updated") == 1, f"1 annotation_updated (class change) expected: {acts}")
check(count("undo") == 1, f"1 undo expected: {acts}")
opened = [i for (i,) in q("SELECT item_id FROM events WHERE action = 'open_item' ORDER BY id")]
check(opened == [1, 2], f"open_item for items 1 then 2 expected: {opened}")
check(count("input") >= 1, "throttled input events expected")
check(count("session_start") == 1 and count("session_end") == 1, f"one session start/end: {acts}")
cmds = q("SELECT kind, state FROM commands ORDER BY id")
check(cmds == [("create", "done"), ("create", "done"), ("update", "undone")], f"undo history: {cmds}")
for p in problems: print("  -", p)
sys.exit(1 if problems else 0)
PY
echo "gui test passed: box, polygon, class hotkey, undo, next image; screenshots in $art"
