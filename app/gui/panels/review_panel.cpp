// Review and quality: the reviewer's queue, accept / reject (reason list, comment, pin) /
// fix-and-accept on the current item, its review history; for annotators, their queue with the
// reason of each rejection; agreement and gold figures; the quality reports per batch and per
// annotator (the same rows as `labelbench-cli review report`). Logic lives in qc/; queries run on
// workers, verdicts through the Session after the frame.
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/gui/app_context.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"
#include "app/gui/test_state.h"
#include "qc/agreement/overlap.h"
#include "qc/review/gold.h"
#include "qc/review/reports.h"
#include "qc/review/workflow.h"

namespace lb::app {
namespace {

using namespace lb::labeling;
using namespace lb::qc;

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", v * 100);
  return buf;
}

std::string figure(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

class ReviewPanel final : public Panel {
 public:
  const char* id() const override { return "review"; }
  const char* titleKey() const override { return "review.title"; }
  ImVec4 defaultRect() const override { return ImVec4(0.55f, 0.1f, 0.4f, 0.6f); }

  void draw(AppContext& ctx) override {
    const User& me = ctx.session().user();
    const bool reviewer = me.role != Role::Annotator;
    if (m_revision != ctx.revision()) {
      m_revision = ctx.revision();
      requestHistory(ctx);
    }
    // Opening an item raises the canvas (the image panels focus it on a new item); a reviewer who
    // opened it from this panel's queue keeps this panel in front for the verdict.
    if (m_refocusItem && ctx.currentItem() && ctx.currentItem()->id == m_refocusItem) {
      ImGui::SetWindowFocus();
      if (--m_refocusFrames <= 0) m_refocusItem = 0;
    }
    m_rects = nlohmann::json::object();
    m_active.clear();
    const ImVec2 wp = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
    m_rects["window"] = {wp.x, wp.y, ws.x, ws.y};
    if (ImGui::BeginTabBar("##review")) {
      if (tab(tr("review.tab.queue"), "tab_queue")) {
        m_tab = "queue";
        if (reviewer) drawReviewerQueue(ctx);
        else drawAnnotatorQueue(ctx);
        ImGui::EndTabItem();
      }
      if (reviewer && tab(tr("review.tab.item"), "tab_item")) {
        m_tab = "item";
        drawVerdicts(ctx);
        ImGui::EndTabItem();
      }
      if (reviewer && tab(tr("review.tab.quality"), "tab_quality")) {
        m_tab = "quality";
        drawQuality(ctx);
        ImGui::EndTabItem();
      }
      if (reviewer && tab(tr("review.tab.reports"), "tab_reports")) {
        m_tab = "reports";
        drawReports(ctx);
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
    writeTestState(ctx);
  }

 private:
  // [SECTION] Queues
  void requestQueue(AppContext& ctx) {
    const User me = ctx.session().user();
    const bool mine = m_assignedOnly;
    ctx.workers().submit([this, me, mine](WorkerEnv& env) -> UiFn {
      ReviewQueueOptions o;
      o.assignedOnly = mine;
      auto reviewQ = me.role == Role::Annotator ? std::vector<ReviewQueueEntry>{} : reviewQueue(*env.store(), me.id, o);
      auto annotQ = annotatorQueue(*env.store(), me);
      return [this, reviewQ, annotQ](AppContext&) {
        m_queue = reviewQ;
        m_annotatorQueue = annotQ;
        m_queueLoaded = true;
      };
    });
  }

  void drawReviewerQueue(AppContext& ctx) {
    if (!m_queueLoaded) requestQueue(ctx), m_queueLoaded = true;
    if (ImGui::Button(tr("review.refresh"))) requestQueue(ctx);
    rect("refresh");
    ImGui::SameLine();
    if (ImGui::Checkbox(tr("review.assigned_only"), &m_assignedOnly)) requestQueue(ctx);
    ImGui::Text("%s", trf("review.waiting", {std::to_string(m_queue.size())}).c_str());
    if (!ImGui::BeginTable("##queue", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY)) return;
    ImGui::TableSetupColumn(tr("review.col.item"));
    ImGui::TableSetupColumn(tr("review.col.returned"));
    ImGui::TableSetupColumn(tr("review.col.flag"));
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(m_queue.size()));
    while (clipper.Step())
      for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
        const auto& e = m_queue[static_cast<std::size_t>(row)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const std::string label = "#" + std::to_string(e.item);
        const bool current = ctx.currentItem() && ctx.currentItem()->id == e.item;
        if (ImGui::Selectable(label.c_str(), current, ImGuiSelectableFlags_SpanAllColumns)) {
          const ItemId id = e.item;
          ctx.defer([id](AppContext& c) { c.openItem(id); });
          m_refocusItem = id, m_refocusFrames = 3;
        }
        rect(("queue_" + std::to_string(e.item)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%d", e.previousRejections);
        ImGui::TableNextColumn();
        if (e.mergeTie) ImGui::TextUnformatted(tr("review.merge_tie"));
      }
    ImGui::EndTable();
  }

  void drawAnnotatorQueue(AppContext& ctx) {
    if (!m_queueLoaded) requestQueue(ctx), m_queueLoaded = true;
    if (ImGui::Button(tr("review.refresh"))) requestQueue(ctx);
    rect("refresh");
    for (const auto& e : m_annotatorQueue) {
      ImGui::PushID(static_cast<int>(e.item));
      const std::string label = "#" + std::to_string(e.item) + "  " + std::string(toString(e.state));
      if (ImGui::Selectable(label.c_str())) {
        const ItemId id = e.item;
        ctx.defer([id](AppContext& c) { c.openItem(id); });
        m_refocusItem = id, m_refocusFrames = 3;
      }
      rect(("mine_" + std::to_string(e.item)).c_str());
      if (e.lastRejection) {
        ImGui::Indent();
        ImGui::TextWrapped("%s", trf("review.returned_because", {e.lastRejection->reason, e.lastRejection->comment}).c_str());
        ImGui::Unindent();
      }
      ImGui::PopID();
    }
  }

  // [SECTION] Verdicts on the current item
  void requestHistory(AppContext& ctx) {
    if (!ctx.currentItem()) return;
    const ItemId id = ctx.currentItem()->id;
    ctx.workers().submit([this, id](WorkerEnv& env) -> UiFn {
      auto h = reviewHistory(*env.store(), id);
      return [this, h, id](AppContext&) {
        m_history = h;
        m_historyItem = id;
      };
    });
  }

  void drawVerdicts(AppContext& ctx) {
    if (!ctx.currentItem()) {
      ImGui::TextUnformatted(tr("review.no_item"));
      return;
    }
    const Item& item = *ctx.currentItem();
    ImGui::Text("#%lld  %s", static_cast<long long>(item.id), std::string(toString(item.state)).c_str());
    const bool submitted = item.state == ItemState::Submitted;
    ImGui::BeginDisabled(!submitted);
    if (ImGui::Button(tr("review.accept"))) verdict(ctx, item.id, ReviewVerdict::Accept);
    rect("accept");
    ImGui::SameLine();
    if (ImGui::Button(tr("review.fix_accept"))) verdict(ctx, item.id, ReviewVerdict::FixAndAccept);
    rect("fix_accept");
    ImGui::Separator();
    const auto& reasons = ctx.schema().rejectReasons;
    if (m_reason >= static_cast<int>(reasons.size())) m_reason = 0;
    const char* preview = reasons.empty() ? tr("review.no_reasons") : reasons[static_cast<std::size_t>(m_reason)].c_str();
    const bool reasonOpen = ImGui::BeginCombo(tr("review.reason"), preview);
    rect("reason");
    if (reasonOpen) {
      for (int i = 0; i < static_cast<int>(reasons.size()); ++i) {
        if (ImGui::Selectable(reasons[static_cast<std::size_t>(i)].c_str(), i == m_reason)) m_reason = i;
        rect(("reason_" + std::to_string(i)).c_str());
      }
      ImGui::EndCombo();
    }
    ImGui::InputTextMultiline(tr("review.comment"), m_comment, sizeof m_comment, ImVec2(-1, 60));
    rect("comment");
    const char* pins[] = {tr("review.pin.none"), tr("review.pin.selection"), tr("review.pin.point"), tr("review.pin.span")};
    const bool pinOpen = ImGui::BeginCombo(tr("review.pin"), pins[m_pinKind]);
    rect("pin");
    if (pinOpen) {
      for (int i = 0; i < 4; ++i) {
        if (ImGui::Selectable(pins[i], i == m_pinKind)) m_pinKind = i;
        rect(("pin_" + std::to_string(i)).c_str());
      }
      ImGui::EndCombo();
    }
    const float half = (ImGui::CalcItemWidth() - ImGui::GetStyle().ItemInnerSpacing.x) / 2;
    if (m_pinKind == 2) {  // two fields, so each can be clicked and typed into on its own
      ImGui::SetNextItemWidth(half);
      ImGui::InputFloat("##pin_x", &m_pinXy[0], 0, 0, "%.1f");
      rect("pin_x");
      ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
      ImGui::SetNextItemWidth(half);
      ImGui::InputFloat("##pin_y", &m_pinXy[1], 0, 0, "%.1f");
      rect("pin_y");
      ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
      ImGui::TextUnformatted(tr("review.pin.xy"));
    }
    if (m_pinKind == 3) ImGui::InputInt2(tr("review.pin.range"), m_pinSpan);
    if (m_pinKind == 1 && ctx.session().selection.empty()) ImGui::TextDisabled("%s", tr("review.pin.select_first"));
    if (ImGui::Button(tr("review.reject"))) verdict(ctx, item.id, ReviewVerdict::Reject);
    rect("reject");
    ImGui::EndDisabled();
    ImGui::Separator();
    ImGui::TextUnformatted(tr("review.history"));
    if (m_historyItem == item.id)
      for (const auto& r : m_history)
        ImGui::BulletText("%s  %s  %s  %s", std::string(toString(r.verdict)).c_str(), r.reason.c_str(),
                          r.comment.c_str(), r.pinJson == "{}" ? "" : r.pinJson.c_str());
  }

  void verdict(AppContext& ctx, ItemId item, ReviewVerdict kind) {
    Verdict v;
    v.comment = m_comment;
    const auto& reasons = ctx.schema().rejectReasons;
    if (kind == ReviewVerdict::Reject && !reasons.empty()) v.reason = reasons[static_cast<std::size_t>(m_reason)];
    if (kind == ReviewVerdict::Reject) {
      const auto& sel = ctx.session().selection;
      if (m_pinKind == 1 && !sel.empty()) v.pinJson = pinAnnotation(sel.front());
      if (m_pinKind == 2) v.pinJson = pinPoint(m_pinXy[0], m_pinXy[1]);
      if (m_pinKind == 3) v.pinJson = pinSpan(m_pinSpan[0], m_pinSpan[1]);
    }
    ctx.defer([this, item, kind, v](AppContext& c) {
      auto r = kind == ReviewVerdict::Accept   ? acceptItem(c.session(), item, v)
               : kind == ReviewVerdict::Reject ? rejectItem(c.session(), item, v)
                                               : fixAndAcceptItem(c.session(), item, v);
      if (c.report(r ? okStatus() : Status(r.error()))) {
        m_comment[0] = 0;
        m_pinKind = 0;
        requestQueue(c);
        c.refreshCurrent();  // the item's state changed; its history is re-read on the revision
        m_reportsLoaded = false;
      }
    });
  }

  // [SECTION] Agreement and gold figures
  void drawQuality(AppContext& ctx) {
    if (ImGui::Button(tr("review.compute"))) {
      const User me = ctx.session().user();
      ctx.workers().submit([this, me](WorkerEnv& env) -> UiFn {
        auto agreement = computeAgreement(*env.store());
        auto gold = goldAccuracy(*env.store(), me);
        std::vector<GoldScore> scores = gold ? *gold : std::vector<GoldScore>{};
        return [this, agreement, scores](AppContext&) {
          m_agreement = agreement;
          m_gold = scores;
          m_qualityLoaded = true;
        };
      }, WorkerPool::Priority::Low);
    }
    if (!m_qualityLoaded) return;
    const auto& a = m_agreement;
    ImGui::Separator();
    ImGui::TextUnformatted(tr("review.agreement"));
    ImGui::Text("%s", trf("review.agreement.items", {std::to_string(a.items), std::to_string(a.raters)}).c_str());
    ImGui::Text("Cohen kappa %s   Fleiss kappa %s   Krippendorff alpha %s", figure(a.cohenKappa).c_str(),
                figure(a.fleissKappa).c_str(), figure(a.alphaNominal).c_str());
    ImGui::Text("ratings alpha (ordinal) %s   shapes mean IoU %s   F1@0.5 %s   spans F1 %s",
                figure(a.ratingAlphaOrdinal).c_str(), figure(a.meanIou).c_str(), figure(a.shapeF1).c_str(),
                figure(a.spanOverlapF1).c_str());
    ImGui::Separator();
    ImGui::TextUnformatted(tr("review.gold"));
    if (!ImGui::BeginTable("##gold", 5, ImGuiTableFlags_RowBg)) return;
    ImGui::TableSetupColumn(tr("review.col.annotator"));
    ImGui::TableSetupColumn(tr("review.col.gold_items"));
    ImGui::TableSetupColumn("F1");
    ImGui::TableSetupColumn(tr("review.col.class_acc"));
    ImGui::TableSetupColumn(tr("review.col.span_f1"));
    ImGui::TableHeadersRow();
    for (const auto& g : m_gold) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(g.annotatorName.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%d", g.goldItems);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(figure(g.objectF1).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(figure(g.classAccuracy).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(figure(g.spanOverlapF1).c_str());
    }
    ImGui::EndTable();
  }

  // [SECTION] Reports per batch and per annotator
  void requestReports(AppContext& ctx) {
    m_reportsLoaded = true;
    const User me = ctx.session().user();
    ctx.workers().submit([this, me](WorkerEnv& env) -> UiFn {
      auto batches = batchReport(*env.store(), me);
      auto annotators = annotatorReport(*env.store(), me);
      return [this, batches, annotators](AppContext&) {
        m_batchRows = batches;
        m_annotatorRows = annotators;
      };
    }, WorkerPool::Priority::Low);
  }

  static void cell(const std::string& text) {
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(text.c_str());
  }

  void drawReports(AppContext& ctx) {
    if (!m_reportsLoaded) requestReports(ctx);
    if (ImGui::Button(tr("review.refresh"))) requestReports(ctx);
    rect("reports_refresh");
    ImGui::TextUnformatted(tr("review.report.by_batch"));
    // Scrolls sideways when the panel is narrower than the table.
    const int flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
    const float row = ImGui::GetTextLineHeightWithSpacing() + 2;
    if (ImGui::BeginTable("##by_batch", 9, flags, ImVec2(0, row * (std::min<float>(m_batchRows.size(), 8) + 2.5f)))) {
      for (const char* key : {"review.report.batch", "review.report.items", "review.report.submitted",
                              "review.report.accepted", "review.report.rejected", "review.report.reviews",
                              "review.report.fixes", "review.report.reject_rate", "review.report.aql"})
        ImGui::TableSetupColumn(tr(key));
      ImGui::TableHeadersRow();
      for (const auto& r : m_batchRows) {
        ImGui::TableNextRow();
        cell(r.name);
        cell(std::to_string(r.items));
        cell(std::to_string(r.submitted));
        cell(std::to_string(r.accepted));
        cell(std::to_string(r.rejected));
        cell(std::to_string(r.reviews));
        cell(std::to_string(r.fixes));
        cell(percent(r.rejectRate));
        cell(r.aqlState.empty() ? "-" : r.aqlState + " (n=" + std::to_string(r.aqlSampleSize) + ")");
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextUnformatted(tr("review.report.by_annotator"));
    if (ImGui::BeginTable("##by_annotator", 8, flags, ImVec2(0, row * (std::min<float>(m_annotatorRows.size(), 12) + 2.5f)))) {
      for (const char* key : {"review.col.annotator", "review.report.verdicts", "review.report.accepted",
                              "review.report.rejected", "review.report.fixes", "review.report.first_pass",
                              "review.report.rework", "review.report.gold_f1"})
        ImGui::TableSetupColumn(tr(key));
      ImGui::TableHeadersRow();
      for (const auto& r : m_annotatorRows) {
        ImGui::TableNextRow();
        cell(r.name);
        cell(std::to_string(r.reviewed));
        cell(std::to_string(r.accepted));
        cell(std::to_string(r.rejected));
        cell(std::to_string(r.fixed));
        cell(percent(r.firstPassAcceptRate));
        cell(percent(r.reworkRate));
        cell(r.gold ? figure(r.gold->objectF1) : "-");
      }
      ImGui::EndTable();
    }
  }

  // [SECTION] GUI-test hook: in --test-mode with LB_TEST_STATE=<file>, <file>.review receives the
  // screen rectangles [x, y, w, h] of this panel's widgets (to aim real clicks at) and what the
  // panel shows (queues, history, report rows), whenever that changes.
  bool tab(const char* label, const char* key) {
    const bool open = ImGui::BeginTabItem(label);
    rect(key);
    return open;
  }

  void rect(const char* key) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    m_rects[key] = {a.x, a.y, b.x - a.x, b.y - a.y};
    if (ImGui::IsItemActive()) m_active = key;  // e.g. the text field being typed into
  }

  void writeTestState(AppContext& ctx) {
    if (!testStateWanted(ctx)) return;
    nlohmann::json s = {{"tab", m_tab},         {"widgets", m_rects}, {"pin_kind", m_pinKind},
                        {"reason", m_reason}, {"active", m_active}};
    s["item"] = ctx.currentItem() ? ctx.currentItem()->id : 0;
    s["item_state"] = ctx.currentItem() ? std::string(toString(ctx.currentItem()->state)) : "";
    s["selection"] = ctx.session().selection;
    s["queue"] = nlohmann::json::array();
    for (const auto& e : m_queue) s["queue"].push_back(e.item);
    s["mine"] = nlohmann::json::array();
    for (const auto& e : m_annotatorQueue)
      s["mine"].push_back({{"item", e.item}, {"state", std::string(toString(e.state))},
                           {"reason", e.lastRejection ? e.lastRejection->reason : ""},
                           {"comment", e.lastRejection ? e.lastRejection->comment : ""}});
    s["history"] = nlohmann::json::array();
    if (ctx.currentItem() && m_historyItem == ctx.currentItem()->id)
      for (const auto& r : m_history) s["history"].push_back(std::string(toString(r.verdict)));
    s["batch_rows"] = m_batchRows.size();
    s["annotator_rows"] = m_annotatorRows.size();
    publishTestState(ctx, ".review", s.dump(), m_testState);
  }

  ItemId m_refocusItem = 0;
  int m_refocusFrames = 0;
  nlohmann::json m_rects = nlohmann::json::object();
  std::string m_active;
  std::string m_tab, m_testState;
  bool m_reportsLoaded = false;
  std::vector<BatchReportRow> m_batchRows;
  std::vector<AnnotatorReportRow> m_annotatorRows;
  std::uint64_t m_revision = ~0ull;
  bool m_queueLoaded = false, m_assignedOnly = false, m_qualityLoaded = false;
  std::vector<ReviewQueueEntry> m_queue;
  std::vector<AnnotatorQueueEntry> m_annotatorQueue;
  std::vector<Review> m_history;
  ItemId m_historyItem = 0;
  int m_reason = 0, m_pinKind = 0;
  char m_comment[512] = {};
  float m_pinXy[2] = {0, 0};
  int m_pinSpan[2] = {0, 0};
  AgreementReport m_agreement;
  std::vector<GoldScore> m_gold;
};

PanelRegistrar reg(600, [] { return std::make_unique<ReviewPanel>(); });

}  // namespace
}  // namespace lb::app
