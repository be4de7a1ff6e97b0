#!/usr/bin/env bash
# GUI test for the import-with-labels and export dialogs: in the real labelbench window, with real
# mouse and keyboard input (xdotool), imports a labelme file made here through the panel, exports
# the project to COCO and to YOLO through the panel, then starts a long export (a project of
# several thousand items imported from the command line), watches its progress bar and presses
# Cancel. Checks the database rows, the exported files, and that the cancelled export left no
# file behind that could pass for a finished one.
#   bash tests/gui/export_gui_test.sh <build dir> <artifact dir>
# Uses $DISPLAY when set; otherwise starts its own Xvfb on a free display.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs export_gui_test.sh "export" "$@"

gui_name="export gui test"
gui_test_setup 171 "$gui_name"
export LB_TEST_STATE="$art/work/state.json"
gui_state="$LB_TEST_STATE"
panel="$LB_TEST_STATE.export"
big_items="${LB_EXPORT_GUI_ITEMS:-20000}"

# [SECTION] Helpers for the panel's state file ($panel)
type_into() {
  click_until "$1" "s['active'] == '$1'" "typing into $1"
  xdotool key ctrl+a && xdotool type --delay 10 "$2" && sleep 0.2
  xdotool key Tab && sleep 0.2
}
choose() {  # a combo ($1) and one of its entries ($1_$2)
  click_until "$1" "'$1_$2' in s['widgets']" "the $1 list open"
  click_until "$1_$2" "s['$1'] == '$2'" "$2 chosen in $1"
}
# Opens a panel from the View menu: tries the menu's rows from the top until the panel's state
# file ($1) appears, closing any other panel it opened on the way.
open_from_view_menu() {
  local file="$1" y
  for y in 188 $(seq 36 19 226); do  # 188: "Import / Export" in the current View menu
    xdotool mousemove 126 10 && sleep 0.2 && xdotool click 1 && sleep 0.4
    xdotool mousemove 150 "$y" && sleep 0.2 && xdotool click 1 && sleep 0.8
    [ -f "$file" ] && return 0
    xdotool mousemove 126 10 && sleep 0.2 && xdotool click 1 && sleep 0.4
    xdotool mousemove 150 "$y" && sleep 0.2 && xdotool click 1 && sleep 0.4
  done
  fail "no View menu entry opened $(basename "$file")"
}
jobs_done() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['jobs_finished'])" "$panel"; }

# [SECTION] Project: three photos, and a big batch of $big_items items with 10 boxes each imported
# from a COCO file (no media: the items are created from the labels) so that an export takes long
# enough to cancel.
cli="$build/bin/labelbench-cli"
db="$art/work/export.lbproj"
data=/usr/share/doc/opencv-doc/examples/data
mkdir -p "$art/work/images"
for f in fruits.jpg baboon.jpg butterfly.jpg; do cp "$data/$f" "$art/work/images/"; done
"$cli" create "$db" --name "export gui test" >/dev/null
"$cli" user add "$db" lead --role lead >/dev/null
"$cli" import images "$db" "$art/work/images" --batch photos --user lead >/dev/null
python3 - "$art/work/big.json" "$big_items" <<'PY'
import json, sys
n = int(sys.argv[2])
images = [{"id": i + 1, "file_name": f"big/{i:06d}.jpg", "width": 640, "height": 480} for i in range(n)]
anns = []
for i in range(n):
    for k in range(10):
        x, y = 10 + 50 * k, 20 + 3 * k
        anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": 3 if k % 2 else 7,
                     "bbox": [x, y, 40, 30], "area": 1200, "iscrowd": 0, "segmentation": []})
json.dump({"images": images, "annotations": anns,
           "categories": [{"id": 3, "name": "car"}, {"id": 7, "name": "person"}]}, open(sys.argv[1], "w"))
PY
start=$(date +%s)
"$cli" import-labels "$db" "$art/work/big.json" --format coco --batch-name big >"$art/import_big.log" 2>&1 ||
  fail "import-labels of the big COCO file failed: $(tail -3 "$art/import_big.log")"
echo "imported $big_items items with 10 boxes each in $(( $(date +%s) - start )) s"
# A labelme file for fruits.jpg, to import through the panel.
cat >"$art/work/fruits.json" <<'EOF'
{"version": "5.1.1", "flags": {}, "imagePath": "images/fruits.jpg", "imageData": null,
 "imageHeight": 480, "imageWidth": 512,
 "shapes": [
  {"label": "apple", "points": [[20, 30], [180, 190]], "group_id": null, "shape_type": "rectangle", "flags": {}},
  {"label": "orange", "points": [[250, 200], [330, 190], [360, 280], [260, 300]], "group_id": null,
   "shape_type": "polygon", "flags": {}}]}
EOF

# [SECTION] The program
launch_app "$db" lead
wait_window
wait_state 's["item"] > 0' "an item on the canvas"
open_from_view_menu "$panel"
shot 00_panel

# 1. Import labels: labelme, the file above.
click_until tab_import "'import_path' in s['widgets']" "the import tab"
choose import_format labelme
type_into import_path "$art/work/fruits.json"
shot 01_import_form
click_until import_run "s['running'] or s['jobs_finished'] == 1" "the import to start"
wait_panel "s['jobs_finished'] == 1 and not s['running']" "the import to finish"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if not s['failed'] and '2 annotations' in s['result'] and '1 items matched' in s['result'] else 1)" "$panel" ||
  fail "the import did not report 2 annotations on 1 matched item: $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['result'])" "$panel")"
