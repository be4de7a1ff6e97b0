// [SECTION] Import-with-labels and export/delivery dialogs. The work runs on a worker thread
// with its own store opened on the project file (openProject), reports progress through shared
// atomics the panel polls each frame, and stops when Cancel sets the shared flag. A cancelled
// export leaves nothing in the output folder (exportDataset stages its files and only moves a
// finished export into place).
#include <imgui.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "app/gui/app_context.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"
#include "app/gui/test_state.h"
#include "app/gui/worker_pool.h"
#include "labeling/delivery/delivery.h"
#include "labeling/formats/formats.h"

namespace lb::app {
namespace {

namespace lf = lb::labeling::formats;

// State shared between the panel (UI thread) and the job (worker thread).
struct JobState {
  std::atomic<bool> cancel{false};
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> total{0};
  std::atomic<bool> finished{false};
  std::mutex mutex;
  std::string message;  // guarded by mutex; set once before `finished`
  bool failed = false;

  void finish(std::string text, bool error) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      message = std::move(text);
      failed = error;
    }
    finished = true;
  }
};

class ExportPanel final : public Panel {
 public:
  const char* id() const override { return "export"; }
  const char* titleKey() const override { return "export.title"; }
  ImVec4 defaultRect() const override { return ImVec4(0.25f, 0.15f, 0.5f, 0.6f); }

