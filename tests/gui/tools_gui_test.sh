#!/usr/bin/env bash
# GUI test of the canvas tools, driven with real X input (xdotool) on the real window: rotated box
# (draw, rotate by its knob, resize by a corner), polygon (draw, insert / move / delete a vertex), polyline,
# point, keypoints with the schema's skeleton (one marked absent), mask brush then eraser, zoom at
# the cursor / fit / 1:1, middle-button pan, an image tag by its hotkey, and the F1 shortcut sheet. Then it checks the project database: kinds,
# coordinates (within 2 image pixels), classes, the mask's decoded pixels, events and undo records.
#   bash tests/gui/tools_gui_test.sh <build dir> <artifact dir>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs tools_gui_test.sh "" "$@"

gui_name="tools gui test"
gui_test_setup 141 "$gui_name"
start_on_sample_project

# Moves the pointer to image pixel (x, y) and clicks button $3 (default 1) there.
click_at() {
  local sx sy
  read -r sx sy < <(at "$1" "$2")
  xdotool mousemove "$sx" "$sy" && sleep 0.12 && xdotool click "${3:-1}" && sleep 0.15
}
# Drags between two image pixels.
drag_img() {
  local ax ay bx by
  read -r ax ay < <(at "$1" "$2")
  read -r bx by < <(at "$3" "$4")
  drag "$ax" "$ay" "$bx" "$by"
}
n_annotations() { sqlite3 "$db" "SELECT count(*) FROM annotations WHERE deleted = 0"; }
# Waits until the SQL query prints `want`.
wait_db() {
  local sql="$1" want="$2" what="$3" got=""
  for _ in $(seq 50); do
    got="$(sqlite3 "$db" "$sql" 2>/dev/null || true)"
    [ "$got" = "$want" ] && return 0
    sleep 0.2
  done
  fail "timed out waiting for $what (query gave '$got', want '$want')"
}
key() { xdotool key "$@" && sleep 0.25; }

wait_window
wait_state 's["item"] == 1 and s["image_w"] == 512 and s["zoom"] > 0 and s["list_rows"] == 6' "the first image on the canvas"
sleep 0.5
shot 00_opened

# 1. Rotated box: R, drag a 120 x 80 box, then drag its rotation knob to the right of the centre.
xdotool mousemove $(at 120 100) && sleep 0.2
key r
wait_state 's["tool"] == "tool.rotated_box"' "the rotated box tool"
drag_img 60 60 180 140
wait_state 's["annotations"] == 1 and len(s["selection"]) == 1' "the rotated box to be stored and selected"
# The knob sits 20 screen px above the front (top) edge's middle: image (120, 60 - 20 / zoom).
read -r kx ky < <(python3 -c "import json; s = json.load(open('$gui_state')); print(round(s['origin_x'] + 120 * s['zoom']), round(s['origin_y'] + 60 * s['zoom'] - 20))")
read -r rx ry < <(at 240 100)
drag "$kx" "$ky" "$rx" "$ry"
wait_db "SELECT count(*) FROM events WHERE action = 'annotation_updated'" 1 "the rotation to be stored"
# Resize: turned by 90 degrees, corner 2 is at (80, 160); dragged to (70, 180) it makes the box
# 160 x 100 about the same centre (corners move symmetrically in the box's own frame).
drag_img 80 160 70 180
wait_db "SELECT count(*) FROM events WHERE action = 'annotation_updated'" 2 "the resize to be stored"
shot 01_rotated_box

# 2. Polygon: P, four clicks, Enter; then with the select tool double-click the top edge to insert a
#    vertex, drag the bottom-right vertex, and delete the inserted vertex with Backspace.
key p
for pt in "260 60" "400 60" "400 180" "260 180"; do click_at $pt; done
key Return
wait_state 's["annotations"] == 2 and len(s["selection"]) == 1' "the polygon to be stored and selected"
key v
read -r ex ey < <(at 330 60)
xdotool mousemove "$ex" "$ey" && sleep 0.15 && xdotool click --repeat 2 --delay 140 1
wait_db "SELECT json_array_length(coords_json) FROM annotations WHERE kind = 'polygon'" 10 "the inserted vertex"
shot 02_polygon_vertex_inserted
drag_img 400 180 420 200
wait_db "SELECT count(*) FROM events WHERE action = 'annotation_updated'" 4 "the moved vertex"
xdotool mousemove $(at 330 60) && sleep 0.3
key BackSpace
wait_db "SELECT json_array_length(coords_json) FROM annotations WHERE kind = 'polygon'" 8 "the deleted vertex"
shot 03_polygon_edited

# 3. Polyline: L, two clicks and a double click that ends the line on its third vertex.
key l
click_at 60 250
click_at 150 300
xdotool mousemove $(at 240 260) && sleep 0.15 && xdotool click --repeat 2 --delay 140 1
wait_state 's["annotations"] == 3' "the polyline to be stored"
shot 04_polyline

