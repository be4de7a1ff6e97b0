#include "labeling/session/session.h"

#include <nlohmann/json.hpp>

#include <random>

#include "labeling/annotation_json.h"
#include "labeling/events.h"

namespace lb::labeling {

using nlohmann::json;

namespace {

std::string newSessionId() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^ static_cast<std::uint64_t>(nowMs()));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
  return buf;
}

const char* opName(EditStep::Op op) {
  switch (op) {
    case EditStep::Op::Create: return "create";
    case EditStep::Op::Update: return "update";
    case EditStep::Op::Delete: return "delete";
    case EditStep::Op::SetState: return "set_state";
    case EditStep::Op::SetNothingHere: return "set_nothing_here";
  }
  return "?";
}

EditStep::Op opFrom(const std::string& s) {
  for (auto op : {EditStep::Op::Create, EditStep::Op::Update, EditStep::Op::Delete, EditStep::Op::SetState,
                  EditStep::Op::SetNothingHere})
    if (s == opName(op)) return op;
  throw std::runtime_error("unknown undo step '" + s + "'");
}

json stepsToJson(const std::vector<EditStep>& steps) {
  json arr = json::array();
  for (const auto& s : steps)
    arr.push_back({{"op", opName(s.op)},
                   {"before", annotationToJson(s.before)},
                   {"after", annotationToJson(s.after)},
                   {"item", s.item},
                   {"state_before", toString(s.stateBefore)},
                   {"state_after", toString(s.stateAfter)},
                   {"flag_before", s.flagBefore},
                   {"flag_after", s.flagAfter}});
  return arr;
}

std::vector<EditStep> stepsFromJson(const json& arr) {
  std::vector<EditStep> steps;
  for (const auto& j : arr) {
    EditStep s;
    s.op = opFrom(j.at("op").get<std::string>());
    s.before = annotationFromJson(j.at("before"));
    s.after = annotationFromJson(j.at("after"));
    s.item = j.at("item").get<ItemId>();
    s.stateBefore = itemStateFrom(j.at("state_before").get<std::string>()).value_or(ItemState::New);
    s.stateAfter = itemStateFrom(j.at("state_after").get<std::string>()).value_or(ItemState::New);
    s.flagBefore = j.at("flag_before").get<bool>();
    s.flagAfter = j.at("flag_after").get<bool>();
    steps.push_back(std::move(s));
  }
  return steps;
}

// What an undo/redo touched, so throughput can take back (or restore) the counted work.
json stepsSummary(const std::vector<EditStep>& steps) {
  json out = json::array();
  for (const auto& s : steps) {
    if (s.op == EditStep::Op::SetState || s.op == EditStep::Op::SetNothingHere) continue;
    const Annotation& a = s.op == EditStep::Op::Delete ? s.before : s.after;
    out.push_back({{"op", opName(s.op)}, {"annotation", a.id}});
  }
  return out;
}

int vertexCount(const Annotation& a) {
  switch (a.kind) {
    case AnnotationKind::Box: return 2;
    case AnnotationKind::RotatedBox: return 4;
    case AnnotationKind::Polygon:
    case AnnotationKind::Polyline:
    case AnnotationKind::Points: return static_cast<int>(a.coords.size() / 2);
    case AnnotationKind::Keypoints: return static_cast<int>(a.coords.size() / 3);
    default: return 0;
  }
}

}  // namespace

Session::Session(std::unique_ptr<ProjectStore> store, User user, std::string program)
    : m_store(std::move(store)), m_user(std::move(user)), m_sessionId(newSessionId()) {
  logEvent(events::kSessionStart, 0, json{{"program", program}}.dump());
}

Session::~Session() {
  if (m_currentItem) logEvent(events::kCloseItem, m_currentItem);
  logEvent(events::kSessionEnd);
}

void Session::logEvent(const std::string& action, ItemId item, const std::string& detailJson) {
  Event e;
  e.userId = m_user.id;
  e.itemId = item;
  e.sessionId = m_sessionId;
  e.action = action;
  e.tMs = nowMs();
  e.detailJson = detailJson;
  // The event log must never make an edit fail; a failed append is reported by the store's
  // next write anyway.
  (void)m_store->appendEvent(e);
}

Status Session::openItem(ItemId id) {
  auto it = m_store->item(id);
  if (!it) return it.error();
  if (m_currentItem && m_currentItem != id) logEvent(events::kCloseItem, m_currentItem);
  m_currentItem = id;
  selection.clear();
  logEvent(events::kOpenItem, id);
  if (it->state == ItemState::New || (it->state == ItemState::Rejected && m_user.role == Role::Annotator))
    return m_store->setItemState(id, ItemState::InProgress);
  return okStatus();
}

