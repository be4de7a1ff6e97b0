#pragma once
// [SECTION] ProjectStore: the one interface through which everything reaches a project.
// SqliteProjectStore (one .lbproj file, WAL) implements it today; a PostgreSQL store for centre
// mode can implement it beside it. Every mutating call is one short transaction of its own
// unless it runs inside transaction(...), so a killed process loses nothing that a call
// returned as saved.
//
// Threads: one store object belongs to one thread at a time. Workers that need the project
// open their own store on the same file (SQLite WAL lets readers and one writer overlap).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"

namespace lb::labeling {

// The project file's format. Bump with a new step in migrations.cpp; never edit an old step.
inline constexpr int kSchemaVersion = 3;

struct ProjectInfo {
  std::string name;
  std::string createdByVersion;  // LabelBench version that created the file
  std::string mediaRoot;         // absolute; media paths in items are relative to it
  int schemaVersion = 0;
};

struct ItemFilter {
  std::optional<BatchId> batchId;
  std::optional<ItemState> state;
  std::optional<ItemKind> kind;
  std::optional<UserId> assignee;       // items with a task for this user
  std::optional<ClassId> hasClass;      // items with at least one annotation of this class
  std::string textSearch;               // substring of media path or text
  bool includeExcluded = false;
  bool withText = true;                 // false: leave Item::text empty (fast lists)
};

// What import hands over for one new item; inserted with its thumbnail and signals atomically.
struct NewItem {
  Item item;
  std::vector<unsigned char> thumbnailJpeg;  // 256 px on the long side; empty for texts
  int thumbnailWidthPx = 0;
  int thumbnailHeightPx = 0;
  // Cheap per-item measurements made from the import's single decode, read later by qc
  // (perceptual hashes, blur and exposure statistics, ...). key -> number or blob.
  struct Signal {
    std::string key;
    double number = 0;
    std::vector<unsigned char> blob;
  };
  std::vector<Signal> signals;
  std::vector<Annotation> annotations;  // labels imported with the item (import-with-labels)
};

struct Thumbnail {
  int widthPx = 0;
  int heightPx = 0;
  std::vector<unsigned char> jpeg;
};

struct StateCount {
  std::string key;  // state name, or user name for per-user counts
  std::int64_t count = 0;
};

class ProjectStore {
 public:
  virtual ~ProjectStore() = default;

  virtual ProjectInfo info() const = 0;
  virtual std::string path() const = 0;

  // Runs fn inside one transaction: all of it is stored, or none of it (fn returning an error or
  // throwing rolls back). Nested calls join the outer transaction.
  virtual Status transaction(const std::function<Status()>& fn) = 0;

  // Project settings (thresholds, idle gap, piece rates, ...) as JSON text per key.
  virtual std::optional<std::string> setting(const std::string& key) const = 0;
  virtual Status setSetting(const std::string& key, const std::string& valueJson) = 0;

  // Users
  virtual Result<UserId> addUser(const std::string& name, Role role) = 0;
  virtual Result<User> user(UserId id) const = 0;
  virtual std::optional<User> userByName(const std::string& name) const = 0;
  virtual std::vector<User> users() const = 0;
  virtual Status setUserRole(UserId id, Role role) = 0;

