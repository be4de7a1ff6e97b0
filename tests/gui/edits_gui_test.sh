#!/usr/bin/env bash
# GUI test of editing, driven with real X input (xdotool) on the real window: select, move, resize,
# change class, edit attributes (number, bool, enum), duplicate, delete, reorder / hide / lock in
# the object list, undo with redo by Ctrl+Y and Ctrl+Shift+Z, copy objects to the next image, mark
# an image "reviewed, nothing here", jump to the next unlabelled image, and filter the item list by
# state and by text. Then it checks the project database: coordinates (within 2 image pixels),
# classes, attribute values, deleted / hidden / locked flags, z order, item states, events and the
# undo history.
#   bash tests/gui/edits_gui_test.sh <build dir> <artifact dir>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs edits_gui_test.sh "" "$@"

gui_name="edits gui test"
gui_test_setup 191 "$gui_name"
start_on_sample_project

drag_img() {
  local ax ay bx by
  read -r ax ay < <(at "$1" "$2")
  read -r bx by < <(at "$3" "$4")
  drag "$ax" "$ay" "$bx" "$by"
}
click_at() {
  local sx sy
  read -r sx sy < <(at "$1" "$2")
  xdotool mousemove "$sx" "$sy" && sleep 0.12 && xdotool click 1 && sleep 0.15
}
# Screen centre of a widget published in a panel's state file: widget <suffix> <python expr over s>.
# The expression gives [x, y] or a rectangle [x0, y0, x1, y1].
widget() {
  python3 - "$gui_state$1" "$2" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(*[round(c) for c in (v if len(v) == 2 else [(v[0] + v[2]) / 2, (v[1] + v[3]) / 2])])
PY
}
click_widget() {
  local wx wy
  read -r wx wy < <(widget "$1" "$2") || fail "no widget $2 in the state file $1"
  xdotool mousemove "$wx" "$wy" && sleep 0.15 && xdotool click 1 && sleep 0.25
}
# Waits until a panel's state file (suffix $1) satisfies $2.
wait_panel() {
  local saved="$gui_state"
  gui_state="$saved$1"
  wait_state "$2" "$3"
  gui_state="$saved"
}
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
row_of() { echo "[r for r in s['rows'] if r['id'] == $1][0]"; }

wait_window
wait_state 's["item"] == 1 and s["image_w"] == 512 and s["zoom"] > 0 and s["list_rows"] == 6' "the first image on the canvas"
sleep 0.5

# 1. Two fruit boxes: A (id 1) and B (id 2).
xdotool mousemove $(at 250 250) && sleep 0.2
key b
drag_img 60 60 200 160
wait_state 's["annotations"] == 1' "box A"
drag_img 260 60 400 160
wait_state 's["annotations"] == 2 and s["selection"] == [2]' "box B, selected"
shot 00_two_boxes

# 2. Select A with the select tool, move it by (+20, +30), then drag its bottom-right corner.
key v
key Escape
wait_state 's["selection"] == []' "Esc to clear the selection"
click_at 130 110
wait_state 's["selection"] == [1]' "a click to select box A"
drag_img 130 110 150 140
wait_db "SELECT count(*) FROM events WHERE action = 'annotation_updated'" 1 "the move"
drag_img 220 190 250 230
wait_db "SELECT count(*) FROM events WHERE action = 'annotation_updated'" 2 "the resize"
shot 01_moved_resized

# 3. Class hotkey 2 makes A an animal; its number attribute occluded_pct is typed in the Labels panel.
key 2
wait_db "SELECT c.name FROM annotations a JOIN classes c ON c.id = a.class_id WHERE a.id = 1" animal "A to become an animal"
wait_panel .labels '"occluded_pct" in s["attributes"]' "the animal attribute editor"
click_widget .labels '[s["attributes"]["occluded_pct"][0] + 30, (s["attributes"]["occluded_pct"][1] + s["attributes"]["occluded_pct"][3]) / 2]'
key ctrl+a
xdotool type --delay 80 "40"
key Return
wait_db "SELECT json_extract(attributes_json, '$.occluded_pct') FROM annotations WHERE id = 1" "40.0" "occluded_pct = 40"
shot 02_class_and_number_attribute

