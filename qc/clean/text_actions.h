#pragma once
// [SECTION] Cleaning actions that change a text: masking personal data, converting traditional
// to simplified Chinese. The original stays recoverable for the lead only.
//
// Where the original goes: the items table holds what everyone sees (annotators, exports), so
// the changed text is written there and the first original is kept in the findings table under
// the check name "original_text" (detail_json {"text", "action", "by", "ms"}), a row that no
// check run ever replaces and that only lead-facing cleaning commands read. Masking replaces
// characters one for one, so span offsets stay valid; a conversion that would change the
// length in code points is refused for that item.
#include <string>
#include <vector>

#include "labeling/result.h"
#include "labeling/store/project_store.h"

namespace lb::qc::clean {

inline constexpr const char* kOriginalTextRow = "original_text";

enum class TextAction { MaskPii, ToSimplified };

struct TextActionResult {
  std::int64_t changed = 0;
  std::int64_t unchanged = 0;          // nothing to mask / nothing to convert
  std::vector<std::string> refused;    // item and why
};

// Applies the action to `items`; an empty list means every current finding of the matching
// check ("pii" or "traditional") at the project's threshold. One transaction.
Result<TextActionResult> applyTextAction(labeling::ProjectStore& store, TextAction action,
                                         std::vector<labeling::ItemId> items, labeling::UserId by);

// The text as imported, for a lead; Conflict for other roles, NotFound when it was never changed.
Result<std::string> originalText(labeling::ProjectStore& store, labeling::ItemId item, labeling::UserId who);
// Puts the original back (lead only) and forgets the saved copy.
Status restoreOriginalText(labeling::ProjectStore& store, labeling::ItemId item, labeling::UserId who);

}  // namespace lb::qc::clean
