#pragma once
// [SECTION] Text checks over the project's text and prompt items. Same thread rules as the store.
#include <string>
#include <vector>

#include "labeling/store/project_store.h"
#include "qc/clean/image_checks.h"

namespace lb::qc::clean {

struct TextRow {
  labeling::ItemId id = 0;
  std::string text;
};

// Every text and prompt item (excluded ones too), with its stored text.
std::vector<TextRow> loadTexts(const labeling::ProjectStore& store);

// The rows of the named text checks (all text checks when `checks` is empty).
std::vector<CheckRows> computeTextChecks(const std::vector<TextRow>& texts, const std::vector<std::string>& checks);

// A line counts as boilerplate when this many texts (with at least two lines) contain it.
std::int64_t boilerplateMinItems(std::int64_t multiLineTexts);

}  // namespace lb::qc::clean