  // Batches and items
  virtual Result<BatchId> createBatch(const std::string& name, const std::string& source) = 0;
  virtual std::vector<Batch> batches() const = 0;
  virtual bool hasSourceKey(const std::string& sourceKey) const = 0;
  virtual Result<ItemId> insertItem(const NewItem& item) = 0;  // one transaction, all or nothing
  virtual Result<Item> item(ItemId id) const = 0;
  virtual std::vector<Item> items(const ItemFilter& filter, std::int64_t offset = 0,
                                  std::int64_t limit = -1) const = 0;
  virtual std::vector<ItemId> itemIds(const ItemFilter& filter) const = 0;
  virtual std::int64_t countItems(const ItemFilter& filter) const = 0;
  virtual Status setItemState(ItemId id, ItemState state) = 0;
  virtual Status setNothingHere(ItemId id, bool nothingHere) = 0;
  virtual Status setExcluded(ItemId id, bool excluded, const std::string& reason) = 0;
  virtual Status setGold(ItemId id, bool gold) = 0;
  virtual std::optional<Thumbnail> thumbnail(ItemId id) const = 0;
  // All stored values of one signal, for qc passes over the whole project.
  virtual std::vector<std::pair<ItemId, NewItem::Signal>> signals(const std::string& key) const = 0;
  virtual Status putSignal(ItemId id, const NewItem::Signal& signal) = 0;

  // Label schema
  virtual LabelSchema schema() const = 0;
  // Replaces the schema. Classes are matched by id, else by name, so annotations keep their
  // class; removing a class that annotations still use is refused with a Conflict.
  virtual Status setSchema(const LabelSchema& schema) = 0;

  // Annotations. Reference (gold) annotations are returned only when includeReference is true;
  // the session decides that from the user's role.
  virtual Result<AnnotationId> insertAnnotation(const Annotation& a) = 0;
  virtual Status updateAnnotation(const Annotation& a) = 0;
  virtual Status deleteAnnotation(AnnotationId id) = 0;     // soft delete (undo can restore)
  virtual Status restoreAnnotation(AnnotationId id) = 0;
  virtual Result<Annotation> annotation(AnnotationId id) const = 0;
  virtual std::vector<Annotation> annotations(ItemId item, bool includeReference = false) const = 0;
  // Streams every live annotation in item order without holding them all in memory.
  virtual Status forEachAnnotation(const std::function<bool(const Annotation&)>& fn,
                                   bool includeReference = false) const = 0;

  // Tasks
  virtual Result<TaskId> assign(ItemId item, UserId user, TaskKind kind) = 0;
  virtual std::vector<Task> tasks(std::optional<UserId> user, std::optional<TaskKind> kind) const = 0;
  virtual Status setTaskState(TaskId id, TaskState state) = 0;

  // Reviews (history is kept: rows are only added)
  virtual Result<std::int64_t> addReview(const Review& review) = 0;
  virtual std::vector<Review> reviews(ItemId item) const = 0;

  // Event log: append-only; the store refuses updates and deletes.
  virtual Status appendEvent(const Event& e) = 0;
  virtual Status forEachEvent(const std::function<bool(const Event&)>& fn) const = 0;

  // Undo history, persisted so undo survives a restart. Recording a new command drops the
  // user's redo branch. Kept per user.
  struct StoredCommand {
    std::int64_t id = 0;
    ItemId itemId = 0;
    std::string kind;
    std::string payloadJson;
  };
  virtual Result<std::int64_t> recordCommand(UserId user, ItemId item, const std::string& kind,
                                             const std::string& payloadJson) = 0;
  virtual std::optional<StoredCommand> lastUndoable(UserId user) const = 0;
  virtual std::optional<StoredCommand> lastRedoable(UserId user) const = 0;
  virtual Status markCommand(std::int64_t id, bool undone) = 0;

  // Status overview
  virtual std::vector<StateCount> countByState() const = 0;
  virtual std::vector<StateCount> countByAssignee() const = 0;
};

struct CreateOptions {
  std::string name;            // defaults to the file's stem
  std::string mediaRoot;       // defaults to the project file's folder
};

// Creates a new project file (refuses to overwrite an existing file).
Result<std::unique_ptr<ProjectStore>> createProject(const std::string& path,
                                                    const CreateOptions& options = {});
// Opens an existing project, migrating it forward step by step if it is older. Errors:
// NotFound, NotAProject, TooNew (names both versions), Damaged.
Result<std::unique_ptr<ProjectStore>> openProject(const std::string& path);

}  // namespace lb::labeling