# 4. Point: O, one click.
key o
click_at 300 300
wait_state 's["annotations"] == 4' "the point to be stored"

# 5. Keypoints: K picks the class with keypoints (face); four clicks and a right click for the
#    fifth (mouth_right, not in the image) finish the set.
key k
click_at 350 240
click_at 420 240
click_at 385 280
click_at 360 320
click_at 410 320 3
wait_state 's["annotations"] == 5' "the keypoints to be stored"
shot 05_keypoints

# 6. Mask brush (class fruit, radius 12 px): a horizontal stroke; then the eraser across it.
key Escape
key 1
key m
wait_state 's["tool"] == "tool.mask_brush" and s["selection"] == []' "the mask brush with nothing selected"
drag_img 80 420 200 420
wait_state 's["annotations"] == 6 and len(s["selection"]) == 1' "the mask to be stored and selected"
shot 06_mask_brush
key e
drag_img 140 395 140 445
wait_db "SELECT count(*) FROM events WHERE action = 'annotation_updated'" 6 "the erased mask to be stored"
shot 07_mask_erased

# 7. View: three wheel steps up at image pixel (300, 120) zoom about it; F fits; Ctrl+0 is 1:1.
key Escape
key v
python3 -c "import json; print(json.load(open('$gui_state'))['zoom'])" >"$art/work/zoom_fit"
read -r zx zy < <(at 300 120)
xdotool mousemove "$zx" "$zy" && sleep 0.2
for _ in 1 2 3; do xdotool click 4 && sleep 0.15; done
wait_state "abs(s['zoom'] - $(cat "$art/work/zoom_fit") * 1.728) < 0.01" "the zoom at the cursor"
python3 - "$gui_state" "$zx" "$zy" <<'PY' || fail "the image point under the cursor moved while zooming"
import json, sys
s = json.load(open(sys.argv[1]))
x = (float(sys.argv[2]) - s["origin_x"]) / s["zoom"]
y = (float(sys.argv[3]) - s["origin_y"]) / s["zoom"]
print(f"under the cursor after zooming: {x:.1f}, {y:.1f}")
sys.exit(0 if abs(x - 300) <= 2 and abs(y - 120) <= 2 else 1)
PY
shot 08_zoomed_at_cursor
key f
wait_state "abs(s['zoom'] - $(cat "$art/work/zoom_fit")) < 1e-4" "fit (F)"
key ctrl+0
wait_state 'abs(s["zoom"] - 1.0) < 1e-6' "1:1 (Ctrl+0)"
shot 09_one_to_one
key f
wait_state "abs(s['zoom'] - $(cat "$art/work/zoom_fit")) < 1e-4" "fit again (F)"
# The same with the canvas panel's 1:1 button, then F.
read -r bx by < <(python3 -c "import json; print(*[round(v) for v in json.load(open('$gui_state.canvas_panel'))['one_to_one']])")
xdotool mousemove "$bx" "$by" && sleep 0.15 && xdotool click 1
wait_state 'abs(s["zoom"] - 1.0) < 1e-6' "1:1 (button)"
key f
wait_state "abs(s['zoom'] - $(cat "$art/work/zoom_fit")) < 1e-4" "fit after the button (F)"

# Pan: a middle-button drag moves the image with the pointer.
read -r ox oy < <(python3 -c "import json; s = json.load(open('$gui_state')); print(s['origin_x'], s['origin_y'])")
read -r px py < <(at 256 256)
xdotool mousemove "$px" "$py" && sleep 0.1 && xdotool mousedown 2 && sleep 0.1
for f in 1 2 3 4; do xdotool mousemove $((px + 15 * f)) $((py + 10 * f)) && sleep 0.08; done
xdotool mouseup 2
wait_state "abs(s['origin_x'] - $ox - 60) <= 1 and abs(s['origin_y'] - $oy - 40) <= 1" "the middle-button pan by (60, 40)"
key f

# 8. Image tag by its hotkey: 9 toggles "blurry" on the image.
key 9
wait_state 's["annotations"] == 7' "the blurry tag"

# 9. The shortcut sheet on F1, and F1 again closes it.
key F1
wait_state 's["shortcuts"]' "the shortcut sheet"
shot 10_shortcut_sheet
key F1
wait_state 'not s["shortcuts"]' "the shortcut sheet to close"

quit_app

python3 - "$db" <<'PY' || fail "the project database does not hold what was done (see above)"
import json, math, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = lambda sql, *a: db.execute(sql, a).fetchall()
cls = dict(q("SELECT name, id FROM classes"))
problems = []
def check(ok, what):
    if not ok: problems.append(what)
def near(got, want, tol=2.0):
    return len(got) == len(want) and all(abs(a - b) <= tol for a, b in zip(got, want))
