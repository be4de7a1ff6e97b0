#include "labeling/assist/assist_runner.h"

namespace lb::labeling::assist {

AssistRunner::~AssistRunner() {
  cancel();
  join();
}

void AssistRunner::join() {
  if (m_worker.joinable()) m_worker.join();
}

void AssistRunner::start(Job job) {
  cancel();
  join();
  {
    std::lock_guard lock(m_mutex);
    m_result.reset();
    m_running = true;
  }
  m_cancel.store(false);
  m_worker = std::thread([this, job = std::move(job)] {
    std::optional<Result<Proposal>> r;
    try {
      r.emplace(job(m_cancel));
    } catch (const std::exception& e) {
      // OpenCV throws cv::Exception on broken invariants; the user still gets a message.
      r.emplace(makeError(ErrorCode::BadInput, std::string("the assist failed: ") + e.what()));
    }
    std::lock_guard lock(m_mutex);
    m_result = std::move(r);
    m_running = false;
  });
}

void AssistRunner::cancel() { m_cancel.store(true); }

bool AssistRunner::busy() const {
  std::lock_guard lock(m_mutex);
  return m_running;
}

std::optional<Result<Proposal>> AssistRunner::poll() {
  std::lock_guard lock(m_mutex);
  if (m_running || !m_result) return std::nullopt;
  auto r = std::move(m_result);
  m_result.reset();
  return r;
}

Result<Proposal> AssistRunner::wait() {
  join();
  std::lock_guard lock(m_mutex);
  if (!m_result) return makeError(ErrorCode::InvalidArgument, "no assist was started");
  auto r = std::move(*m_result);
  m_result.reset();
  return r;
}

Status acceptProposal(Session& session, const Proposal& proposal, const std::vector<std::size_t>& chosen,
                      ClassId classId) {
  std::vector<std::size_t> which = chosen;
  if (which.empty())
    for (std::size_t i = 0; i < proposal.annotations.size(); ++i) which.push_back(i);
  std::vector<Annotation> created;
  std::vector<Annotation> updated;
  for (std::size_t i : which) {
    if (i >= proposal.annotations.size())
      return makeError(ErrorCode::InvalidArgument, "proposal " + proposal.source() + " has no object " +
                                                       std::to_string(i));
    Annotation a = proposal.annotations[i];
    if (a.id != 0) {
      updated.push_back(std::move(a));
      continue;
    }
    if (a.classId == 0) a.classId = classId;
    if (a.source.empty() || a.source == "manual") a.source = proposal.source();
    created.push_back(std::move(a));
  }
  if (!created.empty())
    if (auto st = session.createAnnotations(std::move(created)); !st) return st;
  for (const auto& a : updated)
    if (auto st = session.updateAnnotation(a); !st) return st;
  return okStatus();
}

}  // namespace lb::labeling::assist
