#pragma once
// [SECTION] Keyboard first: a hotkey per tool and per class (from the schema), next/previous item,
// next unlabelled, undo/redo, delete, the F1 shortcut sheet. Canvas-only keys (Enter to close a
// polygon, Esc, Backspace, Space to pan, F to fit) live in the canvas.
namespace lb::app {
class AppContext;
void handleKeyboard(AppContext& ctx);
void drawShortcutTable(AppContext& ctx);
}  // namespace lb::app
