#!/usr/bin/env bash
# GUI test for the cleaning panel: a project made with the CLI from Debian's OpenCV sample images
# plus an exact copy, a half-size copy, a blurred and a darkened version (ImageMagick). As the
# lead, with real clicks in the real window: open View > Cleaning, run the checks, keep the copy
# of an exact-duplicate group ("keep this one" excludes the rest), exclude the blurred image, move
# the blur threshold slider (the count on screen follows the stored scores), bring the blurred
# image back from the excluded view. Then the database must hold those decisions and exclusions,
# and a COCO export by the CLI must leave the excluded image out. Last, an annotator opens the
# program: the View menu has no cleaning panel.
#   bash tests/gui/clean_gui_test.sh <build dir> <artifact dir>
# Uses $DISPLAY when set; otherwise starts its own Xvfb on a free display.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs clean_gui_test.sh "clean" "$@"
mkdir -p "$art/work/images"
gui_name="clean gui test"
gui_test_setup 161 "$gui_name"
export LB_CLEAN_TEST_STATE="$art/work/clean_state.json"
gui_state="$LB_CLEAN_TEST_STATE"
command -v convert >/dev/null || { echo "$gui_name: convert is missing (apt install imagemagick)" >&2; exit 2; }

# [SECTION] The project
data=/usr/share/doc/opencv-doc/examples/data
imgs="$art/work/images"
for f in apple baboon butterfly fruits home orange; do
  [ -f "$data/$f.jpg" ] || { echo "$gui_name: $data/$f.jpg is missing (apt install opencv-doc)" >&2; exit 2; }
  cp "$data/$f.jpg" "$imgs/"
done
cp "$imgs/fruits.jpg" "$imgs/fruits_copy.jpg"                          # exact duplicate
convert "$imgs/baboon.jpg" -resize 50% "$imgs/baboon_small.jpg"         # near duplicate
convert "$imgs/butterfly.jpg" -blur 0x6 "$imgs/butterfly_blurred.jpg"   # blurry
convert "$imgs/home.jpg" -brightness-contrast -70x-40 "$imgs/home_dark.jpg"  # too dark

cli="$build/bin/labelbench-cli"
db="$art/work/clean.lbproj"
"$cli" create "$db" --name "clean gui test" >/dev/null
"$cli" user add "$db" lead --role lead >/dev/null
"$cli" user add "$db" ann --role annotator >/dev/null
"$cli" import images "$db" "$imgs" --user lead >/dev/null
# One box per image so that an export lists every image that is not excluded.
python3 - "$db" "$art/work/labels.json" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
coco = {"images": [], "categories": [{"id": 1, "name": "thing"}], "annotations": []}
for n, (path, w, h) in enumerate(db.execute("SELECT media_path, width_px, height_px FROM items ORDER BY id"), 1):
    coco["images"].append({"id": n, "file_name": path, "width": w, "height": h})
    coco["annotations"].append({"id": n, "image_id": n, "category_id": 1, "bbox": [n, n, w / 3, h / 3],
                                "area": w * h / 9, "iscrowd": 0})
json.dump(coco, open(sys.argv[2], "w"))
PY
"$cli" import-labels "$db" --format coco "$art/work/labels.json" --no-new-items >/dev/null

id_of() { sqlite3 "$db" "SELECT id FROM items WHERE media_path = 'images/$1'"; }
fruits=$(id_of fruits.jpg)
copy=$(id_of fruits_copy.jpg)
blurred=$(id_of butterfly_blurred.jpg)
[ -n "$fruits" ] && [ -n "$copy" ] && [ -n "$blurred" ] || fail "the import did not make the expected items"

# [SECTION] Helpers over the panel's state file
# Centre of a widget the panel reported (fails when it is not on screen).
widget() {
  python3 - "$gui_state" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
w = s["widgets"].get(sys.argv[2])
if not w: sys.exit(1)
x, y, ww, hh = w
print(round(x + ww / 2), round(y + hh / 2))
PY
}
click_widget() {
  wait_state "'$1' in s['widgets']" "the widget $1 on screen"
  local x y
  read -r x y < <(widget "$1") || fail "no widget $1"
  xdotool mousemove "$x" "$y" && sleep 0.2 && xdotool click 1
}
state() { python3 -c "import json, sys; s = json.load(open(sys.argv[1])); print($1)" "$gui_state"; }

# [SECTION] The window
launch_app "$db" lead
wait_window
sleep 1.5
shot 00_opened

