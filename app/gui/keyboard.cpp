#include "keyboard.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cctype>

#include "app/gui/actions.h"
#include "app/gui/app_context.h"
#include "app/gui/i18n.h"

namespace lb::app {

using namespace lb::labeling;

namespace {

struct ToolKey {
  int key;
  Tool tool;
  const char* label;
};
constexpr ToolKey kToolKeys[] = {
    {GLFW_KEY_V, Tool::Select, "V"},     {GLFW_KEY_B, Tool::Box, "B"},
    {GLFW_KEY_R, Tool::RotatedBox, "R"}, {GLFW_KEY_P, Tool::Polygon, "P"},
    {GLFW_KEY_L, Tool::Polyline, "L"},   {GLFW_KEY_O, Tool::Point, "O"},
    {GLFW_KEY_K, Tool::Keypoints, "K"},  {GLFW_KEY_M, Tool::MaskBrush, "M"},
    {GLFW_KEY_E, Tool::MaskEraser, "E"}, {GLFW_KEY_T, Tool::Tag, "T"},
};

// GLFW key for a schema hotkey ("1".."9", "0", "a".."z", "f2"...), or -1.
int glfwKeyFor(const std::string& hotkey) {
  if (hotkey.size() == 1) {
    const char ch = static_cast<char>(std::toupper(static_cast<unsigned char>(hotkey[0])));
    if (ch >= '0' && ch <= '9') return GLFW_KEY_0 + (ch - '0');
    if (ch >= 'A' && ch <= 'Z') return GLFW_KEY_A + (ch - 'A');
  }
  if (hotkey.size() >= 2 && (hotkey[0] == 'f' || hotkey[0] == 'F')) {
    const int n = std::atoi(hotkey.c_str() + 1);
    if (n >= 2 && n <= 12) return GLFW_KEY_F1 + n - 1;
  }
  return -1;
}

bool pressed(int key) { return ImGui::IsKeyPressed(key, false); }

}  // namespace

void handleKeyboard(AppContext& ctx) {
  const ImGuiIO& io = ImGui::GetIO();
  if (pressed(GLFW_KEY_F1)) ctx.editor().showShortcuts = !ctx.editor().showShortcuts;
  if (io.WantTextInput) return;  // typing in a text field: letters are text, not commands
  const bool ctrl = io.KeyCtrl, shift = io.KeyShift;
  if (ctrl) {
    if (pressed(GLFW_KEY_Z)) shift ? actRedo(ctx) : actUndo(ctx);
    if (pressed(GLFW_KEY_Y)) actRedo(ctx);
    if (pressed(GLFW_KEY_D)) actDuplicateSelection(ctx);
    if (pressed(GLFW_KEY_ENTER)) actSubmit(ctx);
    return;
  }
  if (io.KeyAlt) return;
  if (pressed(GLFW_KEY_DELETE)) actDeleteSelection(ctx);
  if (shift) {
    if (pressed(GLFW_KEY_C)) actCopyToNext(ctx);
    return;
  }
  // Class hotkeys come first: with a selection they change its class, else pick the class to draw.
  for (const auto& c : ctx.schema().classes) {
    const int key = glfwKeyFor(c.hotkey);
    if (key < 0 || !pressed(key)) continue;
    if (c.scope == ClassScope::ImageTag) {
      actToggleTag(ctx, c.id);
    } else {
      ctx.editor().currentClass = c.id;
      if (!ctx.session().selection.empty()) actSetClassOfSelection(ctx, c.id);
    }
    return;
  }
  for (const auto& tk : kToolKeys)
    if (pressed(tk.key)) ctx.editor().tool = tk.tool;
  if (pressed(GLFW_KEY_D)) ctx.defer([](AppContext& c) { c.step(+1); });
  if (pressed(GLFW_KEY_A)) ctx.defer([](AppContext& c) { c.step(-1); });
  if (pressed(GLFW_KEY_N)) ctx.defer([](AppContext& c) { c.nextUnlabelled(); });
  if (pressed(GLFW_KEY_X)) actToggleNothingHere(ctx);
}

void drawShortcutTable(AppContext& ctx) {
  if (!ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
  auto row = [](const char* keys, const char* what) {
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(keys);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(what);
  };
  for (const auto& tk : kToolKeys) row(tk.label, tr(toolKey(tk.tool)));
  for (const auto& c : ctx.schema().classes)
    if (!c.hotkey.empty()) row(c.hotkey.c_str(), trf("keys.class", {c.name}).c_str());
  row("D / A", tr("keys.next_prev"));
  row("N", tr("keys.next_unlabelled"));
  row("X", tr("keys.nothing_here"));
  row("Ctrl+Z", tr("keys.undo"));
  row("Ctrl+Y / Ctrl+Shift+Z", tr("keys.redo"));
  row("Delete", tr("keys.delete"));
  row("Ctrl+D", tr("keys.duplicate"));
  row("Shift+C", tr("keys.copy_next"));
  row("Ctrl+Enter", tr("keys.submit"));
  row("F", tr("keys.fit"));
  row("1:1 / Ctrl+0", tr("keys.one_to_one"));
  row(tr("keys.wheel"), tr("keys.zoom"));
  row(tr("keys.pan_keys"), tr("keys.pan"));
  row("Enter", tr("keys.close_shape"));
  row("Esc", tr("keys.cancel"));
  row("Backspace", tr("keys.delete_vertex"));
  row("F1", tr("keys.sheet"));
  ImGui::EndTable();
}

}  // namespace lb::app