rows = q("SELECT id, item_id, kind, class_id, coords_json, data_json, deleted FROM annotations ORDER BY id")
kinds = [r[2] for r in rows]
check(kinds == ["rotated_box", "polygon", "polyline", "points", "keypoints", "mask", "tag"], f"kinds in order: {kinds}")
check(all(r[1] == 1 and r[6] == 0 for r in rows), f"all on item 1 and live: {[(r[0], r[1], r[6]) for r in rows]}")
by = {r[2]: r for r in rows}
if "rotated_box" in by:
    c = json.loads(by["rotated_box"][4])
    check(near(c[:4], [120, 100, 160, 100]), f"rotated box centre/size after the resize {c} != ~[120,100,160,100,...]")
    check(abs(c[4] - 90) <= 2, f"rotated box angle {c[4]} should be ~90 (knob dragged to the right)")
    check(by["rotated_box"][3] == cls["fruit"], "rotated box class should be fruit")
if "polygon" in by:
    c = json.loads(by["polygon"][4])
    check(near(c, [260, 60, 400, 60, 420, 200, 260, 180]), f"polygon after insert/move/delete: {c}")
if "polyline" in by:
    c = json.loads(by["polyline"][4])
    check(near(c, [60, 250, 150, 300, 240, 260]), f"polyline {c} != ~[60,250,150,300,240,260]")
if "points" in by:
    check(near(json.loads(by["points"][4]), [300, 300]), f"point {by['points'][4]}")
if "keypoints" in by:
    c = json.loads(by["keypoints"][4])
    check(by["keypoints"][3] == cls["face"], f"keypoints class {by['keypoints'][3]} should be face {cls['face']}")
    check(len(c) == 15, f"5 keypoints (x, y, v) expected: {c}")
    if len(c) == 15:
        want = [(350, 240, 2), (420, 240, 2), (385, 280, 2), (360, 320, 2)]
        for i, (x, y, v) in enumerate(want):
            check(abs(c[3*i] - x) <= 2 and abs(c[3*i+1] - y) <= 2 and c[3*i+2] == v, f"keypoint {i}: {c[3*i:3*i+3]} != ~{(x, y, v)}")
        check(c[14] == 0, f"the right-clicked keypoint should be absent (v=0): {c[12:]}")
if "mask" in by:
    _, _, _, mcls, coords, data, _ = by["mask"]
    check(mcls == cls["fruit"], f"mask class {mcls} should be fruit")
    left, top, w, h = [int(round(v)) for v in json.loads(coords)]
    runs = json.loads(data)["rle"]
    check(sum(runs) == w * h, f"mask runs add up to {sum(runs)}, not {w}x{h}")
    px, pos, on = set(), 0, False
    for r in runs:
        if on:
            for k in range(pos, pos + r): px.add((left + k % w, top + k // w))
        pos += r
        on = not on
    # Brush: a 24-px wide band from x 68 to 212 around y 420, minus the eraser's 24-px band at x 140.
    stroke = 2 * 12 * 120 + math.pi * 12 * 12
    erased = 24 * 24
    print(f"mask: box {left},{top} {w}x{h}, {len(px)} pixels (brush alone ~{stroke:.0f}, erased ~{erased})")
    check(abs(left - 68) <= 2 and abs(left + w - 213) <= 2 and abs(top - 408) <= 2 and abs(top + h - 433) <= 2,
          f"mask box {left},{top},{w},{h} should span ~68..212 x ~408..432")
    check(stroke - erased - 400 < len(px) < stroke - erased + 400, f"mask pixel count {len(px)} far from ~{stroke - erased:.0f}")
    gone = [p for p in px if 131 <= p[0] <= 149]
    check(not gone, f"erased pixels still set: {sorted(gone)[:5]}")
    check(any(p[0] < 120 for p in px) and any(p[0] > 160 for p in px), "both ends of the stroke should remain")
if "tag" in by:
    check(by["tag"][3] == cls["blurry"], f"the tag should be blurry: {by['tag']}")
acts = [a for (a,) in q("SELECT action FROM events ORDER BY id")]
check(acts.count("annotation_created") == 7, f"7 annotation_created events: {acts.count('annotation_created')}")
check(acts.count("annotation_updated") == 6, f"6 annotation_updated (rotate, resize, insert, move, delete vertex, erase): {acts.count('annotation_updated')}")
check(acts.count("open_item") == 1, "only the first item was opened")
cmds = q("SELECT kind, state FROM commands ORDER BY id")
want = [("create", "done"), ("update", "done"), ("update", "done"), ("create", "done")] + [("update", "done")] * 3 + \
       [("create", "done")] * 4 + [("update", "done"), ("create", "done")]
check(cmds == want, f"undo history {cmds} != {want}")
for p in problems: print("  -", p)
sys.exit(1 if problems else 0)
PY
echo "tools gui test passed: rotated box + rotate, polygon vertex insert/move/delete, polyline, point, keypoints, mask brush + eraser, zoom/fit/1:1, pan, image tag, F1; screenshots in $art"