# View > Cleaning: the menu bar's third menu; the cleaning panel is its first entry. Where "View"
# sits depends on the font (about x = 110-145 with the UI font in English), so a few points on it
# are tried until the panel reports in; none of them may hit "Edit", whose first entry is Undo.
opened=""
for x in 127 118 136 110; do
  xdotool mousemove "$x" 10 && sleep 0.2 && xdotool click 1 && sleep 0.5
  xdotool mousemove "$x" 33 && sleep 0.3 && xdotool click 1 && sleep 0.8
  if [ -f "$gui_state" ]; then opened=1; menu_x=$x; break; fi
  xdotool key Escape && sleep 0.3
done
[ -n "$opened" ] || fail "View > Cleaning did not open the cleaning panel"
wait_state 's["loaded"]' "the cleaning panel to read the (empty) findings"
shot 01_panel

# 1. Run the checks from the panel (a worker; the button turns into a progress bar).
click_widget run
wait_state 's["checks"]["exact_dup"]["stored"] > 0 and not s["running"]' "the checks to run and store their scores"
wait_state 's["checks"]["exact_dup"]["groups"] >= 1 and s["checks"]["blur"]["findings"] >= 1' "duplicate groups and blur findings"
shot 02_ran

# 2. Exact duplicates: keep the copy (not the suggested keeper); the original is excluded.
click_widget type:exact_dup
wait_state "s['selected'] == 'exact_dup' and 'keep_one:$copy' in s['widgets']" "the exact-duplicate group side by side"
shot 03_exact_dup_group
click_widget "keep_one:$copy"
wait_state "$fruits in s['excluded_items'] and $copy not in s['excluded_items']" "the original to be excluded, the copy kept"
shot 04_kept_copy

# 3. Blur: exclude the blurred butterfly.
click_widget type:blur
wait_state "s['selected'] == 'blur' and 'exclude:$blurred' in s['widgets']" "the blurred image among the blur findings"
shot 05_blur_list
click_widget "exclude:$blurred"
wait_state "$blurred in s['excluded_items']" "the blurred image to be excluded"
shot 06_blur_excluded

# 4. Move the blur threshold: press 85 % along the slider. The count must follow the stored
#    scores at once (no run), and the project keeps the new threshold.
before=$(state 's["checks"]["blur"]["findings"]')
before_thr=$(state 's["checks"]["blur"]["threshold"]')
read -r sx sy sw sh < <(python3 -c "import json,sys; print(*json.load(open(sys.argv[1]))['widgets']['slider'])" "$gui_state")
tx=$(python3 -c "print(round($sx + $sw * 0.85))")
ty=$(python3 -c "print(round($sy + $sh / 2))")
# A slider takes its value while the button is down (a press and release within one frame would
# only activate it), so: press, hold, nudge, release.
xdotool mousemove "$tx" "$ty" && sleep 0.2 && xdotool mousedown 1 && sleep 0.3
xdotool mousemove "$((tx + 1))" "$ty" && sleep 0.3 && xdotool mouseup 1
wait_state "s['checks']['blur']['threshold'] > $before_thr + 0.1" "the blur threshold to move up"
sleep 0.5
after=$(state 's["checks"]["blur"]["findings"]')
thr=$(state 's["checks"]["blur"]["threshold"]')
expected=$(sqlite3 "$db" "SELECT count(*) FROM findings WHERE check_name = 'blur' AND score >= $thr")
echo "blur threshold $before_thr -> $thr: findings $before -> $after (stored scores say $expected)"
[ "$after" = "$expected" ] || fail "the panel shows $after blur findings at $thr, the stored scores give $expected"
[ "$after" != "$before" ] || fail "moving the blur threshold from $before_thr to $thr did not change the count ($before)"
shot 07_threshold_moved

# 4b. The near-duplicate threshold regroups from the stored pairs (a worker, no run): the groups
#     on screen must be those the CLI reports at the same threshold.
click_widget type:near_dup
wait_state "s['selected'] == 'near_dup' and 'slider' in s['widgets']" "the near-duplicate groups"
groups_before=$(state 's["checks"]["near_dup"]["groups"]')
read -r sx sy sw sh < <(python3 -c "import json,sys; print(*json.load(open(sys.argv[1]))['widgets']['slider'])" "$gui_state")
tx=$(python3 -c "print(round($sx + $sw * 0.2))")
xdotool mousemove "$tx" "$ty" && sleep 0.2 && xdotool mousedown 1 && sleep 0.3
xdotool mousemove "$((tx + 1))" "$ty" && sleep 0.3 && xdotool mouseup 1
wait_state "s['checks']['near_dup']['groups_current'] and s['checks']['near_dup']['groups'] != $groups_before" "the near-duplicate groups at the new threshold"
near_thr=$(state 's["checks"]["near_dup"]["threshold"]')
groups_after=$(state 's["checks"]["near_dup"]["groups"]')
cli_groups=$("$cli" clean report "$db" --checks near_dup --set "near_dup=$near_thr" --json |
  python3 -c "import json,sys; print(len(json.load(sys.stdin)['checks'][0]['groups']))")
