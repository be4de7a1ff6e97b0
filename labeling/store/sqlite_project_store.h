#pragma once
// The single-file project store: one SQLite database (WAL, foreign keys on) per project.
// Use createProject/openProject (project_store.h) rather than constructing it directly.
#include <SQLiteCpp/Database.h>

#include <memory>

#include "labeling/store/project_store.h"

namespace lb::labeling {

// 'LBNC' in the SQLite header's application_id field: tells our files apart from any other
// SQLite database without reading a table.
inline constexpr int kApplicationId = 0x4C424E43;

class SqliteProjectStore final : public ProjectStore {
 public:
  explicit SqliteProjectStore(std::unique_ptr<SQLite::Database> db, std::string path);

  ProjectInfo info() const override;
  std::string path() const override { return m_path; }
  Status transaction(const std::function<Status()>& fn) override;

  std::optional<std::string> setting(const std::string& key) const override;
  Status setSetting(const std::string& key, const std::string& valueJson) override;

  Result<UserId> addUser(const std::string& name, Role role) override;
  Result<User> user(UserId id) const override;
  std::optional<User> userByName(const std::string& name) const override;
  std::vector<User> users() const override;
  Status setUserRole(UserId id, Role role) override;

  Result<BatchId> createBatch(const std::string& name, const std::string& source) override;
  std::vector<Batch> batches() const override;
  bool hasSourceKey(const std::string& sourceKey) const override;
  Result<ItemId> insertItem(const NewItem& item) override;
  Result<Item> item(ItemId id) const override;
  std::vector<Item> items(const ItemFilter& filter, std::int64_t offset,
                          std::int64_t limit) const override;
  std::vector<ItemId> itemIds(const ItemFilter& filter) const override;
  std::int64_t countItems(const ItemFilter& filter) const override;
  Status setItemState(ItemId id, ItemState state) override;
  Status setNothingHere(ItemId id, bool nothingHere) override;
  Status setExcluded(ItemId id, bool excluded, const std::string& reason) override;
  Status setGold(ItemId id, bool gold) override;
  std::optional<Thumbnail> thumbnail(ItemId id) const override;
  std::vector<std::pair<ItemId, NewItem::Signal>> signals(const std::string& key) const override;
  Status putSignal(ItemId id, const NewItem::Signal& signal) override;

  LabelSchema schema() const override;
  Status setSchema(const LabelSchema& schema) override;

  Result<AnnotationId> insertAnnotation(const Annotation& a) override;
  Status updateAnnotation(const Annotation& a) override;
  Status deleteAnnotation(AnnotationId id) override;
  Status restoreAnnotation(AnnotationId id) override;
  Result<Annotation> annotation(AnnotationId id) const override;
  std::vector<Annotation> annotations(ItemId item, bool includeReference) const override;
  Status forEachAnnotation(const std::function<bool(const Annotation&)>& fn,
                           bool includeReference) const override;

  Result<TaskId> assign(ItemId item, UserId user, TaskKind kind) override;
  std::vector<Task> tasks(std::optional<UserId> user, std::optional<TaskKind> kind) const override;
  Status setTaskState(TaskId id, TaskState state) override;

  Result<std::int64_t> addReview(const Review& review) override;
  std::vector<Review> reviews(ItemId item) const override;

  Status appendEvent(const Event& e) override;
  Status forEachEvent(const std::function<bool(const Event&)>& fn) const override;

  Result<std::int64_t> recordCommand(UserId user, ItemId item, const std::string& kind,
                                     const std::string& payloadJson) override;
  std::optional<StoredCommand> lastUndoable(UserId user) const override;
  std::optional<StoredCommand> lastRedoable(UserId user) const override;
  Status markCommand(std::int64_t id, bool undone) override;

  std::vector<StateCount> countByState() const override;
  std::vector<StateCount> countByAssignee() const override;

  // For qc repositories that keep their own tables in this file (findings, ...). A PostgreSQL
  // store would give them its own connection the same way.
  SQLite::Database& database() { return *m_db; }
  const SQLite::Database& database() const { return *m_db; }

 private:
  Status changeOne(const char* sql, const std::function<void(SQLite::Statement&)>& bind,
                   const std::string& what);
  Result<AnnotationId> writeAnnotation(const Annotation& a, bool insert);

  std::unique_ptr<SQLite::Database> m_db;
  std::string m_path;
  int m_transactionDepth = 0;
};

// Applies pending migration steps; exposed for the migration tests.
Status migrateToLatest(SQLite::Database& db, const std::string& path);
// The schema version stored in the file (PRAGMA user_version).
int storedSchemaVersion(SQLite::Database& db);

}  // namespace lb::labeling
