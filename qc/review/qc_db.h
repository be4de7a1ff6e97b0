#pragma once
// The qc tables (aql_lots, aql_samples, merge_ties) live in the project file beside the core
// tables; qc reaches them through the SQLite store's connection. A PostgreSQL store would hand
// out its own connection the same way. Returns nullptr for a store without SQL access, and
// callers report Unsupported.
#include <SQLiteCpp/Database.h>

#include "labeling/store/project_store.h"
#include "labeling/store/sqlite_project_store.h"

namespace lb::qc {

inline SQLite::Database* qcDatabase(labeling::ProjectStore& store) {
  auto* s = dynamic_cast<labeling::SqliteProjectStore*>(&store);
  return s ? &s->database() : nullptr;
}
inline const SQLite::Database* qcDatabase(const labeling::ProjectStore& store) {
  auto* s = dynamic_cast<const labeling::SqliteProjectStore*>(&store);
  return s ? &s->database() : nullptr;
}

}  // namespace lb::qc
