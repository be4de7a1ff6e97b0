#!/usr/bin/env bash
# GUI test for text work: opens a text project in the real labelbench window, selects "北京" with
# real mouse input (xdotool drag, character by character), labels it with the LOC class's
# hotkey, and checks the database row: kind span, coords = code-point offsets [3, 5).
# The text also holds emoji and rare CJK characters (U+1F600, CJK Extension B U+20BB7 and
# U+2A6A5, U+9F98 and Extension A U+3400 outside the common set): the screenshot must show them
# drawn (full-width glyphs with ink, the emoji in colour), not as "?".
#   bash tests/gui/text_gui_test.sh <build dir> <artifact dir>
# Uses $DISPLAY when set; otherwise starts its own Xvfb on a free display.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs text_gui_test.sh "text" "$@"

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
first_text='张三在北京工作。Zhang San works in Beijing. 😀🎉 𠮷𪚥 龘㐀'
printf '%s\n第二条文本\n' "$first_text" >"$art/work/texts.txt"
"$cli" import texts "$db" "$art/work/texts.txt" >/dev/null
# zh-CN: the Chinese UI loads the CJK font, so the screenshots show the characters.

launch_app "$db" ann zh-CN

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

# Emoji and rare CJK drawn from the fonts fontconfig found (atlas rebuilt for this text).
wait_state 's["font_generation"] >= 2' "the font atlas rebuilt with the text's characters"
sleep 0.5
import -window root "$art/glyphs.png"
python3 - "$gui_state" "$first_text" "$art/glyphs.png" <<'PY' || fail "emoji or rare CJK characters are not drawn"
import json, subprocess, sys
s = json.load(open(sys.argv[1]))
text, png = sys.argv[2], sys.argv[3]
assert s["missing_glyphs"] == 0, f"characters no installed font has: {s['missing_glyphs']} (apt install fonts-noto-color-emoji fonts-hanazono)"
chars = s["chars"]
def rect(ch):
    x, y, w, h = chars[text.index(ch)]
    return round(x), round(y), max(1, round(w)), max(1, round(h))
def pixels(ch):
    x, y, w, h = rect(ch)
    out = subprocess.run(["convert", png, "-crop", f"{w}x{h}+{x}+{y}", "+repage", "-depth", "8", "txt:-"],
                         capture_output=True, text=True, check=True).stdout
    px = []
    for line in out.splitlines()[1:]:
        rgb = line.split("(")[1].split(")")[0].split(",")[:3]
        px.append(tuple(int(float(v)) for v in rgb))
    return px
narrow = chars[text.index("n")][2]
for ch in "😀🎉𠮷𪚥龘㐀":
    w = chars[text.index(ch)][2]
    # "?" (the fallback) is as narrow as a Latin letter; these are full-width glyphs.
    assert w > 1.5 * narrow, (ch, w, narrow)
    ink = sum(1 for p in pixels(ch) if max(p) > 120)
    assert ink >= 8, (ch, "no ink", ink)
yellow = sum(1 for r, g, b in pixels("😀") if r > 180 and g > 130 and b < 110)
assert yellow >= 10, ("the emoji is not drawn in colour", yellow)
print("glyphs drawn: emoji in colour, CJK Extension A/B and rare CJK full width with ink")
PY

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