# 4. B: its bool (ripe: off) and enum (kind: orange) attributes.
click_at 330 110
wait_state 's["selection"] == [2]' "B selected"
wait_panel .labels '"ripe" in s["attributes"] and "kind" in s["attributes"]' "the fruit attribute editors"
click_widget .labels '[s["attributes"]["ripe"][0] + 9, s["attributes"]["ripe"][1] + 9]'
wait_db "SELECT json_extract(attributes_json, '$.ripe') FROM annotations WHERE id = 2" 0 "ripe = false"
click_widget .labels 's["attributes"]["kind"]'
wait_panel .labels '"orange" in s.get("options", {})' "the kind list to open"
shot 03_enum_open
click_widget .labels 's["options"]["orange"]'
wait_db "SELECT json_extract(attributes_json, '$.kind') FROM annotations WHERE id = 2" orange "kind = orange"

# 5. Duplicate A (Ctrl+D): the copy (id 3) is selected; Delete removes it.
click_at 160 200
wait_state 's["selection"] == [1]' "A selected again"
key ctrl+d
wait_state 's["annotations"] == 3 and s["selection"] == [3]' "the duplicate, selected"
shot 04_duplicated
key Delete
wait_state 's["annotations"] == 2' "the duplicate deleted"

# 6. Object list: A up in z order (above B), lock A, hide B.
wait_panel .objects 'len(s["rows"]) == 2' "two rows in the object list"
click_widget .objects "$(row_of 1)['up']"
wait_db "SELECT (SELECT z_order FROM annotations WHERE id = 1) > (SELECT z_order FROM annotations WHERE id = 2)" 1 "A above B"
wait_panel .objects 's["rows"][0]["id"] == 1' "A at the top of the object list"
click_widget .objects "$(row_of 1)['lock']"
wait_db "SELECT locked FROM annotations WHERE id = 1" 1 "A locked"
click_widget .objects "$(row_of 2)['show']"
wait_db "SELECT hidden FROM annotations WHERE id = 2" 1 "B hidden"
shot 05_object_list

# 7. Undo the hide, redo it with Ctrl+Y; undo again, redo with Ctrl+Shift+Z.
key ctrl+z
wait_db "SELECT hidden FROM annotations WHERE id = 2" 0 "undo: B shown"
key ctrl+y
wait_db "SELECT hidden FROM annotations WHERE id = 2" 1 "redo (Ctrl+Y): B hidden"
key ctrl+z
wait_db "SELECT hidden FROM annotations WHERE id = 2" 0 "undo again: B shown"
key ctrl+shift+z
wait_db "SELECT hidden FROM annotations WHERE id = 2" 1 "redo (Ctrl+Shift+Z): B hidden"

# 8. Select A in the object list and copy it to the next image (Shift+C): item 2 opens with the copy.
click_widget .objects "$(row_of 1)['label']"
wait_state 's["selection"] == [1]' "A selected from the object list"
key shift+c
wait_state 's["item"] == 2 and s["annotations"] == 1 and s["selection"] == [4]' "the copy on the next image, selected"
shot 06_copied_to_next

# 9. Next image (D) is marked "reviewed, nothing here" (X).
key d
wait_state 's["item"] == 3' "item 3"
key x
wait_state 's["nothing_here"]' "item 3 marked nothing here"
shot 07_nothing_here

# 10. Back to item 1 (A A), then N: items 2 and 3 are done with, so item 4 opens.
key a
wait_state 's["item"] == 2' "item 2"
key a
wait_state 's["item"] == 1' "item 1"
key n
wait_state 's["item"] == 4' "the next unlabelled item (4)"
shot 08_next_unlabelled

# 11. Item list: state filter "New" leaves items 5 and 6; then text "bab" (state any) leaves baboon.
click_widget .items 's["state_filter"]'
wait_panel .items 'len(s["options"]) == 6' "the state list to open"
click_widget .items 's["options"][1]'
wait_panel .items 's["shown"] == 2 and not s["loading"] and [r["id"] for r in s["rows"]] == [5, 6]' "the new items only"
shot 09_filter_state_new
click_widget .items 's["state_filter"]'
wait_panel .items 'len(s["options"]) == 6' "the state list to open again"
click_widget .items 's["options"][0]'
wait_panel .items 's["shown"] == 6 and not s["loading"]' "all items again"
click_widget .items 's["search"]'
xdotool type --delay 80 "bab"
wait_panel .items 's["shown"] == 1 and not s["loading"] and s["rows"][0]["id"] == 2' "the text filter"
shot 10_filter_text

