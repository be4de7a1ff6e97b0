#pragma once
// [SECTION] Text annotations built and checked against the label schema: spans (code-point
// offsets into the item's current text, see versions.h), relations between two spans, document
// classes (single- or multi-label per schema), and word-boundary snapping for fast selection.
//
// The make*/plan* functions only build and validate; the caller commits through Session so every
// change is one transaction with undo. Errors are InvalidArgument/Conflict values whose message
// says what is wrong and what to do.
#include <string>
#include <string_view>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"

namespace lb::labeling {
class Session;
}

namespace lb::labeling::text {

struct SpanRange {
  std::int64_t start = 0;  // code points, [start, end)
  std::int64_t end = 0;
  bool operator==(const SpanRange&) const = default;
};

SpanRange spanOf(const Annotation& a);  // coords[0], coords[1] of a Span
bool needsReview(const Annotation& a);  // dataJson "needs_review": true (set by a correction)

// A new span of class `classId` over [start, end) of a text `textLength` code points long.
// Refused: an empty or out-of-range range, a class that is not a span class, the same span with
// the same class twice, and any overlap with another span when the schema forbids overlaps.
Result<Annotation> makeSpan(const LabelSchema& schema, const std::vector<Annotation>& existing,
                            std::int64_t textLength, ClassId classId, std::int64_t start, std::int64_t end);

// A relation of type `classId` (a Relation-scope class) from span `from` to span `to`.
Result<Annotation> makeRelation(const LabelSchema& schema, const std::vector<Annotation>& existing, ClassId classId,
                                AnnotationId from, AnnotationId to);

// Ids to delete when the user deletes `spans`: the spans and every relation that uses them.
std::vector<AnnotationId> withDependentRelations(const std::vector<Annotation>& existing,
                                                 const std::vector<AnnotationId>& spans);

// The span annotations covering code point `cp`, innermost (shortest) first.
std::vector<const Annotation*> spansAt(const std::vector<Annotation>& existing, std::int64_t cp);

// Pressing a document-class hotkey: toggles that class. Single-label schemas replace the
// existing class (an update of the one DocClass annotation, so it is one undo step).
struct DocClassChange {
  enum class Op { Create, Update, Delete } op = Op::Create;
  Annotation annotation;  // Create: new; Update: changed copy; Delete: the one to delete
};
Result<DocClassChange> planDocClassToggle(const LabelSchema& schema, const std::vector<Annotation>& existing,
                                          ClassId classId);
// Plans and applies the toggle on the session's current item.
Status toggleDocClass(Session& session, ClassId classId);

// Widens [start, end) to whole words (ICU word break iterator: dictionary-based for Chinese),
// then trims white space at both ends. `text` is the item's text as code points.
SpanRange snapToWords(std::u32string_view text, SpanRange range);

// Marks an item junk or a duplicate: the item is excluded (out of queues and exports, like a
// cleaning finding) with the reason "junk: <why>" / "duplicate: <why>", and the event log
// records it. Excluding rather than a document class keeps the client's label set clean and
// lets qc's "bring back" restore it.
enum class ItemMark { Junk, Duplicate };
Status markItem(Session& session, ItemId item, ItemMark mark, const std::string& why);
Status unmarkItem(Session& session, ItemId item);

}  // namespace lb::labeling::text
