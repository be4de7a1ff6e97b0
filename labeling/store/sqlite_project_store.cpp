// [SECTION] SqliteProjectStore: transactions, settings, users, batches, items, tasks, reviews,
// events and status counts. Annotations and the schema are in sqlite_annotations.cpp.
#include "labeling/store/sqlite_project_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "labeling/store/sqlite_util.h"

namespace lb::labeling {

SqliteProjectStore::SqliteProjectStore(std::unique_ptr<SQLite::Database> db, std::string path)
    : m_db(std::move(db)), m_path(std::move(path)) {}

ProjectInfo SqliteProjectStore::info() const {
  ProjectInfo info;
  SQLite::Statement q(*m_db, "SELECT key, value FROM meta");
  while (q.executeStep()) {
    const std::string key = q.getColumn(0).getString();
    if (key == "name") info.name = q.getColumn(1).getString();
    if (key == "created_by_version") info.createdByVersion = q.getColumn(1).getString();
    if (key == "media_root") info.mediaRoot = q.getColumn(1).getString();
  }
  info.schemaVersion = m_db->execAndGet("PRAGMA user_version").getInt();
  return info;
}

Status SqliteProjectStore::transaction(const std::function<Status()>& fn) {
  if (m_transactionDepth > 0) return fn();  // joins the outer transaction
  try {
    SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
    ++m_transactionDepth;
    Status st = [&]() -> Status {
      try {
        return fn();
      } catch (...) {
        --m_transactionDepth;
        throw;
      }
    }();
    --m_transactionDepth;
    if (!st) return st;  // tx's destructor rolls back
    tx.commit();
    return okStatus();
  } catch (const SQLite::Exception& e) {
    return dbError(e, "saving to " + m_path);
  }
}

Status SqliteProjectStore::changeOne(const char* sql,
                                     const std::function<void(SQLite::Statement&)>& bind,
                                     const std::string& what) {
  try {
    SQLite::Statement st(*m_db, sql);
    bind(st);
    if (st.exec() == 0) return makeError(ErrorCode::NotFound, what + " does not exist");
    return okStatus();
  } catch (const SQLite::Exception& e) {
    return dbError(e, what);
  }
}

// [SECTION] Settings

std::optional<std::string> SqliteProjectStore::setting(const std::string& key) const {
  SQLite::Statement q(*m_db, "SELECT value_json FROM settings WHERE key = ?");
  q.bind(1, key);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

Status SqliteProjectStore::setSetting(const std::string& key, const std::string& valueJson) {
  return changeOne(
      "INSERT INTO settings(key, value_json) VALUES (?, ?) "
      "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json",
      [&](SQLite::Statement& st) {
        st.bind(1, key);
        st.bind(2, valueJson);
      },
      "setting " + key);
}

// [SECTION] Users

namespace {
User readUser(SQLite::Statement& q) {
  User u;
  u.id = q.getColumn(0).getInt64();
  u.name = q.getColumn(1).getString();
  u.role = roleFrom(q.getColumn(2).getString()).value_or(Role::Annotator);
  u.active = q.getColumn(3).getInt() != 0;
  return u;
}
constexpr const char* kUserColumns = "SELECT id, name, role, active FROM users ";
}  // namespace

Result<UserId> SqliteProjectStore::addUser(const std::string& name, Role role) {
  if (name.empty()) return makeError(ErrorCode::InvalidArgument, "a user needs a name");
  if (userByName(name))
    return makeError(ErrorCode::Conflict, "there is already a user named '" + name + "'");
  try {
    SQLite::Statement st(*m_db, "INSERT INTO users(name, role, created_ms) VALUES (?, ?, ?)");
    st.bind(1, name);
    st.bind(2, std::string(toString(role)));
    st.bind(3, nowMs());
    st.exec();
    return m_db->getLastInsertRowid();
  } catch (const SQLite::Exception& e) {
    return dbError(e, "adding user " + name);
  }
}

Result<User> SqliteProjectStore::user(UserId id) const {
  SQLite::Statement q(*m_db, std::string(kUserColumns) + "WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return makeError(ErrorCode::NotFound, "user " + std::to_string(id) + " does not exist");
  return readUser(q);
}

std::optional<User> SqliteProjectStore::userByName(const std::string& name) const {
  SQLite::Statement q(*m_db, std::string(kUserColumns) + "WHERE name = ?");
  q.bind(1, name);
  if (!q.executeStep()) return std::nullopt;
  return readUser(q);
}

std::vector<User> SqliteProjectStore::users() const {
  std::vector<User> out;
  SQLite::Statement q(*m_db, std::string(kUserColumns) + "ORDER BY id");
  while (q.executeStep()) out.push_back(readUser(q));
  return out;
}

Status SqliteProjectStore::setUserRole(UserId id, Role role) {
  return changeOne("UPDATE users SET role = ? WHERE id = ?",
                   [&](SQLite::Statement& st) {
                     st.bind(1, std::string(toString(role)));
                     st.bind(2, id);
                   },
                   "user " + std::to_string(id));
}

// [SECTION] Batches

Result<BatchId> SqliteProjectStore::createBatch(const std::string& name, const std::string& source) {
  try {
    SQLite::Statement st(*m_db, "INSERT INTO batches(name, source, created_ms) VALUES (?, ?, ?)");
    st.bind(1, name);
    st.bind(2, source);
    st.bind(3, nowMs());
    st.exec();
    return m_db->getLastInsertRowid();
  } catch (const SQLite::Exception& e) {
    return dbError(e, "creating batch " + name);
  }
}

std::vector<Batch> SqliteProjectStore::batches() const {
  std::vector<Batch> out;
  SQLite::Statement q(*m_db, "SELECT id, name, source, created_ms FROM batches ORDER BY id");
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getInt64()});
  return out;
}

// [SECTION] Items

bool SqliteProjectStore::hasSourceKey(const std::string& sourceKey) const {
  SQLite::Statement q(*m_db, "SELECT 1 FROM items WHERE source_key = ?");
  q.bind(1, sourceKey);
  return q.executeStep();
}

Result<ItemId> SqliteProjectStore::insertItem(const NewItem& n) {
  ItemId id = 0;
  Status st = transaction([&]() -> Status {
    const Item& it = n.item;
    SQLite::Statement ins(*m_db,
                          "INSERT INTO items(batch_id, kind, media_path, source_key, content_hash, "
                          "file_size, width_px, height_px, frame_index, length_cp, source_encoding, "
                          "text, state, nothing_here, excluded, excluded_reason, is_gold, created_ms) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    int c = 1;
    ins.bind(c++, it.batchId);
    ins.bind(c++, std::string(toString(it.kind)));
    ins.bind(c++, it.mediaPath);
    ins.bind(c++, it.sourceKey);
    ins.bind(c++, it.contentHash);
    ins.bind(c++, static_cast<int64_t>(it.fileSizeBytes));
    ins.bind(c++, it.widthPx);
    ins.bind(c++, it.heightPx);
    ins.bind(c++, it.frameIndex);
    ins.bind(c++, static_cast<int64_t>(it.lengthCodePoints));
    ins.bind(c++, it.sourceEncoding);
    ins.bind(c++, it.text);
    ins.bind(c++, std::string(toString(it.state)));
    ins.bind(c++, it.nothingHere ? 1 : 0);
    ins.bind(c++, it.excluded ? 1 : 0);
    ins.bind(c++, it.excludedReason);
    ins.bind(c++, it.isGold ? 1 : 0);
    ins.bind(c++, it.createdMs ? it.createdMs : nowMs());
    ins.exec();
    id = m_db->getLastInsertRowid();
    if (!it.responses.empty()) {
      SQLite::Statement r(*m_db, "INSERT INTO responses(item_id, idx, source, text) VALUES (?,?,?,?)");
      for (const auto& resp : it.responses) {
        r.bind(1, id);
        r.bind(2, resp.index);
        r.bind(3, resp.source);
        r.bind(4, resp.text);
        r.exec();
        r.reset();
      }
    }
    if (!n.thumbnailJpeg.empty()) {
      SQLite::Statement t(*m_db, "INSERT INTO thumbnails(item_id, width_px, height_px, jpeg) VALUES (?,?,?,?)");
      t.bind(1, id);
      t.bind(2, n.thumbnailWidthPx);
      t.bind(3, n.thumbnailHeightPx);
      t.bindNoCopy(4, n.thumbnailJpeg.data(), static_cast<int>(n.thumbnailJpeg.size()));
      t.exec();
    }
    if (!n.signals.empty()) {
      // One prepared statement for all of the item's signals (a dozen per image at import).
      SQLite::Statement sig(*m_db, "INSERT INTO signals(item_id, key, number, blob) VALUES (?,?,?,?)");
      for (const auto& s : n.signals) {
        sig.bind(1, id);
        sig.bind(2, s.key);
        sig.bind(3, s.number);
        if (s.blob.empty())
          sig.bind(4);
        else
          sig.bindNoCopy(4, s.blob.data(), static_cast<int>(s.blob.size()));
        sig.exec();
        sig.reset();
      }
    }
    for (Annotation a : n.annotations) {
      a.itemId = id;
      if (auto r = insertAnnotation(a); !r) return r.error();
    }
    return okStatus();
  });
  if (!st) return st.error();
  return id;
}

namespace {

constexpr const char* kItemColumns =
    "SELECT i.id, i.batch_id, i.kind, i.media_path, i.source_key, i.content_hash, i.file_size, "
    "i.width_px, i.height_px, i.frame_index, i.length_cp, i.source_encoding, %TEXT%, i.state, "
    "i.nothing_here, i.excluded, i.excluded_reason, i.is_gold, i.created_ms FROM items i ";

std::string itemSelect(bool withText) {
  std::string s = kItemColumns;
  s.replace(s.find("%TEXT%"), 6, withText ? "i.text" : "''");
  return s;
}

Item readItem(SQLite::Statement& q) {
  Item it;
  int c = 0;
  it.id = q.getColumn(c++).getInt64();
  it.batchId = q.getColumn(c++).getInt64();
  it.kind = itemKindFrom(q.getColumn(c++).getString()).value_or(ItemKind::Image);
  it.mediaPath = q.getColumn(c++).getString();
  it.sourceKey = q.getColumn(c++).getString();
  it.contentHash = q.getColumn(c++).getString();
  it.fileSizeBytes = q.getColumn(c++).getInt64();
  it.widthPx = q.getColumn(c++).getInt();
  it.heightPx = q.getColumn(c++).getInt();
  it.frameIndex = q.getColumn(c++).getInt();
  it.lengthCodePoints = q.getColumn(c++).getInt64();
  it.sourceEncoding = q.getColumn(c++).getString();
  it.text = q.getColumn(c++).getString();
  it.state = itemStateFrom(q.getColumn(c++).getString()).value_or(ItemState::New);
  it.nothingHere = q.getColumn(c++).getInt() != 0;
  it.excluded = q.getColumn(c++).getInt() != 0;
  it.excludedReason = q.getColumn(c++).getString();
  it.isGold = q.getColumn(c++).getInt() != 0;
  it.createdMs = q.getColumn(c++).getInt64();
  return it;
}

// Builds "WHERE ..." for a filter; binds happen in the same order in bindFilter.
std::string whereClause(const ItemFilter& f) {
  std::string w = " WHERE 1=1";
  if (f.batchId) w += " AND i.batch_id = ?";
  if (f.state) w += " AND i.state = ?";
  if (f.kind) w += " AND i.kind = ?";
  if (f.assignee) w += " AND EXISTS (SELECT 1 FROM tasks t WHERE t.item_id = i.id AND t.user_id = ?)";
  if (f.hasClass)
    w += " AND EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id AND a.deleted = 0 "
         "AND a.is_reference = 0 AND a.class_id = ?)";
  if (!f.textSearch.empty()) w += " AND (instr(i.media_path, ?) > 0 OR instr(i.text, ?) > 0)";
  if (!f.includeExcluded) w += " AND i.excluded = 0";
  return w;
}

void bindFilter(SQLite::Statement& q, const ItemFilter& f) {
  int c = 1;
  if (f.batchId) q.bind(c++, *f.batchId);
  if (f.state) q.bind(c++, std::string(toString(*f.state)));
  if (f.kind) q.bind(c++, std::string(toString(*f.kind)));
  if (f.assignee) q.bind(c++, *f.assignee);
  if (f.hasClass) q.bind(c++, *f.hasClass);
  if (!f.textSearch.empty()) {
    q.bind(c++, f.textSearch);
    q.bind(c++, f.textSearch);
  }
}

}  // namespace

Result<Item> SqliteProjectStore::item(ItemId id) const {
  SQLite::Statement q(*m_db, itemSelect(true) + "WHERE i.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return makeError(ErrorCode::NotFound, "item " + std::to_string(id) + " does not exist");
  Item it = readItem(q);
  SQLite::Statement r(*m_db, "SELECT idx, source, text FROM responses WHERE item_id = ? ORDER BY idx");
  r.bind(1, id);
  while (r.executeStep())
    it.responses.push_back({r.getColumn(0).getInt(), r.getColumn(1).getString(), r.getColumn(2).getString()});
  return it;
}

std::vector<Item> SqliteProjectStore::items(const ItemFilter& filter, std::int64_t offset,
                                            std::int64_t limit) const {
  std::vector<Item> out;
  SQLite::Statement q(*m_db, itemSelect(filter.withText) + whereClause(filter) +
                                 " ORDER BY i.id LIMIT " + std::to_string(limit) + " OFFSET " +
                                 std::to_string(offset));
  bindFilter(q, filter);
  while (q.executeStep()) out.push_back(readItem(q));
  return out;
}

std::vector<ItemId> SqliteProjectStore::itemIds(const ItemFilter& filter) const {
  std::vector<ItemId> out;
  SQLite::Statement q(*m_db, "SELECT i.id FROM items i" + whereClause(filter) + " ORDER BY i.id");
  bindFilter(q, filter);
  while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
  return out;
}

std::int64_t SqliteProjectStore::countItems(const ItemFilter& filter) const {
  SQLite::Statement q(*m_db, "SELECT count(*) FROM items i" + whereClause(filter));
  bindFilter(q, filter);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

Status SqliteProjectStore::setItemState(ItemId id, ItemState state) {
  return changeOne("UPDATE items SET state = ? WHERE id = ?",
                   [&](SQLite::Statement& st) {
                     st.bind(1, std::string(toString(state)));
                     st.bind(2, id);
                   },
                   "item " + std::to_string(id));
}

Status SqliteProjectStore::setNothingHere(ItemId id, bool nothingHere) {
  return changeOne("UPDATE items SET nothing_here = ? WHERE id = ?",
                   [&](SQLite::Statement& st) {
                     st.bind(1, nothingHere ? 1 : 0);
                     st.bind(2, id);
                   },
                   "item " + std::to_string(id));
}

Status SqliteProjectStore::setExcluded(ItemId id, bool excluded, const std::string& reason) {
  return changeOne("UPDATE items SET excluded = ?, excluded_reason = ? WHERE id = ?",
                   [&](SQLite::Statement& st) {
                     st.bind(1, excluded ? 1 : 0);
                     st.bind(2, excluded ? reason : std::string());
                     st.bind(3, id);
                   },
                   "item " + std::to_string(id));
}

Status SqliteProjectStore::setGold(ItemId id, bool gold) {
  return changeOne("UPDATE items SET is_gold = ? WHERE id = ?",
                   [&](SQLite::Statement& st) {
                     st.bind(1, gold ? 1 : 0);
                     st.bind(2, id);
                   },
                   "item " + std::to_string(id));
}

std::optional<Thumbnail> SqliteProjectStore::thumbnail(ItemId id) const {
  SQLite::Statement q(*m_db, "SELECT width_px, height_px, jpeg FROM thumbnails WHERE item_id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  Thumbnail t;
  t.widthPx = q.getColumn(0).getInt();
  t.heightPx = q.getColumn(1).getInt();
  const auto blob = q.getColumn(2);
  const auto* p = static_cast<const unsigned char*>(blob.getBlob());
  t.jpeg.assign(p, p + blob.getBytes());
  return t;
}

std::vector<std::pair<ItemId, NewItem::Signal>> SqliteProjectStore::signals(const std::string& key) const {
  std::vector<std::pair<ItemId, NewItem::Signal>> out;
  SQLite::Statement q(*m_db, "SELECT item_id, number, blob FROM signals WHERE key = ? ORDER BY item_id");
  q.bind(1, key);
  while (q.executeStep()) {
    NewItem::Signal s;
    s.key = key;
    s.number = q.getColumn(1).getDouble();
    const auto blob = q.getColumn(2);
    if (!blob.isNull()) {
      const auto* p = static_cast<const unsigned char*>(blob.getBlob());
      s.blob.assign(p, p + blob.getBytes());
    }
    out.emplace_back(q.getColumn(0).getInt64(), std::move(s));
  }
  return out;
}

Status SqliteProjectStore::putSignal(ItemId id, const NewItem::Signal& s) {
  return changeOne(
      "INSERT INTO signals(item_id, key, number, blob) VALUES (?,?,?,?) "
      "ON CONFLICT(key, item_id) DO UPDATE SET number = excluded.number, blob = excluded.blob",
      [&](SQLite::Statement& st) {
        st.bind(1, id);
        st.bind(2, s.key);
        st.bind(3, s.number);
        if (s.blob.empty())
          st.bind(4);
        else
          st.bindNoCopy(4, s.blob.data(), static_cast<int>(s.blob.size()));
      },
      "signal " + s.key + " of item " + std::to_string(id));
}

// [SECTION] Tasks

Result<TaskId> SqliteProjectStore::assign(ItemId item, UserId user, TaskKind kind) {
  try {
    SQLite::Statement st(*m_db,
                         "INSERT INTO tasks(item_id, user_id, kind, created_ms) VALUES (?,?,?,?) "
                         "ON CONFLICT(item_id, user_id, kind) DO NOTHING");
    st.bind(1, item);
    st.bind(2, user);
    st.bind(3, std::string(toString(kind)));
    st.bind(4, nowMs());
    st.exec();
    SQLite::Statement q(*m_db, "SELECT id FROM tasks WHERE item_id = ? AND user_id = ? AND kind = ?");
    q.bind(1, item);
    q.bind(2, user);
    q.bind(3, std::string(toString(kind)));
    q.executeStep();
    return q.getColumn(0).getInt64();
  } catch (const SQLite::Exception& e) {
    return dbError(e, "assigning item " + std::to_string(item) + " to user " + std::to_string(user));
  }
}

std::vector<Task> SqliteProjectStore::tasks(std::optional<UserId> user, std::optional<TaskKind> kind) const {
  std::vector<Task> out;
  std::string sql = "SELECT id, item_id, user_id, kind, state, created_ms FROM tasks WHERE 1=1";
  if (user) sql += " AND user_id = ?";
  if (kind) sql += " AND kind = ?";
  sql += " ORDER BY id";
  SQLite::Statement q(*m_db, sql);
  int c = 1;
  if (user) q.bind(c++, *user);
  if (kind) q.bind(c++, std::string(toString(*kind)));
  while (q.executeStep()) {
    Task t;
    t.id = q.getColumn(0).getInt64();
    t.itemId = q.getColumn(1).getInt64();
    t.userId = q.getColumn(2).getInt64();
    t.kind = taskKindFrom(q.getColumn(3).getString()).value_or(TaskKind::Annotate);
    t.state = taskStateFrom(q.getColumn(4).getString()).value_or(TaskState::Assigned);
    t.createdMs = q.getColumn(5).getInt64();
    out.push_back(t);
  }
  return out;
}

Status SqliteProjectStore::setTaskState(TaskId id, TaskState state) {
  return changeOne("UPDATE tasks SET state = ? WHERE id = ?",
                   [&](SQLite::Statement& st) {
                     st.bind(1, std::string(toString(state)));
                     st.bind(2, id);
                   },
                   "task " + std::to_string(id));
}

// [SECTION] Reviews

Result<std::int64_t> SqliteProjectStore::addReview(const Review& r) {
  try {
    SQLite::Statement st(*m_db,
                         "INSERT INTO reviews(item_id, reviewer_id, annotator_id, verdict, reason, "
                         "comment, pin_json, created_ms) VALUES (?,?,?,?,?,?,?,?)");
    st.bind(1, r.itemId);
    st.bind(2, r.reviewerId);
    st.bind(3, r.annotatorId);
    st.bind(4, std::string(toString(r.verdict)));
    st.bind(5, r.reason);
    st.bind(6, r.comment);
    st.bind(7, r.pinJson);
    st.bind(8, r.createdMs ? r.createdMs : nowMs());
    st.exec();
    return m_db->getLastInsertRowid();
  } catch (const SQLite::Exception& e) {
    return dbError(e, "recording the review of item " + std::to_string(r.itemId));
  }
}

std::vector<Review> SqliteProjectStore::reviews(ItemId item) const {
  std::vector<Review> out;
  SQLite::Statement q(*m_db,
                      "SELECT id, item_id, reviewer_id, annotator_id, verdict, reason, comment, "
                      "pin_json, created_ms FROM reviews WHERE item_id = ? ORDER BY created_ms, id");
  q.bind(1, item);
  while (q.executeStep()) {
    Review r;
    r.id = q.getColumn(0).getInt64();
    r.itemId = q.getColumn(1).getInt64();
    r.reviewerId = q.getColumn(2).getInt64();
    r.annotatorId = q.getColumn(3).getInt64();
    r.verdict = reviewVerdictFrom(q.getColumn(4).getString()).value_or(ReviewVerdict::Accept);
    r.reason = q.getColumn(5).getString();
    r.comment = q.getColumn(6).getString();
    r.pinJson = q.getColumn(7).getString();
    r.createdMs = q.getColumn(8).getInt64();
    out.push_back(std::move(r));
  }
  return out;
}

// [SECTION] Events

Status SqliteProjectStore::appendEvent(const Event& e) {
  try {
    SQLite::Statement st(*m_db,
                         "INSERT INTO events(user_id, item_id, session_id, action, t_ms, detail_json) "
                         "VALUES (?,?,?,?,?,?)");
    st.bind(1, e.userId);
    st.bind(2, e.itemId);
    st.bind(3, e.sessionId);
    st.bind(4, e.action);
    st.bind(5, e.tMs ? e.tMs : nowMs());
    st.bind(6, e.detailJson);
    st.exec();
    return okStatus();
  } catch (const SQLite::Exception& ex) {
    return dbError(ex, "recording event " + e.action);
  }
}

Status SqliteProjectStore::forEachEvent(const std::function<bool(const Event&)>& fn) const {
  try {
    SQLite::Statement q(*m_db,
                        "SELECT id, user_id, item_id, session_id, action, t_ms, detail_json "
                        "FROM events ORDER BY id");
    Event e;
    while (q.executeStep()) {
      e.id = q.getColumn(0).getInt64();
      e.userId = q.getColumn(1).getInt64();
      e.itemId = q.getColumn(2).getInt64();
      e.sessionId = q.getColumn(3).getString();
      e.action = q.getColumn(4).getString();
      e.tMs = q.getColumn(5).getInt64();
      e.detailJson = q.getColumn(6).getString();
      if (!fn(e)) break;
    }
    return okStatus();
  } catch (const SQLite::Exception& ex) {
    return dbError(ex, "reading the event log");
  }
}

// [SECTION] Status counts

std::vector<StateCount> SqliteProjectStore::countByState() const {
  std::vector<StateCount> out;
  SQLite::Statement q(*m_db,
                      "SELECT CASE WHEN excluded = 1 THEN 'excluded' ELSE state END AS s, count(*) "
                      "FROM items GROUP BY s ORDER BY s");
  while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64()});
  return out;
}

std::vector<StateCount> SqliteProjectStore::countByAssignee() const {
  std::vector<StateCount> out;
  SQLite::Statement q(*m_db,
                      "SELECT u.name, count(t.id) FROM users u LEFT JOIN tasks t ON t.user_id = u.id "
                      "AND t.kind = 'annotate' GROUP BY u.id ORDER BY u.name");
  while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64()});
  return out;
}

}  // namespace lb::labeling

