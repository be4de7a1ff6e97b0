// [SECTION] Creating, opening and migrating project files, with typed errors for files that are
// missing, not projects, too new or damaged.
#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <filesystem>

#include "labelbench_version.h"
#include "labeling/store/migrations.h"
#include "labeling/store/sqlite_project_store.h"

namespace lb::labeling {

namespace fs = std::filesystem;

namespace {

void configureConnection(SQLite::Database& db) {
  db.exec("PRAGMA journal_mode=WAL");
  // NORMAL in WAL mode: a committed transaction survives a killed process; only a power cut
  // can lose the last few, and the file stays consistent either way.
  db.exec("PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA foreign_keys=ON");
  db.exec("PRAGMA busy_timeout=5000");
}

Error sqliteError(const SQLite::Exception& e, const std::string& path) {
  const int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_NOTADB)
    return makeError(ErrorCode::NotAProject,
                     path + " is not a LabelBench project (it is not a database file)");
  if (code == SQLITE_CORRUPT)
    return makeError(ErrorCode::Damaged,
                     path + " is damaged (" + e.what() +
                         "); restore it from a backup or export what still opens");
  if (code == SQLITE_CANTOPEN || code == SQLITE_PERM || code == SQLITE_READONLY)
    return makeError(ErrorCode::Io, "cannot open " + path + ": " + e.what());
  return makeError(ErrorCode::Damaged, "cannot read " + path + ": " + e.what());
}

}  // namespace

int storedSchemaVersion(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

Status migrateToLatest(SQLite::Database& db, const std::string& path) {
  const int from = storedSchemaVersion(db);
  for (const auto& step : migrationSteps()) {
    if (step.toVersion <= from) continue;
    try {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      db.exec(step.sql);
      db.exec("PRAGMA user_version=" + std::to_string(step.toVersion));
      tx.commit();
    } catch (const SQLite::Exception& e) {
      return makeError(ErrorCode::Damaged, "cannot upgrade " + path + " to format " +
                                               std::to_string(step.toVersion) + " (" +
                                               step.description + "): " + e.what());
    }
  }
  return okStatus();
}

Result<std::unique_ptr<ProjectStore>> createProject(const std::string& path,
                                                    const CreateOptions& options) {
  std::error_code ec;
  if (fs::exists(path, ec))
    return makeError(ErrorCode::Conflict,
                     path + " already exists; open it, or choose another file name");
  const fs::path parent = fs::absolute(path).parent_path();
  if (!fs::is_directory(parent, ec))
    return makeError(ErrorCode::NotFound, "folder " + parent.string() + " does not exist");
  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    configureConnection(*db);
    db->exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    if (auto st = migrateToLatest(*db, path); !st) return st.error();
    const std::string name = options.name.empty() ? fs::path(path).stem().string() : options.name;
    const std::string mediaRoot =
        options.mediaRoot.empty() ? parent.string() : fs::absolute(options.mediaRoot).string();
    SQLite::Statement put(*db, "INSERT INTO meta(key, value) VALUES (?, ?)");
    for (auto [k, v] : {std::pair<const char*, std::string>{"name", name},
                        {"created_by_version", LB_VERSION_STRING},
                        {"media_root", mediaRoot},
                        {"created_ms", std::to_string(nowMs())}}) {
      put.bind(1, k);
      put.bind(2, v);
      put.exec();
      put.reset();
    }
    return std::unique_ptr<ProjectStore>(
        std::make_unique<SqliteProjectStore>(std::move(db), fs::absolute(path).string()));
  } catch (const SQLite::Exception& e) {
    return sqliteError(e, path);
  }
}

Result<std::unique_ptr<ProjectStore>> openProject(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return makeError(ErrorCode::NotFound, path + " does not exist");
  if (fs::is_directory(path, ec))
    return makeError(ErrorCode::NotAProject, path + " is a folder, not a LabelBench project file");
  if (fs::file_size(path, ec) == 0)
    return makeError(ErrorCode::NotAProject, path + " is empty, not a LabelBench project");
  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE);
    const int appId = db->execAndGet("PRAGMA application_id").getInt();
    if (appId != kApplicationId)
      return makeError(ErrorCode::NotAProject,
                       path + " is an SQLite database but not a LabelBench project");
    const int version = storedSchemaVersion(*db);
    if (version > kSchemaVersion)
      return makeError(ErrorCode::TooNew,
                       path + " was written in project format " + std::to_string(version) +
                           " by a newer LabelBench; this is " LB_VERSION_STRING
                           ", which reads up to format " + std::to_string(kSchemaVersion) +
                           ". Install the newer LabelBench to open it.");
    configureConnection(*db);
    if (auto st = migrateToLatest(*db, path); !st) return st.error();
    // Touch the core table so a damaged file fails here, with a clear message, not later.
    db->execAndGet("SELECT count(*) FROM meta").getInt();
    return std::unique_ptr<ProjectStore>(
        std::make_unique<SqliteProjectStore>(std::move(db), fs::absolute(path).string()));
  } catch (const SQLite::Exception& e) {
    return sqliteError(e, path);
  }
}

}  // namespace lb::labeling