  void draw(AppContext& ctx) override {
    const auto formats = lf::allFormats();
    if (m_job && m_job->finished) {
      std::lock_guard<std::mutex> lock(m_job->mutex);
      m_result = m_job->message;
      m_failed = m_job->failed;
      m_cancelled = m_job->cancel.load();
      ++m_finishedJobs;
      m_job.reset();
    }
    m_rects = nlohmann::json::object();
    m_active.clear();
    if (m_job) {
      const auto total = m_job->total.load(), done = m_job->done.load();
      ImGui::TextUnformatted(tr(m_running.c_str()));
      ImGui::ProgressBar(total > 0 ? static_cast<float>(done) / static_cast<float>(total) : 0.0f, ImVec2(-1, 0),
                         (std::to_string(done) + " / " + std::to_string(total)).c_str());
      rect("progress");
      if (ImGui::Button(tr("export.cancel"))) m_job->cancel = true;
      rect("cancel");
      writeTestState(ctx, done, total);
      return;
    }
    if (ImGui::BeginTabBar("##export_tabs")) {
      const bool importOpen = ImGui::BeginTabItem(tr("export.tab_import"));
      rect("tab_import");
      if (importOpen) {
        formatCombo("##import_format", m_importFormat, formats, "import_format");
        ImGui::InputText(tr("export.import_path"), m_importPath, sizeof m_importPath);
        rect("import_path");
        ImGui::TextDisabled("%s", tr("export.import_hint"));
        if (ImGui::Button(tr("export.import_run")) && m_importPath[0]) startImport(ctx, formats[static_cast<std::size_t>(m_importFormat)]);
        rect("import_run");
        ImGui::EndTabItem();
      }
      const bool exportOpen = ImGui::BeginTabItem(tr("export.tab_export"));
      rect("tab_export");
      if (exportOpen) {
        formatCombo("##export_format", m_exportFormat, formats, "export_format");
        ImGui::InputText(tr("export.out"), m_out, sizeof m_out);
        rect("out");
        ImGui::Checkbox(tr("export.accepted_only"), &m_acceptedOnly);
        ImGui::Checkbox(tr("export.with_media"), &m_withMedia);
        ImGui::Checkbox(tr("export.include_excluded"), &m_includeExcluded);
        ImGui::InputText(tr("export.split"), m_split, sizeof m_split);
        ImGui::InputInt(tr("export.seed"), &m_seed);
        ImGui::Checkbox(tr("export.as_delivery"), &m_delivery);
        if (ImGui::Button(tr("export.run")) && m_out[0]) startExport(ctx, formats[static_cast<std::size_t>(m_exportFormat)]);
        rect("run");
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
    if (!m_result.empty()) {
      ImGui::Separator();
      ImGui::TextUnformatted(tr(m_failed ? "export.failed" : m_cancelled ? "export.cancelled" : "export.done"));
      ImGui::TextWrapped("%s", m_result.c_str());
    }
    writeTestState(ctx, 0, 0);
  }

 private:
  void formatCombo(const char* label, int& index, const std::vector<lf::Format>& formats, const std::string& key) {
    const std::string current(lf::toString(formats[static_cast<std::size_t>(index)]));
    const bool open = ImGui::BeginCombo(label, current.c_str());
    rect(key);
    if (open) {
      for (std::size_t i = 0; i < formats.size(); ++i) {
        const std::string name(lf::toString(formats[i]));
        if (ImGui::Selectable(name.c_str(), static_cast<int>(i) == index)) index = static_cast<int>(i);
        rect(key + "_" + name);
      }
      ImGui::EndCombo();
    }
  }

  // [SECTION] GUI-test hook: in --test-mode with LB_TEST_STATE=<file>, <file>.export receives the
  // screen rectangles [x, y, w, h] of this panel's widgets and the job's state when they change.
  void rect(const std::string& key) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    m_rects[key] = {a.x, a.y, b.x - a.x, b.y - a.y};
    if (ImGui::IsItemActive()) m_active = key;  // e.g. the text field being typed into
  }

  static std::string formatName(int index) {
    return std::string(lf::toString(lf::allFormats()[static_cast<std::size_t>(index)]));
  }

  void writeTestState(AppContext& ctx, std::int64_t done, std::int64_t total) {
    if (!testStateWanted(ctx)) return;
    const nlohmann::json s = {{"widgets", m_rects},         {"running", m_job != nullptr},
                              {"job", m_job ? m_running : ""}, {"done", done},
                              {"total", total},             {"jobs_finished", m_finishedJobs},
                              {"result", m_result},         {"failed", m_failed},
                              {"cancelled", m_cancelled},   {"import_format", formatName(m_importFormat)},
                              {"export_format", formatName(m_exportFormat)}, {"active", m_active}};
    publishTestState(ctx, ".export", s.dump(), m_testState);
  }

  void startImport(AppContext& ctx, lf::Format format) {
    m_job = std::make_shared<JobState>();
    m_running = "export.importing";
    m_result.clear();
    auto job = m_job;
    const std::string path = m_importPath;
    ctx.workers().submit([job, path, format](WorkerEnv& env) -> UiFn {
      std::string message;
      bool error = false;
      auto store = labeling::openProject(env.projectPath());
      if (!store) {
        message = store.error().message, error = true;
      } else if (auto ds = lf::importDataset(format, path); !ds) {
        message = ds.error().message, error = true;
      } else {
        lf::MergeOptions mo;
        mo.cancel = &job->cancel;
        mo.progress = [job](std::int64_t d, std::int64_t t) { job->done = d, job->total = t; };
        auto r = lf::mergeDataset(**store, *ds, mo);
        if (!r) {
          message = r.error().message, error = true;
        } else {
          message = std::to_string(r->annotationsAdded) + " annotations: " + std::to_string(r->itemsMatched) +
                    " items matched, " + std::to_string(r->itemsCreated) + " items added" +
                    (r->cancelled ? " (cancelled)" : "");
          for (const auto& p : ds->problems) message += "\n" + p;
          for (const auto& p : r->problems) message += "\n" + p;
        }
      }
      job->finish(message, error);
      return [message, error](AppContext& c) {
        c.notify(message.substr(0, message.find('\n')), error);
        c.reloadSchema();
        c.reloadItemList();
        c.refreshCurrent();
      };
    });
  }

  void startExport(AppContext& ctx, lf::Format format) {
    m_job = std::make_shared<JobState>();
    m_running = "export.exporting";
    m_result.clear();
    auto job = m_job;
    lf::ExportOptions o;
    o.filter.acceptedOnly = m_acceptedOnly;
    o.filter.includeExcluded = m_includeExcluded;
    o.filter.seed = static_cast<std::uint64_t>(m_seed);
    o.withMedia = m_withMedia;
    std::string error;
    if (m_split[0]) {
      auto r = lf::parseSplitRatios(m_split);
      if (!r) error = r.error().message;
      else o.filter.splitRatios = *r;
    }
    if (!error.empty()) {
      m_job.reset();
      m_result = error;
      return;
    }
    const std::string out = m_out;
    const bool delivery = m_delivery;
    ctx.workers().submit([job, o, out, format, delivery](WorkerEnv& env) mutable -> UiFn {
      o.cancel = &job->cancel;
      o.progress = [job](std::int64_t d, std::int64_t t) { job->done = d, job->total = t; };
      std::string message;
      bool failed = false;
      auto store = labeling::openProject(env.projectPath());
      if (!store) {
        message = store.error().message, failed = true;
      } else if (delivery) {
        labeling::delivery::DeliveryOptions d;
        d.format = format;
        d.exportOptions = o;
        d.out = out;
        auto r = labeling::delivery::buildDelivery(**store, d);
        if (!r) message = r.error().message, failed = true;
        else message = r->exportReport.summary() + "manifest.json SHA-256: " + r->manifestSha256;
      } else if (auto src = lf::ExportSource::open(**store, o.filter); !src) {
        message = src.error().message, failed = true;
      } else {
        auto r = lf::exportDataset(format, *src, out, o);
        if (!r) message = r.error().message, failed = true;
        else if (r->cancelled) message = "cancelled: nothing was written to " + out;
        else message = r->summary();
      }
      job->finish(message, failed);
      return [message, failed](AppContext& c) { c.notify(message.substr(0, message.find('\n')), failed); };
    });
  }

  nlohmann::json m_rects = nlohmann::json::object();
  std::string m_active;
  std::string m_testState;
  int m_finishedJobs = 0;
  bool m_cancelled = false;
  std::shared_ptr<JobState> m_job;
  bool m_failed = false;
  std::string m_running;
  std::string m_result;
  int m_importFormat = 0;
  int m_exportFormat = 0;
  char m_importPath[1024] = "";
  char m_out[1024] = "";
  char m_split[64] = "";
  int m_seed = 1;
  bool m_acceptedOnly = false;
  bool m_withMedia = false;
  bool m_includeExcluded = false;
  bool m_delivery = false;
};

PanelRegistrar reg(700, [] { return std::make_unique<ExportPanel>(); });

}  // namespace
}  // namespace lb::app
