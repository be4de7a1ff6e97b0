#!/usr/bin/env bash
# GUI test for assists and plugins: opens a project whose image holds a filled ellipse and a
# filled rectangle on noise (their right answers are known), and with real X input (xdotool):
#   1. GrabCut: presses GrabCut, drags a loose box around the ellipse, accepts the proposal
#      -> a polygon row whose bounds match the ellipse, source and event "assist:grabcut@1";
#   1b. snaps the accepted polygon to edges and accepts the edited copy -> an update, no new row;
#   2. magic wand: clicks inside the rectangle, accepts -> a polygon on the rectangle;
#   3. magic wand again, discards the proposal -> nothing more stored; the example assist plugin
#      from the same list, accepted -> a box recording "plugin:bright_region@1.0.0";
#   4. CLAHE view on (view only: nothing stored);
#   5. opens the plugins panel with refused test plugins in the user's plugin folder;
#   6. runs the example importer plugin from the panel with a setting changed and saved;
#   7. clicks a 4384x2736 photo in the item list: the kept pixels of the first image are dropped;
#      Faces decodes it reduced (1/2) and proposes the face where the full-resolution CLI run
#      finds it (the proposal scaled back to image coordinates).
#   bash tests/gui/assist_gui_test.sh <build dir> <artifact dir>
# Uses $DISPLAY when set; otherwise starts its own Xvfb on a free display.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs assist_gui_test.sh "assist" "$@"
mkdir -p "$art/data/labelbench/plugins"

