#pragma once
// [SECTION] Running assists off the UI thread, and accepting what they propose.
//
// AssistRunner runs one assist job at a time on its own worker thread. The UI thread starts a
// job, polls once per frame, and may cancel; starting a new job cancels the running one (the
// annotator dragged a new box). The job must not touch the Session or its store — assists work
// on pixels handed to them (decode on the UI side's worker, or pass a cv::Mat copy).
//
// acceptProposal() is the only path from a proposal into the project: it goes through
// Session::createAnnotations / updateAnnotation, so every accepted object is one undoable step
// and the event log's "source" says "assist:<id>@<ver>".
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "labeling/assist/proposal.h"
#include "labeling/session/session.h"

namespace lb::labeling::assist {

class AssistRunner {
 public:
  using Job = std::function<Result<Proposal>(const CancelFlag& cancel)>;

  AssistRunner() = default;
  ~AssistRunner();  // cancels and waits for a running job
  AssistRunner(const AssistRunner&) = delete;
  AssistRunner& operator=(const AssistRunner&) = delete;

  // Starts `job` on the worker thread (cancelling and joining a previous one first).
  void start(Job job);
  // Asks the running job to stop; it finishes with ErrorCode::Cancelled.
  void cancel();
  bool busy() const;
  // The finished job's result, once; nullopt while running or when nothing has run.
  std::optional<Result<Proposal>> poll();
  // Blocks until the current job finishes and returns its result (CLI, tests).
  Result<Proposal> wait();

 private:
  void join();

  std::thread m_worker;
  CancelFlag m_cancel{false};
  mutable std::mutex m_mutex;
  bool m_running = false;
  std::optional<Result<Proposal>> m_result;
};

// Accepts the chosen proposed objects (indices into proposal.annotations; empty = all) into the
// session's current item: all new objects in ONE undoable step (they get `classId` when it is
// non-zero and they have none); edited copies (id != 0, edge snapping) each as one update.
Status acceptProposal(Session& session, const Proposal& proposal, const std::vector<std::size_t>& chosen = {},
                      ClassId classId = 0);

}  // namespace lb::labeling::assist
