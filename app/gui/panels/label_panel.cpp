// Labels: the schema's classes (colour, hotkey; click = class to draw, and with a selection its
// new class), image tags as check boxes, and the attribute editors of the selected object.
#include <imgui.h>
#include <imgui_stdlib.h>
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
using nlohmann::json;

// The last widget's screen rectangle, for the test-mode state file.
json itemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return json::array({std::round(a.x), std::round(a.y), std::round(b.x), std::round(b.y)});
}

ImVec4 parseColor(const std::string& hex) {
  if (hex.size() != 7 || hex[0] != '#') return ImVec4(0.9f, 0.9f, 0.9f, 1.f);
  const unsigned v = static_cast<unsigned>(std::stoul(hex.substr(1), nullptr, 16));
  return ImVec4(((v >> 16) & 255) / 255.f, ((v >> 8) & 255) / 255.f, (v & 255) / 255.f, 1.f);
}

class LabelPanel final : public Panel {
 public:
  const char* id() const override { return "labels"; }
  const char* titleKey() const override { return "panel.labels"; }
  bool openByDefault() const override { return true; }
  ImVec4 defaultRect() const override { return ImVec4(0.78f, 0.f, 0.22f, 0.5f); }

  void draw(AppContext& ctx) override {
    const auto& schema = ctx.schema();
    auto& ed = ctx.editor();
    m_test = testStateWanted(ctx);
    m_state = {{"classes", json::object()}, {"attributes", json::object()}};
    if (schema.classes.empty()) ImGui::TextWrapped("%s", tr("labels.no_schema"));
    ImGui::TextDisabled("%s", tr("labels.classes"));
    for (const auto& c : schema.classes) {
      if (c.scope != ClassScope::Object) continue;
      ImGui::PushID(static_cast<int>(c.id));
      ImGui::ColorButton("##col", parseColor(c.color), ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
      ImGui::SameLine();
      std::string label = c.name;
      if (!c.hotkey.empty()) label += "  [" + c.hotkey + "]";
      if (!c.keypointNames.empty()) label += "  (" + std::string(tr("labels.keypoints")) + ")";
      if (ImGui::Selectable(label.c_str(), ed.currentClass == c.id)) {
        ed.currentClass = c.id;
        if (!ctx.session().selection.empty()) actSetClassOfSelection(ctx, c.id);
      }
      if (m_test) m_state["classes"][c.name] = itemRect();
      ImGui::PopID();
    }
    bool anyTag = false;
    for (const auto& c : schema.classes) anyTag |= c.scope == ClassScope::ImageTag;
    if (anyTag) {
      ImGui::Separator();
      ImGui::TextDisabled("%s", tr("labels.tags"));
      for (const auto& c : schema.classes) {
        if (c.scope != ClassScope::ImageTag) continue;
        bool on = false;
        for (const auto& a : ctx.annotations()) on |= a.kind == AnnotationKind::Tag && a.classId == c.id;
        std::string label = c.name + (c.hotkey.empty() ? "" : "  [" + c.hotkey + "]");
        if (ImGui::Checkbox(label.c_str(), &on)) actToggleTag(ctx, c.id);
      }
    }
    ImGui::Separator();
    drawAttributes(ctx);
    if (m_test) publishTestState(ctx, ".labels", m_state.dump(), m_testState);
  }

 private:
  void drawAttributes(AppContext& ctx) {
    const auto& sel = ctx.session().selection;
    if (sel.size() != 1) {
      ImGui::TextDisabled("%s", tr("labels.select_one"));
      return;
    }
    const Annotation* a = nullptr;
    for (const auto& x : ctx.annotations())
      if (x.id == sel.front()) a = &x;
    if (!a) return;
    const ClassDef* c = ctx.schema().findClass(a->classId);
    ImGui::Text("%s #%lld  %s", tr("labels.object"), static_cast<long long>(a->id), std::string(toString(a->kind)).c_str());
    if (!c || c->attributes.empty()) {
      ImGui::TextDisabled("%s", tr("labels.no_attributes"));
      return;
    }
    // Edits start from the stored values each time the selection changes.
    if (m_for != a->id || m_forUpdated != a->updatedMs) {
      m_for = a->id;
      m_forUpdated = a->updatedMs;
      m_values = json::parse(a->attributesJson, nullptr, false);
      if (!m_values.is_object()) m_values = json::object();
    }
    bool commit = false;
    for (const auto& at : c->attributes) {
      ImGui::PushID(at.name.c_str());
      json& v = m_values[at.name];
      const std::string label = at.name + (at.required ? " *" : "");
      bool rectDone = false;  // an open combo's last item is its popup's; it records its own
      switch (at.type) {
        case AttributeType::Bool: {
          bool b = v.is_boolean() ? v.get<bool>() : at.defaultValue == "true";
          if (ImGui::Checkbox(label.c_str(), &b)) v = b, commit = true;
          break;
        }
        case AttributeType::Enum: {
          std::string cur = v.is_string() ? v.get<std::string>() : at.defaultValue;
          const bool open = ImGui::BeginCombo(label.c_str(), cur.c_str());
          if (m_test && !open) m_state["attributes"][at.name] = itemRect();
          rectDone = true;
          if (open) {
            for (const auto& o : at.options) {
              if (ImGui::Selectable(o.c_str(), o == cur)) v = o, commit = true;
              if (m_test) m_state["options"][o] = itemRect();
            }
            ImGui::EndCombo();
          }
          break;
        }
        case AttributeType::Text: {
          std::string s = v.is_string() ? v.get<std::string>() : at.defaultValue;
          if (ImGui::InputText(label.c_str(), &s)) v = s;
          commit |= ImGui::IsItemDeactivatedAfterEdit();
          break;
        }
        case AttributeType::Number: {
          double d = v.is_number() ? v.get<double>() : std::atof(at.defaultValue.c_str());
          if (ImGui::InputDouble(label.c_str(), &d)) v = d;
          commit |= ImGui::IsItemDeactivatedAfterEdit();
          break;
        }
      }
      if (m_test && !rectDone) m_state["attributes"][at.name] = itemRect();
      if (v.is_null()) m_values.erase(at.name);
      ImGui::PopID();
    }
    if (commit && !a->locked) {
      Annotation b = *a;
      b.attributesJson = m_values.dump();
      actUpdate(ctx, b);
    }
  }

  bool m_test = false;
  json m_state;
  std::string m_testState;
  AnnotationId m_for = 0;
  TimeMs m_forUpdated = 0;
  json m_values;
};

PanelRegistrar reg(30, [] { return std::make_unique<LabelPanel>(); });

}  // namespace
}  // namespace lb::app