namespace lb::labeling {

// [SECTION] Undo history

Result<std::int64_t> SqliteProjectStore::recordCommand(UserId user, ItemId item, const std::string& kind,
                                                       const std::string& payloadJson) {
  try {
    SQLite::Statement drop(*m_db, "UPDATE commands SET state = 'dropped' WHERE user_id = ? AND state = 'undone'");
    drop.bind(1, user);
    drop.exec();
    SQLite::Statement st(*m_db,
                         "INSERT INTO commands(user_id, item_id, kind, payload_json, t_ms) VALUES (?,?,?,?,?)");
    st.bind(1, user);
    st.bind(2, item);
    st.bind(3, kind);
    st.bind(4, payloadJson);
    st.bind(5, nowMs());
    st.exec();
    return m_db->getLastInsertRowid();
  } catch (const SQLite::Exception& e) {
    return dbError(e, "recording the undo step");
  }
}

namespace {
std::optional<ProjectStore::StoredCommand> oneCommand(SQLite::Database& db, const char* sql, UserId user) {
  SQLite::Statement q(db, sql);
  q.bind(1, user);
  if (!q.executeStep()) return std::nullopt;
  return ProjectStore::StoredCommand{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                                     q.getColumn(2).getString(), q.getColumn(3).getString()};
}
}  // namespace

std::optional<ProjectStore::StoredCommand> SqliteProjectStore::lastUndoable(UserId user) const {
  return oneCommand(*m_db,
                    "SELECT id, item_id, kind, payload_json FROM commands WHERE user_id = ? AND "
                    "state = 'done' ORDER BY id DESC LIMIT 1",
                    user);
}

std::optional<ProjectStore::StoredCommand> SqliteProjectStore::lastRedoable(UserId user) const {
  return oneCommand(*m_db,
                    "SELECT id, item_id, kind, payload_json FROM commands WHERE user_id = ? AND "
                    "state = 'undone' ORDER BY undo_seq DESC LIMIT 1",
                    user);
}

Status SqliteProjectStore::markCommand(std::int64_t id, bool undone) {
  return changeOne(undone ? "UPDATE commands SET state = 'undone', undo_seq = "
                            "(SELECT coalesce(max(undo_seq), 0) + 1 FROM commands) WHERE id = ?"
                          : "UPDATE commands SET state = 'done' WHERE id = ?",
                   [&](SQLite::Statement& st) { st.bind(1, id); }, "undo step " + std::to_string(id));
}

}  // namespace lb::labeling
