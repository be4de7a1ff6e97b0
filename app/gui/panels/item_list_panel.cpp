// The item list: virtualised (ImGuiListClipper) with thumbnails from the project, filtered by
// state, class, assignee and text. The filter query runs on a worker.
#include <imgui.h>
#include <imgui_stdlib.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "app/gui/app_context.h"
#include "app/gui/gl_texture.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"
#include "app/gui/test_state.h"
#include "app/gui/thumbnail_cache.h"

namespace lb::app {
namespace {

using namespace lb::labeling;

const char* stateKey(ItemState s) {
  switch (s) {
    case ItemState::New: return "state.new";
    case ItemState::InProgress: return "state.in_progress";
    case ItemState::Submitted: return "state.submitted";
    case ItemState::Accepted: return "state.accepted";
    case ItemState::Rejected: return "state.rejected";
  }
  return "state.new";
}

ImVec4 stateColor(ItemState s, bool nothingHere) {
  if (nothingHere) return ImVec4(0.5f, 0.8f, 0.5f, 1.f);
  switch (s) {
    case ItemState::New: return ImVec4(0.7f, 0.7f, 0.7f, 1.f);
    case ItemState::InProgress: return ImVec4(0.95f, 0.8f, 0.35f, 1.f);
    case ItemState::Submitted: return ImVec4(0.45f, 0.7f, 1.f, 1.f);
    case ItemState::Accepted: return ImVec4(0.4f, 0.9f, 0.45f, 1.f);
    case ItemState::Rejected: return ImVec4(1.f, 0.45f, 0.4f, 1.f);
  }
  return ImVec4(1, 1, 1, 1);
}

class ItemListPanel final : public Panel {
 public:
  const char* id() const override { return "items"; }
  const char* titleKey() const override { return "panel.items"; }
  bool openByDefault() const override { return true; }
  ImVec4 defaultRect() const override { return ImVec4(0.f, 0.f, 0.2f, 1.f); }

  void draw(AppContext& ctx) override {
    auto& list = ctx.items();
    bool changed = false;
    if (m_usersFor != ctx.projectInfo().name + ctx.session().sessionId()) {
      m_usersFor = ctx.projectInfo().name + ctx.session().sessionId();
      ctx.defer([this](AppContext& c) { m_users = c.session().store().users(); });
    }
    // State filter
    const char* stateNames[] = {tr("filter.any_state"), tr("state.new"), tr("state.in_progress"),
                                tr("state.submitted"), tr("state.accepted"), tr("state.rejected")};
    const bool test = testStateWanted(ctx);
    nlohmann::json state = {{"rows", nlohmann::json::array()}, {"options", nlohmann::json::array()}};
    auto rect = [] {
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      return nlohmann::json::array({std::round(a.x), std::round(a.y), std::round(b.x), std::round(b.y)});
    };
    ImGui::SetNextItemWidth(-1);
    const bool stateOpen = ImGui::BeginCombo("##state", stateNames[list.stateFilter + 1]);
    if (test && !stateOpen) state["state_filter"] = rect();
    if (stateOpen) {
      for (int i = 0; i < 6; ++i) {
        if (ImGui::Selectable(stateNames[i], i == list.stateFilter + 1)) {
          list.stateFilter = i - 1;
          changed = true;
        }
        if (test) state["options"].push_back(rect());  // "any", then the states in ItemState order
      }
      ImGui::EndCombo();
    }
    // Class filter
    const ClassDef* cls = ctx.schema().findClass(list.classFilter);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##class", cls ? cls->name.c_str() : tr("filter.any_class"))) {
      if (ImGui::Selectable(tr("filter.any_class"), !cls)) list.classFilter = 0, changed = true;
      for (const auto& c : ctx.schema().classes)
        if (ImGui::Selectable(c.name.c_str(), c.id == list.classFilter)) list.classFilter = c.id, changed = true;
      ImGui::EndCombo();
    }
    // Assignee filter
    std::string who = tr("filter.any_assignee");
    for (const auto& u : m_users)
      if (u.id == list.assigneeFilter) who = u.name;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##assignee", who.c_str())) {
      if (ImGui::Selectable(tr("filter.any_assignee"), list.assigneeFilter == 0)) list.assigneeFilter = 0, changed = true;
      for (const auto& u : m_users)
        if (ImGui::Selectable(u.name.c_str(), u.id == list.assigneeFilter)) list.assigneeFilter = u.id, changed = true;
      ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputTextWithHint("##search", tr("filter.search"), &list.search)) changed = true;
    if (test) state["search"] = rect();
    if (changed) ctx.defer([](AppContext& c) { c.reloadItemList(); });

    ImGui::TextDisabled("%s", list.loading ? tr("items.loading")
                                           : trf("items.count", {std::to_string(list.rows.size())}).c_str());
    ImGui::Separator();
    const float rowH = 52.f;
    const ItemId current = ctx.session().currentItem();
    if (ImGui::BeginChild("##rows")) {
      // Keep the current item in view when it changes (keyboard navigation).
      if (current != m_lastCurrent) {
        m_lastCurrent = current;
        const int idx = list.indexOf(current);
        const float y = idx * rowH;
        if (idx >= 0 && (y < ImGui::GetScrollY() || y + rowH > ImGui::GetScrollY() + ImGui::GetWindowHeight()))
          ImGui::SetScrollY(y - ImGui::GetWindowHeight() / 2);
      }
      ImGuiListClipper clipper;
      clipper.Begin(static_cast<int>(list.rows.size()), rowH);
      while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
          const ItemRow& r = list.rows[i];
          ImGui::PushID(static_cast<int>(r.id));
          const ImVec2 pos = ImGui::GetCursorScreenPos();
          if (ImGui::Selectable("##row", r.id == current, 0, ImVec2(0, rowH - 4)))
            ctx.defer([id = r.id](AppContext& c) { c.openItem(id); });
          if (test) state["rows"].push_back({{"id", r.id}, {"rect", rect()}});
          ThumbTexture t = ctx.thumbnails().get(ctx, r.id);
          ImDrawList* dl = ImGui::GetWindowDrawList();
          if (t.tex) {
            const float s = 44.f / std::max(t.width_px, t.height_px);
            const float w = t.width_px * s, h = t.height_px * s;
            dl->AddImage(texId(t.tex), ImVec2(pos.x + (44 - w) / 2, pos.y + (44 - h) / 2),
                         ImVec2(pos.x + (44 + w) / 2, pos.y + (44 + h) / 2));
          } else {
            dl->AddRectFilled(pos, ImVec2(pos.x + 44, pos.y + 44), IM_COL32(60, 60, 66, 255));
          }
          dl->AddText(ImVec2(pos.x + 52, pos.y + 4), ImGui::GetColorU32(ImGuiCol_Text), r.name.c_str());
          const char* stateText = r.nothingHere ? tr("state.nothing_here") : tr(stateKey(r.state));
          dl->AddText(ImVec2(pos.x + 52, pos.y + 24), ImGui::GetColorU32(stateColor(r.state, r.nothingHere)), stateText);
          ImGui::PopID();
        }
      }
    }
    ImGui::EndChild();
    if (test) {
      state["shown"] = list.rows.size();
      state["loading"] = list.loading;
      publishTestState(ctx, ".items", state.dump(), m_testState);
    }
  }

 private:
  std::vector<User> m_users;
  std::string m_usersFor;
  ItemId m_lastCurrent = 0;
  std::string m_testState;
};

PanelRegistrar reg(10, [] { return std::make_unique<ItemListPanel>(); });

}  // namespace
}  // namespace lb::app