quit_app

python3 - "$db" <<'PY' || fail "the project database does not hold what was done (see above)"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = lambda sql, *a: db.execute(sql, a).fetchall()
cls = dict(q("SELECT name, id FROM classes"))
problems = []
def check(ok, what):
    if not ok: problems.append(what)
def near(got, want, tol=2.0):
    return len(got) == len(want) and all(abs(a - b) <= tol for a, b in zip(got, want))
rows = {r[0]: r for r in q("SELECT id, item_id, kind, class_id, coords_json, attributes_json, deleted, hidden, locked, z_order FROM annotations")}
check(sorted(rows) == [1, 2, 3, 4], f"annotations 1-4 expected (A, B, A's duplicate, A's copy): {sorted(rows)}")
if len(rows) == 4:
    a, b, dup, cp = rows[1], rows[2], rows[3], rows[4]
    A = [80, 90, 250, 230]
    check(a[1:4] == (1, "box", cls["animal"]), f"A should be an animal box on item 1: {a}")
    check(near(json.loads(a[4]), A), f"A moved and resized: {a[4]} != ~{A}")
    check(json.loads(a[5]) == {"occluded_pct": 40}, f"A attributes: {a[5]}")
    check((a[6], a[7], a[8]) == (0, 0, 1), f"A live, shown, locked: {a[6:9]}")
    check(b[3] == cls["fruit"] and near(json.loads(b[4]), [260, 60, 400, 160]), f"B unchanged fruit box: {b}")
    check(json.loads(b[5]) == {"ripe": False, "kind": "orange"}, f"B attributes: {b[5]}")
    check((b[6], b[7], b[8]) == (0, 1, 0), f"B live, hidden, unlocked: {b[6:9]}")
    check(a[9] > b[9], f"A above B in z: {a[9]} vs {b[9]}")
    check(dup[1] == 1 and dup[6] == 1 and near(json.loads(dup[4]), [x + 10 for x in A]), f"duplicate (deleted, A + 10): {dup}")
    check(cp[1] == 2 and cp[6] == 0 and cp[3] == cls["animal"] and near(json.loads(cp[4]), A), f"copy of A on item 2: {cp}")
    check(json.loads(cp[5]) == {"occluded_pct": 40} and (cp[7], cp[8]) == (0, 0), f"copy keeps attributes, not the lock: {cp}")
items = {i: (s, n) for i, s, n in q("SELECT id, state, nothing_here FROM items")}
check(items[3] == ("in_progress", 1), f"item 3 reviewed, nothing here: {items[3]}")
check(all(items[i] == ("in_progress", 0) for i in (1, 2, 4)), f"items 1, 2, 4 in progress: {items}")
check(items[5][0] == "new" and items[6][0] == "new", f"items 5, 6 untouched: {items}")
opened = [i for (i,) in q("SELECT item_id FROM events WHERE action = 'open_item' ORDER BY id")]
check(opened == [1, 2, 3, 2, 1, 4], f"items opened: {opened}")
acts = [a for (a,) in q("SELECT action FROM events ORDER BY id")]
for name, n in [("annotation_created", 4), ("annotation_deleted", 1), ("undo", 2), ("redo", 2), ("nothing_here", 1)]:
    check(acts.count(name) == n, f"{n} {name} events expected, found {acts.count(name)}")
cmds = q("SELECT kind, state FROM commands ORDER BY id")
kinds = [k for k, _ in cmds]
want = ["create", "create", "update", "update", "update", "update", "update", "update",
        "create_many", "delete", "reorder", "update", "update", "create_many"]
check(kinds[:len(want)] == want and len(kinds) == len(want) + 1, f"undo history kinds: {kinds}")
check(all(s == "done" for _, s in cmds), f"every command done after the redos: {cmds}")
for p in problems: print("  -", p)
sys.exit(1 if problems else 0)
PY
echo "edits gui test passed: select, move, resize, class, attributes, duplicate, delete, z order, hide, lock, redo x2, copy to next, nothing here, next unlabelled, item filters; screenshots in $art"
