#pragma once
// [SECTION] The assist panel: OpenCV assists (GrabCut, magic wand, edge snapping, CLAHE view,
// propagation from the previous item, faces, OCR) and plugin assists on the current image.
//   assist_panel.cpp   — the buttons, the jobs on workers (cancellable), the proposal list
//   assist_overlay.cpp — a window laid over the canvas that draws the proposals (their own style:
//                        dashed magenta), the CLAHE view and the box being dragged, and that
//                        takes the canvas clicks while an assist waits for a box or a click
// Every assist only proposes; accepting goes through labeling::assist::acceptProposal (one undo
// step, source "assist:<id>@<ver>" / "plugin:<id>@<ver>" in the annotation and the event log).
//
// Threads: UI thread; jobs get pixels (cv::Mat shared read-only) and never the Session.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "app/gui/panel.h"
#include "app/gui/worker_pool.h"
#include "labeling/assist/proposal.h"

namespace lb::app {

// GUI tests: writes `text` to $LB_TEST_STATE<suffix> after the frame when it changed since `last`
// (test mode only). The assist panel writes ".assist", the plugins panel ".plugins".
void writePanelTestState(AppContext& ctx, const char* suffix, std::string text, std::string& last);

class AssistPanel final : public Panel {
 public:
  ~AssistPanel() override;
  const char* id() const override { return "assist"; }
  const char* titleKey() const override { return "assist.panel"; }
  bool openByDefault() const override { return true; }
  // Under the item list, clear of the canvas.
  ImVec4 defaultRect() const override { return ImVec4(0.f, 0.45f, 0.2f, 0.55f); }
  void draw(AppContext& ctx) override;

 private:
  enum class Pick { None, GrabCutBox, WandClick };
  using Job = std::function<Result<labeling::assist::Proposal>(const labeling::assist::CancelFlag&, WorkerEnv&)>;

  // One proposed object, with the run that made it (for its source and the undo step).
  struct Proposed {
    labeling::Annotation a;
    std::shared_ptr<const labeling::assist::Proposal> run;  // annotations empty; id, version, origin
    unsigned int tex = 0;  // mask proposals: translucent texture of the mask
  };

  // assist_panel.cpp
  void syncItem(AppContext& ctx);
  void drawButtons(AppContext& ctx);
  void drawPluginAssists(AppContext& ctx);
  void drawProposals(AppContext& ctx);
  void start(AppContext& ctx, const std::string& what, Job job);
  void cancel(AppContext& ctx);
  void runGrabCut(AppContext& ctx, cv::Rect2d box);
  void runWand(AppContext& ctx, cv::Point2d seed);
  void accept(AppContext& ctx, std::vector<std::size_t> which);
  void discard(std::vector<std::size_t> which);
  void clearProposals();
  void requestEnhanced(AppContext& ctx);
  const labeling::Annotation* selected(AppContext& ctx) const;
  labeling::ClassId classForAccepted(AppContext& ctx) const;
  void mark(const char* name);  // remembers the last widget's centre for the GUI tests
  void writeTestState(AppContext& ctx);

  // assist_overlay.cpp
  void drawOverlay(AppContext& ctx);

  labeling::ItemId m_item = 0;
  cv::Mat m_image;  // the current item's pixels (BGR), decoded on a worker
  bool m_imageLoading = false;
  std::string m_imageError;
  std::uint64_t m_imageGeneration = 0;

  std::shared_ptr<labeling::assist::CancelFlag> m_cancel;
  std::uint64_t m_generation = 0;
  bool m_busy = false;
  std::string m_busyWhat, m_note;

  std::vector<Proposed> m_proposals;
  Pick m_pick = Pick::None;
  bool m_dragging = false;
  cv::Point2d m_dragFrom, m_dragTo;  // image pixels

  int m_output = 0;  // 0 polygon, 1 mask
  int m_tolerance = 24;
  int m_ocrLanguage = 0;
  int m_acceptClass = 0;  // index into the object classes; 0 = the current class

  bool m_enhance = false;
  unsigned int m_enhanceTex = 0;
  labeling::ItemId m_enhanceItem = 0;
  bool m_enhanceLoading = false;

  std::vector<std::pair<std::string, std::pair<float, float>>> m_marks;
  std::string m_testState;
};

}  // namespace lb::app
