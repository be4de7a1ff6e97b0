// [SECTION] Dashboard: throughput and quality from the event log (qc/throughput).
// Annotators see only their own figures and today's count; reviewers and leads see the team
// table and can pick anyone. The figures are computed on a worker (a full pass over the event
// log); the UI thread only draws the prepared view.
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "app/gui/app_context.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"
#include "qc/throughput/dashboard_view.h"

namespace lb::app {
namespace {

using namespace lb::qc;

std::string pct(std::optional<double> v) {
  if (!v) return "-";  // ASCII: the UI font may lack dashes
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100);
  return buf;
}

std::string num(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

class DashboardPanel final : public Panel {
 public:
  const char* id() const override { return "dashboard"; }
  const char* titleKey() const override { return "dashboard.title"; }
  ImVec4 defaultRect() const override { return ImVec4(0.15f, 0.1f, 0.7f, 0.75f); }

  void draw(AppContext& ctx) override {
    auto& session = ctx.session();
    const bool everyone = session.user().role != labeling::Role::Annotator;  // leads and reviewers
    // Refresh when opened, every minute while shown, and on request.
    const double now = ImGui::GetTime();
    const bool stale = m_viewer != session.user().id || m_loadedAt == 0 || now - m_loadedAt > 60.0;
    if ((stale || m_refresh) && !m_loading) request(ctx, everyone);

    if (ImGui::Button(tr("dashboard.refresh"))) m_refresh = true;
    ImGui::SameLine();
    if (m_loading) ImGui::TextDisabled("%s", tr("dashboard.computing"));
    if (!m_view) return;
    const DashboardView& v = *m_view;
    if (!v.error.empty()) {
      ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", v.error.c_str());
      return;
    }
    if (everyone && v.shownUser != 0) {
      ImGui::SameLine();
      if (ImGui::Button(tr("dashboard.show_team"))) select(0);
    }
    ImGui::Separator();
    ImGui::TextUnformatted(
        trf("dashboard.heading", {v.shownUser ? v.shownName : std::string(tr("dashboard.team")), v.today}).c_str());
    ImGui::Text("%s %lld   %s %s h   %s %s", tr("dashboard.today_items"), static_cast<long long>(v.todayRow.items),
                tr("dashboard.today_active"), num(v.todayRow.activeHours(), 2).c_str(), tr("dashboard.items_per_hour"),
                num(v.todayRow.perActiveHour(v.todayRow.items), 1).c_str());
    summary(v.total);

    if (everyone && ImGui::CollapsingHeader(tr("dashboard.people"), ImGuiTreeNodeFlags_DefaultOpen)) {
      table("people", v.people, true);
      if (v.teams.size() > 1) table("teams", v.teams, false);
    }
    if (ImGui::CollapsingHeader(tr("dashboard.charts"), ImGuiTreeNodeFlags_DefaultOpen)) charts(v);
  }

 private:
  void request(AppContext& ctx, bool everyone) {
    m_loading = true;
    m_refresh = false;
    m_viewer = ctx.session().user().id;
    const labeling::User viewer = ctx.session().user();
    const labeling::UserId selected = everyone ? m_selected : 0;
    ctx.workers().submit([this, viewer, selected](WorkerEnv& env) -> UiFn {
      std::shared_ptr<DashboardView> view;
      if (auto* store = env.store())
        view = std::make_shared<DashboardView>(buildDashboardView(*store, viewer, selected, labeling::nowMs()));
      // The panel outlives the worker pool's jobs: panels live as long as the app.
      return [this, view](AppContext&) {
        m_loading = false;
        m_loadedAt = std::max(ImGui::GetTime(), 0.001);
        if (view) m_view = view;
      };
    }, WorkerPool::Priority::Low);
  }

  void select(labeling::UserId user) {
    m_selected = user;
    m_refresh = true;
  }

  void summary(const FigureRow& r) {
    ImGui::Text("%s %s h   %s %lld   %s %s   %s %s", tr("dashboard.active_hours"), num(r.activeHours(), 2).c_str(),
                tr("dashboard.items"), static_cast<long long>(r.items), tr("dashboard.items_per_hour"),
                num(r.perActiveHour(r.items), 1).c_str(), tr("dashboard.median_seconds"),
                num(r.medianSecondsPerItem(), 1).c_str());
    ImGui::Text("%s %lld (%s %lld / %s %lld)   %s %s   %s %s   %s %s", tr("dashboard.objects"),
                static_cast<long long>(r.objects + r.spans + r.ratings), tr("dashboard.assisted"),
                static_cast<long long>(r.assistedObjects), tr("dashboard.manual"),
                static_cast<long long>(r.manualObjects), tr("dashboard.rework"), pct(r.reworkRate()).c_str(),
                tr("dashboard.acceptance"), pct(r.acceptanceRate()).c_str(), tr("dashboard.gold"),
                pct(r.goldAccuracy).c_str());
  }

  void table(const char* tableId, const std::vector<FigureRow>& rows, bool selectable) {
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingFixedFit;
    const float height = std::min(300.f, ImGui::GetTextLineHeightWithSpacing() * (rows.size() + 2.f));
    if (!ImGui::BeginTable(tableId, 8, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* key : {"dashboard.col_name", "dashboard.active_hours", "dashboard.items", "dashboard.items_per_hour",
                            "dashboard.objects_per_hour", "dashboard.median_seconds", "dashboard.rework",
                            "dashboard.acceptance"})
      ImGui::TableSetupColumn(tr(key));
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const auto& r = rows[static_cast<std::size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (selectable && r.users.size() == 1) {
          const bool isSel = m_selected == r.users.front();
          if (ImGui::Selectable(r.key.c_str(), isSel, ImGuiSelectableFlags_SpanAllColumns)) select(r.users.front());
        } else {
          ImGui::TextUnformatted(r.key.c_str());
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(r.activeHours(), 2).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%lld", static_cast<long long>(r.items));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(r.perActiveHour(r.items), 1).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(r.perActiveHour(r.objects + r.spans + r.ratings), 1).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(r.medianSecondsPerItem(), 1).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(pct(r.reworkRate()).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(pct(r.acceptanceRate()).c_str());
      }
    }
    ImGui::EndTable();
  }

  static void charts(const DashboardView& v) {
    const float w = std::max(200.f, ImGui::GetContentRegionAvail().x);
    if (v.itemsPerDay.empty()) {
      ImGui::TextDisabled("%s", tr("dashboard.no_data"));
      return;
    }
    const std::string range = v.dayLabels.front() + " - " + v.dayLabels.back();
    ImGui::PlotHistogram("##items_per_day", v.itemsPerDay.data(), static_cast<int>(v.itemsPerDay.size()), 0,
                         trf("dashboard.chart_items", {range}).c_str(), 0.f, FLT_MAX, ImVec2(w, 110));
    // A line needs two days; one day is shown as a bar so the value is still visible.
    using PlotFn = void (*)(const char*, const float*, int, int, const char*, float, float, ImVec2, int);
    const PlotFn trend = v.acceptancePerDay.size() < 2 ? PlotFn(&ImGui::PlotHistogram) : PlotFn(&ImGui::PlotLines);
    trend("##acceptance", v.acceptancePerDay.data(), static_cast<int>(v.acceptancePerDay.size()), 0,
          tr("dashboard.chart_acceptance"), 0.f, 1.f, ImVec2(w, 90), sizeof(float));
    trend("##rework", v.reworkPerDay.data(), static_cast<int>(v.reworkPerDay.size()), 0, tr("dashboard.chart_rework"),
          0.f, 1.f, ImVec2(w, 90), sizeof(float));
    if (!v.secondsHistogram.empty())
      ImGui::PlotHistogram("##seconds", v.secondsHistogram.data(), static_cast<int>(v.secondsHistogram.size()), 0,
                           trf("dashboard.chart_seconds", {num(v.binSeconds, 0)}).c_str(), 0.f, FLT_MAX,
                           ImVec2(w, 110));
  }

  std::shared_ptr<const DashboardView> m_view;
  bool m_loading = false;
  bool m_refresh = false;
  double m_loadedAt = 0;
  labeling::UserId m_viewer = 0;
  labeling::UserId m_selected = 0;
};

PanelRegistrar reg(700, [] { return std::make_unique<DashboardPanel>(); });

}  // namespace
}  // namespace lb::app
