// [SECTION] SqliteProjectStore: annotations and the label schema.
#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "labeling/schema_json.h"
#include "labeling/store/sqlite_project_store.h"
#include "labeling/store/sqlite_util.h"

namespace lb::labeling {

namespace {

constexpr const char* kAnnotationColumns =
    "SELECT id, item_id, author_id, class_id, kind, coords_json, attributes_json, data_json, "
    "z_order, hidden, locked, occluded, group_id, source, is_reference, created_ms, updated_ms "
    "FROM annotations ";

std::string coordsToJson(const std::vector<double>& coords) { return nlohmann::json(coords).dump(); }

Annotation readAnnotation(SQLite::Statement& q) {
  Annotation a;
  int c = 0;
  a.id = q.getColumn(c++).getInt64();
  a.itemId = q.getColumn(c++).getInt64();
  a.authorId = q.getColumn(c++).getInt64();  // NULL reads as 0
  a.classId = q.getColumn(c++).getInt64();
  a.kind = annotationKindFrom(q.getColumn(c++).getString()).value_or(AnnotationKind::Box);
  a.coords = nlohmann::json::parse(q.getColumn(c++).getString()).get<std::vector<double>>();
  a.attributesJson = q.getColumn(c++).getString();
  a.dataJson = q.getColumn(c++).getString();
  a.zOrder = q.getColumn(c++).getInt();
  a.hidden = q.getColumn(c++).getInt() != 0;
  a.locked = q.getColumn(c++).getInt() != 0;
  a.occluded = q.getColumn(c++).getInt() != 0;
  a.groupId = q.getColumn(c++).getInt();
  a.source = q.getColumn(c++).getString();
  a.isReference = q.getColumn(c++).getInt() != 0;
  a.createdMs = q.getColumn(c++).getInt64();
  a.updatedMs = q.getColumn(c++).getInt64();
  return a;
}

// Checks what the database cannot: the shape of coords for the kind, and valid JSON payloads.
Status validateAnnotation(const Annotation& a) {
  const std::size_t n = a.coords.size();
  auto bad = [&](const std::string& why) {
    return makeError(ErrorCode::InvalidArgument,
                     std::string(toString(a.kind)) + " on item " + std::to_string(a.itemId) + ": " + why);
  };
  switch (a.kind) {
    case AnnotationKind::Box:
      if (n != 4) return bad("a box needs 4 numbers (x1, y1, x2, y2)");
      break;
    case AnnotationKind::RotatedBox:
      if (n != 5) return bad("a rotated box needs 5 numbers (cx, cy, w, h, angle)");
      break;
    case AnnotationKind::Polygon:
      if (n < 6 || n % 2) return bad("a polygon needs at least 3 points");
      break;
    case AnnotationKind::Polyline:
      if (n < 4 || n % 2) return bad("a polyline needs at least 2 points");
      break;
    case AnnotationKind::Points:
      if (n < 2 || n % 2) return bad("points need x, y pairs");
      break;
    case AnnotationKind::Keypoints:
      if (n < 3 || n % 3) return bad("keypoints need x, y, visibility triples");
      break;
    case AnnotationKind::Mask:
      if (n != 4) return bad("a mask needs its box (left, top, width, height)");
      break;
    case AnnotationKind::Span:
      if (n != 2 || a.coords[0] < 0 || a.coords[1] <= a.coords[0])
        return bad("a span needs start < end, both >= 0");
      break;
    default:
      break;
  }
  for (const std::string* js : {&a.attributesJson, &a.dataJson})
    if (!nlohmann::json::accept(*js)) return bad("payload is not valid JSON");
  return okStatus();
}

}  // namespace

Result<AnnotationId> SqliteProjectStore::writeAnnotation(const Annotation& a, bool insert) {
  if (auto v = validateAnnotation(a); !v) return v.error();
  try {
    const char* sql =
        insert ? "INSERT INTO annotations(item_id, author_id, class_id, kind, coords_json, "
                 "attributes_json, data_json, z_order, hidden, locked, occluded, group_id, source, "
                 "is_reference, created_ms, updated_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
               : "UPDATE annotations SET item_id=?, author_id=?, class_id=?, kind=?, coords_json=?, "
                 "attributes_json=?, data_json=?, z_order=?, hidden=?, locked=?, occluded=?, "
                 "group_id=?, source=?, is_reference=?, created_ms=?, updated_ms=? WHERE id=?";
    SQLite::Statement st(*m_db, sql);
    const TimeMs now = nowMs();
    int c = 1;
    st.bind(c++, a.itemId);
    if (a.authorId) st.bind(c++, a.authorId); else st.bind(c++);
    if (a.classId) st.bind(c++, a.classId); else st.bind(c++);
    st.bind(c++, std::string(toString(a.kind)));
    st.bind(c++, coordsToJson(a.coords));
    st.bind(c++, a.attributesJson);
    st.bind(c++, a.dataJson);
    st.bind(c++, a.zOrder);
    st.bind(c++, a.hidden ? 1 : 0);
    st.bind(c++, a.locked ? 1 : 0);
    st.bind(c++, a.occluded ? 1 : 0);
    st.bind(c++, a.groupId);
    st.bind(c++, a.source);
    st.bind(c++, a.isReference ? 1 : 0);
    st.bind(c++, a.createdMs ? a.createdMs : now);
    st.bind(c++, insert ? (a.updatedMs ? a.updatedMs : now) : now);
    if (!insert) st.bind(c++, a.id);
    if (st.exec() == 0)
      return makeError(ErrorCode::NotFound, "annotation " + std::to_string(a.id) + " does not exist");
    return insert ? m_db->getLastInsertRowid() : a.id;
  } catch (const SQLite::Exception& e) {
    return dbError(e, "saving a " + std::string(toString(a.kind)) + " on item " + std::to_string(a.itemId));
  }
}

Result<AnnotationId> SqliteProjectStore::insertAnnotation(const Annotation& a) {
  return writeAnnotation(a, true);
}

Status SqliteProjectStore::updateAnnotation(const Annotation& a) {
  auto r = writeAnnotation(a, false);
  if (!r) return r.error();
  return okStatus();
}

Status SqliteProjectStore::deleteAnnotation(AnnotationId id) {
  return changeOne("UPDATE annotations SET deleted = 1, updated_ms = ? WHERE id = ? AND deleted = 0",
                   [&](SQLite::Statement& st) {
                     st.bind(1, nowMs());
                     st.bind(2, id);
                   },
                   "annotation " + std::to_string(id));
}

Status SqliteProjectStore::restoreAnnotation(AnnotationId id) {
  return changeOne("UPDATE annotations SET deleted = 0, updated_ms = ? WHERE id = ? AND deleted = 1",
                   [&](SQLite::Statement& st) {
                     st.bind(1, nowMs());
                     st.bind(2, id);
                   },
                   "deleted annotation " + std::to_string(id));
}

Result<Annotation> SqliteProjectStore::annotation(AnnotationId id) const {
  SQLite::Statement q(*m_db, std::string(kAnnotationColumns) + "WHERE id = ? AND deleted = 0");
  q.bind(1, id);
  if (!q.executeStep())
    return makeError(ErrorCode::NotFound, "annotation " + std::to_string(id) + " does not exist");
  return readAnnotation(q);
}

std::vector<Annotation> SqliteProjectStore::annotations(ItemId item, bool includeReference) const {
  std::vector<Annotation> out;
  SQLite::Statement q(*m_db, std::string(kAnnotationColumns) +
                                 "WHERE item_id = ? AND deleted = 0" +
                                 (includeReference ? "" : " AND is_reference = 0") +
                                 " ORDER BY z_order, id");
  q.bind(1, item);
  while (q.executeStep()) out.push_back(readAnnotation(q));
  return out;
}

Status SqliteProjectStore::forEachAnnotation(const std::function<bool(const Annotation&)>& fn,
                                             bool includeReference) const {
  try {
    SQLite::Statement q(*m_db, std::string(kAnnotationColumns) + "WHERE deleted = 0" +
                                   (includeReference ? "" : " AND is_reference = 0") +
                                   " ORDER BY item_id, z_order, id");
    while (q.executeStep())
      if (!fn(readAnnotation(q))) break;
    return okStatus();
  } catch (const SQLite::Exception& e) {
    return dbError(e, "reading annotations");
  }
}

// [SECTION] Schema

LabelSchema SqliteProjectStore::schema() const {
  LabelSchema s;
  if (auto opts = setting("schema_options")) schemaOptionsFromJson(*opts, s);
  SQLite::Statement q(*m_db,
                      "SELECT id, name, scope, color, hotkey, details_json FROM classes ORDER BY position, id");
  while (q.executeStep()) {
    ClassDef c;
    c.id = q.getColumn(0).getInt64();
    c.name = q.getColumn(1).getString();
    c.scope = classScopeFrom(q.getColumn(2).getString()).value_or(ClassScope::Object);
    c.color = q.getColumn(3).getString();
    c.hotkey = q.getColumn(4).getString();
    classDetailsFromJson(q.getColumn(5).getString(), c);
    s.classes.push_back(std::move(c));
  }
  return s;
}

Status SqliteProjectStore::setSchema(const LabelSchema& next) {
  const LabelSchema current = schema();
  return transaction([&]() -> Status {
    std::vector<ClassId> kept;
    int position = 0;
    for (const auto& c : next.classes) {
      ClassId id = c.id;
      if (!id)
        for (const auto& old : current.classes)
          if (old.name == c.name && old.scope == c.scope) id = old.id;
      SQLite::Statement st(*m_db, id ? "UPDATE classes SET name=?, scope=?, color=?, hotkey=?, position=?, "
                                       "details_json=? WHERE id=?"
                                     : "INSERT INTO classes(name, scope, color, hotkey, position, "
                                       "details_json) VALUES (?,?,?,?,?,?)");
      st.bind(1, c.name);
      st.bind(2, std::string(toString(c.scope)));
      st.bind(3, c.color);
      st.bind(4, c.hotkey);
      st.bind(5, position++);
      st.bind(6, classDetailsToJson(c));
      if (id) st.bind(7, id);
      st.exec();
      kept.push_back(id ? id : m_db->getLastInsertRowid());
    }
    for (const auto& old : current.classes) {
      if (std::find(kept.begin(), kept.end(), old.id) != kept.end()) continue;
      SQLite::Statement used(*m_db, "SELECT count(*) FROM annotations WHERE class_id = ? AND deleted = 0");
      used.bind(1, old.id);
      used.executeStep();
      if (const auto n = used.getColumn(0).getInt64(); n > 0)
        return makeError(ErrorCode::Conflict, "class '" + old.name + "' is used by " + std::to_string(n) +
                                                  " annotations; relabel or delete them before removing it");
      SQLite::Statement del(*m_db, "DELETE FROM classes WHERE id = ?");
      del.bind(1, old.id);
      del.exec();
    }
    return setSetting("schema_options", schemaOptionsToJson(next));
  });
}

}  // namespace lb::labeling
