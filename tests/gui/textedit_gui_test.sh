#!/usr/bin/env bash
# GUI test for text editing work, with real keyboard and mouse input (xdotool) in the real
# labelbench window, each step checked in the project database:
#   texts (single-label document classes):
#     shift+arrow selection + span hotkey (twice), a typed relation between the two spans
#     (click, ctrl+click, relation hotkey), document class by hotkey (a second one replaces the
#     first), a correction saved as version 1 (original text unchanged, the span it cuts
#     through flagged), undo and redo of that correction, junk and duplicate marks with typed
#     reasons;
#   prompts (multi-label document classes, a rubric):
#     two document classes by hotkey, rubric scores (ctrl+click a slider, type) and a comment
#     saved for response 1, a ranking typed into the rank fields, undo and redo of the ranking.
#   bash tests/gui/textedit_gui_test.sh <build dir> <artifact dir>
# Uses $DISPLAY when set; otherwise starts its own Xvfb on a free display.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/gui_test_common.sh"
gui_test_dirs textedit_gui_test.sh "textedit" "$@"

gui_name="textedit gui test"
gui_test_setup 161 "$gui_name"
export LB_TEXT_TEST_STATE="$art/work/text_state.json"
gui_state="$LB_TEXT_TEST_STATE"
cli="$build/bin/labelbench-cli"

# [helpers] ------------------------------------------------------------------------------------
# Screen point a few pixels inside the left edge of code point $1 (or at its middle with $2=mid).
char_at() {
  python3 - "$gui_state" "$1" "${2:-left}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x, y, w, h = s["chars"][int(sys.argv[2])]
print(round(x + (w / 2 if sys.argv[3] == "mid" else min(2, w / 4))), round(y + h / 2))
PY
}
# Centre (or a point at fraction $2 of the width) of the widget the text panel reports as $1.
widget_at() {
  wait_state "'$1' in s['widgets']" "the widget $1"
  python3 - "$gui_state" "$1" "${2:-0.5}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x, y, w, h = s["widgets"][sys.argv[2]]
print(round(x + w * float(sys.argv[3])), round(y + h / 2))
PY
}
click_at() { xdotool mousemove "$1" "$2" && sleep 0.15 && xdotool click 1 && sleep 0.25; }
click_widget() {
  local x y
  read -r x y < <(widget_at "$1" "${2:-0.5}")
  click_at "$x" "$y"
}
keys() { for k in "$@"; do xdotool key "$k"; sleep 0.12; done; }
# Runs the python assertions on stdin against the project database ($db) until they hold (10 s).
# In scope: db (sqlite3), rows(sql, *args), one(sql, *args) (first column of the first row).
wait_db() {
  local what="$1" code
  code="$(cat)"
  for _ in $(seq 50); do
    if python3 - "$db" "$code" >"$art/work/db_check.out" 2>&1 <<'PY'; then return 0; fi
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def rows(sql, *a): return db.execute(sql, a).fetchall()
def one(sql, *a):
    r = db.execute(sql, a).fetchone()
    return r[0] if r else None
exec(sys.argv[2])
PY
    sleep 0.2
  done
  cat "$art/work/db_check.out" >&2
  fail "$what"
}
start_app() {
  launch_app "$db" ann zh-CN "_$1"
  ln -sf "labelbench_$1.log" "$art/labelbench.log"
  rm -f "$gui_state"
  wait_window
}

# [texts] --------------------------------------------------------------------------------------
db="$art/work/texts.lbproj"
"$cli" create "$db" --name "textedit gui test" >/dev/null
cat >"$art/work/schema.json" <<'JSON'
{"classes": [
  {"name": "PER", "scope": "span", "hotkey": "1", "color": "#e6194b"},
  {"name": "LOC", "scope": "span", "hotkey": "2", "color": "#3cb44b"},
  {"name": "works_in", "scope": "relation", "hotkey": "3", "color": "#4363d8"},
  {"name": "news", "scope": "document", "hotkey": "7", "color": "#f58231"},
  {"name": "ad", "scope": "document", "hotkey": "8", "color": "#911eb4"}],
 "document_multi_label": false, "spans_may_overlap": false}
JSON
"$cli" schema import "$db" "$art/work/schema.json" >/dev/null
"$cli" user add "$db" ann --role annotator >/dev/null
printf '张三在北京工作。Zhang San works in Beijing.😀\n买一送一，点击链接领取\n张三在北京工作。\n' >"$art/work/texts.txt"
"$cli" import texts "$db" "$art/work/texts.txt" >/dev/null
original="张三在北京工作。Zhang San works in Beijing.😀"

start_app texts
wait_state 's["kind"] == "text" and len(s["chars"]) >= 8' "the text panel showing the first text"

