// The assist panel's widgets and jobs (see assist_panel.h). Each assist runs on a worker with its
// own cancel flag; starting another one cancels it. Results come back as proposals that the
// overlay draws on the canvas and the list below lets the annotator accept or discard.
#include "app/gui/panels/assist_panel.h"

#include <imgui.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/gui/app_context.h"
#include "app/gui/gl_texture.h"
#include "app/gui/i18n.h"
#include "app/gui/panels/plugins_shared.h"
#include "app/gui/test_state.h"
#include "labeling/assist/assist_runner.h"
#include "labeling/assist/edge_snap.h"
#include "labeling/assist/enhance.h"
#include "labeling/assist/grabcut.h"
#include "labeling/assist/magic_wand.h"
#include "labeling/assist/prelabel.h"
#include "labeling/assist/propagate.h"

namespace lb::app {

using namespace lb::labeling;
namespace as = lb::labeling::assist;

namespace {

const char* const kOcrLanguages[] = {"eng", "chi_sim", "chi_sim+eng"};

std::string mediaFile(const AppContext& ctx, const Item& item) {
  return (std::filesystem::path(ctx.projectInfo().mediaRoot) / item.mediaPath).string();
}

// Decodes for the assists: factor 1 full resolution, 2/4/8 the JPEG decoder's reduced scales
// (other formats are decoded and resized by OpenCV). EXIF orientation applies either way, as for
// the stored widthPx/heightPx.
cv::Mat decodePixels(const std::string& path, int factor) {
  const int flag = factor >= 8 ? cv::IMREAD_REDUCED_COLOR_8
                   : factor >= 4 ? cv::IMREAD_REDUCED_COLOR_4
                   : factor >= 2 ? cv::IMREAD_REDUCED_COLOR_2
                                 : cv::IMREAD_COLOR;
  return cv::imread(path, flag);
}

// Brings a proposal made on reduced pixels back to image coordinates. The reduced assists (faces,
// OCR) propose boxes; every point-list kind scales the same way.
void scaleToImage(as::Proposal& p, double sx, double sy) {
  if (sx == 1.0 && sy == 1.0) return;
  for (auto& a : p.annotations) {
    auto& c = a.coords;
    switch (a.kind) {
      case AnnotationKind::Box:
      case AnnotationKind::Polygon:
      case AnnotationKind::Polyline:
      case AnnotationKind::Points:
        for (std::size_t i = 0; i + 1 < c.size(); i += 2) c[i] *= sx, c[i + 1] *= sy;
        break;
      case AnnotationKind::RotatedBox:
        if (c.size() >= 4) c[0] *= sx, c[1] *= sy, c[2] *= sx, c[3] *= sy;
        break;
      default:  // masks and the rest are only proposed from full-resolution pixels
        break;
    }
  }
}

std::vector<const ClassDef*> objectClasses(const LabelSchema& schema) {
  std::vector<const ClassDef*> out;
  for (const auto& c : schema.classes)
    if (c.scope == ClassScope::Object) out.push_back(&c);
  return out;
}

}  // namespace

AssistPanel::~AssistPanel() {
  if (m_cancel) m_cancel->store(true);
  // Textures are not deleted here: the GL context is gone by the time panels are destroyed.
}

// [SECTION] The current item: proposals belong to it. Nothing is decoded here (see the header): a
// kept copy of the previous item's pixels is dropped.
void AssistPanel::syncItem(AppContext& ctx) {
  const ItemId now = ctx.currentItem() ? ctx.currentItem()->id : 0;
  if (now == m_item) return;
  m_item = now;
  cancel(ctx);
  clearProposals();
  m_pick = Pick::None;
  m_image.release();
  m_imageFactor = 0;
  m_note.clear();
  if (m_enhanceTex) deleteTexture(m_enhanceTex), m_enhanceTex = 0;
  m_enhanceItem = 0;
  if (m_enhance && now && ctx.currentItem()->kind == ItemKind::Image) requestEnhanced(ctx);
}

// The coarsest decoder scale (1, 2, 4, 8) whose long side stays at least maxSide_px; 1 when full
// resolution is asked for or the image's size is not known.
int AssistPanel::reduceFactor(AppContext& ctx, int maxSide_px) const {
  const auto& item = ctx.currentItem();
  if (maxSide_px <= 0 || !item || item->widthPx <= 0 || item->heightPx <= 0) return 1;
  const int side = std::max(item->widthPx, item->heightPx);
  int f = 1;
  while (f < 8 && side / (2 * f) >= maxSide_px) f *= 2;
  return f;
}

const Annotation* AssistPanel::selected(AppContext& ctx) const {
  const auto& sel = ctx.session().selection;
  if (sel.size() != 1) return nullptr;
  for (const auto& a : ctx.annotations())
    if (a.id == sel.front()) return &a;
  return nullptr;
}

ClassId AssistPanel::classForAccepted(AppContext& ctx) const {
  const auto classes = objectClasses(ctx.schema());
  if (m_acceptClass > 0 && m_acceptClass <= static_cast<int>(classes.size()))
    return classes[static_cast<std::size_t>(m_acceptClass - 1)]->id;
  return ctx.editor().currentClass;
}

void AssistPanel::mark(const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  m_marks.emplace_back(name, std::make_pair((a.x + b.x) / 2, (a.y + b.y) / 2));
}

// [SECTION] Jobs
void AssistPanel::start(AppContext& ctx, const std::string& what, int maxSide_px, Job job) {
  const auto& item = ctx.currentItem();
  if (!item) return;
  if (m_cancel) m_cancel->store(true);
  auto flag = std::make_shared<as::CancelFlag>(false);
  m_cancel = flag;
  m_busy = true;
  m_busyWhat = what;
  m_note.clear();
  const auto gen = ++m_generation;
  // A kept copy serves when it is at least as fine as this assist needs.
  const int factor = reduceFactor(ctx, maxSide_px);
  cv::Mat kept = m_imageFactor >= 1 && m_imageFactor <= factor ? m_image : cv::Mat();
  const std::string path = mediaFile(ctx, *item);
  const std::string noPixels = trf("assist.no_pixels", {path});  // tr() belongs to the UI thread
  const cv::Size full(item->widthPx, item->heightPx);
  const ItemId forItem = m_item;
  ctx.workers().submit([this, job = std::move(job), flag, gen, kept, factor, path, noPixels, full,
                        forItem](WorkerEnv& env) -> UiFn {
    auto result = std::make_shared<Result<as::Proposal>>(makeError(ErrorCode::Cancelled, "not run"));
    cv::Mat img = kept, decoded;
    if (img.empty() && !flag->load()) img = decoded = decodePixels(path, factor);
    try {
      if (flag->load()) {
        // stays "not run": cancelled before it began
      } else if (img.empty()) {
        *result = makeError(ErrorCode::NotFound, noPixels);
      } else {
        *result = job(img, *flag, env);
        if (*result && (img.cols != full.width || img.rows != full.height) && full.width > 0 && full.height > 0)
          scaleToImage(**result, double(full.width) / img.cols, double(full.height) / img.rows);
      }
    } catch (const std::exception& e) {  // cv::Exception on a broken invariant: still a message
      *result = makeError(ErrorCode::BadInput, std::string("the assist failed: ") + e.what());
    }
    return [this, result, gen, decoded, factor, forItem](AppContext& c) {
      // Kept for the next assist on this item, even if this run was replaced meanwhile.
      if (!decoded.empty() && forItem == m_item && (m_imageFactor == 0 || factor < m_imageFactor)) {
        m_image = decoded;
        m_imageFactor = factor;
      }
      if (gen != m_generation) return;  // cancelled or replaced meanwhile
      m_busy = false;
      if (!*result) {
        if (result->error().code == ErrorCode::Cancelled) c.notify(tr("assist.cancelled"));
        else c.report(Status(result->error()));
        return;
      }
      auto run = std::make_shared<as::Proposal>(std::move(**result));
      std::vector<Annotation> objects = std::move(run->annotations);
      run->annotations.clear();
      for (auto& a : objects) m_proposals.push_back({std::move(a), run, 0});
      m_note = trf("assist.proposed", {std::to_string(objects.size()), run->source()});
      if (!run->note.empty()) m_note += " (" + run->note + ")";
    };
  });
}

void AssistPanel::cancel(AppContext&) {
  if (m_cancel) m_cancel->store(true);
  m_cancel.reset();
  if (m_busy) ++m_generation;  // a late result is dropped
  m_busy = false;
}

void AssistPanel::runGrabCut(AppContext& ctx, cv::Rect2d box) {
  as::GrabCutOptions g;
  g.box = box;
  g.output = m_output == 1 ? as::ShapeOutput::Mask : as::ShapeOutput::Polygon;
  start(ctx, tr("assist.grabcut"), 0, [g](const cv::Mat& img, const as::CancelFlag& c, WorkerEnv&) {
    return as::grabCutFromBox(img, g, &c);
  });
}

void AssistPanel::runWand(AppContext& ctx, cv::Point2d seed) {
  as::MagicWandOptions w;
  w.seed = seed;
  w.tolerance = m_tolerance;
  w.output = m_output == 1 ? as::ShapeOutput::Mask : as::ShapeOutput::Polygon;
  start(ctx, tr("assist.magic_wand"), 0, [w](const cv::Mat& img, const as::CancelFlag& c, WorkerEnv&) {
    return as::magicWand(img, w, &c);
  });
}

// The CLAHE view is a display texture of at most 4096 px a side, so it is enhanced from a reduced
// decode (or the kept pixels) and never keeps a copy of its own.
void AssistPanel::requestEnhanced(AppContext& ctx) {
  const auto& current = ctx.currentItem();
  if (!current || m_enhanceLoading || (m_enhanceTex && m_enhanceItem == m_item)) return;
  m_enhanceLoading = true;
  const int limit = std::min(4096, maxTextureSize_px());
  const int factor = reduceFactor(ctx, limit);
  cv::Mat kept = m_imageFactor >= 1 && m_imageFactor <= factor ? m_image : cv::Mat();
  const std::string path = mediaFile(ctx, *current);
  const std::string noPixels = trf("assist.no_pixels", {path});
  const cv::Size full(current->widthPx, current->heightPx);
  const ItemId item = m_item;
  ctx.workers().submit([this, kept, factor, path, noPixels, full, limit, item](WorkerEnv&) -> UiFn {
    cv::Mat img = kept.empty() ? decodePixels(path, factor) : kept;
    cv::Mat view;
    cv::Size covers = full.width > 0 && full.height > 0 ? full : img.size();
    if (!img.empty()) {
      view = as::enhanceForDisplay(img);
      const double s = std::min(1.0, double(limit) / std::max(view.cols, view.rows));
      if (s < 1.0) cv::resize(view, view, cv::Size(), s, s, cv::INTER_AREA);
    }
    return [this, view, covers, item, noPixels](AppContext& c) {
      m_enhanceLoading = false;
      if (item != m_item || !m_enhance) return;
      if (view.empty()) {
        c.report(Status(makeError(ErrorCode::NotFound, noPixels)));
        m_enhance = false;
        return;
      }
      if (m_enhanceTex) deleteTexture(m_enhanceTex);
      m_enhanceTex = uploadTexture(view.data, view.cols, view.rows, 3, static_cast<int>(view.step / 3));
      m_enhanceItem = item;
      m_enhanceImage = covers;
    };
  });
}

// [SECTION] Accepting and discarding
void AssistPanel::accept(AppContext& ctx, std::vector<std::size_t> which) {
  if (which.empty())
    for (std::size_t i = 0; i < m_proposals.size(); ++i) which.push_back(i);
  // One acceptProposal (one undo step) per assist run among the chosen objects.
  std::vector<as::Proposal> runs;
  for (std::size_t i : which) {
    if (i >= m_proposals.size()) continue;
    const auto& p = m_proposals[i];
    auto it = std::find_if(runs.begin(), runs.end(), [&](const as::Proposal& r) {
      return r.source() == p.run->source() && r.note == p.run->note;
    });
    if (it == runs.end()) {
      runs.push_back(*p.run);
      it = runs.end() - 1;
    }
    it->annotations.push_back(p.a);
  }
  discard(which);
  const ClassId cls = classForAccepted(ctx);
  const ItemId item = m_item;
  ctx.defer([runs, cls, item](AppContext& c) {
    if (!c.currentItem() || c.currentItem()->id != item) return;
    AnnotationId before = 0;
    for (const auto& a : c.annotations()) before = std::max(before, a.id);
    for (const auto& r : runs)
      if (!c.report(as::acceptProposal(c.session(), r, {}, cls))) return;
    // The accepted objects are selected so the annotator can edit them straight away.
    c.refreshCurrent();
    auto& sel = c.session().selection;
    sel.clear();
    for (const auto& a : c.annotations())
      if (a.id > before) sel.push_back(a.id);
    for (const auto& r : runs)
      for (const auto& a : r.annotations)
        if (a.id) sel.push_back(a.id);  // edited copies (edge snapping) keep their id
  });
}

void AssistPanel::discard(std::vector<std::size_t> which) {
  std::sort(which.begin(), which.end());
  which.erase(std::unique(which.begin(), which.end()), which.end());
  for (auto it = which.rbegin(); it != which.rend(); ++it) {
    if (*it >= m_proposals.size()) continue;
    if (m_proposals[*it].tex) deleteTexture(m_proposals[*it].tex);
    m_proposals.erase(m_proposals.begin() + static_cast<std::ptrdiff_t>(*it));
  }
  if (m_proposals.empty()) m_note.clear();  // the note described what was just settled
}

void AssistPanel::clearProposals() {
  for (auto& p : m_proposals)
    if (p.tex) deleteTexture(p.tex);
  m_proposals.clear();
  m_note.clear();
}

// [SECTION] Widgets
void AssistPanel::draw(AppContext& ctx) {
  m_marks.clear();
  syncItem(ctx);
  const auto& item = ctx.currentItem();
  if (!item || item->kind != ItemKind::Image) {
    ImGui::TextWrapped("%s", tr("assist.images_only"));
    writeTestState(ctx);
    return;
  }
  if (m_enhance && m_enhanceLoading) ImGui::TextDisabled("%s", tr("assist.loading"));
  // What waits for the annotator comes first: the running job and the proposals.
  if (m_busy) {
    ImGui::TextColored(ImVec4(1, 0.85f, 0.3f, 1), "%s %s", tr("assist.running"), m_busyWhat.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("assist.cancel"))) cancel(ctx);
    mark("cancel");
  }
  if (!m_note.empty()) ImGui::TextWrapped("%s", m_note.c_str());
  drawProposals(ctx);
  drawButtons(ctx);
  drawPluginAssists(ctx);
  ImGui::Separator();
  if (ImGui::SmallButton(tr("assist.open_plugins"))) ctx.editor().openPanel = "plugins";
  mark("open_plugins");
  drawOverlay(ctx);
  writeTestState(ctx);
}

