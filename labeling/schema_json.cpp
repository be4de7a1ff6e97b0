#include "labeling/schema_json.h"

#include <nlohmann/json.hpp>

namespace lb::labeling {

using nlohmann::json;

namespace {

json attributeToJson(const AttributeDef& a) {
  json j = {{"name", a.name}, {"type", toString(a.type)}, {"required", a.required}};
  if (!a.options.empty()) j["options"] = a.options;
  if (!a.defaultValue.empty()) j["default"] = a.defaultValue;
  return j;
}

json detailsJson(const ClassDef& c) {
  json j = json::object();
  if (!c.attributes.empty()) {
    j["attributes"] = json::array();
    for (const auto& a : c.attributes) j["attributes"].push_back(attributeToJson(a));
  }
  if (!c.keypointNames.empty()) j["keypoints"] = c.keypointNames;
  if (!c.skeletonEdges.empty()) {
    j["skeleton"] = json::array();
    for (auto [a, b] : c.skeletonEdges) j["skeleton"].push_back({a, b});
  }
  if (!c.sourceIds.empty()) j["source_ids"] = c.sourceIds;
  return j;
}

// Reads details from j into c; throws std::runtime_error with a message naming the field.
void readDetails(const json& j, ClassDef& c) {
  if (j.contains("attributes")) {
    for (const auto& ja : j.at("attributes")) {
      AttributeDef a;
      a.name = ja.at("name").get<std::string>();
      const std::string type = ja.value("type", "text");
      auto t = attributeTypeFrom(type);
      if (!t)
        throw std::runtime_error("attribute '" + a.name + "' of class '" + c.name + "' has type '" +
                                 type + "'; use bool, enum, text or number");
      a.type = *t;
      a.required = ja.value("required", false);
      if (ja.contains("options")) a.options = ja.at("options").get<std::vector<std::string>>();
      if (ja.contains("default")) {
        const auto& d = ja.at("default");
        a.defaultValue = d.is_string() ? d.get<std::string>() : d.dump();
      }
      if (a.type == AttributeType::Enum && a.options.empty())
        throw std::runtime_error("enum attribute '" + a.name + "' of class '" + c.name + "' has no options");
      c.attributes.push_back(std::move(a));
    }
  }
  if (j.contains("keypoints")) c.keypointNames = j.at("keypoints").get<std::vector<std::string>>();
  if (j.contains("skeleton"))
    for (const auto& e : j.at("skeleton")) {
      const int a = e.at(0).get<int>(), b = e.at(1).get<int>();
      const int n = static_cast<int>(c.keypointNames.size());
      if (a < 0 || b < 0 || a >= n || b >= n)
        throw std::runtime_error("skeleton edge [" + std::to_string(a) + ", " + std::to_string(b) +
                                 "] of class '" + c.name + "' names a keypoint that does not exist");
      c.skeletonEdges.emplace_back(a, b);
    }
  if (j.contains("source_ids"))
    for (const auto& [format, id] : j.at("source_ids").items())
      if (id.is_number_integer()) c.sourceIds[format] = id.get<std::int64_t>();
}

json optionsJson(const LabelSchema& s) {
  json j = {{"spans_may_overlap", s.spansMayOverlap},
            {"document_multi_label", s.documentMultiLabel},
            {"ranking_ties_allowed", s.rankingTiesAllowed},
            {"reject_reasons", s.rejectReasons},
            {"rubric", json::array()}};
  for (const auto& r : s.rubric) j["rubric"].push_back({{"name", r.name}, {"min", r.minScore}, {"max", r.maxScore}});
  return j;
}

void readOptions(const json& j, LabelSchema& s) {
  s.spansMayOverlap = j.value("spans_may_overlap", s.spansMayOverlap);
  s.documentMultiLabel = j.value("document_multi_label", s.documentMultiLabel);
  s.rankingTiesAllowed = j.value("ranking_ties_allowed", s.rankingTiesAllowed);
  if (j.contains("reject_reasons")) s.rejectReasons = j.at("reject_reasons").get<std::vector<std::string>>();
  if (j.contains("rubric")) {
    s.rubric.clear();
    for (const auto& r : j.at("rubric")) {
      RubricCriterion c{r.at("name").get<std::string>(), r.value("min", 1), r.value("max", 5)};
      if (c.minScore >= c.maxScore)
        throw std::runtime_error("rubric criterion '" + c.name + "' needs min < max");
      s.rubric.push_back(c);
    }
  }
}

}  // namespace

std::string schemaToJson(const LabelSchema& schema, int indent) {
  json j = optionsJson(schema);
  j["classes"] = json::array();
  for (const auto& c : schema.classes) {
    json jc = {{"name", c.name}, {"scope", toString(c.scope)}, {"color", c.color}};
    if (!c.hotkey.empty()) jc["hotkey"] = c.hotkey;
    jc.update(detailsJson(c));
    j["classes"].push_back(std::move(jc));
  }
  return j.dump(indent);
}

Result<LabelSchema> schemaFromJson(const std::string& text, const std::string& sourceName) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return makeError(ErrorCode::BadInput, sourceName + " is not valid JSON: " + e.what());
  }
  LabelSchema s;
  try {
    if (!j.is_object() || !j.contains("classes") || !j.at("classes").is_array())
      return makeError(ErrorCode::BadInput, sourceName + ": a schema needs a \"classes\" list");
    readOptions(j, s);
    for (const auto& jc : j.at("classes")) {
      ClassDef c;
      c.name = jc.at("name").get<std::string>();
      if (c.name.empty()) return makeError(ErrorCode::BadInput, sourceName + ": a class has an empty name");
      const std::string scope = jc.value("scope", "object");
      auto sc = classScopeFrom(scope);
      if (!sc)
        return makeError(ErrorCode::BadInput, sourceName + ": class '" + c.name + "' has scope '" + scope +
                                                  "'; use object, image_tag, document, span or relation");
      c.scope = *sc;
      c.color = jc.value("color", c.color);
      if (c.color.size() != 7 || c.color[0] != '#')
        return makeError(ErrorCode::BadInput, sourceName + ": class '" + c.name + "' colour '" + c.color +
                                                  "' is not #rrggbb");
      c.hotkey = jc.value("hotkey", "");
      readDetails(jc, c);
      for (const auto& other : s.classes)
        if (other.name == c.name && other.scope == c.scope)
          return makeError(ErrorCode::BadInput, sourceName + ": class '" + c.name + "' is listed twice");
      s.classes.push_back(std::move(c));
    }
  } catch (const std::exception& e) {
    return makeError(ErrorCode::BadInput, sourceName + ": " + e.what());
  }
  return s;
}

std::string classDetailsToJson(const ClassDef& c) { return detailsJson(c).dump(); }

void classDetailsFromJson(const std::string& text, ClassDef& c) {
  readDetails(json::parse(text.empty() ? "{}" : text), c);
}

std::string schemaOptionsToJson(const LabelSchema& schema) { return optionsJson(schema).dump(); }

void schemaOptionsFromJson(const std::string& text, LabelSchema& schema) {
  readOptions(json::parse(text.empty() ? "{}" : text), schema);
}

}  // namespace lb::labeling
