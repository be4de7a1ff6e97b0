// Objects on the current item: select, hide, lock, reorder (z), delete, duplicate, copy to the
// next image.
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "app/gui/actions.h"
#include "app/gui/app_context.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"
#include "app/gui/test_state.h"

namespace lb::app {
namespace {

using namespace lb::labeling;

class ObjectListPanel final : public Panel {
 public:
  const char* id() const override { return "objects"; }
  const char* titleKey() const override { return "panel.objects"; }
  bool openByDefault() const override { return true; }
  ImVec4 defaultRect() const override { return ImVec4(0.78f, 0.5f, 0.22f, 0.5f); }

  void draw(AppContext& ctx) override {
    auto& sel = ctx.session().selection;
    const bool test = testStateWanted(ctx);
    nlohmann::json state = {{"rows", nlohmann::json::array()}};
    auto centre = [] {
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      return nlohmann::json::array({std::round((a.x + b.x) / 2), std::round((a.y + b.y) / 2)});
    };
    if (ImGui::SmallButton(tr("objects.delete"))) actDeleteSelection(ctx);
    if (test) state["delete"] = centre();
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("objects.duplicate"))) actDuplicateSelection(ctx);
    if (test) state["duplicate"] = centre();
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("objects.copy_next"))) actCopyToNext(ctx);
    if (test) state["copy_next"] = centre();
    const auto& list = ctx.annotations();
    if (!ImGui::BeginTable("##objs", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit)) {
      if (test) publishTestState(ctx, ".objects", state.dump(), m_testState);
      return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr("objects.visible"));
    ImGui::TableSetupColumn(tr("objects.lock"));
    // Class and kind share one column: the panel is narrow, and two columns clipped both.
    const std::string objectHeader = std::string(tr("objects.class")) + " / " + tr("objects.kind");
    ImGui::TableSetupColumn(objectHeader.c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("z");
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(list.size()));
    while (clipper.Step()) {
      // Topmost first, as people read a layer list.
      for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
        const Annotation& a = list[list.size() - 1 - row];
        nlohmann::json at;
        if (test) at["id"] = a.id;
        ImGui::PushID(static_cast<int>(a.id));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        bool visible = !a.hidden;
        if (a.kind != AnnotationKind::Tag && ImGui::Checkbox("##vis", &visible)) actSetFlag(ctx, a.id, !visible, a.locked);
        if (test && a.kind != AnnotationKind::Tag) at["show"] = centre();
        ImGui::TableNextColumn();
        bool locked = a.locked;
        if (ImGui::Checkbox("##lock", &locked)) actSetFlag(ctx, a.id, a.hidden, locked);
        if (test) at["lock"] = centre();
        ImGui::TableNextColumn();
        const ClassDef* c = ctx.schema().findClass(a.classId);
        const bool isSel = std::find(sel.begin(), sel.end(), a.id) != sel.end();
        std::string label = (c ? c->name : std::string("?")) + "  " + std::string(toString(a.kind)) + "  #" + std::to_string(a.id);
        const ImVec2 labelAt = ImGui::GetCursorScreenPos();  // the selectable spans the row: aim at its text
        if (ImGui::Selectable(label.c_str(), isSel, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
          if (ImGui::GetIO().KeyShift) {
            if (isSel) std::erase(sel, a.id);
            else sel.push_back(a.id);
          } else {
            sel = {a.id};
          }
        }
        if (test) at["label"] = {std::round(labelAt.x + 12), std::round((ImGui::GetItemRectMin().y + ImGui::GetItemRectMax().y) / 2)};
        ImGui::TableNextColumn();
        if (ImGui::ArrowButton("##up", ImGuiDir_Up)) actReorder(ctx, a.id, +1);
        if (test) at["up"] = centre();
        ImGui::SameLine(0, 2);
        if (ImGui::ArrowButton("##down", ImGuiDir_Down)) actReorder(ctx, a.id, -1);
        if (test) at["down"] = centre();
        ImGui::PopID();
        if (test) state["rows"].push_back(std::move(at));
      }
    }
    ImGui::EndTable();
    if (test) publishTestState(ctx, ".objects", state.dump(), m_testState);
  }

 private:
  std::string m_testState;
};

PanelRegistrar reg(40, [] { return std::make_unique<ObjectListPanel>(); });

}  // namespace
}  // namespace lb::app
