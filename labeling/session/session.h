#pragma once
// [SECTION] Session: one user working in one open project. Owns the store, the current item,
// the selection and the undo/redo history. The desktop program, the CLI and the tests all edit
// through it, so every edit is the same: one short transaction that stores the change, the
// command that can undo it, and the event that records it. Nothing is ever "unsaved".
//
// Threads: UI thread only. Workers use their own store (see project_store.h).
#include <memory>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"
#include "labeling/store/project_store.h"

namespace lb::labeling {

// One reversible step of an edit. A command is a list of steps applied in one transaction.
struct EditStep {
  enum class Op { Create, Update, Delete, SetState, SetNothingHere };
  Op op = Op::Create;
  Annotation before;  // Update: old value; Delete: the annotation removed
  Annotation after;   // Create/Update: new value (Create fills in after.id when applied)
  ItemId item = 0;    // SetState / SetNothingHere
  ItemState stateBefore = ItemState::New, stateAfter = ItemState::New;
  bool flagBefore = false, flagAfter = false;
};

class Session {
 public:
  // Takes the store; `sessionId` tells this run apart in the event log.
  Session(std::unique_ptr<ProjectStore> store, User user, std::string program = "gui");
  ~Session();

  ProjectStore& store() { return *m_store; }
  const ProjectStore& store() const { return *m_store; }
  const User& user() const { return m_user; }
  const std::string& sessionId() const { return m_sessionId; }
  // Reviewers and leads see gold reference answers; annotators never do.
  bool canSeeReference() const { return m_user.role != Role::Annotator; }

  // Navigation. Opening a new item marks it in progress and logs it.
  Status openItem(ItemId id);
  ItemId currentItem() const { return m_currentItem; }
  std::vector<Annotation> annotations() const;  // of the current item, as this user may see them

  // Edits on the current item. Each is committed before it returns.
  Result<AnnotationId> createAnnotation(Annotation a);
  Status createAnnotations(std::vector<Annotation> list);  // one undo step (e.g. copy to next image)
  Status updateAnnotation(const Annotation& a);
  Status deleteAnnotations(const std::vector<AnnotationId>& ids);
  // Several create/update/delete steps on the current item as ONE command (one transaction,
  // one undo step), for edits that touch many annotations at once, e.g. a text correction that
  // adds a version and moves the spans. Update/Delete steps need only after.id/before.id set;
  // the stored "before" values are read here. `kind` names the command in the undo history.
  Status applyEdits(std::vector<EditStep> steps, const char* kind = "edit");
  Status setNothingHere(bool nothingHere);
  Status submit();  // hands the item to review

  Status undo();
  Status redo();
  bool canUndo() const;
  bool canRedo() const;

  // Records an event for this user and session (input heartbeats, focus changes, ...).
  void logEvent(const std::string& action, ItemId item = 0, const std::string& detailJson = "{}");

  std::vector<AnnotationId> selection;  // display state owned by the app; kept here for commands

 private:
  Status applyCommand(std::vector<EditStep> steps, const char* eventAction);
  Status applySteps(std::vector<EditStep>& steps, bool forward);

  std::unique_ptr<ProjectStore> m_store;
  User m_user;
  std::string m_sessionId;
  ItemId m_currentItem = 0;
};

}  // namespace lb::labeling
