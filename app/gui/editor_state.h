#pragma once
// [SECTION] Display state shared by the canvas, the label panel, the object list and the item
// list. It is only state the user sees (tool, class, filter, visibility); what is stored lives in
// the project and is changed through the Session.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/store/project_store.h"

namespace lb::app {

enum class Tool { Select, Tag, Box, RotatedBox, Polygon, Polyline, Point, Keypoints, MaskBrush, MaskEraser };

// One row of the item list: what the list shows, loaded on a worker for the whole filter.
struct ItemRow {
  labeling::ItemId id = 0;
  std::string name;  // media path or the start of the text
  labeling::ItemState state = labeling::ItemState::New;
  bool nothingHere = false;
};

struct ItemList {
  labeling::ItemFilter filter;
  int stateFilter = -1;       // -1 any, else ItemState
  labeling::ClassId classFilter = 0;
  labeling::UserId assigneeFilter = 0;
  std::string search;
  std::vector<ItemRow> rows;  // the filtered list, in id order
  bool loading = false;
  std::int64_t total = 0;     // every item in the project (status line)
  int indexOf(labeling::ItemId id) const;
};

struct EditorState {
  Tool tool = Tool::Box;
  labeling::ClassId currentClass = 0;
  std::set<labeling::AnnotationId> hiddenLocal;  // hidden in this view only (eye in object list)
  float brightness = 0.f;  // -1..1, viewing only
  float contrast = 1.f;    // 0.2..3, viewing only
  float brushRadius_px = 12.f;
  bool showShortcuts = false;
  bool requestFit = true;

  // [SECTION] Appended for panels that draw over the canvas or take clicks on it (assists).
  // Where the canvas was drawn and how image pixels map to the screen: screen = image * zoom +
  // (imageX, imageY). The canvas panel writes it every frame it draws; `frame` says which.
  struct CanvasView {
    std::uint64_t frame = 0;
    labeling::ItemId item = 0;
    float x = 0, y = 0, w = 0, h = 0;  // the canvas rectangle on the screen
    double zoom = 1, imageX = 0, imageY = 0;
  } canvasView;
  // A panel asks the app to show another panel by its id (e.g. "plugins"); the app clears it.
  std::string openPanel;
};

const char* toolKey(Tool t);  // i18n key, e.g. "tool.box"

}  // namespace lb::app