echo "near_dup threshold -> $near_thr: groups $groups_before -> $groups_after (CLI: $cli_groups)"
[ "$groups_after" = "$cli_groups" ] || fail "the panel shows $groups_after near-duplicate groups at $near_thr, the CLI $cli_groups"
shot 07b_near_dup_threshold

# 5. The excluded view: bring the blurred image back.
click_widget tab:excluded
wait_state "'bringback:$blurred' in s['widgets']" "the excluded view listing the blurred image"
shot 08_excluded_view
click_widget "bringback:$blurred"
wait_state "$blurred not in s['excluded_items'] and $fruits in s['excluded_items']" "the blurred image to come back"
shot 09_brought_back

quit_app

# 6. An annotator has no cleaning panel: View's first entry is another panel, nothing reports in.
rm -f "$gui_state"
launch_app "$db" ann en "_ann"
wait_window
sleep 1.5
xdotool mousemove "$menu_x" 10 && sleep 0.2 && xdotool click 1 && sleep 0.6
shot 10_annotator_view_menu
xdotool mousemove "$menu_x" 33 && sleep 0.3 && xdotool click 1 && sleep 1.5
[ ! -f "$gui_state" ] || fail "the annotator's View menu opened the cleaning panel"
quit_app

# [SECTION] What the project holds
python3 - "$db" "$fruits" "$copy" "$blurred" "$thr" "$near_thr" <<'PY' || fail "the project database does not hold the decisions (see above)"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
fruits, copy, blurred, thr = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
near_thr = float(sys.argv[6])
q = lambda sql, *a: db.execute(sql, a).fetchall()
problems = []
def check(ok, what):
    if not ok: problems.append(what)
dec = {(i, c): d for i, c, d in q("SELECT item_id, check_name, decision FROM findings WHERE decision != ''")}
print("decisions:", dec)
check(dec.get((fruits, "exact_dup")) == "exclude", "exact_dup: the original is not decided 'exclude'")
check(dec.get((copy, "exact_dup")) == "keep", "exact_dup: the copy is not decided 'keep'")
check((blurred, "blur") not in dec, "blur: the brought-back image still has a decision")
excluded = q("SELECT id, excluded_reason FROM items WHERE excluded = 1")
print("excluded items:", excluded)
check([i for i, _ in excluded] == [fruits], f"only item {fruits} should be excluded, got {excluded}")
check(all(r.startswith("clean:exact_dup") for _, r in excluded), f"exclusion reasons: {excluded}")
events = q("SELECT detail_json FROM events WHERE action = 'clean_decide' ORDER BY id")
acts = [json.loads(d)["action"] for (d,) in events]
print("clean_decide events:", acts)
check(acts.count("restore") >= 1 and acts.count("exclude") >= 2 and acts.count("keep") >= 1, f"events {acts}")
t = json.loads(q("SELECT value_json FROM settings WHERE key = 'clean_thresholds'")[0][0])
check(abs(t.get("blur", -1) - thr) < 1e-6, f"stored blur threshold {t} != {thr}")
check(abs(t.get("near_dup", -1) - near_thr) < 1e-6, f"stored near_dup threshold {t} != {near_thr}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY

# An export leaves the excluded image out and keeps the others (the copy and the brought-back one).
"$cli" export "$db" --format coco --out "$art/work/export" >"$art/export.log" 2>&1 || fail "export failed: $(cat "$art/export.log")"
python3 - "$art/work/export" <<'PY' || fail "the export does not leave the excluded image out"
import glob, json, sys
names = set()
for f in glob.glob(sys.argv[1] + "/**/*.json", recursive=True):
    names |= {i["file_name"].split("/")[-1] for i in json.load(open(f)).get("images", [])}
print("exported:", sorted(names))
assert "fruits.jpg" not in names, "the excluded original was exported"
assert {"fruits_copy.jpg", "butterfly_blurred.jpg", "apple.jpg"} <= names, names
assert len(names) == 9, len(names)
PY
echo "clean gui test passed"
