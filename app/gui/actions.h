#pragma once
// [SECTION] Edits the keyboard, the menus and the panels share. Each one is deferred: it runs
// after the frame's widgets, goes through the Session (one transaction + undo record + event)
// and refreshes the view. Call them from widget code freely.
#include "labeling/model.h"

namespace lb::app {

class AppContext;

void actUndo(AppContext& ctx);
void actRedo(AppContext& ctx);
void actDeleteSelection(AppContext& ctx);
void actDuplicateSelection(AppContext& ctx);
void actSetClassOfSelection(AppContext& ctx, labeling::ClassId cls);
// Copies the selected objects (or all objects when none is selected) to the next item in the
// list and opens it: one undo step there.
void actCopyToNext(AppContext& ctx);
void actToggleNothingHere(AppContext& ctx);
void actSubmit(AppContext& ctx);
void actToggleTag(AppContext& ctx, labeling::ClassId cls);
void actSetFlag(AppContext& ctx, labeling::AnnotationId id, bool hidden, bool locked);
void actReorder(AppContext& ctx, labeling::AnnotationId id, int delta);  // z order: +1 up, -1 down
void actUpdate(AppContext& ctx, labeling::Annotation a);  // one edited annotation
void actCreate(AppContext& ctx, labeling::Annotation a, bool select = true);

}  // namespace lb::app