shot 02_imported

# 2. Export to COCO, then to YOLO.
click_until tab_export "'out' in s['widgets']" "the export tab"
choose export_format coco
type_into out "$art/work/out_coco"
click_until run "s['running'] or s['jobs_finished'] == 2" "the COCO export to start"
wait_panel "s['jobs_finished'] == 2 and not s['running']" "the COCO export to finish"
shot 03_coco_done
choose export_format yolo
type_into out "$art/work/out_yolo"
click_until run "s['running'] or s['jobs_finished'] == 3" "the YOLO export to start"
wait_panel "s['jobs_finished'] == 3 and not s['running']" "the YOLO export to finish"
shot 04_yolo_done

# 3. A long export, cancelled part-way: the progress bar shows, Cancel stops it.
choose export_format yolo
type_into out "$art/work/out_cancel"
click_until run "s['running'] or s['jobs_finished'] == 4" "the long export to start"
# As soon as the progress bar moves: a screenshot of it (in the background) and Cancel, without
# the delays of the helpers, so that the export is still running when the click lands.
read -r cx cy < <(python3 - "$panel" <<'PY'
import json, sys, time
for _ in range(600):
    try:
        s = json.load(open(sys.argv[1]))
        if s["running"] and s["done"] > 0 and "cancel" in s["widgets"]:
            x, y, w, h = s["widgets"]["cancel"]
            print(round(x + w / 2), round(y + h / 2))
            break
    except (OSError, ValueError):
        pass
    time.sleep(0.03)
PY
)
[ -n "${cx:-}" ] || fail "the export's progress did not show"
import -window root "$art/05_progress.png" &
shot_pid=$!
xdotool mousemove "$cx" "$cy" click 1
wait "$shot_pid"
sd="$(identify -format '%[fx:standard_deviation]' "$art/05_progress.png")"
python3 -c "import sys; sys.exit(0 if float('$sd') > 0.02 else 1)" || fail "screenshot 05_progress looks blank"
echo "screenshot 05_progress.png (stddev $sd)"
for _ in 1 2 3; do  # a click lost under load is tried again while the export still runs
  sleep 0.8
  python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))['running'] else 1)" "$panel" || break
  xdotool mousemove "$cx" "$cy" click 1
done
wait_panel "s['jobs_finished'] == 4 and not s['running']" "the cancelled export to stop"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s['cancelled'] and not s['failed'] else 1)" "$panel" ||
  fail "the panel does not say the export was cancelled"
shot 06_cancelled
quit_app

# [SECTION] Files and rows
python3 - "$db" "$art/work" "$big_items" <<'PY' || fail "files or database rows are not what the panel did (see above)"
import glob, json, os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
work, n = sys.argv[2], int(sys.argv[3])
q = lambda sql, *a: db.execute(sql, a).fetchall()
problems = []
def check(ok, what):
    if not ok: problems.append(what)
# The panel's import: two annotations on fruits.jpg from labelme, classes created.
rows = q("""SELECT a.kind, c.name, a.source FROM annotations a JOIN classes c ON c.id = a.class_id
            JOIN items i ON i.id = a.item_id WHERE i.media_path LIKE '%fruits.jpg' AND a.deleted = 0 ORDER BY a.id""")
check(rows == [("box", "apple", "import:labelme"), ("polygon", "orange", "import:labelme")], f"fruits.jpg rows: {rows}")
total_anns = q("SELECT count(*) FROM annotations WHERE deleted = 0")[0][0]
check(total_anns == 10 * n + 2, f"{10 * n + 2} annotations expected, found {total_anns}")
# COCO: one file with every labelled item and annotation, the client's category ids kept.
coco = json.load(open(os.path.join(work, "out_coco/annotations/instances_default.json")))
check(len(coco["images"]) == n + 1, f"COCO images {len(coco['images'])} != {n + 1}")
check(len(coco["annotations"]) == 10 * n + 2, f"COCO annotations {len(coco['annotations'])} != {10 * n + 2}")
cats = {c["name"]: c["id"] for c in coco["categories"]}
check(cats.get("car") == 3 and cats.get("person") == 7, f"client's category ids kept: {cats}")
fr = [im for im in coco["images"] if im["file_name"].endswith("fruits.jpg")]
check(len(fr) == 1 and sum(a["image_id"] == fr[0]["id"] for a in coco["annotations"]) == 2, "fruits.jpg with 2 annotations in COCO")
# YOLO: a label file per labelled image, 10 lines for a big item, names in data.yaml.
labels = glob.glob(os.path.join(work, "out_yolo/labels/**/*.txt"), recursive=True)
check(len(labels) == n + 1, f"YOLO label files {len(labels)} != {n + 1}")
big0 = [p for p in labels if p.endswith("000000.txt")]
check(len(big0) == 1 and len(open(big0[0]).read().splitlines()) == 10, f"000000.txt with 10 boxes: {big0}")
check(os.path.exists(os.path.join(work, "out_yolo/data.yaml")), "YOLO data.yaml")
# The cancelled export: nothing written, no staging folder left.
left = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(work, "out_cancel")) for f in fs]
left += [d for d, ds, _ in os.walk(work) if ".labelbench-partial" in d]
check(not left, f"the cancelled export left files: {left[:5]}")
for p in problems: print("  -", p)
sys.exit(1 if problems else 0)
PY
echo "export gui test passed: import labelme, export COCO and YOLO, cancel a long export; screenshots in $art"
