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
// Pixels: nothing is decoded while an item is merely shown (the image cache decodes for the
// canvas). The first assist started on an item decodes it on the worker, at full resolution or,
// for assists that do not need it (faces, OCR, the CLAHE view), reduced (cv::IMREAD_REDUCED_*)
// with the results scaled back to image coordinates. The decoded copy is kept for the next assist
// on the same item and dropped when the item changes.
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

class AssistPanel final : public Panel {
 public:
  ~AssistPanel() override;
  const char* id() const override { return "assist"; }
  const char* titleKey() const override { return "assist.panel"; }
  // Closed until asked for (View > Assists): open, it takes the right-hand column's lower half
  // (the object list's place), so the item list and the canvas stay in view.
  ImVec4 defaultRect() const override { return ImVec4(0.78f, 0.5f, 0.22f, 0.5f); }
  void draw(AppContext& ctx) override;

 private:
  enum class Pick { None, GrabCutBox, WandClick };
  // A job gets the item's pixels (possibly reduced: see start) and proposes in their coordinates.
  using Job = std::function<Result<labeling::assist::Proposal>(const cv::Mat&, const labeling::assist::CancelFlag&,
                                                               WorkerEnv&)>;

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
  // Runs `job` on a worker with the current item's pixels, decoded there if no kept copy is fine
  // enough. maxSide_px = 0: full resolution; otherwise a reduced decode whose long side stays at
  // least maxSide_px is enough, and the proposal is scaled back to image coordinates.
  void start(AppContext& ctx, const std::string& what, int maxSide_px, Job job);
  int reduceFactor(AppContext& ctx, int maxSide_px) const;
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
  cv::Mat m_image;        // the current item's pixels (BGR) once an assist decoded them, else empty
  int m_imageFactor = 0;  // 1 full resolution, 2/4/8 reduced (cv::IMREAD_REDUCED_COLOR_*)

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
  cv::Size m_enhanceImage;  // the image's size in image pixels, which the view covers
  labeling::ItemId m_enhanceItem = 0;
  bool m_enhanceLoading = false;

  std::vector<std::pair<std::string, std::pair<float, float>>> m_marks;
  std::string m_testState;
};

}  // namespace lb::app