# 1. Keyboard selection: click before 张, shift+Right twice, PER's hotkey; then 北京 for LOC.
read -r x y < <(char_at 0)
click_at "$x" "$y"
keys shift+Right shift+Right
wait_state 's["selection"] == [0, 2]' "shift+Right twice selecting code points [0, 2)"
keys 1
read -r x y < <(char_at 3)
click_at "$x" "$y"
keys shift+Right shift+Right
wait_state 's["selection"] == [3, 5]' "shift+Right twice selecting 北京 [3, 5)"
keys 2
wait_db "two spans from keyboard selections (PER [0,2), LOC [3,5))" <<'PY'
spans = rows("""SELECT c.name, a.coords_json FROM annotations a JOIN classes c ON c.id = a.class_id
                WHERE a.kind = 'span' AND a.deleted = 0 ORDER BY a.id""")
assert [(n, [round(v) for v in json.loads(cj)]) for n, cj in spans] == [("PER", [0, 2]), ("LOC", [3, 5])], spans
PY
shot spans

# 2. A relation: click the PER span, ctrl+click the LOC span, press the relation's hotkey.
read -r x y < <(char_at 1 mid)
click_at "$x" "$y"
read -r x y < <(char_at 4 mid)
xdotool mousemove "$x" "$y" && sleep 0.15
xdotool keydown ctrl && sleep 0.1 && xdotool click 1 && sleep 0.15 && xdotool keyup ctrl && sleep 0.25
keys 3
wait_db "a works_in relation from the PER span to the LOC span" <<'PY'
per = one("SELECT a.id FROM annotations a JOIN classes c ON c.id = a.class_id WHERE c.name = 'PER' AND a.deleted = 0")
loc = one("SELECT a.id FROM annotations a JOIN classes c ON c.id = a.class_id WHERE c.name = 'LOC' AND a.deleted = 0")
rel = rows("""SELECT c.name, a.data_json FROM annotations a JOIN classes c ON c.id = a.class_id
              WHERE a.kind = 'relation' AND a.deleted = 0""")
assert len(rel) == 1 and rel[0][0] == "works_in", rel
d = json.loads(rel[0][1])
assert (d["from"], d["to"]) == (per, loc), (d, per, loc)
# The relation hotkey must not have relabelled the selected spans.
assert rows("SELECT c.scope FROM annotations a JOIN classes c ON c.id = a.class_id WHERE a.kind = 'span' AND a.deleted = 0") == [("span",), ("span",)]
PY

# 3. Document class, single-label: 7 (news) then 8 (ad) leaves one class, ad.
keys 7
wait_db "document class news after its hotkey" <<'PY'
assert rows("""SELECT c.name FROM annotations a JOIN classes c ON c.id = a.class_id
               WHERE a.kind = 'doc_class' AND a.deleted = 0""") == [("news",)]
PY
keys 8
wait_db "single-label: the second document class replaces the first" <<'PY'
assert rows("""SELECT c.name FROM annotations a JOIN classes c ON c.id = a.class_id
               WHERE a.kind = 'doc_class' AND a.deleted = 0""") == [("ad",)]
PY
shot classified

# 4. Correction: edit "京工" to "X" (cuts through the LOC span 北京), save as a new version.
click_widget correct
wait_state 's["correcting"] and "edit" in s["widgets"]' "the correction editor"
click_widget edit 0.5
keys ctrl+Home Right Right Right Right shift+Right shift+Right
xdotool type --delay 120 "X"
sleep 0.3
shot correcting
click_widget save_version
wait_db "version 1 stored beside the unchanged original, the cut span flagged" <<PY
original = "$original"
assert one("SELECT text FROM items ORDER BY id LIMIT 1") == original
versions = rows("SELECT data_json FROM annotations WHERE kind = 'corrected_text' AND deleted = 0")
assert len(versions) == 1, versions
v = json.loads(versions[0][0])
# The emoji outside the edit comes back as itself (the editor holds 16-bit characters).
assert v["version"] == 1 and v["text"] == "张三在北X作。Zhang San works in Beijing.😀", v
loc = json.loads(one("SELECT a.data_json FROM annotations a JOIN classes c ON c.id = a.class_id WHERE c.name = 'LOC' AND a.deleted = 0"))
assert loc.get("needs_review") is True, loc
per = json.loads(one("SELECT a.data_json FROM annotations a JOIN classes c ON c.id = a.class_id WHERE c.name = 'PER' AND a.deleted = 0"))
assert not per.get("needs_review"), per
PY
shot corrected

# 5. Undo the correction (one step: the version and the flag go), then redo it.
keys ctrl+z
wait_db "undo removes version 1 and the flag" <<'PY'
assert one("SELECT count(*) FROM annotations WHERE kind = 'corrected_text' AND deleted = 0") == 0
loc = json.loads(one("SELECT a.data_json FROM annotations a JOIN classes c ON c.id = a.class_id WHERE c.name = 'LOC' AND a.deleted = 0"))
assert not loc.get("needs_review"), loc
PY
keys ctrl+y
wait_db "redo brings version 1 and the flag back" <<'PY'
assert one("SELECT count(*) FROM annotations WHERE kind = 'corrected_text' AND deleted = 0") == 1
loc = json.loads(one("SELECT a.data_json FROM annotations a JOIN classes c ON c.id = a.class_id WHERE c.name = 'LOC' AND a.deleted = 0"))
assert loc.get("needs_review") is True, loc
PY

