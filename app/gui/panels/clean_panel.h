#pragma once
// [SECTION] The cleaning panel (lead only): run the checks on a worker with progress and cancel,
// findings by type with counts, threshold sliders that re-filter the stored scores in memory,
// per-finding / per-group / per-type decisions through qc::clean::decide(), duplicate groups side
// by side with the suggested keeper marked, and an "excluded" view with bring-back.
//
// Split: clean_panel.cpp (frame, run, types, thresholds, decisions, test state),
// clean_panel_lists.cpp (the finding, group and excluded lists), clean_panel_model.* (reading).
// Threads: UI thread only; reading runs on ctx.workers(), edits in ctx.defer().
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/gui/panel.h"
#include "app/gui/panels/clean_panel_model.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/text_actions.h"

namespace lb::app {

class CleanPanel final : public Panel {
 public:
  const char* id() const override { return "clean"; }
  const char* titleKey() const override { return "clean.title"; }
  ImVec4 defaultRect() const override { return ImVec4(0.03f, 0.03f, 0.94f, 0.94f); }
  bool available(AppContext& ctx) override;
  void draw(AppContext& ctx) override;

 private:
  // Shared with the worker that runs the checks; the UI reads it every frame.
  struct RunState {
    std::atomic<bool> cancel{false};
    std::atomic<std::int64_t> done{0}, total{1};
    std::mutex mutex;
    std::string stage;
  };

  // [SECTION] clean_panel.cpp
  void requestSnapshot(AppContext& ctx);
  void accept(cleanui::Snapshot snapshot);  // a fresh read: counts, excluded list, selection
  void requestGroups(AppContext& ctx, std::size_t check);
  void startRun(AppContext& ctx);
  void drawRunBar(AppContext& ctx);
  void drawTypes();
  void drawDetail(AppContext& ctx);
  void drawThreshold(AppContext& ctx, std::size_t check);
  void saveThreshold(AppContext& ctx, std::size_t check);
  // Runs decide() for each target in one transaction on a worker, then reloads.
  void decideLater(AppContext& ctx, std::vector<std::pair<qc::clean::DecideTarget, qc::clean::DecideAction>> steps);
  void textActionLater(AppContext& ctx, qc::clean::TextAction action, std::vector<labeling::ItemId> items);
  void recount(std::size_t check);
  void mark(const std::string& widget);  // remembers the last item's rectangle for GUI tests
  void writeTestState(AppContext& ctx);

  // [SECTION] clean_panel_lists.cpp
  void drawFindings(AppContext& ctx, std::size_t check);
  void drawGroups(AppContext& ctx, std::size_t check);
  void drawExcluded(AppContext& ctx);
  void drawThumb(AppContext& ctx, labeling::ItemId id, float size_px, bool keeper, bool excluded);
  void drawTextBox(labeling::ItemId id, float width_px, float height_px, bool keeper, bool excluded);
  void drawItemCaption(AppContext& ctx, labeling::ItemId id);
  const cleanui::ItemBrief* brief(labeling::ItemId id);  // null until a worker has read it
  void requestBriefs(AppContext& ctx);
  const char* decisionText(qc::clean::Decision d) const;
  std::string checkTitle(std::size_t check) const;

  std::string m_projectPath;  // the project the snapshot belongs to
  bool m_loading = false, m_reloadAgain = false;
  bool m_deciding = false;  // a decision is being written on a worker
  std::optional<cleanui::Snapshot> m_data;
  std::vector<double> m_shown;             // thresholds on screen, allChecks() order
  std::vector<cleanui::Counts> m_counts;   // at m_shown
  std::vector<std::size_t> m_visible;      // selected scalar check: indices of its findings
  std::vector<cleanui::ExcludedEntry> m_excluded;
  std::set<labeling::ItemId> m_excludedIds;  // by any check: shown on the other checks' lists too
  std::vector<bool> m_groupsPending;
  std::size_t m_selected = 1;  // near_dup
  bool m_autoSelect = false;   // after a run: move to a type with findings if this one has none
  std::shared_ptr<RunState> m_run;
  std::string m_lastRunMessage;
  std::unordered_map<labeling::ItemId, cleanui::ItemBrief> m_briefs;
  std::map<labeling::ItemId, double> m_briefAsked;  // id -> when it was asked (seconds)
  std::vector<labeling::ItemId> m_briefWanted;
  std::map<std::string, ImVec4> m_widgets;  // GUI-test hook: widget -> x, y, w, h
  std::string m_testState;
};

}  // namespace lb::app
