#pragma once
// The label schema as JSON: what `labelbench-cli schema export/import` writes and reads, and
// what assets/schemas/*.json templates hold. Unknown keys are ignored; bad values are errors
// naming the class and field.
#include <string>

#include "labeling/model.h"
#include "labeling/result.h"

namespace lb::labeling {

std::string schemaToJson(const LabelSchema& schema, int indent = 2);
Result<LabelSchema> schemaFromJson(const std::string& json, const std::string& sourceName);

// The per-class details stored beside a class row (attributes, keypoints, skeleton).
std::string classDetailsToJson(const ClassDef& c);
void classDetailsFromJson(const std::string& json, ClassDef& c);

// The project-wide schema options (overlap, multi-label, ties, rubric, reject reasons).
std::string schemaOptionsToJson(const LabelSchema& schema);
void schemaOptionsFromJson(const std::string& json, LabelSchema& schema);

}  // namespace lb::labeling
