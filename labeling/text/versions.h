#pragma once
// [SECTION] Text versions: corrections are stored beside the original, never over it.
//
// Item::text is the original as imported. Each correction is a new CorrectedText annotation
// with dataJson {"text": "...", "version": n} (n = 1, 2, ...); the text with the highest version
// is the item's current text. Span offsets always refer to the current text: when a correction
// is applied, spans move with the edit (a character-level diff, Myers on code points), and a
// span that an edit cuts through (the edit starts outside it and ends inside, or the other way
// round, or removes it entirely) is flagged with dataJson "needs_review": true and a
// "review_reason" instead of being moved silently. An edit wholly inside a span (fixing a typo
// in a name) resizes the span without a flag.
#include <string>
#include <string_view>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/session/session.h"
#include "labeling/text/spans.h"

namespace lb::labeling::text {

struct DiffOp {
  enum class Kind { Equal, Delete, Insert };
  Kind kind = Kind::Equal;
  std::int64_t aStart = 0, aEnd = 0;  // range in the old text (empty for Insert)
  std::int64_t bStart = 0, bEnd = 0;  // range in the new text (empty for Delete)
};

// Character-level diff of two code-point strings (Myers, after trimming the common prefix and
// suffix). Very different texts (more than `maxEdits` edits) come back as one replacement of
// the middle, which is still a correct diff, only a coarser one. Adjacent ops are merged.
std::vector<DiffOp> diffCodePoints(std::u32string_view a, std::u32string_view b, std::int64_t maxEdits = 1000);

struct RemappedSpan {
  SpanRange range;
  bool cut = false;  // an edit cut through the span (or removed it): the annotator must look
};
RemappedSpan remapSpan(const std::vector<DiffOp>& diff, SpanRange span);

struct TextVersion {
  std::string text;
  int version = 0;                 // 0 = the original
  AnnotationId annotationId = 0;   // the CorrectedText annotation (0 for the original)
};
// The current (latest) text of an item given its annotations.
TextVersion currentText(const Item& item, const std::vector<Annotation>& annotations);
// Every version, original first.
std::vector<TextVersion> textVersions(const Item& item, const std::vector<Annotation>& annotations);

struct CorrectionPlan {
  std::vector<EditStep> steps;   // create the new version + update every moved/flagged span
  int newVersion = 0;
  int movedSpans = 0;
  int flaggedSpans = 0;
};
// Plans the correction of `item` to `newText` (NFC-normalised, CRLF -> LF here).
// Errors: the new text is not valid UTF-8, or equals the current text.
Result<CorrectionPlan> planCorrection(const Item& item, const std::vector<Annotation>& annotations,
                                      const std::string& newText);
// Plans and applies on the session's current item as one undo step.
Result<CorrectionPlan> applyCorrection(Session& session, const std::string& newText);

}  // namespace lb::labeling::text