# 6. Next text (D), type a reason, mark it junk.
keys d
wait_state 's["item"] == 2' "the second text after D"
click_widget reason
xdotool type --delay 80 "ads only"
sleep 0.3
click_widget junk
wait_db "the second text excluded as junk with the typed reason" <<'PY'
assert rows("SELECT excluded, excluded_reason FROM items WHERE id = 2") == [(1, "junk: ads only")], rows("SELECT excluded, excluded_reason FROM items")
assert rows("SELECT excluded FROM items WHERE id = 1") == [(0,)]
PY
shot junk

# 7. Next text (D), a near copy of the first: mark it a duplicate with a typed reason.
keys d
wait_state 's["item"] == 3 and "duplicate" in s["widgets"]' "the third text after D"
click_widget reason
xdotool type --delay 80 "same as 1"
sleep 0.3
click_widget duplicate
wait_db "the third text excluded as a duplicate with the typed reason" <<'PY'
assert rows("SELECT excluded, excluded_reason FROM items WHERE id = 3") == [(1, "duplicate: same as 1")], rows("SELECT excluded, excluded_reason FROM items")
PY
quit_app

# [prompts] ------------------------------------------------------------------------------------
db="$art/work/prompts.lbproj"
"$cli" create "$db" --name "textedit gui test prompts" >/dev/null
cat >"$art/work/schema.json" <<'JSON'
{"classes": [
  {"name": "math", "scope": "document", "hotkey": "7", "color": "#f58231"},
  {"name": "unsafe", "scope": "document", "hotkey": "8", "color": "#911eb4"}],
 "document_multi_label": true, "ranking_ties_allowed": false,
 "rubric": [{"name": "correctness", "min": 1, "max": 5}, {"name": "helpfulness", "min": 1, "max": 5}]}
JSON
"$cli" schema import "$db" "$art/work/schema.json" >/dev/null
"$cli" user add "$db" ann --role annotator >/dev/null
cat >"$art/work/prompts.jsonl" <<'JSON'
{"q": "2 + 2 = ?", "answers": ["4", "5", "Four, because 2 + 2 = 4."]}
JSON
"$cli" import prompts "$db" "$art/work/prompts.jsonl" --prompt-field q --responses-field answers >/dev/null

start_app prompts
wait_state 's["kind"] == "prompt" and "rank:2" in s["widgets"]' "the prompt with three responses"

# 8. Multi-label: both document classes stay.
keys 7 8
wait_db "multi-label: both document classes" <<'PY'
assert sorted(rows("""SELECT c.name FROM annotations a JOIN classes c ON c.id = a.class_id
                      WHERE a.kind = 'doc_class' AND a.deleted = 0""")) == [("math",), ("unsafe",)]
PY

# 9. Rubric scores for response 1 (ctrl+click turns a slider into a field), a comment, save.
for crit in correctness:4 helpfulness:3; do
  read -r x y < <(widget_at "score:0:${crit%%:*}")
  xdotool mousemove "$x" "$y" && sleep 0.15
  xdotool keydown ctrl && sleep 0.1 && xdotool click 1 && sleep 0.15 && xdotool keyup ctrl && sleep 0.2
  keys ctrl+a
  xdotool type --delay 100 "${crit##*:}"
  keys Return
done
click_widget comment:0
xdotool type --delay 80 "right but terse"
sleep 0.3
click_widget save_rating:0
wait_db "a rating of response 1 with both scores and the comment" <<'PY'
r = rows("SELECT data_json FROM annotations WHERE kind = 'rating' AND deleted = 0")
assert len(r) == 1, r
d = json.loads(r[0][0])
assert d["response"] == 0 and d["scores"] == {"correctness": 4, "helpfulness": 3}, d
assert d["comment"] == "right but terse", d
PY

# 10. Ranking: response 3 best, then 1, then 2 (typed into the rank fields), save.
for rank in 0:2 1:3 2:1; do
  click_widget "rank:${rank%%:*}" 0.15
  keys ctrl+a
  xdotool type --delay 100 "${rank##*:}"
  keys Return
done
sleep 0.3
shot ranked
click_widget save_ranking
wait_db "the ranking [2, 3, 1]" <<'PY'
r = rows("SELECT data_json FROM annotations WHERE kind = 'ranking' AND deleted = 0")
assert len(r) == 1 and json.loads(r[0][0])["ranks"] == [2, 3, 1], r
PY

# 11. Undo the ranking, redo it.
keys ctrl+z  # Return left the rank field and the button took the click: keys are commands again
wait_db "undo removes the ranking" <<'PY'
assert one("SELECT count(*) FROM annotations WHERE kind = 'ranking' AND deleted = 0") == 0
assert one("SELECT count(*) FROM annotations WHERE kind = 'rating' AND deleted = 0") == 1
PY
keys ctrl+y
wait_db "redo restores the ranking" <<'PY'
r = rows("SELECT data_json FROM annotations WHERE kind = 'ranking' AND deleted = 0")
assert len(r) == 1 and json.loads(r[0][0])["ranks"] == [2, 3, 1], r
PY
shot evaluated
quit_app
echo "textedit gui test passed"
