// The cleaning panel's frame: run bar (worker, progress, cancel), finding types with counts,
// the selected type's threshold slider and whole-type decisions, the test-mode state file.
// The lists themselves are in clean_panel_lists.cpp.
#include "app/gui/panels/clean_panel.h"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app/gui/app_context.h"
#include "app/gui/i18n.h"

namespace lb::app {

using namespace lb::labeling;
namespace clean = lb::qc::clean;

namespace {

const char* stageKey(const std::string& stage) {
  if (stage == "read image signals") return "clean.stage.signals";
  if (stage == "image checks") return "clean.stage.images";
  if (stage == "read texts") return "clean.stage.read_texts";
  if (stage == "text checks") return "clean.stage.texts";
  if (stage == "stored") return "clean.stage.stored";
  return nullptr;
}

}  // namespace

bool CleanPanel::available(AppContext& ctx) { return ctx.session().user().role == Role::Lead; }

std::string CleanPanel::checkTitle(std::size_t check) const {
  return tr(("clean." + std::string(clean::allChecks()[check].name)).c_str());
}

void CleanPanel::mark(const std::string& widget) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  m_widgets[widget] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

// [SECTION] Frame
void CleanPanel::draw(AppContext& ctx) {
  if (!available(ctx)) {  // the View menu hides the panel; this guards a stale open flag
    ImGui::TextWrapped("%s", tr("clean.leads_only"));
    return;
  }
  m_widgets.clear();
  {  // opaque: the panel covers the canvas, and text over faint canvas text is hard to read
    ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    bg.w = 1.f;
    const ImVec2 p = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + ImGui::GetFrameHeight()), ImVec2(p.x + size.x, p.y + size.y),
                                              ImGui::ColorConvertFloat4ToU32(bg));
  }
  const std::string path = ctx.session().store().path();
  if (path != m_projectPath) {
    m_projectPath = path;
    m_data.reset();
    m_shown.clear();
    m_briefs.clear();
    m_briefAsked.clear();
    m_run.reset();
    m_loading = false;
    m_deciding = false;
    requestSnapshot(ctx);
  }
  drawRunBar(ctx);
  ImGui::Separator();
  if (!m_data) {
    ImGui::TextDisabled("%s", tr("clean.loading"));
    writeTestState(ctx);
    return;
  }
  // While a run replaces the findings, what is on screen is about to change: no decisions on it.
  ImGui::BeginDisabled(m_run != nullptr || m_deciding);
  if (ImGui::BeginTabBar("##clean")) {
    const bool findingsOpen = ImGui::BeginTabItem(tr("clean.tab.findings"));
    mark("tab:findings");
    if (findingsOpen) {
      ImGui::BeginChild("##types", ImVec2(370, 0), true);
      drawTypes();
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("##detail", ImVec2(0, 0), false);
      drawDetail(ctx);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    const std::string excludedTitle = trf("clean.tab.excluded", {std::to_string(m_excluded.size())}) + "###excluded";
    const bool excludedOpen = ImGui::BeginTabItem(excludedTitle.c_str());
    mark("tab:excluded");
    if (excludedOpen) {
      drawExcluded(ctx);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::EndDisabled();
  requestBriefs(ctx);
  writeTestState(ctx);
}

// [SECTION] Reading (workers)
void CleanPanel::requestSnapshot(AppContext& ctx) {
  if (m_loading) {  // one read at a time; the newest request runs when it comes back
    m_reloadAgain = true;
    return;
  }
  m_loading = true;
  m_reloadAgain = false;
  ctx.workers().submit([this, shown = m_shown](WorkerEnv& env) -> UiFn {
    auto* store = env.store();
    if (!store) return {};
    auto snap = cleanui::loadSnapshot(*store, shown);
    return [this, snap = std::move(snap)](AppContext& c) mutable {
      m_loading = false;
      if (!snap) {
        c.notify(snap.error().message, true);
        return;
      }
      accept(std::move(*snap));
      if (m_reloadAgain) requestSnapshot(c);
    };
  });
}

void CleanPanel::accept(cleanui::Snapshot snapshot) {
  const bool first = !m_data;
  m_data = std::move(snapshot);
  if (m_shown.size() != m_data->storedThresholds.size()) m_shown = m_data->storedThresholds;
  m_counts.assign(m_shown.size(), {});
  m_groupsPending.assign(m_shown.size(), false);
  for (std::size_t i = 0; i < m_shown.size(); ++i) recount(i);
  m_excluded = cleanui::excludedEntries(*m_data);
  m_excludedIds.clear();
  for (const auto& e : m_excluded) m_excludedIds.insert(e.item);
  // Open on a type that has something to show (a text project has no image findings).
  if ((first || m_autoSelect) && m_counts[m_selected].findings == 0)
    for (std::size_t i = 0; i < m_counts.size(); ++i)
      if (m_counts[i].findings > 0) {
        m_selected = i;
        recount(i);
        break;
      }
  m_autoSelect = false;
}

void CleanPanel::requestGroups(AppContext& ctx, std::size_t check) {
  if (m_groupsPending[check]) return;  // the answer comes back, sees the newer threshold, asks again
  m_groupsPending[check] = true;
  const double threshold = m_shown[check];
  const auto* spec = &clean::allChecks()[check];
  ctx.workers().submit([this, check, threshold, spec](WorkerEnv& env) -> UiFn {
    auto* store = env.store();
    if (!store) return {};
    auto groups = cleanui::loadGroups(*store, *spec, threshold);
    return [this, check, threshold, groups = std::move(groups)](AppContext& c) mutable {
      m_groupsPending[check] = false;
      if (!m_data) return;
      if (!groups) return c.notify(groups.error().message, true);
      auto& d = m_data->checks[check];
      d.groups = std::move(*groups);
      d.groupsThreshold = threshold;
      recount(check);
      if (m_shown[check] != threshold) requestGroups(c, check);
    };
  });
}

void CleanPanel::recount(std::size_t check) {
  if (!m_data) return;
  const auto& d = m_data->checks[check];
  m_counts[check] = cleanui::countAt(d, m_shown[check]);
  if (check == m_selected && !d.spec->grouped) m_visible = cleanui::findingsAt(d, m_shown[check]);
}

// [SECTION] Running the checks
void CleanPanel::startRun(AppContext& ctx) {
  auto run = std::make_shared<RunState>();
  m_run = run;
  m_autoSelect = true;
  m_lastRunMessage.clear();
  ctx.workers().submit([this, run, shown = m_shown](WorkerEnv& env) -> UiFn {
    auto* store = env.store();
    if (!store) return {};
    clean::RunOptions options;
    options.progress = [run](std::int64_t done, std::int64_t total, const std::string& stage) {
      run->done = done;
      run->total = std::max<std::int64_t>(total, 1);
      {
        std::lock_guard lock(run->mutex);
        run->stage = stage;
      }
    };
    options.cancel = &run->cancel;  // runChecks stops within about a second and stores nothing
    auto summary = clean::runChecks(*store, options);
    if (!summary && summary.error().code == ErrorCode::Cancelled) {
      return [this, run](AppContext&) {
        if (m_run == run) m_run.reset();
        m_lastRunMessage = tr("clean.cancelled");
      };
    }
    auto snap = summary ? cleanui::loadSnapshot(*store, shown) : Result<cleanui::Snapshot>(summary.error());
    std::string notes;
    if (summary)
      for (const auto& s : *summary)
        if (!s.note.empty()) notes += "\n" + s.check + ": " + s.note;
    const std::int64_t ran = summary ? static_cast<std::int64_t>(summary->size()) : 0;
    return [this, run, snap = std::move(snap), notes, ran](AppContext& c) mutable {
      if (m_run == run) m_run.reset();
      if (!snap) {
        m_lastRunMessage = snap.error().message;
        c.notify(snap.error().message, true);
        return;
      }
      m_lastRunMessage = trf("clean.done", {std::to_string(ran)}) + notes;
      // A run replaces the rows: take the new snapshot as it is (m_loading may be set by an
      // older read, whose answer is now stale but harmless).
      accept(std::move(*snap));
    };
  });
}

void CleanPanel::drawRunBar(AppContext& ctx) {
  if (!m_run) {
    if (ImGui::Button(tr("clean.run"))) startRun(ctx);
    mark("run");
  } else {
    const auto done = m_run->done.load(), total = m_run->total.load();
    std::string stage;
    {
      std::lock_guard lock(m_run->mutex);
      stage = m_run->stage;
    }
    const char* key = stageKey(stage);
    const std::string label = stage.empty() ? tr("clean.running") : key ? tr(key) : stage;
    ImGui::ProgressBar(static_cast<float>(done) / static_cast<float>(total), ImVec2(360, 0), label.c_str());
    ImGui::SameLine();
    ImGui::BeginDisabled(m_run->cancel.load());
    if (ImGui::Button(tr("clean.cancel"))) m_run->cancel = true;
    mark("cancel");
    ImGui::EndDisabled();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(m_loading || m_run != nullptr);
  if (ImGui::Button(tr("clean.refresh"))) requestSnapshot(ctx);
  ImGui::EndDisabled();
  if (m_data) {
    ImGui::SameLine();
    if (m_data->corruptKnown)
      ImGui::TextDisabled("%s", trf("clean.corrupt", {std::to_string(m_data->corruptFiles)}).c_str());
    else
      ImGui::TextDisabled("%s", tr("clean.corrupt_unknown"));
  }
  if (!m_lastRunMessage.empty()) {
    // The first line says what happened; the checks' notes (often one per check) wait under it.
    const auto nl = m_lastRunMessage.find('\n');
    ImGui::TextWrapped("%s", m_lastRunMessage.substr(0, nl).c_str());
    if (nl != std::string::npos) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", tr("clean.notes"));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m_lastRunMessage.substr(nl + 1).c_str());
    }
  }
}

// [SECTION] Finding types
void CleanPanel::drawTypes() {
  const auto& all = clean::allChecks();
  if (!ImGui::BeginTable("##types", 3, ImGuiTableFlags_RowBg)) return;
  ImGui::TableSetupColumn(tr("clean.check"), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(tr("clean.findings"), ImGuiTableColumnFlags_WidthFixed, 72);
  ImGui::TableSetupColumn(tr("clean.excluded"), ImGuiTableColumnFlags_WidthFixed, 72);
  ImGui::TableHeadersRow();
  clean::CheckTarget section = clean::CheckTarget::Text;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i == 0 || all[i].target != section) {
      section = all[i].target;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", tr(section == clean::CheckTarget::Image ? "clean.images" : "clean.texts"));
    }
    const auto& c = m_counts[i];
    const bool never = m_data->checks[i].rows.empty();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::Selectable(checkTitle(i).c_str(), m_selected == i, ImGuiSelectableFlags_SpanAllColumns)) {
      m_selected = i;
      recount(i);
    }
    mark("type:" + std::string(all[i].name));
    ImGui::PopID();
    ImGui::TableNextColumn();
    if (never) ImGui::TextDisabled("0");
    else if (c.findings > 0) ImGui::TextColored(ImVec4(1.f, 0.75f, 0.35f, 1.f), "%lld", static_cast<long long>(c.findings));
    else ImGui::Text("0");
    ImGui::TableNextColumn();
    if (c.excluded > 0) ImGui::Text("%lld", static_cast<long long>(c.excluded));
    else ImGui::TextDisabled("-");
  }
  ImGui::EndTable();
}

