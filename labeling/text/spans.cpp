#include "labeling/text/spans.h"

#include <nlohmann/json.hpp>
#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "labeling/session/session.h"

namespace lb::labeling::text {

using nlohmann::json;

namespace {
// Event names for marking items; to move into labeling/events.h once that file settles
// (several engineers were appending to it at the time).
constexpr const char* kItemExcluded = "item_excluded";  // {"reason": "junk: ..."}
constexpr const char* kItemIncluded = "item_included";
}  // namespace

SpanRange spanOf(const Annotation& a) {
  if (a.coords.size() < 2) return {};
  return {static_cast<std::int64_t>(a.coords[0]), static_cast<std::int64_t>(a.coords[1])};
}

bool needsReview(const Annotation& a) {
  const json d = json::parse(a.dataJson, nullptr, false);
  return d.is_object() && d.value("needs_review", false);
}

namespace {

std::string describeSpan(const LabelSchema& schema, const Annotation& a) {
  const ClassDef* c = schema.findClass(a.classId);
  const auto r = spanOf(a);
  return "'" + (c ? c->name : std::string("?")) + "' [" + std::to_string(r.start) + ", " + std::to_string(r.end) + ")";
}

}  // namespace

Result<Annotation> makeSpan(const LabelSchema& schema, const std::vector<Annotation>& existing,
                            std::int64_t textLength, ClassId classId, std::int64_t start, std::int64_t end) {
  const ClassDef* cls = schema.findClass(classId);
  if (!cls) return makeError(ErrorCode::NotFound, "class " + std::to_string(classId) + " is not in the schema");
  if (cls->scope != ClassScope::Span)
    return makeError(ErrorCode::InvalidArgument, "class '" + cls->name + "' does not label spans; pick a span class");
  if (start < 0 || end > textLength || start >= end)
    return makeError(ErrorCode::InvalidArgument, "span [" + std::to_string(start) + ", " + std::to_string(end) +
                                                     ") is empty or outside the text (0.." + std::to_string(textLength) +
                                                     "); select at least one character");
  for (const auto& a : existing) {
    if (a.kind != AnnotationKind::Span) continue;
    const auto r = spanOf(a);
    if (r.start == start && r.end == end && a.classId == classId)
      return makeError(ErrorCode::Conflict, "this text already has the span " + describeSpan(schema, a));
    if (!schema.spansMayOverlap && r.start < end && start < r.end)
      return makeError(ErrorCode::Conflict, "the selection overlaps span " + describeSpan(schema, a) +
                                                "; this project does not allow overlapping spans — shorten the "
                                                "selection or delete that span first");
  }
  Annotation a;
  a.kind = AnnotationKind::Span;
  a.classId = classId;
  a.coords = {static_cast<double>(start), static_cast<double>(end)};
  return a;
}

Result<Annotation> makeRelation(const LabelSchema& schema, const std::vector<Annotation>& existing, ClassId classId,
                                AnnotationId from, AnnotationId to) {
  const ClassDef* cls = schema.findClass(classId);
  if (!cls || cls->scope != ClassScope::Relation)
    return makeError(ErrorCode::InvalidArgument, "pick a relation type from the schema (a class with scope 'relation')");
  if (from == to) return makeError(ErrorCode::InvalidArgument, "a relation needs two different spans");
  auto isSpan = [&](AnnotationId id) {
    return std::any_of(existing.begin(), existing.end(),
                       [&](const Annotation& a) { return a.id == id && a.kind == AnnotationKind::Span; });
  };
  if (!isSpan(from) || !isSpan(to))
    return makeError(ErrorCode::NotFound, "a relation joins two spans of this text; select two spans first");
  for (const auto& a : existing) {
    if (a.kind != AnnotationKind::Relation || a.classId != classId) continue;
    const json d = json::parse(a.dataJson, nullptr, false);
    if (d.is_object() && d.value("from", AnnotationId{0}) == from && d.value("to", AnnotationId{0}) == to)
      return makeError(ErrorCode::Conflict, "these spans already have the relation '" + cls->name + "'");
  }
  Annotation a;
  a.kind = AnnotationKind::Relation;
  a.classId = classId;
  a.dataJson = json{{"from", from}, {"to", to}}.dump();
  return a;
}

std::vector<AnnotationId> withDependentRelations(const std::vector<Annotation>& existing,
                                                 const std::vector<AnnotationId>& spans) {
  std::vector<AnnotationId> out = spans;
  for (const auto& a : existing) {
    if (a.kind != AnnotationKind::Relation) continue;
    const json d = json::parse(a.dataJson, nullptr, false);
    if (!d.is_object()) continue;
    const auto from = d.value("from", AnnotationId{0}), to = d.value("to", AnnotationId{0});
    if (std::find(spans.begin(), spans.end(), from) != spans.end() ||
        std::find(spans.begin(), spans.end(), to) != spans.end())
      if (std::find(out.begin(), out.end(), a.id) == out.end()) out.push_back(a.id);
  }
  return out;
}

std::vector<const Annotation*> spansAt(const std::vector<Annotation>& existing, std::int64_t cp) {
  std::vector<const Annotation*> out;
  for (const auto& a : existing) {
    if (a.kind != AnnotationKind::Span) continue;
    const auto r = spanOf(a);
    if (r.start <= cp && cp < r.end) out.push_back(&a);
  }
  std::sort(out.begin(), out.end(), [](const Annotation* x, const Annotation* y) {
    const auto rx = spanOf(*x), ry = spanOf(*y);
    return rx.end - rx.start < ry.end - ry.start;
  });
  return out;
}

Result<DocClassChange> planDocClassToggle(const LabelSchema& schema, const std::vector<Annotation>& existing,
                                          ClassId classId) {
  const ClassDef* cls = schema.findClass(classId);
  if (!cls || cls->scope != ClassScope::Document)
    return makeError(ErrorCode::InvalidArgument, "pick a document class from the schema (a class with scope 'document')");
  const Annotation* same = nullptr;
  const Annotation* other = nullptr;
  for (const auto& a : existing) {
    if (a.kind != AnnotationKind::DocClass || a.isReference) continue;
    if (a.classId == classId) same = &a;
    else if (!other) other = &a;
  }
  DocClassChange ch;
  if (same) {
    ch.op = DocClassChange::Op::Delete;
    ch.annotation = *same;
  } else if (other && !schema.documentMultiLabel) {
    ch.op = DocClassChange::Op::Update;
    ch.annotation = *other;
    ch.annotation.classId = classId;
  } else {
    ch.op = DocClassChange::Op::Create;
    ch.annotation.kind = AnnotationKind::DocClass;
    ch.annotation.classId = classId;
  }
  return ch;
}

Status toggleDocClass(Session& session, ClassId classId) {
  auto plan = planDocClassToggle(session.store().schema(), session.annotations(), classId);
  if (!plan) return plan.error();
  switch (plan->op) {
    case DocClassChange::Op::Create:
      if (auto id = session.createAnnotation(plan->annotation); !id) return id.error();
      return okStatus();
    case DocClassChange::Op::Update: return session.updateAnnotation(plan->annotation);
    case DocClassChange::Op::Delete: return session.deleteAnnotations({plan->annotation.id});
  }
  return okStatus();
}

SpanRange snapToWords(std::u32string_view text, SpanRange r) {
  const auto n = static_cast<std::int64_t>(text.size());
  r.start = std::clamp<std::int64_t>(r.start, 0, n);
  r.end = std::clamp<std::int64_t>(r.end, r.start, n);
  if (r.start == r.end) return r;
  // Only a window around the selection is handed to ICU: cheap on 1 MB documents.
  const std::int64_t from = std::max<std::int64_t>(0, r.start - 256), to = std::min(n, r.end + 256);
  icu::UnicodeString u;
  std::vector<std::int64_t> cpOfUnit;
  for (std::int64_t k = from; k < to; ++k) {
    cpOfUnit.push_back(k);
    if (text[k] >= 0x10000) cpOfUnit.push_back(k);
    u.append(static_cast<UChar32>(text[k]));
  }
  cpOfUnit.push_back(to);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) return r;
  bi->setText(u);
  std::int64_t start = r.start, end = r.end;
  for (int32_t p = bi->first(); p != icu::BreakIterator::DONE; p = bi->next()) {
    const std::int64_t cp = cpOfUnit[p];
    if (cp <= r.start) start = cp;
    if (cp >= r.end) {
      end = cp;
      break;
    }
  }
  auto space = [](char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == 0x3000 || c == 0xA0; };
  while (start < end && space(text[start])) ++start;
  while (end > start && space(text[end - 1])) --end;
  return end > start ? SpanRange{start, end} : r;
}

Status markItem(Session& session, ItemId item, ItemMark mark, const std::string& why) {
  if (why.empty()) return makeError(ErrorCode::InvalidArgument, "say why the item is junk or a duplicate");
  const std::string reason = std::string(mark == ItemMark::Junk ? "junk: " : "duplicate: ") + why;
  if (auto st = session.store().setExcluded(item, true, reason); !st) return st;
  session.logEvent(kItemExcluded, item, json{{"reason", reason}}.dump());
  return okStatus();
}

Status unmarkItem(Session& session, ItemId item) {
  if (auto st = session.store().setExcluded(item, false, ""); !st) return st;
  session.logEvent(kItemIncluded, item);
  return okStatus();
}

}  // namespace lb::labeling::text
