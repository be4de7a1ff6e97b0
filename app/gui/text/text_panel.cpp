// [SECTION] The text panel: the labelling surface for Text and Prompt items.
//   - document classes (single/multi per schema) with their hotkeys;
//   - the document (TextView): select with mouse or shift+arrows, press a span class's hotkey;
//     click a span to select it (ctrl+click a second one, then a relation type's hotkey or the
//     relation button); Delete removes spans with their relations;
//   - correction: edit the text as a new version beside the original, with a diff;
//   - junk / duplicate marks with a reason;
//   - prompts: the prompt, each response with rubric scores and a comment, and a ranking.
// Every change is deferred and goes through the Session (one transaction, undo/redo).
//
// The panel brings itself to the front when a Text/Prompt item opens and hands the front back
// to the image canvas (window "###canvas") when an image opens.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "app/gui/app_context.h"
#include "app/gui/fonts.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"
#include "app/gui/text/text_view.h"
#include "labeling/text/evaluation.h"
#include "labeling/text/offsets.h"
#include "labeling/text/spans.h"
#include "labeling/text/versions.h"

namespace lb::app {
namespace {

using namespace lb::labeling;
namespace lt = lb::labeling::text;

ImU32 colorOf(const std::string& hex) {
  unsigned r = 200, g = 200, b = 200;
  if (hex.size() == 7 && hex[0] == '#') std::sscanf(hex.c_str() + 1, "%02x%02x%02x", &r, &g, &b);
  return IM_COL32(r, g, b, 255);
}

// GLFW/ImGui-1.86 key index for a schema hotkey ("1".."9", "a".."z"); -1 for none.
int keyFor(const std::string& hotkey) {
  if (hotkey.size() != 1) return -1;
  const char ch = static_cast<char>(std::toupper(static_cast<unsigned char>(hotkey[0])));
  if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) return ch;  // GLFW_KEY_0.., GLFW_KEY_A..
  return -1;
}

// An input buffer for ImGui::InputText* that grows with the text.
int growBuffer(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* s = static_cast<std::string*>(data->UserData);
    s->resize(static_cast<std::size_t>(data->BufTextLen));
    data->Buf = s->data();
  }
  return 0;
}
bool inputMultiline(const char* label, std::string& s, ImVec2 size) {
  return ImGui::InputTextMultiline(label, s.data(), s.capacity() + 1, size, ImGuiInputTextFlags_CallbackResize,
                                   growBuffer, &s);
}
bool inputLine(const char* label, std::string& s) {
  return ImGui::InputText(label, s.data(), s.capacity() + 1, ImGuiInputTextFlags_CallbackResize, growBuffer, &s);
}

class TextPanel final : public Panel {
 public:
  const char* id() const override { return "text"; }
  const char* titleKey() const override { return "text.title"; }
  bool openByDefault() const override { return true; }
  ImVec4 defaultRect() const override { return ImVec4(0.2f, 0.f, 0.58f, 1.f); }  // where the canvas is
  // Only while a Text/Prompt item is open: an image frame on software GL pays nothing for it
  // (its window behind the canvas cost a full fill). When an image opens, the keyboard focus goes
  // back to the canvas from here: drawing this window for that one frame would take the focus
  // as it appears (ImGui focuses appearing windows), and the canvas selection with it.
  bool available(AppContext& ctx) override {
    const auto& item = ctx.currentItem();
    if (!item) return false;
    if (item->kind != ItemKind::Image) return true;
    if (item->id != m_lastItem) {
      m_lastItem = item->id;
      ImGui::SetWindowFocus("###canvas");
    }
    return false;
  }

