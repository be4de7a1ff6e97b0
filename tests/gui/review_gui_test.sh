#!/usr/bin/env bash
# GUI test for review: an annotator labels and submits four images from the command line; the
# lead opens the real labelbench window and, with real mouse and keyboard input (xdotool), accepts
# item 1, rejects item 2 with a reason from the project's list and free text pinned to the
# selected box, fixes item 3 (class hotkey) and accepts it as fixed, rejects item 4 pinned to an
# image point, and opens the per-batch / per-annotator report. Then the annotator opens the
# program and sees the rejected items back in their queue with the reasons. The project database
# is checked for the review rows, item states, tasks and events.
#   bash tests/gui/review_gui_test.sh <build dir> <artifact dir>
# Uses $DISPLAY when set; otherwise starts its own Xvfb on a free display.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs review_gui_test.sh "review" "$@"

gui_name="review gui test"
gui_test_setup 161 "$gui_name"
export LB_TEST_STATE="$art/work/state.json"
gui_state="$LB_TEST_STATE"
panel="$LB_TEST_STATE.review"

# [SECTION] Helpers for the review panel's state file ($panel)
# Brings the review panel to the front by clicking its title bar where nothing else lies.
raise_panel() {
  read -r x y < <(python3 - "$panel" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x, y, w, h = s["widgets"]["window"]
print(round(x + w - 60), round(y + 8))
PY
)
  xdotool mousemove "$x" "$y" && sleep 0.15 && xdotool click 1 && sleep 0.3
}
type_into() {  # click a text field until it has the keyboard, select all, type
  click_until "$1" "s['active'] == '$1'" "typing into $1"
  xdotool key ctrl+a && xdotool type --delay 30 "$2" && sleep 0.2
}
open_queue_item() {
  click_until tab_queue "s['tab'] == 'queue'" "the queue tab"
  click_widget refresh
  wait_panel "$1 in s['queue']" "item $1 in the review queue"
  click_until "queue_$1" "s['item'] == $1" "item $1 opened"
  sleep 0.5
  click_until tab_item "s['tab'] == 'item' and s['item_state'] == 'submitted'" "the verdict tab for item $1"
}
# Opens a panel from the View menu: tries the menu's rows from the top until the panel's state
# file ($1) appears, closing any other panel it opened on the way (the View menu lists panels in
# registration order, which other panels may change). Sets view_row_y to the row that worked.
view_row_y="150"  # "Review & quality" in the current View menu; searched for if that changes
open_from_view_menu() {
  local file="$1" y
  for y in ${view_row_y:-} $(seq 36 19 226); do
    xdotool mousemove 126 10 && sleep 0.2 && xdotool click 1 && sleep 0.4
    xdotool mousemove 150 "$y" && sleep 0.2 && xdotool click 1 && sleep 0.8
    if [ -f "$file" ]; then view_row_y="$y"; return 0; fi
    xdotool mousemove 126 10 && sleep 0.2 && xdotool click 1 && sleep 0.4   # toggle that panel off again
    xdotool mousemove 150 "$y" && sleep 0.2 && xdotool click 1 && sleep 0.4
  done
  fail "no View menu entry opened $(basename "$file")"
}

# [SECTION] Project: 4 images, the sample schema (its reject reasons), a lead and an annotator who
# labels and submits every image from the command line.
cli="$build/bin/labelbench-cli"
db="$art/work/review.lbproj"
data=/usr/share/doc/opencv-doc/examples/data
mkdir -p "$art/work/images"
for f in fruits.jpg baboon.jpg butterfly.jpg building.jpg; do cp "$data/$f" "$art/work/images/"; done
"$cli" create "$db" --name "review gui test" >/dev/null
"$cli" schema import "$db" "$here/assets/schemas/sample.json" >/dev/null
"$cli" user add "$db" lead --role lead >/dev/null
"$cli" user add "$db" ann --role annotator >/dev/null
"$cli" import images "$db" "$art/work/images" --batch day1 --user lead >/dev/null
"$cli" assign "$db" ann --kind annotate >/dev/null
# Items follow the file names: 1 baboon, 2 building, 3 butterfly, 4 fruits.
"$cli" review submit "$db" 1 --user ann --box "animal 100 20 400 300" >/dev/null
"$cli" review submit "$db" 2 --user ann --box "fruit 40 30 260 200" >/dev/null
"$cli" review submit "$db" 3 --user ann --box "fruit 30 30 300 250" >/dev/null
"$cli" review submit "$db" 4 --user ann --box "fruit 50 60 200 220" >/dev/null
[ "$("$cli" review queue "$db" --user lead | wc -l)" -eq 4 ] || fail "4 submitted items expected in the review queue"

