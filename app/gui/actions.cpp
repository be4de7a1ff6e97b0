#include "actions.h"

#include <algorithm>

#include "app/gui/app_context.h"
#include "app/gui/i18n.h"

namespace lb::app {

using namespace lb::labeling;

namespace {
std::vector<Annotation> selected(AppContext& ctx) {
  std::vector<Annotation> out;
  const auto& sel = ctx.session().selection;
  for (const auto& a : ctx.annotations())
    if (std::find(sel.begin(), sel.end(), a.id) != sel.end()) out.push_back(a);
  return out;
}
int topZ(AppContext& ctx) {
  int z = 0;
  for (const auto& a : ctx.annotations()) z = std::max(z, a.zOrder);
  return z;
}
}  // namespace

void actUndo(AppContext& ctx) {
  ctx.defer([](AppContext& c) {
    if (c.session().canUndo()) c.report(c.session().undo());
    else c.notify(tr("status.nothing_to_undo"));
  });
}

void actRedo(AppContext& ctx) {
  ctx.defer([](AppContext& c) {
    if (c.session().canRedo()) c.report(c.session().redo());
    else c.notify(tr("status.nothing_to_redo"));
  });
}

void actDeleteSelection(AppContext& ctx) {
  ctx.defer([](AppContext& c) {
    std::vector<AnnotationId> ids;
    for (const auto& a : selected(c))
      if (!a.locked) ids.push_back(a.id);
    if (ids.empty()) return;
    c.report(c.session().deleteAnnotations(ids));
  });
}

void actDuplicateSelection(AppContext& ctx) {
  ctx.defer([](AppContext& c) {
    auto list = selected(c);
    if (list.empty()) return;
    int z = topZ(c);
    for (auto& a : list) {
      for (size_t i = 0; i + 1 < a.coords.size() && a.kind != AnnotationKind::RotatedBox; i += 2) {
        a.coords[i] += 10;  // offset so the copy is visible beside the original
        a.coords[i + 1] += 10;
        if (a.kind == AnnotationKind::Keypoints) ++i;  // x, y, visibility triples
        if (a.kind == AnnotationKind::Mask) break;      // left, top only
      }
      if (a.kind == AnnotationKind::RotatedBox && a.coords.size() >= 2) {
        a.coords[0] += 10;
        a.coords[1] += 10;
      }
      a.source = "manual";
      a.locked = false;
      a.hidden = false;
      a.zOrder = ++z;
    }
    std::vector<AnnotationId> before;
    for (const auto& a : c.annotations()) before.push_back(a.id);
    if (!c.report(c.session().createAnnotations(list))) return;
    // The copies become the selection, so they can be moved off the originals straight away.
    auto& sel = c.session().selection;
    sel.clear();
    for (const auto& a : c.annotations())
      if (std::find(before.begin(), before.end(), a.id) == before.end()) sel.push_back(a.id);
  });
}

void actSetClassOfSelection(AppContext& ctx, ClassId cls) {
  ctx.defer([cls](AppContext& c) {
    // All selected objects change in one undo step.
    std::vector<EditStep> steps;
    for (auto a : selected(c)) {
      if (a.classId == cls || a.locked) continue;
      a.classId = cls;
      EditStep s;
      s.op = EditStep::Op::Update;
      s.after = a;
      steps.push_back(std::move(s));
    }
    if (!steps.empty()) c.report(c.session().applyEdits(std::move(steps), "update"));
  });
}

void actCopyToNext(AppContext& ctx) {
  ctx.defer([](AppContext& c) {
    auto list = selected(c);
    if (list.empty()) list = c.annotations();
    std::erase_if(list, [](const Annotation& a) { return a.isReference; });
    const int i = c.items().indexOf(c.session().currentItem());
    if (i < 0 || i + 1 >= static_cast<int>(c.items().rows.size()) || list.empty()) {
      c.notify(tr("status.nothing_to_copy"));
      return;
    }
    const ItemId next = c.items().rows[i + 1].id;
    c.openItem(next);
    if (c.session().currentItem() != next) return;  // opening failed; the status line says why
    // The copies are new objects there: shown and editable whatever the originals were.
    for (auto& a : list) {
      a.source = "manual";
      a.hidden = false;
      a.locked = false;
    }
    std::vector<AnnotationId> there;
    for (const auto& a : c.annotations()) there.push_back(a.id);
    if (!c.report(c.session().createAnnotations(list))) return;
    // The copies become the selection: the usual next step is nudging them onto the new image.
    auto& sel = c.session().selection;
    sel.clear();
    for (const auto& a : c.annotations())
      if (std::find(there.begin(), there.end(), a.id) == there.end()) sel.push_back(a.id);
  });
}

void actToggleNothingHere(AppContext& ctx) {
  ctx.defer([](AppContext& c) {
    const bool now = c.currentItem() && c.currentItem()->nothingHere;
    c.report(c.session().setNothingHere(!now));
  });
}

void actSubmit(AppContext& ctx) {
  ctx.defer([](AppContext& c) {
    if (c.report(c.session().submit())) c.notify(tr("status.submitted"));
  });
}

void actToggleTag(AppContext& ctx, ClassId cls) {
  ctx.defer([cls](AppContext& c) {
    for (const auto& a : c.annotations())
      if (a.kind == AnnotationKind::Tag && a.classId == cls) {
        c.report(c.session().deleteAnnotations({a.id}));
        return;
      }
    Annotation t;
    t.kind = AnnotationKind::Tag;
    t.classId = cls;
    auto id = c.session().createAnnotation(t);
    c.report(id ? okStatus() : Status(id.error()));
  });
}

void actSetFlag(AppContext& ctx, AnnotationId id, bool hidden, bool locked) {
  ctx.defer([id, hidden, locked](AppContext& c) {
    for (auto a : c.annotations())
      if (a.id == id) {
        // The session refuses changes to a locked object unless the change unlocks it, so
        // hiding a locked object is: unlock, then hide and lock again.
        if (a.locked && locked && a.hidden != hidden) {
          Annotation un = a;
          un.locked = false;
          if (!c.report(c.session().updateAnnotation(un))) return;
        }
        a.hidden = hidden;
        a.locked = locked;
        c.report(c.session().updateAnnotation(a));
        return;
      }
  });
}

void actReorder(AppContext& ctx, AnnotationId id, int delta) {
  ctx.defer([id, delta](AppContext& c) {
    auto list = c.annotations();  // sorted by z
    auto it = std::find_if(list.begin(), list.end(), [&](const Annotation& a) { return a.id == id; });
    if (it == list.end()) return;
    auto other = delta > 0 ? it + 1 : it - (it == list.begin() ? 0 : 1);
    if (other == list.end() || other == it) return;
    Annotation a = *it, b = *other;
    std::swap(a.zOrder, b.zOrder);
    if (a.zOrder == b.zOrder) a.zOrder += delta;
    // Both objects swap places in one undo step.
    std::vector<EditStep> steps(1);
    steps[0].op = EditStep::Op::Update;
    steps[0].after = a;
    if (b.zOrder != other->zOrder) {
      steps.emplace_back();
      steps[1].op = EditStep::Op::Update;
      steps[1].after = b;
    }
    c.report(c.session().applyEdits(std::move(steps), "reorder"));
  });
}

void actUpdate(AppContext& ctx, Annotation a) {
  ctx.defer([a = std::move(a)](AppContext& c) { c.report(c.session().updateAnnotation(a)); });
}

void actCreate(AppContext& ctx, Annotation a, bool select) {
  ctx.defer([a = std::move(a), select](AppContext& c) mutable {
    a.zOrder = topZ(c) + 1;
    auto id = c.session().createAnnotation(a);
    if (!id) {
      c.report(Status(id.error()));
      return;
    }
    c.refreshCurrent();
    if (select) c.session().selection = {*id};
  });
}

}  // namespace lb::app
