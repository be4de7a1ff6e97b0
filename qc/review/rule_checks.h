#pragma once
// [SECTION] Rule checks on one item's annotations, run on submit and on demand. Each result
// names the annotation it is about (0 for the item as a whole) so the editor can select it.
//
// Severity and the submit policy (our decision): Error rules describe labels that are wrong
// whatever the project (class not in schema, required attribute missing, box outside the image
// or of zero area, self-intersecting polygon, whitespace-only span, nothing drawn and not marked
// "nothing here"); submitChecked refuses to submit while any remain. Warning rules depend on a
// judgement the annotator may rightly override (box below the minimum size, two same-class
// objects overlapping above the IoU threshold); they are returned but do not block submitting.
#include <optional>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/session/session.h"
#include "labeling/store/project_store.h"

namespace lb::qc {

// Project setting "review.rules" (JSON): {"min_box_side_px": 4, "max_same_class_iou": 0.7}.
struct RuleSettings {
  double minBoxSide_px = 4.0;     // a box narrower or lower than this is flagged
  double maxSameClassIou = 0.7;   // two same-class objects of one author overlapping above this
};
RuleSettings loadRuleSettings(const labeling::ProjectStore& store);
Status saveRuleSettings(labeling::ProjectStore& store, const RuleSettings& settings);

enum class RuleSeverity { Warning, Error };

struct RuleViolation {
  std::string rule;                     // stable name, e.g. "box_outside_image"
  RuleSeverity severity = RuleSeverity::Error;
  labeling::AnnotationId annotation = 0;  // 0 = the item as a whole
  labeling::AnnotationId other = 0;       // the second object of a pair rule
  labeling::UserId author = 0;
  std::string message;                  // names the item and the object
};

// Checks all non-reference annotations of the item (of every author: overlap items are checked
// per author for the pair and "nothing drawn" rules).
Result<std::vector<RuleViolation>> checkItem(const labeling::ProjectStore& store, labeling::ItemId item,
                                             const RuleSettings& settings);
// Only one author's annotations (what that annotator is about to submit).
Result<std::vector<RuleViolation>> checkItem(const labeling::ProjectStore& store, labeling::ItemId item,
                                             const RuleSettings& settings, std::optional<labeling::UserId> author);

struct SubmitOutcome {
  bool submitted = false;
  std::vector<RuleViolation> violations;  // errors (when refused) and warnings
};
// Checks the session's current item for the session's user, then submits it (and marks the
// user's annotate task submitted) unless an Error rule fired. A refusal is not an Error value:
// the outcome lists what to fix.
Result<SubmitOutcome> submitChecked(labeling::Session& session, const RuleSettings& settings);

}  // namespace lb::qc