  void draw(AppContext& ctx) override {
    const auto& item = ctx.currentItem();
    const bool isText = item && item->kind != ItemKind::Image;
    if (item && item->id != m_lastItem) {
      m_lastItem = item->id;
      if (isText) ImGui::SetWindowFocus();
      else ImGui::SetWindowFocus("###canvas");
      m_correcting = false;
      m_evalRevision = ~0ull;
      m_reason.clear();  // a reason typed for another item must not be filed with this one
      if (isText)
        for (const auto& r : item->responses) noteShownTextUtf8(r.text);
    }
    if (!isText) {
      ImGui::TextDisabled("%s", tr("text.no_item"));
      return;
    }
    const auto drawStart = std::chrono::steady_clock::now();
    const auto& anns = ctx.annotations();
    const auto version = lt::currentText(*item, anns);
    benchStep();
    writeTestState(*item);
    drawToolbar(ctx, *item, version);
    drawDocClasses(ctx, anns);
    if (m_correcting) {
      drawCorrection(ctx, version);
      return;
    }
    const float evalH = item->kind == ItemKind::Prompt ? ImGui::GetContentRegionAvail().y * 0.55f : 0.f;
    const float listH = item->kind == ItemKind::Prompt ? 0.f : std::min(160.f, ImGui::GetContentRegionAvail().y * 0.3f);
    drawDocument(ctx, *item, version, anns, ImVec2(0, -(evalH + listH + 4)));
    if (item->kind == ItemKind::Prompt) drawEvaluation(ctx, *item, anns);
    else drawSpanList(ctx, version, anns);
    if (m_benchCount > benchWarmupFrames() + 1)
      m_panelMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - drawStart).count());
  }

 private:
  // [SECTION] Toolbar: word snap, version, correction, junk/duplicate.
  void drawToolbar(AppContext& ctx, const Item& item, const lt::TextVersion& version) {
    ImGui::Checkbox(tr("text.snap"), &m_view.snapToWords);
    ImGui::SameLine();
    ImGui::TextDisabled("%s", version.version == 0 ? tr("text.original")
                                                     : trf("text.version", {std::to_string(version.version)}).c_str());
    ImGui::SameLine();
    if (item.kind == ItemKind::Text) {
      if (ImGui::SmallButton(tr("text.correct"))) {
        // ImGui's fields hold 16-bit characters: edit the display text (emoji as stand-ins)
        // and map it back on save, or every emoji would come back as U+FFFD.
        m_correcting = true;
        m_edit = toDisplayText(version.text);
        m_editBase = m_edit;
      }
      testRect("correct");
    }
    ImGui::SameLine();
    if (item.excluded) {
      ImGui::TextColored(ImVec4(1, 0.5f, 0.3f, 1), "%s", item.excludedReason.c_str());
      ImGui::SameLine();
      if (ImGui::SmallButton(tr("text.unmark")))
        ctx.defer([id = item.id](AppContext& c) {
          c.report(lt::unmarkItem(c.session(), id));
          c.refreshCurrent();
        });
      testRect("unmark");
    } else {
      ImGui::SetNextItemWidth(140);
      inputLine(tr("text.reason"), m_reason);
      testRect("reason");
      ImGui::SameLine();
      for (auto [key, mark] : {std::pair{"text.junk", lt::ItemMark::Junk}, {"text.duplicate", lt::ItemMark::Duplicate}}) {
        if (ImGui::SmallButton(tr(key)))
          ctx.defer([id = item.id, mark = mark, why = m_reason](AppContext& c) {
            c.report(lt::markItem(c.session(), id, mark, why));
            c.refreshCurrent();
          });
        testRect(mark == lt::ItemMark::Junk ? "junk" : "duplicate");
        ImGui::SameLine();
      }
      ImGui::NewLine();
    }
  }

  // [SECTION] Document classes: buttons and hotkeys.
  void drawDocClasses(AppContext& ctx, const std::vector<Annotation>& anns) {
    bool any = false;
    for (const auto& c : ctx.schema().classes) {
      if (c.scope != ClassScope::Document) continue;
      any = true;
      const bool on = std::any_of(anns.begin(), anns.end(), [&](const Annotation& a) {
        return a.kind == AnnotationKind::DocClass && a.classId == c.id;
      });
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, colorOf(c.color));
      const std::string label = c.hotkey.empty() ? c.name : c.name + " [" + c.hotkey + "]";
      if (ImGui::SmallButton(label.c_str())) toggleDoc(ctx, c.id);
      testRect("doc:" + c.name);
      if (on) ImGui::PopStyleColor();
      ImGui::SameLine();
    }
    if (any) ImGui::NewLine();
  }

  void toggleDoc(AppContext& ctx, ClassId id) {
    ctx.defer([id](AppContext& c) { c.report(lt::toggleDocClass(c.session(), id)); });
  }

  // [SECTION] The document with spans, selection and hotkeys.
  void drawDocument(AppContext& ctx, const Item& item, const lt::TextVersion& version,
                    const std::vector<Annotation>& anns, ImVec2 size) {
    m_view.setText(std::to_string(item.id) + "#" + std::to_string(version.version), version.text);
    // Characters the atlas lacks (emoji, rare CJK): rebuilt after this frame, drawn from the next.
    if (fontsOutdated()) ctx.defer([](AppContext&) { rebuildFontsIfOutdated(); });
    auto& sel = ctx.session().selection;
    // Spans are re-read only when the annotations change (every edit bumps the revision), so a
    // frame with 2,000 spans costs no JSON parsing or sorting.
    if (m_spanRevision != ctx.revision() || m_spanItem != item.id) {
      m_spanRevision = ctx.revision();
      m_spanItem = item.id;
      m_spans.clear();
      const auto& cps = m_view.codePoints();
      for (const auto& a : anns) {
        if (a.kind != AnnotationKind::Span || a.coords.size() < 2) continue;
        const ClassDef* c = ctx.schema().findClass(a.classId);
        const auto r = lt::spanOf(a);
        SpanRow row;
        row.paint = {r.start, r.end, colorOf(c ? c->color : "#888888"), a.id, lt::needsReview(a), false};
        const std::string snippet =
            r.start >= 0 && r.end <= static_cast<std::int64_t>(cps.size()) && r.start <= r.end
                ? lt::toUtf8(std::u32string_view(cps).substr(r.start, std::min<std::int64_t>(r.end - r.start, 40)))
                : "?";
        row.snippet = toDisplayText(snippet);
        row.label = std::string(row.paint.flagged ? "! " : "") + (c ? c->name : "?") + "  [" + std::to_string(r.start) +
                    "," + std::to_string(r.end) + ")  " + row.snippet + "##" + std::to_string(a.id);
        m_spans.push_back(std::move(row));
      }
      std::sort(m_spans.begin(), m_spans.end(),
                [](const SpanRow& x, const SpanRow& y) { return x.paint.start < y.paint.start; });
    }
    m_paint.resize(m_spans.size());
    for (std::size_t k = 0; k < m_spans.size(); ++k) {
      m_paint[k] = m_spans[k].paint;
      m_paint[k].selected = !sel.empty() && std::find(sel.begin(), sel.end(), m_paint[k].id) != sel.end();
    }
    m_view.draw("##doc", size, m_paint);
    if (m_view.clickedSpan()) {
      if (!m_view.clickedWithCtrl()) sel.clear();
      if (std::find(sel.begin(), sel.end(), m_view.clickedSpan()) == sel.end()) sel.push_back(m_view.clickedSpan());
    } else if (m_view.hasSelection()) {
      sel.clear();  // a character selection replaces a span selection
    }
    handleHotkeys(ctx, anns, static_cast<std::int64_t>(m_view.codePoints().size()));
  }

  void handleHotkeys(AppContext& ctx, const std::vector<Annotation>& anns, std::int64_t length) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || io.KeyCtrl || io.KeyAlt) return;
    auto& sel = ctx.session().selection;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete), false) && !sel.empty()) {
      // The global Delete removes the selection after this frame; take the relations along.
      sel = lt::withDependentRelations(anns, sel);
      return;
    }
    for (const auto& c : ctx.schema().classes) {
      const int key = keyFor(c.hotkey);
      if (key < 0 || !ImGui::IsKeyPressed(key, false)) continue;
      if (c.scope == ClassScope::Span && m_view.hasSelection()) {
        const std::int64_t s = m_view.selStart(), e = m_view.selEnd();
        m_view.clearSelection();
        sel.clear();
        ctx.defer([s, e, id = c.id, length](AppContext& cx) {
          auto a = lt::makeSpan(cx.schema(), cx.annotations(), length, id, s, e);
          if (!a) return (void)cx.report(a.error());
          auto r = cx.session().createAnnotation(*a);
          cx.report(r ? okStatus() : Status(r.error()));
        });
      } else if (c.scope == ClassScope::Document) {
        sel.clear();  // so the global hotkey does not relabel a selected span
        toggleDoc(ctx, c.id);
      } else if (c.scope == ClassScope::Relation && sel.size() == 2) {
        addRelation(ctx, c.id);
      }
      return;
    }
  }

  void addRelation(AppContext& ctx, ClassId type) {
    auto& sel = ctx.session().selection;
    const AnnotationId from = sel[0], to = sel[1];
    sel.clear();
    ctx.defer([from, to, type](AppContext& c) {
      auto a = lt::makeRelation(c.schema(), c.annotations(), type, from, to);
      if (!a) return (void)c.report(a.error());
      auto r = c.session().createAnnotation(*a);
      c.report(r ? okStatus() : Status(r.error()));
    });
  }

  // [SECTION] Spans and relations list (click to select; flagged spans first).
  void drawSpanList(AppContext& ctx, const lt::TextVersion& version, const std::vector<Annotation>& anns) {
    ImGui::BeginChild("##spans", ImVec2(0, 0), true);
    auto& sel = ctx.session().selection;
    if (sel.size() == 2) {
      ImGui::TextUnformatted(tr("text.add_relation"));
      for (const auto& c : ctx.schema().classes)
        if (c.scope == ClassScope::Relation) {
          ImGui::SameLine();
          if (ImGui::SmallButton(c.name.c_str())) addRelation(ctx, c.id);
          testRect("relation:" + c.name);
        }
    } else {
      ImGui::TextDisabled("%s", tr("text.hint"));
    }
    std::map<AnnotationId, std::string> names;
    for (const auto& row : m_spans) names[row.paint.id] = row.snippet;
    ImGuiListClipper clipper;  // 2,000 spans: draw only the visible rows
    clipper.Begin(static_cast<int>(m_spans.size()));
    while (clipper.Step())
      for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) {
        const auto& row = m_spans[k];
        const AnnotationId id = row.paint.id;
        const bool on = std::find(sel.begin(), sel.end(), id) != sel.end();
        if (row.paint.flagged) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(240, 80, 60, 255));
        if (ImGui::Selectable(row.label.c_str(), on)) {
          if (!ImGui::GetIO().KeyCtrl) sel.clear();
          sel.push_back(id);
          m_view.setSelection(row.paint.start, row.paint.start);
        }
        if (row.paint.flagged) ImGui::PopStyleColor();
      }
    for (const auto& a : anns) {
      if (a.kind != AnnotationKind::Relation) continue;
      const auto d = nlohmann::json::parse(a.dataJson, nullptr, false);
      if (!d.is_object()) continue;
      const ClassDef* c = ctx.schema().findClass(a.classId);
      ImGui::BulletText("%s -> %s : %s", names[d.value("from", AnnotationId{0})].c_str(),
                        names[d.value("to", AnnotationId{0})].c_str(), c ? c->name.c_str() : "?");
    }
    (void)version;
    ImGui::EndChild();
  }

  // [SECTION] Correction editor with a diff against the current version.
  void drawCorrection(AppContext& ctx, const lt::TextVersion& version) {
    const float h = ImGui::GetContentRegionAvail().y;
    inputMultiline("##edit", m_edit, ImVec2(-1, h * 0.55f));
    testRect("edit");
    const bool save = ImGui::Button(tr("text.save_version"));
    testRect("save_version");
    if (save) {
      ctx.defer([text = fromDisplayText(m_edit)](AppContext& c) {
        auto plan = lt::applyCorrection(c.session(), text);
        if (!plan) return (void)c.report(plan.error());
        c.report(okStatus());
        if (plan->flaggedSpans > 0) c.notify(trf("text.flagged", {std::to_string(plan->flaggedSpans)}), true);
      });
      m_correcting = false;
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("text.cancel"))) m_correcting = false;
    ImGui::TextUnformatted(tr("text.diff"));
    ImGui::BeginChild("##diff", ImVec2(0, 0), true);
    if (m_edit != m_diffFor) {  // diff only when the text changed, not every frame
      m_diffFor = m_edit;
      m_oldCps = lt::toU32(m_editBase.empty() ? toDisplayText(version.text) : m_editBase);
      m_newCps = lt::toU32(m_edit);
      m_diff = lt::diffCodePoints(m_oldCps, m_newCps);
    }
    for (std::size_t k = 0; k < m_diff.size(); ++k) {
      const auto& op = m_diff[k];
      if (op.kind == lt::DiffOp::Kind::Equal) continue;
      auto piece = [](const std::u32string& s, std::int64_t a, std::int64_t b) {
        return lt::toUtf8(std::u32string_view(s).substr(a, std::min<std::int64_t>(b - a, 200)));
      };
      ImGui::TextDisabled("@%lld", static_cast<long long>(op.aStart));
      ImGui::SameLine();
      if (op.kind == lt::DiffOp::Kind::Delete)
        ImGui::TextColored(ImVec4(0.95f, 0.35f, 0.35f, 1), "- %s", piece(m_oldCps, op.aStart, op.aEnd).c_str());
      else
        ImGui::TextColored(ImVec4(0.35f, 0.85f, 0.35f, 1), "+ %s", piece(m_newCps, op.bStart, op.bEnd).c_str());
    }
    ImGui::EndChild();
  }

  // [SECTION] Model-output evaluation: rubric scores, comment, ranking per response.
  void drawEvaluation(AppContext& ctx, const Item& item, const std::vector<Annotation>& anns) {
    if (m_evalRevision != ctx.revision()) loadEvaluation(ctx, item, anns);
    ImGui::BeginChild("##eval", ImVec2(0, 0), true);
    const auto& schema = ctx.schema();
    const int n = static_cast<int>(item.responses.size());
    for (int i = 0; i < n; ++i) {
      const auto& resp = item.responses[i];
      ImGui::PushID(i);
      ImGui::Separator();
      ImGui::Text("%s %d %s", tr("text.response"), i + 1, resp.source.empty() ? "" : ("(" + resp.source + ")").c_str());
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(toDisplayText(resp.text).c_str());
      ImGui::PopTextWrapPos();
      auto& st = m_eval[i];
      for (const auto& crit : schema.rubric) {
        int v = st.scores.count(crit.name) ? st.scores[crit.name] : 0;
        ImGui::SetNextItemWidth(160);
        // 0 = not scored yet: shown as "-" until the annotator picks a score.
        if (ImGui::SliderInt(crit.name.c_str(), &v, crit.minScore, crit.maxScore, v == 0 ? "-" : "%d"))
          st.scores[crit.name] = v;
        testRect("score:" + std::to_string(i) + ":" + crit.name);
        ImGui::SameLine();
      }
      ImGui::NewLine();
      ImGui::SetNextItemWidth(100);
      ImGui::InputInt(tr("text.rank"), &m_ranks[i], 1, 1);
      testRect("rank:" + std::to_string(i));
      ImGui::SameLine();
      m_ranks[i] = std::clamp(m_ranks[i], 1, std::max(1, n));
      ImGui::SetNextItemWidth(-120);
      inputLine(tr("text.comment"), st.comment);
      testRect("comment:" + std::to_string(i));
      ImGui::SameLine();
      const bool saveRating = ImGui::SmallButton(tr("text.save_rating"));
      testRect("save_rating:" + std::to_string(i));
      if (saveRating) {
        std::map<std::string, int> scores;
        for (const auto& [k, v] : st.scores)
          if (v > 0) scores[k] = v;
        ctx.defer([i, scores, comment = st.comment](AppContext& c) {
          auto r = lt::saveRating(c.session(), i, scores, comment);
          c.report(r ? okStatus() : Status(r.error()));
        });
      }
      ImGui::PopID();
    }
    ImGui::Separator();
    const bool saveRanking = ImGui::Button(tr("text.save_ranking"));
    testRect("save_ranking");
    if (saveRanking)
      ctx.defer([ranks = m_ranks](AppContext& c) {
        auto r = lt::saveRanking(c.session(), ranks);
        c.report(r ? okStatus() : Status(r.error()));
      });
    ImGui::EndChild();
  }

  void loadEvaluation(AppContext& ctx, const Item& item, const std::vector<Annotation>& anns) {
    m_evalRevision = ctx.revision();
    const int n = static_cast<int>(item.responses.size());
    m_eval.assign(n, {});
    m_ranks.assign(n, 1);
    for (int i = 0; i < n; ++i) m_ranks[i] = i + 1;
    const UserId me = ctx.session().user().id;
    for (const auto& a : anns) {
      if (a.authorId != me) continue;
      if (auto v = lt::ratingOf(a); v && v->response >= 0 && v->response < n) m_eval[v->response] = {v->scores, v->comment};
      if (auto r = lt::ranksOf(a); static_cast<int>(r.size()) == n) m_ranks = r;
    }
  }

  // [SECTION] Benchmark hook: LB_TEXT_BENCH_FRAMES=N scrolls the document 3 lines per frame
  // for N frames, then prints frame-time figures and exits (see bench/README in the report).
  // LB_TEXT_BENCH_WARMUP=N frames not counted (default 5; more leaves time to change the layout
  // by hand, e.g. close a panel, before the measured frames).
  static int benchWarmupFrames() {
    static const int n = [] {
      const char* v = std::getenv("LB_TEXT_BENCH_WARMUP");
      return v ? std::max(0, std::atoi(v)) : 5;
    }();
    return n;
  }
  void benchStep() {
    static const int frames = [] {
      const char* v = std::getenv("LB_TEXT_BENCH_FRAMES");
      return v ? std::atoi(v) : 0;
    }();
    if (frames <= 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (m_benchCount++ > benchWarmupFrames())  // skip warm-up frames (font atlas, first layout)
      m_frameMs.push_back(std::chrono::duration<double, std::milli>(now - m_benchLast).count());
    m_benchLast = now;
    m_view.scrollLines(3);
    glfwPostEmptyEvent();  // the program sleeps without input; keep frames coming
    if (static_cast<int>(m_frameMs.size()) >= frames) {
      auto v = m_frameMs;
      std::sort(v.begin(), v.end());
      auto pct = [&](double p) { return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1)))]; };
      std::printf("text view: %zu frames, %zu lines, %zu spans, frame ms p50 %.2f p95 %.2f max %.2f\n", v.size(),
                  m_view.lineCount(), m_paint.size(), pct(0.5), pct(0.95), v.back());
      v = m_panelMs;  // the text panel's own share of each frame (CPU side, before rendering)
      std::sort(v.begin(), v.end());
      std::printf("text panel draw ms p50 %.2f p95 %.2f max %.2f\n", pct(0.5), pct(0.95), v.back());
      std::fflush(stdout);
      std::_Exit(0);
    }
  }

  // [SECTION] GUI-test hook: LB_TEXT_TEST_STATE=<file> receives, a few times a second, the
  // screen rectangles of the first 200 code points so a test can aim real mouse input at them.
  static const char* testStatePath() {
    static const char* path = std::getenv("LB_TEXT_TEST_STATE");
    return path;
  }
  // Records the screen rectangle of the widget just drawn under `name` for the GUI tests.
  void testRect(const std::string& name) {
    if (!testStatePath()) return;
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    m_testRects[name] = {a.x, a.y, b.x - a.x, b.y - a.y};
  }

  void writeTestState(const Item& item) {
    const char* path = testStatePath();
    if (!path || ImGui::GetFrameCount() % 10 != 0) return;
    nlohmann::json chars = nlohmann::json::array();
    for (std::int64_t cp = 0; cp < 200; ++cp) {
      ImVec2 tl;
      float w = 0;
      if (!m_view.screenRectOf(cp, tl, w)) break;
      chars.push_back({tl.x, tl.y, w, ImGui::GetTextLineHeight()});
    }
    const nlohmann::json s = {{"item", item.id}, {"kind", std::string(toString(item.kind))}, {"chars", chars},
                              {"selection", {m_view.selStart(), m_view.selEnd()}},
                              {"widgets", m_testRects},
                              {"correcting", m_correcting},
                              {"excluded", item.excluded},
                              {"font_generation", fontAtlasGeneration()},
                              {"fallback_glyphs", fontCoverage().fallbackGlyphs},
                              {"missing_glyphs", fontCoverage().missing},
                              {"font_build_ms", fontCoverage().lastBuildMs}};
    m_testRects.clear();  // rectangles of widgets no longer drawn must not linger
    const std::string tmp = std::string(path) + ".tmp";
    if (FILE* f = std::fopen(tmp.c_str(), "w")) {
      const std::string text = s.dump();
      std::fwrite(text.data(), 1, text.size(), f);
      std::fclose(f);
      std::rename(tmp.c_str(), path);
    }
  }

  struct SpanRow {
    SpanPaint paint;
    std::string snippet;
    std::string label;
  };

  struct EvalState {
    std::map<std::string, int> scores;
    std::string comment;
  };

  TextView m_view;
  std::map<std::string, std::array<float, 4>> m_testRects;  // GUI tests: widget -> x, y, w, h
  std::vector<SpanPaint> m_paint;
  std::vector<SpanRow> m_spans;
  std::uint64_t m_spanRevision = ~0ull;
  ItemId m_spanItem = 0;
  ItemId m_lastItem = 0;
  std::string m_reason;
  bool m_correcting = false;
  std::string m_edit, m_editBase, m_diffFor;
  std::u32string m_oldCps, m_newCps;
  std::vector<lt::DiffOp> m_diff;
  std::uint64_t m_evalRevision = ~0ull;
  std::vector<EvalState> m_eval;
  std::vector<int> m_ranks;
  int m_benchCount = 0;
  std::chrono::steady_clock::time_point m_benchLast;
  std::vector<double> m_frameMs;
  std::vector<double> m_panelMs;
};

PanelRegistrar reg(21, [] { return std::make_unique<TextPanel>(); });

}  // namespace
}  // namespace lb::app