std::vector<Annotation> Session::annotations() const {
  if (!m_currentItem) return {};
  return m_store->annotations(m_currentItem, canSeeReference());
}

Status Session::applySteps(std::vector<EditStep>& steps, bool forward) {
  auto run = [&](EditStep& s) -> Status {
    switch (s.op) {
      case EditStep::Op::Create:
        if (!forward) return m_store->deleteAnnotation(s.after.id);
        if (s.after.id) return m_store->restoreAnnotation(s.after.id);
        if (auto id = m_store->insertAnnotation(s.after); !id) return id.error();
        else s.after.id = *id;
        return okStatus();
      case EditStep::Op::Update:
        return m_store->updateAnnotation(forward ? s.after : s.before);
      case EditStep::Op::Delete:
        return forward ? m_store->deleteAnnotation(s.before.id) : m_store->restoreAnnotation(s.before.id);
      case EditStep::Op::SetState:
        return m_store->setItemState(s.item, forward ? s.stateAfter : s.stateBefore);
      case EditStep::Op::SetNothingHere:
        return m_store->setNothingHere(s.item, forward ? s.flagAfter : s.flagBefore);
    }
    return okStatus();
  };
  if (forward) {
    for (auto& s : steps)
      if (auto st = run(s); !st) return st;
  } else {
    for (auto it = steps.rbegin(); it != steps.rend(); ++it)
      if (auto st = run(*it); !st) return st;
  }
  return okStatus();
}

Status Session::applyCommand(std::vector<EditStep> steps, const char* eventAction) {
  return m_store->transaction([&]() -> Status {
    if (auto st = applySteps(steps, true); !st) return st;
    const ItemId item = m_currentItem;
    if (auto r = m_store->recordCommand(m_user.id, item, eventAction, stepsToJson(steps).dump()); !r)
      return r.error();
    for (const auto& s : steps) {
      const Annotation& a = s.op == EditStep::Op::Delete ? s.before : s.after;
      json detail = {{"annotation", a.id}, {"kind", toString(a.kind)}, {"vertices", vertexCount(a)},
                     {"source", a.source}};
      const char* action = s.op == EditStep::Op::Create   ? events::kAnnotationCreated
                           : s.op == EditStep::Op::Update ? events::kAnnotationUpdated
                           : s.op == EditStep::Op::Delete ? events::kAnnotationDeleted
                           : s.op == EditStep::Op::SetNothingHere ? events::kNothingHere
                                                                  : events::kSubmit;
      if (s.op == EditStep::Op::SetNothingHere) detail = {{"nothing_here", s.flagAfter}};
      if (s.op == EditStep::Op::SetState) detail = {{"state", toString(s.stateAfter)}};
      logEvent(action, item, detail.dump());
    }
    return okStatus();
  });
}

Result<AnnotationId> Session::createAnnotation(Annotation a) {
  if (!m_currentItem) return makeError(ErrorCode::InvalidArgument, "open an item before drawing on it");
  a.itemId = m_currentItem;
  a.authorId = m_user.id;
  a.id = 0;
  if (a.isReference && m_user.role == Role::Annotator)
    return makeError(ErrorCode::InvalidArgument, "only a lead can give reference answers");
  EditStep s;
  s.op = EditStep::Op::Create;
  s.after = a;
  std::vector<EditStep> steps{s};
  AnnotationId created = 0;
  Status st = m_store->transaction([&]() -> Status {
    if (auto r = applyCommand(steps, "create"); !r) return r;
    // applyCommand filled the id in its own copy; read it back from the undo record.
    if (auto cmd = m_store->lastUndoable(m_user.id))
      created = stepsFromJson(json::parse(cmd->payloadJson)).front().after.id;
    return okStatus();
  });
  if (!st) return st.error();
  return created;
}

Status Session::createAnnotations(std::vector<Annotation> list) {
  if (!m_currentItem) return makeError(ErrorCode::InvalidArgument, "open an item before drawing on it");
  std::vector<EditStep> steps;
  for (auto& a : list) {
    a.itemId = m_currentItem;
    a.authorId = m_user.id;
    a.id = 0;
    EditStep s;
    s.op = EditStep::Op::Create;
    s.after = a;
    steps.push_back(std::move(s));
  }
  return applyCommand(std::move(steps), "create_many");
}

Status Session::updateAnnotation(const Annotation& a) {
  auto before = m_store->annotation(a.id);
  if (!before) return before.error();
  if (before->isReference && !canSeeReference())
    return makeError(ErrorCode::NotFound, "annotation " + std::to_string(a.id) + " does not exist");
  if (before->locked && a.locked)
    return makeError(ErrorCode::InvalidArgument, "annotation " + std::to_string(a.id) + " is locked; unlock it first");
  EditStep s;
  s.op = EditStep::Op::Update;
  s.before = *before;
  s.after = a;
  s.after.itemId = before->itemId;
  s.after.createdMs = before->createdMs;
  return applyCommand({s}, "update");
}