void AssistPanel::drawButtons(AppContext& ctx) {
  const Annotation* sel = selected(ctx);
  auto toggle = [&](const char* key, Pick mode, const char* markName) {
    const bool on = m_pick == mode;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    const bool pressed = ImGui::Button(tr(key));
    if (on) ImGui::PopStyleColor();
    mark(markName);
    return pressed;
  };
  ImGui::RadioButton(tr("assist.output_polygon"), &m_output, 0);
  ImGui::SameLine();
  ImGui::RadioButton(tr("assist.output_mask"), &m_output, 1);

  // GrabCut: from the selected box, or from a box dragged for it on the canvas.
  if (toggle("assist.grabcut", Pick::GrabCutBox, "grabcut")) {
    if (sel && sel->kind == AnnotationKind::Box && sel->coords.size() == 4) {
      m_pick = Pick::None;
      runGrabCut(ctx, cv::Rect2d(cv::Point2d(sel->coords[0], sel->coords[1]), cv::Point2d(sel->coords[2], sel->coords[3])));
    } else {
      m_pick = m_pick == Pick::GrabCutBox ? Pick::None : Pick::GrabCutBox;
    }
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("assist.grabcut.hint"));
  ImGui::SameLine();
  if (toggle("assist.magic_wand", Pick::WandClick, "wand")) m_pick = m_pick == Pick::WandClick ? Pick::None : Pick::WandClick;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("assist.magic_wand.hint"));
  ImGui::SetNextItemWidth(-1);
  ImGui::SliderInt("##tolerance", &m_tolerance, 0, 128, (std::string(tr("assist.tolerance")) + " %d").c_str());
  if (m_pick == Pick::GrabCutBox) ImGui::TextWrapped("%s", tr("assist.grabcut.hint"));
  if (m_pick == Pick::WandClick) ImGui::TextWrapped("%s", tr("assist.magic_wand.hint"));

  const bool snappable = sel && (sel->kind == AnnotationKind::Box || sel->kind == AnnotationKind::Polygon ||
                                 sel->kind == AnnotationKind::Polyline || sel->kind == AnnotationKind::Points);
  ImGui::BeginDisabled(!snappable);
  if (ImGui::Button(tr("assist.edge_snap")) && snappable)
    start(ctx, tr("assist.edge_snap"), 0, [a = *sel](const cv::Mat& img, const as::CancelFlag& c, WorkerEnv&) {
      return as::snapToEdges(img, a, {}, &c);
    });
  mark("snap");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr("assist.edge_snap.hint"));

  if (ImGui::Checkbox(tr("assist.enhance"), &m_enhance)) {
    if (m_enhance) requestEnhanced(ctx);
    else if (m_enhanceTex) deleteTexture(m_enhanceTex), m_enhanceTex = 0, m_enhanceItem = 0;
  }
  mark("enhance");

  // Propagation: the boxes of the item before this one in the list, tracked onto this image.
  const int idx = ctx.items().indexOf(m_item);
  const ItemId prev = idx > 0 ? ctx.items().rows[static_cast<std::size_t>(idx - 1)].id : 0;
  ImGui::BeginDisabled(!prev);
  if (ImGui::Button(tr("assist.propagate")) && prev) {
    // Messages are translated here: tr() belongs to the UI thread.
    const std::string path =
        (std::filesystem::path(ctx.projectInfo().mediaRoot) / ctx.items().rows[static_cast<std::size_t>(idx - 1)].name).string();
    const std::string noBoxes = trf("assist.propagate.no_boxes", {std::to_string(prev)});
    const std::string noPixels = trf("assist.no_pixels", {path});
    start(ctx, tr("assist.propagate"), 0, [prev, path, noBoxes, noPixels](const cv::Mat& img, const as::CancelFlag& c, WorkerEnv& env) -> Result<as::Proposal> {
      auto* store = env.store();
      if (!store) return makeError(ErrorCode::Io, "the project is not open");
      std::vector<Annotation> boxes;
      for (const auto& a : store->annotations(prev))
        if (a.kind == AnnotationKind::Box) boxes.push_back(a);
      if (boxes.empty()) return makeError(ErrorCode::InvalidArgument, noBoxes);
      cv::Mat before = cv::imread(path, cv::IMREAD_COLOR);
      if (before.empty()) return makeError(ErrorCode::NotFound, noPixels);
      return as::propagateBoxes(before, img, boxes, {}, &c);
    });
  }
  mark("propagate");
  ImGui::EndDisabled();

  if (ImGui::Button(tr("assist.faces")))
    // Detection runs at 1024 px on the long side (FaceOptions), so a reduced decode loses nothing.
    start(ctx, tr("assist.faces"), 2048, [](const cv::Mat& img, const as::CancelFlag& c, WorkerEnv&) {
      return as::detectFaces(img, {}, &c);
    });
  mark("faces");
  ImGui::SameLine();
  if (ImGui::Button(tr("assist.ocr"))) {
    as::OcrOptions o;
    o.languages = kOcrLanguages[m_ocrLanguage];
    // Text stays legible at 4096 px on the long side; only very large images are reduced.
    start(ctx, tr("assist.ocr"), 4096, [o](const cv::Mat& img, const as::CancelFlag& c, WorkerEnv&) {
      return as::recognizeTextLines(img, o, &c);
    });
  }
  mark("ocr");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::Combo("##ocrlang", &m_ocrLanguage, kOcrLanguages, 3);
}