// [SECTION] The selected type: description, threshold, whole-type decisions, its list
void CleanPanel::drawDetail(AppContext& ctx) {
  const std::size_t i = m_selected;
  const auto& spec = clean::allChecks()[i];
  ImGui::TextUnformatted(checkTitle(i).c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%s", tr(("clean.desc." + std::string(spec.name)).c_str()));
  drawThreshold(ctx, i);
  const auto& c = m_counts[i];
  std::string counts = spec.grouped ? trf("clean.counts_groups", {std::to_string(c.groups), std::to_string(c.findings),
                                                                   std::to_string(c.excluded), std::to_string(c.kept)})
                                    : trf("clean.counts", {std::to_string(c.findings), std::to_string(c.excluded),
                                                           std::to_string(c.kept)});
  if (!c.groupsCurrent || m_groupsPending[i]) counts += "  " + std::string(tr("clean.regrouping"));
  ImGui::TextUnformatted(counts.c_str());
  mark("counts");

  const std::string name(spec.name);
  using A = clean::DecideAction;
  ImGui::BeginDisabled(c.findings == 0);
  if (ImGui::Button(tr("clean.exclude_all"))) decideLater(ctx, {{{name, {}, {}}, A::Exclude}});
  mark("exclude_all");
  ImGui::SameLine();
  if (ImGui::Button(tr("clean.keep_all"))) decideLater(ctx, {{{name, {}, {}}, A::Keep}});
  ImGui::SameLine();
  if (ImGui::Button(tr("clean.restore_all"))) decideLater(ctx, {{{name, {}, {}}, A::Restore}});
  if (name == "pii" || name == "traditional") {
    ImGui::SameLine();
    const auto action = name == "pii" ? clean::TextAction::MaskPii : clean::TextAction::ToSimplified;
    if (ImGui::Button(tr(name == "pii" ? "clean.mask" : "clean.convert"))) {
      std::vector<ItemId> ids;
      for (auto k : m_visible) ids.push_back(m_data->checks[i].rows[k].itemId);
      textActionLater(ctx, action, ids);
    }
  }
  ImGui::EndDisabled();
  ImGui::Separator();
  if (m_data->checks[i].rows.empty()) {
    ImGui::TextDisabled("%s", tr("clean.not_run"));
    return;
  }
  if (spec.grouped) drawGroups(ctx, i);
  else drawFindings(ctx, i);
}

void CleanPanel::drawThreshold(AppContext& ctx, std::size_t i) {
  const auto& spec = clean::allChecks()[i];
  const auto range = cleanui::sliderRange(spec, m_data->checks[i]);
  if (!(range.lo < range.hi)) {  // a yes/no check (identical after normalisation): nothing to move
    ImGui::TextDisabled("%s: %g", tr("clean.threshold"), m_shown[i]);
    return;
  }
  double v = m_shown[i];
  const char* format = range.integral ? "%.0f" : range.logScale ? "%.4g" : "%.3g";
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("clean.threshold"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(360);
  const bool changed = ImGui::SliderScalar("##thr", ImGuiDataType_Double, &v, &range.lo, &range.hi, format,
                                           range.logScale ? ImGuiSliderFlags_Logarithmic : 0);
  mark("slider");
  const bool released = ImGui::IsItemDeactivatedAfterEdit();
  if (changed) {
    if (range.integral) v = std::round(v);
    if (v != m_shown[i]) {
      m_shown[i] = v;
      recount(i);
      if (spec.grouped) requestGroups(ctx, i);
    }
  }
  if (released) saveThreshold(ctx, i);
  ImGui::SameLine();
  ImGui::TextDisabled("%s %g", tr(spec.direction == clean::Direction::HighIsBad ? "clean.flag_at_least" : "clean.flag_at_most"),
                      m_shown[i]);
  ImGui::SameLine();
  ImGui::BeginDisabled(m_shown[i] == spec.defaultThreshold);
  if (ImGui::SmallButton(tr("clean.default"))) {
    m_shown[i] = spec.defaultThreshold;
    recount(i);
    if (spec.grouped) requestGroups(ctx, i);
    saveThreshold(ctx, i);
  }
  ImGui::EndDisabled();
}

// The project keeps the threshold a lead settled on (setting clean_thresholds); only the moved
// check changes, the others keep what the project had.
void CleanPanel::saveThreshold(AppContext& ctx, std::size_t i) {
  const std::string name(clean::allChecks()[i].name);
  const double value = m_shown[i];
  ctx.defer([name, value](AppContext& c) {
    auto& store = c.session().store();
    auto t = clean::Thresholds::load(store);
    if (!t) return (void)c.report(Status(t.error()));
    if (auto st = t->set(name, value); !st) return (void)c.report(st);
    c.report(t->save(store));
  });
}

// [SECTION] Decisions (after the frame, through qc::clean::decide)
void CleanPanel::decideLater(AppContext& ctx,
                             std::vector<std::pair<clean::DecideTarget, clean::DecideAction>> steps) {
  // On a worker, one at a time: a whole type or a big group is thousands of rows, and the UI
  // thread must not stop for it. The worker's own connection writes (WAL, one writer at a time).
  if (m_deciding) return;
  m_deciding = true;
  const auto thresholds = cleanui::thresholdsFrom(m_shown);
  const UserId by = ctx.session().user().id;
  ctx.workers().submit([this, thresholds, by, steps = std::move(steps)](WorkerEnv& env) -> UiFn {
    auto* store = env.store();
    clean::DecideResult total;
    Status st = store ? okStatus() : Status(makeError(ErrorCode::Io, "the project could not be opened for the decision"));
    if (store)
      st = store->transaction([&]() -> Status {
        for (const auto& [target, action] : steps) {
          auto r = clean::decide(*store, thresholds, target, action, by);
          if (!r) return r.error();
          total.decided += r->decided;
          total.excluded += r->excluded;
          total.restored += r->restored;
        }
        return okStatus();
      });
    return [this, st, total](AppContext& c) {
      m_deciding = false;
      if (c.report(st))
        c.notify(trf("clean.decided", {std::to_string(total.decided), std::to_string(total.excluded),
                                       std::to_string(total.restored)}));
      c.refreshCurrent();
      c.reloadItemList();  // excluded items leave the list (and annotators' queues)
      requestSnapshot(c);
    };
  });
}

void CleanPanel::textActionLater(AppContext& ctx, clean::TextAction action, std::vector<ItemId> items) {
  ctx.defer([this, action, items = std::move(items)](AppContext& c) {
    auto r = clean::applyTextAction(c.session().store(), action, items, c.session().user().id);
    if (!r) return (void)c.report(Status(r.error()));
    std::string msg = trf("clean.text_changed", {std::to_string(r->changed), std::to_string(r->unchanged)});
    for (const auto& x : r->refused) msg += "\n" + x;
    c.notify(msg, !r->refused.empty());
    m_briefs.clear();  // snippets show the changed texts
    m_briefAsked.clear();
    c.refreshCurrent();
    requestSnapshot(c);
  });
}

// [SECTION] GUI-test hook: LB_CLEAN_TEST_STATE=<file> (with --test-mode) receives the counts at
// the thresholds on screen and the screen rectangles of the widgets a test clicks.
void CleanPanel::writeTestState(AppContext& ctx) {
  static const char* path = std::getenv("LB_CLEAN_TEST_STATE");
  if (!ctx.options().testMode || !path || !*path) return;
  nlohmann::json s;
  s["loaded"] = m_data.has_value();
  s["running"] = m_run != nullptr;
  s["deciding"] = m_deciding;
  s["message"] = m_lastRunMessage;
  s["selected"] = std::string(clean::allChecks()[m_selected].name);
  nlohmann::json checks = nlohmann::json::object();
  if (m_data)
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
      const auto& c = m_counts[i];
      checks[std::string(clean::allChecks()[i].name)] = {
          {"threshold", m_shown[i]}, {"findings", c.findings}, {"excluded", c.excluded}, {"kept", c.kept},
          {"groups", c.groups}, {"groups_current", c.groupsCurrent && !m_groupsPending[i]},
          {"stored", m_data->checks[i].rows.size()}};
    }
  s["checks"] = checks;
  nlohmann::json excluded = nlohmann::json::array();
  for (const auto& e : m_excluded) excluded.push_back(e.item);
  s["excluded_items"] = excluded;
  if (m_data) {
    const auto r = cleanui::sliderRange(clean::allChecks()[m_selected], m_data->checks[m_selected]);
    s["slider_range"] = {r.lo, r.hi};
  }
  nlohmann::json widgets = nlohmann::json::object();
  for (const auto& [name, r] : m_widgets) widgets[name] = {r.x, r.y, r.z, r.w};
  s["widgets"] = widgets;
  std::string text = s.dump();
  if (text == m_testState) return;
  m_testState = text;
  ctx.defer([text = std::move(text)](AppContext&) {
    const std::string tmp = std::string(path) + ".tmp";
    if (FILE* f = std::fopen(tmp.c_str(), "w")) {
      std::fputs(text.c_str(), f);
      std::fclose(f);
      std::rename(tmp.c_str(), path);
    }
  });
}

PanelRegistrar reg(5, [] { return std::make_unique<CleanPanel>(); });  // first in View: clean before labelling

}  // namespace lb::app