# [SECTION] The lead reviews in the desktop program.
launch_app "$db" lead
wait_window
wait_state 's["item"] > 0 and s["image_w"] > 0 and s["zoom"] > 0' "an image on the canvas"
sleep 0.5
# View menu -> "Review & quality".
open_from_view_menu "$panel"
wait_panel "'tab_queue' in s['widgets']" "the review panel to open"
click_widget refresh
wait_panel "sorted(s['queue']) == [1, 2, 3, 4]" "4 items in the lead's review queue"
shot 01_queue

# 1. Accept item 1.
open_queue_item 1
click_until accept "s['item_state'] == 'accepted'" "item 1 accepted"
shot 02_accepted

# 2. Reject item 2: select its box on the canvas, reason "wrong class" from the list, free text,
#    pinned to the selected object.
open_queue_item 2
xdotool key v && sleep 0.2
read -r bx by < <(at 150 115)
xdotool mousemove "$bx" "$by" && sleep 0.2 && xdotool click 1 && sleep 0.5
wait_panel "len(s['selection']) == 1" "the box of item 2 selected"
raise_panel
click_until reason "'reason_1' in s['widgets']" "the reason list open"
click_until reason_1 "s['reason'] == 1" "reason 'wrong class' chosen"
type_into comment "It is a building, not fruit"
click_until pin "'pin_1' in s['widgets']" "the pin list open"
click_until pin_1 "s['pin_kind'] == 1" "pin to the selected object"
shot 03_reject_form
click_until reject "s['item_state'] == 'rejected'" "item 2 rejected"
shot 04_rejected

# 3. Fix item 3: select its box, change its class with the hotkey 2 (animal), accept as fixed.
open_queue_item 3
read -r bx by < <(at 160 140)
xdotool mousemove "$bx" "$by" && sleep 0.2 && xdotool click 1 && sleep 0.5
wait_panel "len(s['selection']) == 1" "the box of item 3 selected"
xdotool key 2 && sleep 0.8
raise_panel
click_until fix_accept "s['item_state'] == 'accepted'" "item 3 accepted as fixed"
shot 05_fixed

# 4. Reject item 4 pinned to the image point (120.5, 60).
open_queue_item 4
click_until reason "'reason_0' in s['widgets']" "the reason list open"
click_until reason_0 "s['reason'] == 0" "reason 'box too loose' chosen"
type_into comment "Tighten the left edge"
click_until pin "'pin_2' in s['widgets']" "the pin list open"
click_until pin_2 "'pin_x' in s['widgets']" "the point fields"
type_into pin_x "120.5"
type_into pin_y "60"
xdotool key Tab && sleep 0.3
shot 06_point_pin
click_until reject "s['item_state'] == 'rejected'" "item 4 rejected"
wait_panel "s['history'] == ['reject']" "item 4's history"

# 5. The report per batch and per annotator, in the program.
click_until tab_reports "s['tab'] == 'reports'" "the reports tab"
wait_panel "s['batch_rows'] == 1 and s['annotator_rows'] == 1" "the report rows"
shot 07_reports
quit_app