void AssistPanel::drawPluginAssists(AppContext& ctx) {
  pluginSettings().ensureLoaded(ctx);
  if (!pluginsLoaded(ctx)) return;  // their buttons appear once the folders are loaded
  auto& gp = guiPlugins();
  bool any = false;
  for (const auto& p : gp.list) {
    if (p.state != plugins::PluginState::Loaded) continue;
    for (const auto& cap : p.capabilities) {
      if (cap.kind != LB_CAPABILITY_ASSIST) continue;
      if (!any) ImGui::TextDisabled("%s", tr("assist.plugins"));
      any = true;
      ImGui::PushID((p.id + ":" + cap.id).c_str());
      const std::string label = cap.name + "  (" + p.id + " " + p.version + ")";
      if (ImGui::Button(label.c_str())) {
        plugins::AssistRequest req;
        if (const Annotation* s = selected(ctx); s && s->kind == AnnotationKind::Box && s->coords.size() == 4)
          req.box = cv::Rect2d(cv::Point2d(s->coords[0], s->coords[1]), cv::Point2d(s->coords[2], s->coords[3]));
        const auto settings = pluginSettings().values(cap, p.id);
        start(ctx, label, 0, [req, pid = p.id, cid = cap.id, settings](const cv::Mat& img, const as::CancelFlag& c, WorkerEnv&) {
          auto& g = guiPlugins();
          auto lock = g.lock();
          return g.host.runAssist(img, req, pid, cid, settings, &c);
        });
      }
      mark(("plugin:" + p.id).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("assist.plugin.hint"));
      ImGui::PopID();
    }
  }
}

