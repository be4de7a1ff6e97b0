#include "labeling/annotation_json.h"

#include <nlohmann/json.hpp>

namespace lb::labeling {

using nlohmann::json;

json annotationToJson(const Annotation& a) {
  return json{{"id", a.id},
              {"item", a.itemId},
              {"author", a.authorId},
              {"class", a.classId},
              {"kind", toString(a.kind)},
              {"coords", a.coords},
              {"attributes", json::parse(a.attributesJson)},
              {"data", json::parse(a.dataJson)},
              {"z", a.zOrder},
              {"hidden", a.hidden},
              {"locked", a.locked},
              {"occluded", a.occluded},
              {"group", a.groupId},
              {"source", a.source},
              {"reference", a.isReference},
              {"created_ms", a.createdMs},
              {"updated_ms", a.updatedMs}};
}

Annotation annotationFromJson(const json& j) {
  Annotation a;
  a.id = j.value("id", AnnotationId{0});
  a.itemId = j.value("item", ItemId{0});
  a.authorId = j.value("author", UserId{0});
  a.classId = j.value("class", ClassId{0});
  a.kind = annotationKindFrom(j.at("kind").get<std::string>()).value_or(AnnotationKind::Box);
  a.coords = j.value("coords", std::vector<double>{});
  a.attributesJson = j.contains("attributes") ? j.at("attributes").dump() : "{}";
  a.dataJson = j.contains("data") ? j.at("data").dump() : "{}";
  a.zOrder = j.value("z", 0);
  a.hidden = j.value("hidden", false);
  a.locked = j.value("locked", false);
  a.occluded = j.value("occluded", false);
  a.groupId = j.value("group", 0);
  a.source = j.value("source", std::string("manual"));
  a.isReference = j.value("reference", false);
  a.createdMs = j.value("created_ms", TimeMs{0});
  a.updatedMs = j.value("updated_ms", TimeMs{0});
  return a;
}

}  // namespace lb::labeling