Status Session::deleteAnnotations(const std::vector<AnnotationId>& ids) {
  std::vector<EditStep> steps;
  for (AnnotationId id : ids) {
    auto a = m_store->annotation(id);
    if (!a) return a.error();
    if (a->isReference && !canSeeReference())
      return makeError(ErrorCode::NotFound, "annotation " + std::to_string(id) + " does not exist");
    EditStep s;
    s.op = EditStep::Op::Delete;
    s.before = *a;
    steps.push_back(std::move(s));
  }
  if (steps.empty()) return okStatus();
  return applyCommand(std::move(steps), "delete");
}

Status Session::applyEdits(std::vector<EditStep> steps, const char* kind) {
  if (!m_currentItem) return makeError(ErrorCode::InvalidArgument, "open an item before editing it");
  for (auto& s : steps) {
    switch (s.op) {
      case EditStep::Op::Create:
        s.after.itemId = m_currentItem;
        s.after.authorId = m_user.id;
        s.after.id = 0;
        if (s.after.isReference && m_user.role == Role::Annotator)
          return makeError(ErrorCode::InvalidArgument, "only a lead can give reference answers");
        break;
      case EditStep::Op::Update:
      case EditStep::Op::Delete: {
        const AnnotationId id = s.op == EditStep::Op::Update ? s.after.id : s.before.id;
        auto before = m_store->annotation(id);
        if (!before) return before.error();
        if (before->itemId != m_currentItem || (before->isReference && !canSeeReference()))
          return makeError(ErrorCode::NotFound, "annotation " + std::to_string(id) + " is not on the open item");
        if (s.op == EditStep::Op::Update && before->locked && s.after.locked)
          return makeError(ErrorCode::InvalidArgument, "annotation " + std::to_string(id) + " is locked; unlock it first");
        s.before = *before;
        if (s.op == EditStep::Op::Update) {
          s.after.itemId = before->itemId;
          s.after.createdMs = before->createdMs;
        }
        break;
      }
      case EditStep::Op::SetState:
      case EditStep::Op::SetNothingHere:
        if (s.item != m_currentItem)
          return makeError(ErrorCode::InvalidArgument, "an edit may only change the open item");
        break;
    }
  }
  if (steps.empty()) return okStatus();
  return applyCommand(std::move(steps), kind);
}

Status Session::setNothingHere(bool nothingHere) {
  auto it = m_store->item(m_currentItem);
  if (!it) return it.error();
  EditStep s;
  s.op = EditStep::Op::SetNothingHere;
  s.item = m_currentItem;
  s.flagBefore = it->nothingHere;
  s.flagAfter = nothingHere;
  return applyCommand({s}, "nothing_here");
}

Status Session::submit() {
  auto it = m_store->item(m_currentItem);
  if (!it) return it.error();
  EditStep s;
  s.op = EditStep::Op::SetState;
  s.item = m_currentItem;
  s.stateBefore = it->state;
  s.stateAfter = ItemState::Submitted;
  return applyCommand({s}, "submit");
}

bool Session::canUndo() const { return m_store->lastUndoable(m_user.id).has_value(); }
bool Session::canRedo() const { return m_store->lastRedoable(m_user.id).has_value(); }

Status Session::undo() {
  auto cmd = m_store->lastUndoable(m_user.id);
  if (!cmd) return makeError(ErrorCode::NotFound, "nothing to undo");
  return m_store->transaction([&]() -> Status {
    auto steps = stepsFromJson(json::parse(cmd->payloadJson));
    if (auto st = applySteps(steps, false); !st) return st;
    if (auto st = m_store->markCommand(cmd->id, true); !st) return st;
    logEvent(events::kUndo, cmd->itemId,
             json{{"command", cmd->id}, {"kind", cmd->kind}, {"steps", stepsSummary(steps)}}.dump());
    return okStatus();
  });
}

Status Session::redo() {
  auto cmd = m_store->lastRedoable(m_user.id);
  if (!cmd) return makeError(ErrorCode::NotFound, "nothing to redo");
  return m_store->transaction([&]() -> Status {
    auto steps = stepsFromJson(json::parse(cmd->payloadJson));
    if (auto st = applySteps(steps, true); !st) return st;
    if (auto st = m_store->markCommand(cmd->id, false); !st) return st;
    logEvent(events::kRedo, cmd->itemId,
             json{{"command", cmd->id}, {"kind", cmd->kind}, {"steps", stepsSummary(steps)}}.dump());
    return okStatus();
  });
}

}  // namespace lb::labeling