void AssistPanel::drawProposals(AppContext& ctx) {
  if (m_proposals.empty()) return;
  ImGui::Text("%s", trf("assist.pending", {std::to_string(m_proposals.size())}).c_str());
  const auto classes = objectClasses(ctx.schema());
  std::vector<const char*> names{tr("assist.class_current")};
  for (const auto* c : classes) names.push_back(c->name.c_str());
  if (m_acceptClass >= static_cast<int>(names.size())) m_acceptClass = 0;
  ImGui::SetNextItemWidth(-1);
  ImGui::Combo("##acceptclass", &m_acceptClass, names.data(), static_cast<int>(names.size()));
  if (ImGui::Button(tr("assist.accept_all"))) accept(ctx, {});
  mark("accept_all");
  ImGui::SameLine();
  if (ImGui::Button(tr("assist.discard_all"))) clearProposals();
  mark("discard_all");
  std::vector<std::size_t> acceptOne, discardOne;
  for (std::size_t i = 0; i < m_proposals.size(); ++i) {
    const auto& p = m_proposals[i];
    ImGui::PushID(static_cast<int>(i));
    // Buttons first: the description may be wider than the panel.
    if (ImGui::SmallButton(tr("assist.accept"))) acceptOne.push_back(i);
    mark(("accept_" + std::to_string(i)).c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("assist.discard"))) discardOne.push_back(i);
    mark(("discard_" + std::to_string(i)).c_str());
    ImGui::SameLine();
    ImGui::Text("%zu  %s%s", i + 1, std::string(toString(p.a.kind)).c_str(), p.a.id ? tr("assist.edit_of") : "");
    if (!p.a.dataJson.empty() && p.a.dataJson != "{}" && nlohmann::json::accept(p.a.dataJson)) {
      const auto d = nlohmann::json::parse(p.a.dataJson);
      if (d.contains("transcription") && d["transcription"].is_string())
        ImGui::TextWrapped("   \"%s\"", d["transcription"].get<std::string>().c_str());
    }
    ImGui::PopID();
  }
  ImGui::Separator();
  if (!acceptOne.empty()) accept(ctx, acceptOne);
  else if (!discardOne.empty()) discard(discardOne);
}

// [SECTION] GUI tests: where the buttons are and what the panel holds ($LB_TEST_STATE.assist).
void AssistPanel::writeTestState(AppContext& ctx) {
  if (!testStateWanted(ctx)) return;
  nlohmann::json s;
  s["item"] = m_item;
  // The pixels the panel holds: none until an assist runs on the item (see the header).
  s["kept_pixels"] = static_cast<long long>(m_image.total());
  s["kept_factor"] = m_imageFactor;
  s["busy"] = m_busy;
  s["pick"] = m_pick == Pick::GrabCutBox ? "grabcut" : m_pick == Pick::WandClick ? "wand" : "";
  s["proposals"] = m_proposals.size();
  s["enhanced"] = m_enhanceTex != 0 && m_enhanceItem == m_item;
  for (const auto& [name, xy] : m_marks) s["buttons"][name] = {std::lround(xy.first), std::lround(xy.second)};
  publishTestState(ctx, ".assist", s.dump(), m_testState);
}

namespace {
PanelRegistrar reg(25, [] { return std::make_unique<AssistPanel>(); });
}  // namespace

}  // namespace lb::app
