// Objects on the current item: select, hide, lock, reorder (z), delete, duplicate, copy to the
// next image.
#include <imgui.h>

#include "app/gui/actions.h"
#include "app/gui/app_context.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"

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
    if (ImGui::SmallButton(tr("objects.delete"))) actDeleteSelection(ctx);
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("objects.duplicate"))) actDuplicateSelection(ctx);
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("objects.copy_next"))) actCopyToNext(ctx);
    const auto& list = ctx.annotations();
    if (!ImGui::BeginTable("##objs", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit))
      return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr("objects.visible"));
    ImGui::TableSetupColumn(tr("objects.lock"));
    ImGui::TableSetupColumn(tr("objects.class"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(tr("objects.kind"));
    ImGui::TableSetupColumn("z");
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(list.size()));
    while (clipper.Step()) {
      // Topmost first, as people read a layer list.
      for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
        const Annotation& a = list[list.size() - 1 - row];
        ImGui::PushID(static_cast<int>(a.id));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        bool visible = !a.hidden;
        if (a.kind != AnnotationKind::Tag && ImGui::Checkbox("##vis", &visible)) actSetFlag(ctx, a.id, !visible, a.locked);
        ImGui::TableNextColumn();
        bool locked = a.locked;
        if (ImGui::Checkbox("##lock", &locked)) actSetFlag(ctx, a.id, a.hidden, locked);
        ImGui::TableNextColumn();
        const ClassDef* c = ctx.schema().findClass(a.classId);
        const bool isSel = std::find(sel.begin(), sel.end(), a.id) != sel.end();
        std::string label = (c ? c->name : std::string("?")) + "  #" + std::to_string(a.id);
        if (ImGui::Selectable(label.c_str(), isSel, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
          if (ImGui::GetIO().KeyShift) {
            if (isSel) std::erase(sel, a.id);
            else sel.push_back(a.id);
          } else {
            sel = {a.id};
          }
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(std::string(toString(a.kind)).c_str());
        ImGui::TableNextColumn();
        if (ImGui::ArrowButton("##up", ImGuiDir_Up)) actReorder(ctx, a.id, +1);
        ImGui::SameLine(0, 2);
        if (ImGui::ArrowButton("##down", ImGuiDir_Down)) actReorder(ctx, a.id, -1);
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }
};

PanelRegistrar reg(40, [] { return std::make_unique<ObjectListPanel>(); });

}  // namespace
}  // namespace lb::app