# [SECTION] The annotator opens the program: both rejected items are back in their queue with
# the reasons shown.
launch_app "$db" ann en "_ann"
wait_window
wait_state 's["item"] > 0 and s["image_w"] > 0' "an image on the annotator's canvas"
rm -f "$panel"
open_from_view_menu "$panel"
wait_panel "'tab_queue' in s['widgets']" "the annotator's review panel"
click_widget refresh
wait_panel "sorted(e['item'] for e in s['mine'] if e['reason']) == [2, 4]" "items 2 and 4 back with their reasons"
python3 - "$panel" <<'PY' || fail "the annotator's queue does not show the reasons"
import json, sys
s = json.load(open(sys.argv[1]))
mine = {e["item"]: e for e in s["mine"]}
assert mine[2]["reason"] == "wrong class" and mine[2]["comment"] == "It is a building, not fruit", mine[2]
assert mine[4]["reason"] == "box too loose" and mine[4]["comment"] == "Tighten the left edge", mine[4]
assert 1 not in mine and 3 not in mine, mine
PY
shot 08_annotator_queue
quit_app

# [SECTION] What the database holds.
python3 - "$db" <<'PY' || fail "the project database does not hold the review (see above)"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = lambda sql, *a: db.execute(sql, a).fetchall()
users = {n: i for i, n in q("SELECT id, name FROM users")}
problems = []
def check(ok, what):
    if not ok: problems.append(what)
rows = q("""SELECT item_id, verdict, reviewer_id, annotator_id, reason, comment, pin_json FROM reviews ORDER BY id""")
print("reviews:", rows)
check([(r[0], r[1]) for r in rows] == [(1, "accept"), (2, "reject"), (3, "fix_and_accept"), (4, "reject")],
      f"review rows in order accept 1, reject 2, fix 3, reject 4: {rows}")
check(all(r[2] == users["lead"] and r[3] == users["ann"] for r in rows), f"reviewer lead, annotator ann: {rows}")
if len(rows) == 4:
    check(rows[1][4] == "wrong class" and rows[1][5] == "It is a building, not fruit", f"item 2 reason/comment: {rows[1]}")
    pin2 = json.loads(rows[1][6])
    box2 = q("SELECT id FROM annotations WHERE item_id = 2 AND deleted = 0")
    check(pin2.get("annotation") == box2[0][0] if box2 else False, f"item 2 pinned to its box {box2}: {pin2}")
    check(rows[3][4] == "box too loose" and rows[3][5] == "Tighten the left edge", f"item 4 reason/comment: {rows[3]}")
    pin4 = json.loads(rows[3][6])
    check(abs(pin4.get("x", -1) - 120.5) < 0.01 and abs(pin4.get("y", -1) - 60) < 0.01, f"item 4 pinned to (120.5, 60): {pin4}")
states = dict(q("SELECT id, state FROM items"))
# The annotator's program opened the first item of their list, which takes a rejected item back
# into work; the other rejected item stays rejected until they open it.
check(states[1] == "accepted" and states[3] == "accepted", f"items 1 and 3 accepted: {states}")
check(states[2] in ("rejected", "in_progress") and states[4] in ("rejected", "in_progress"), f"items 2, 4 back with ann: {states}")
check("rejected" in (states[2], states[4]), f"at least one rejected item not yet reopened: {states}")
cls3 = q("SELECT c.name, a.author_id FROM annotations a JOIN classes c ON c.id = a.class_id WHERE a.item_id = 3 AND a.deleted = 0")
check(cls3 == [("animal", users["ann"])], f"item 3's box is now 'animal' (fixed by the lead): {cls3}")
tasks = q("SELECT item_id, state FROM tasks WHERE user_id = ? AND kind = 'annotate' ORDER BY item_id", users["ann"])
print("ann's tasks:", tasks)
t = dict(tasks)
check(t.get(2) in ("assigned", "in_progress") and t.get(4) in ("assigned", "in_progress"), f"ann's tasks for 2 and 4 open again: {tasks}")
ev = [a for (a,) in q("SELECT action FROM events WHERE action LIKE 'review_%' ORDER BY id")]
check(ev == ["review_accept", "review_reject", "review_fix_accept", "review_reject"], f"review events: {ev}")
detail = q("SELECT detail_json FROM events WHERE action = 'review_reject' ORDER BY id")
check(all(json.loads(d).get("annotator") == users["ann"] for (d,) in detail), f"reject events name the annotator: {detail}")
for p in problems: print("  -", p)
sys.exit(1 if problems else 0)
PY
echo "review gui test passed: accept, reject (object pin), fix and accept, reject (point pin), reports, annotator's queue; screenshots in $art"
