#!/usr/bin/env bash
# GUI test for text work: opens a text project in the real labelbench window, selects "北京" with
# real mouse input (xdotool drag, character by character), labels it with the LOC class's
# hotkey, and checks the database row: kind span, coords = code-point offsets [3, 5).
#   bash tests/gui/text_gui_test.sh <build dir> <artifact dir>
# Uses $DISPLAY when set; otherwise starts its own Xvfb on a free display.
set -euo pipefail
build="$(cd "${1:?usage: text_gui_test.sh <build dir> <artifact dir>}" && pwd)"
art="${2:?usage: text_gui_test.sh <build dir> <artifact dir>}"
mkdir -p "$art"
art="$(cd "$art" && pwd)/text"
rm -rf "$art"
mkdir -p "$art/work" "$art/config"

source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_name="text gui test"
gui_test_setup 141 "$gui_name"
export LB_TEXT_TEST_STATE="$art/work/text_state.json"
gui_state="$LB_TEXT_TEST_STATE"

cli="$build/bin/labelbench-cli"
db="$art/work/texts.lbproj"
"$cli" create "$db" --name "text gui test" >/dev/null
"$cli" schema add-class "$db" PER --scope span --hotkey 1 >/dev/null
"$cli" schema add-class "$db" LOC --scope span --hotkey 2 >/dev/null
"$cli" user add "$db" ann --role annotator >/dev/null
printf '张三在北京工作。Zhang San works in Beijing.\n第二条文本\n' >"$art/work/texts.txt"
"$cli" import texts "$db" "$art/work/texts.txt" >/dev/null
# zh-CN: the Chinese UI loads the CJK font, so the screenshots show the characters.

"$build/bin/labelbench" "$db" --user ann --lang zh-CN --test-mode >"$art/labelbench.log" 2>&1 &
app_pid=$!

# Screen point a few pixels inside the left edge of code point $1, vertically centred.
char_at() {
  python3 - "$gui_state" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x, y, w, h = s["chars"][int(sys.argv[2])]
print(round(x + min(2, w / 4)), round(y + h / 2))
PY
}

# The program opens the first item of the list by itself.
wait_state 's["kind"] == "text" and len(s["chars"]) >= 8' "the text panel showing the first text"

read -r x0 y0 < <(char_at 3)   # 北
read -r x1 y1 < <(char_at 5)   # 工 (the selection ends before it)
xdotool mousemove "$x0" "$y0" && sleep 0.2
xdotool mousedown 1 && sleep 0.1
for f in 0.3 0.6 1.0; do
  xdotool mousemove "$(python3 -c "print(round($x0 + ($x1 - $x0) * $f))")" "$y1"
  sleep 0.1
done
xdotool mouseup 1
wait_state 's["selection"] == [3, 5]' "the mouse selection of 北京 as code points [3, 5)"
import -window root "$art/selected.png" || true
xdotool key 2
sleep 1
import -window root "$art/labelled.png" || true

python3 - "$db" <<'PY' || fail "the project database does not hold the span"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("""SELECT a.kind, a.coords_json, c.name, u.name FROM annotations a
                     JOIN classes c ON c.id = a.class_id JOIN users u ON u.id = a.author_id
                     WHERE a.deleted = 0""").fetchall()
print("annotations:", rows)
assert len(rows) == 1, rows
kind, coords, cls, user = rows[0]
assert kind == "span", kind
assert [round(v) for v in json.loads(coords)] == [3, 5], coords
assert cls == "LOC" and user == "ann", (cls, user)
text = db.execute("""SELECT i.text FROM items i JOIN annotations a ON a.item_id = i.id
                     WHERE a.deleted = 0""").fetchone()[0]
assert text[3:5] == "北京", text
PY
echo "text gui test passed"