gui_name="assist gui test"
gui_test_setup 107 "$gui_name"
export LB_TEST_STATE="$art/work/state.json"
gui_state="$LB_TEST_STATE"
assist_state="$LB_TEST_STATE.assist"
# The user's plugin folder holds the plugins the host must refuse; the examples load from the
# build's own plugin folder (beside bin/).
export XDG_DATA_HOME="$art/data"
unset LB_PLUGIN_PATH
cp "$build"/tests/plugins_bad/*.so "$art/data/labelbench/plugins/" 2>/dev/null || true

# A 640x480 image: grey noise, a filled ellipse (centre 320,220, radii 120x80 -> x 200..440,
# y 140..300) and a filled rectangle (x 40..159, y 340..439) in flat colours, and a white patch
# (x 500..579, y 380..439) for the example assist plugin (box around the bright part).
python3 - "$art/work/shapes.ppm" <<'PY'
import random, sys
random.seed(7)
w, h = 640, 480
px = bytearray(w * h * 3)
for i in range(w * h):
    g = random.randint(70, 190)
    px[3 * i:3 * i + 3] = bytes((g, g, g))
for y in range(h):
    for x in range(w):
        if ((x - 320) / 120.0) ** 2 + ((y - 220) / 80.0) ** 2 <= 1.0:
            px[3 * (y * w + x):3 * (y * w + x) + 3] = bytes((220, 60, 40))
        elif 40 <= x < 160 and 340 <= y < 440:
            px[3 * (y * w + x):3 * (y * w + x) + 3] = bytes((40, 200, 90))
        elif 500 <= x < 580 and 380 <= y < 440:
            px[3 * (y * w + x):3 * (y * w + x) + 3] = bytes((250, 250, 250))
with open(sys.argv[1], "wb") as f:
    f.write(b"P6\n%d %d\n255\n" % (w, h))
    f.write(px)
PY
convert "$art/work/shapes.ppm" "$art/work/shapes.png"

cli="$build/bin/labelbench-cli"
db="$art/work/assist.lbproj"
"$cli" create "$db" --name "assist gui test" >/dev/null
"$cli" schema add-class "$db" object --hotkey 1 >/dev/null
"$cli" user add "$db" ann --role annotator >/dev/null
"$cli" import images "$db" "$art/work/shapes.png" >/dev/null
# Item 2: a large photo with one face (messi5.jpg scaled 8x), for the reduced decode of step 7.
convert /usr/share/doc/opencv-doc/examples/data/messi5.jpg -resize 800% -quality 90 "$art/work/big.jpg"
"$cli" import images "$db" "$art/work/big.jpg" >/dev/null
"$cli" assist "$db" 2 faces >"$art/work/faces_full.json"

launch_app "$db" ann

# Screen position of an assist panel button, from the panel's state file.
button() {
  python3 - "$assist_state" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x, y = s["buttons"][sys.argv[2]]
print(x, y)
PY
}
wait_assist() {
  local saved="$gui_state"
  gui_state="$assist_state"
  wait_state "$1" "$2"
  gui_state="$saved"
}
press() {
  read -r bx by < <(button "$1")
  xdotool mousemove "$bx" "$by" && sleep 0.15 && xdotool click 1
}
rows() {
  python3 - "$db" "$1" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])
PY
}

# Opens a panel from the View menu: tries the menu's rows from the top until the panel's state
# file ($1) appears, closing any other panel it opened on the way (the View menu lists panels in
# registration order, which other panels may change).
open_from_view_menu() {
  local file="$1" y
  for y in $(seq 36 19 226); do
    xdotool mousemove 126 10 && sleep 0.2 && xdotool click 1 && sleep 0.4
    xdotool mousemove 150 "$y" && sleep 0.2 && xdotool click 1 && sleep 0.8
    if [ -f "$file" ]; then return 0; fi
    xdotool mousemove 126 10 && sleep 0.2 && xdotool click 1 && sleep 0.4   # toggle that panel off again
    xdotool mousemove 150 "$y" && sleep 0.2 && xdotool click 1 && sleep 0.4
  done
  fail "no View menu entry opened $(basename "$file")"
}

wait_window
wait_state 's["item"] == 1 and s["image_w"] == 640 and s["zoom"] > 0' "the image on the canvas"
sleep 0.5
[ ! -f "$assist_state" ] || fail "the assist panel is open by default (it should leave the item list in view)"
open_from_view_menu "$assist_state"
wait_assist 's["item"] == 1 and "grabcut" in s["buttons"]' "the assist panel"
wait_assist 's["kept_pixels"] == 0' "an assist panel that decodes nothing while the item is only shown"
xdotool key 1  # the class "object" for what is drawn and accepted
sleep 0.5
shot 00_opened

# 1. GrabCut from a box dragged for it.
press grabcut
wait_assist 's["pick"] == "grabcut"' "GrabCut waiting for a box"
read -r x0 y0 < <(at 180 120)
read -r x1 y1 < <(at 460 320)
drag "$x0" "$y0" "$x1" "$y1"
wait_assist 's["proposals"] == 1 and not s["busy"]' "the GrabCut proposal"
wait_assist 's["kept_pixels"] == 640 * 480 and s["kept_factor"] == 1' "GrabCut's full-resolution pixels kept for the next assist"
[ "$(rows "SELECT COUNT(*) FROM annotations")" = 0 ] || fail "a proposal was stored before it was accepted"
shot 01_grabcut_proposal
press accept_0
wait_assist 's["proposals"] == 0' "the proposal to leave the list"
wait_state 's["annotations"] == 1' "the accepted GrabCut polygon on the canvas"
shot 02_grabcut_accepted

python3 - "$db" <<'PY' || fail "the GrabCut polygon is not stored as an assisted object matching the ellipse"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT id, kind, coords_json, source FROM annotations WHERE deleted = 0").fetchall()
print("annotations:", [(r[0], r[1], r[3]) for r in rows])
assert len(rows) == 1, rows
aid, kind, coords, source = rows[0]
assert kind == "polygon", kind
assert source == "assist:grabcut@1", source
c = json.loads(coords)
xs, ys = c[0::2], c[1::2]
bounds = (min(xs), min(ys), max(xs), max(ys))
print("bounds:", bounds)
for got, want in zip(bounds, (200, 140, 440, 300)):
    assert abs(got - want) <= 6, (bounds, "ellipse is 200,140 - 440,300")
ev = db.execute("SELECT COUNT(*) FROM events WHERE action = 'annotation_created' AND detail_json LIKE ?",
                ('%assist:grabcut@1%',)).fetchone()[0]
assert ev == 1, ev
PY

# 1b. Edge snapping on the accepted polygon (selected after accepting): an edited copy is
#     proposed; accepting it updates the stored polygon (one more event, no new object).
press snap
wait_assist 's["proposals"] == 1 and not s["busy"]' "the edge snapping proposal"
press accept_0
wait_assist 's["proposals"] == 0' "the snapped copy to be accepted"
sleep 0.5
[ "$(rows "SELECT COUNT(*) FROM annotations")" = 1 ] || fail "edge snapping added an object instead of editing one"
[ "$(rows "SELECT COUNT(*) FROM events WHERE action = 'annotation_updated'")" -ge 1 ] || fail "the snapped polygon was not stored as an edit"

# 2. Magic wand: one click inside the rectangle, accept.
press wand
wait_assist 's["pick"] == "wand"' "the magic wand waiting for a click"
read -r wx wy < <(at 100 390)
xdotool mousemove "$wx" "$wy" && sleep 0.15 && xdotool click 1
wait_assist 's["proposals"] == 1 and not s["busy"]' "the magic wand proposal"
shot 03_wand_proposal
press accept_0
wait_state 's["annotations"] == 2' "the accepted magic wand polygon"

python3 - "$db" <<'PY' || fail "the magic wand polygon does not match the rectangle"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT coords_json FROM annotations WHERE deleted = 0 AND source = 'assist:magic_wand@1'").fetchall()
assert len(rows) == 1, rows
c = json.loads(rows[0][0])
bounds = (min(c[0::2]), min(c[1::2]), max(c[0::2]), max(c[1::2]))
print("wand bounds:", bounds)
for got, want in zip(bounds, (40, 340, 160, 440)):
    assert abs(got - want) <= 2, (bounds, "rectangle is 40,340 - 160,440")
PY

# 3. Magic wand again (still armed), then discard: nothing more is stored.
xdotool mousemove "$wx" "$wy" && sleep 0.15 && xdotool click 1
wait_assist 's["proposals"] == 1 and not s["busy"]' "a second magic wand proposal"
press discard_0
wait_assist 's["proposals"] == 0' "the discarded proposal to go"
press wand  # stop the wand
wait_assist 's["pick"] == ""' "the wand to stop"
sleep 0.8
[ "$(rows "SELECT COUNT(*) FROM annotations")" = 2 ] || fail "a discarded proposal was stored"
shot 04_discarded

# 3b. An assist plugin in the same list: the example's box around the bright patch, accepted.
press "plugin:bright_region"
wait_assist 's["proposals"] == 1 and not s["busy"]' "the plugin assist's proposal"
press accept_0
wait_state 's["annotations"] == 3' "the accepted plugin proposal"
python3 - "$db" <<'PY' || fail "the plugin assist's box is not stored with the plugin's id and version"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT kind, coords_json FROM annotations WHERE deleted = 0 AND source = 'plugin:bright_region@1.0.0'").fetchall()
assert len(rows) == 1 and rows[0][0] == "box", rows
assert [round(v) for v in json.loads(rows[0][1])] == [500, 380, 580, 440], rows
PY

# 4. CLAHE view: shown, not stored.
press enhance
wait_assist 's["enhanced"]' "the enhanced (CLAHE) view"
shot 05_enhanced
[ "$(rows "SELECT COUNT(*) FROM annotations")" = 3 ] || fail "the enhanced view changed the stored objects"
press enhance

# 5. The plugins panel: the examples loaded, the test plugins refused with their reasons.
press open_plugins
plugins_state="$LB_TEST_STATE.plugins"
wait_plugins() {
  local saved="$gui_state"
  gui_state="$plugins_state"
  wait_state "$1" "$2"
  gui_state="$saved"
}
pbutton() {
  python3 - "$plugins_state" "$1" <<'PY'
import json, sys
x, y = json.load(open(sys.argv[1]))["buttons"][sys.argv[2]]
print(x, y)
PY
}
ppress() {
  read -r bx by < <(pbutton "$1")
  xdotool mousemove "$bx" "$by" && sleep 0.15 && xdotool click 1
}
wait_plugins 's["loaded"] >= 4 and s["refused"] == 5' "the plugins panel listing the examples loaded and the 5 test plugins refused"
shot 06_plugins

# 6. The importer plugin from the panel: its declared settings drawn, one changed and saved for
#    this user, then run on a client CSV (on a worker) -> an item and a box from the plugin.
mkdir -p "$art/work/client"
convert "$art/work/shapes.png" -flop "$art/work/client/img2.png"
printf 'image,class,x1,y1,x2,y2\nimg2.png,,10,20,110,120\n' >"$art/work/client/boxes.csv"
ppress "cap:csv_box_import:boxes_csv"
wait_plugins 's["selected"] == "csv_box_import:boxes_csv" and "setting:default_class" in s["buttons"]' "the importer's settings"
ppress "setting:default_class"
sleep 0.2
xdotool type --delay 60 "thing"
sleep 0.3
ppress save
sleep 0.8
python3 - "$art/config/labelbench/plugin_settings.json" <<'PY' || fail "the importer's setting was not saved for the user"
import json, sys
s = json.load(open(sys.argv[1]))
print("user plugin settings:", s)
assert s["csv_box_import:boxes_csv"]["default_class"] == "thing", s
PY
ppress path
sleep 0.2
xdotool type --delay 30 "$art/work/client/boxes.csv"
sleep 0.3
shot 07_plugin_settings
ppress run
for _ in $(seq 50); do
  [ "$(rows "SELECT COUNT(*) FROM annotations WHERE source = 'plugin:csv_box_import@1.0.0'")" = 1 ] && break
  sleep 0.2
done
python3 - "$db" <<'PY' || fail "the importer run from the plugins panel did not store its item and box"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 3
row = db.execute("SELECT a.coords_json, c.name FROM annotations a JOIN classes c ON c.id = a.class_id "
                 "WHERE a.deleted = 0 AND a.source = 'plugin:csv_box_import@1.0.0'").fetchone()
print("imported box:", row)
assert [round(v) for v in json.loads(row[0])] == [10, 20, 110, 120], row
assert row[1] == "thing", row
ev = db.execute("SELECT detail_json FROM events WHERE action = 'import' AND detail_json LIKE '%csv_box_import%'").fetchone()
assert ev and json.loads(ev[0])["plugin_version"] == "1.0.0", ev
PY
shot 08_plugin_imported

# 7. The large photo: switching drops the kept pixels; Faces decodes at 1/2 and its box, scaled
#    back, matches the full-resolution run of the CLI.
read -r rx ry < <(python3 - "$LB_TEST_STATE.items" <<'PY'
import json, sys
r = [row["rect"] for row in json.load(open(sys.argv[1]))["rows"] if row["id"] == 2][0]
print(round((r[0] + r[2]) / 2), round((r[1] + r[3]) / 2))
PY
)
xdotool mousemove "$rx" "$ry" && sleep 0.15 && xdotool click 1
wait_assist 's["item"] == 2 and "faces" in s["buttons"]' "the assist panel on the large photo"
wait_assist 's["kept_pixels"] == 0' "the first image's pixels dropped when the item changed"
press faces
wait_assist 's["proposals"] == 1 and not s["busy"]' "the face proposal on the large photo"
wait_assist 's["kept_factor"] == 2 and s["kept_pixels"] == 2192 * 1368' "Faces to decode the large photo at 1/2"
shot 09_faces_reduced
press accept_0
wait_state 's["annotations"] == 1' "the accepted face box"
python3 - "$db" "$art/work/faces_full.json" <<'PY' || fail "the face found on the reduced decode is not where the full-resolution run finds it"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT coords_json FROM annotations WHERE deleted = 0 AND item_id = 2 AND source = 'assist:faces@1'").fetchall()
assert len(rows) == 1, rows
got = json.loads(rows[0][0])
want = json.load(open(sys.argv[2]))["annotations"][0]["coords"]
print("face box (reduced decode):", [round(v) for v in got], "full resolution:", [round(v) for v in want])
assert all(abs(g - w) <= 30 for g, w in zip(got, want)), (got, want)
PY
quit_app
echo "assist gui test passed"
