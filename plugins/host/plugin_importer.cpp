// Running an importer plugin: its sink calls are gathered into the format-neutral Dataset that
// label imports use, and mergeDataset() puts it into the project, so a plugin import matches,
// copies media and creates classes exactly like a built-in format. Only the source differs:
// "plugin:<id>@<version>".
#include <nlohmann/json.hpp>

#include <filesystem>

#include "labeling/events.h"
#include "plugins/host/plugin_host_internal.h"

namespace lb::plugins {
namespace {

namespace fs = std::filesystem;
namespace lf = labeling::formats;

struct ImportCollector {
  lf::Dataset dataset;
  fs::path inputFolder;
  std::vector<std::string> problems;  // refused sink calls, named
};

const char* settingsGet(const lb_settings* s, const char* key) {
  const auto* values = static_cast<const SettingValues*>(s->host_data);
  auto it = key ? values->find(key) : values->end();
  return it == values->end() ? nullptr : it->second.c_str();
}

std::int64_t sinkAddImage(const lb_import_sink* sink, const char* filePath) {
  auto& c = *static_cast<ImportCollector*>(sink->host_data);
  std::error_code ec;
  if (!filePath || !*filePath || !fs::is_regular_file(filePath, ec)) {
    c.problems.push_back(std::string(filePath ? filePath : "(null)") + ": no such image file");
    return 0;
  }
  const fs::path abs = fs::absolute(filePath, ec);
  lf::DatasetItem item;
  item.kind = labeling::ItemKind::Image;
  item.mediaFile = abs.string();
  // Named as it sits under the input's folder (kept when media is copied), else by file name.
  const fs::path rel = abs.lexically_relative(c.inputFolder);
  item.fileName = !rel.empty() && *rel.begin() != ".." ? rel.generic_string() : abs.filename().string();
  item.labelled = false;  // until the plugin adds an annotation: no label is not "nothing here"
  c.dataset.items.push_back(std::move(item));
  return static_cast<std::int64_t>(c.dataset.items.size());
}

void sinkAddAnnotation(const lb_import_sink* sink, std::int64_t handle, const char* kind, const char* className,
                       const double* coords, std::size_t count, const char* dataJson) {
  auto& c = *static_cast<ImportCollector*>(sink->host_data);
  if (handle <= 0 || handle > static_cast<std::int64_t>(c.dataset.items.size())) {
    c.problems.push_back("an annotation named item handle " + std::to_string(handle) + ", which add_image never gave");
    return;
  }
  auto& item = c.dataset.items[static_cast<std::size_t>(handle - 1)];
  const auto k = kind ? labeling::annotationKindFrom(kind) : std::nullopt;
  if (!k || (count > 0 && !coords)) {
    c.problems.push_back(item.fileName + ": an annotation of unknown kind '" + std::string(kind ? kind : "") +
                         "' was skipped");
    return;
  }
  lf::DatasetAnnotation da;
  da.a.kind = *k;
  da.a.coords.assign(coords, coords + count);
  if (dataJson && nlohmann::json::accept(dataJson)) da.a.dataJson = dataJson;
  da.className = className ? className : "";
  item.annotations.push_back(std::move(da));
  item.labelled = true;
}

}  // namespace

Result<lf::MergeReport> PluginHost::runImporter(labeling::ProjectStore& store, const std::string& pluginId,
                                                const std::string& capabilityId, const SettingValues& settings,
                                                const std::string& inputPath, const lf::MergeOptions& options) {
  const void* raw = nullptr;
  auto plugin = target(pluginId, LB_CAPABILITY_IMPORTER, capabilityId, &raw);
  if (!plugin) return plugin.error();
  const PluginInfo& info = (*plugin)->info;
  const auto& cap = *static_cast<const lb_importer_capability*>(raw);
  const std::string label = "plugin '" + info.id + "' " + info.version;
  if (!cap.can_import(inputPath.c_str()))
    return makeError(ErrorCode::BadInput, "importer '" + std::string(cap.id) + "' of " + label + " cannot read " +
                                              inputPath + "; check the path and the format it expects");

  ImportCollector collected;
  std::error_code ec;
  collected.inputFolder = fs::absolute(inputPath, ec).parent_path();
  lb_import_sink sink{};
  sink.size = sizeof sink;
  sink.host_data = &collected;
  sink.add_image = &sinkAddImage;
  sink.add_annotation = &sinkAddAnnotation;
  lb_settings s{};
  s.size = sizeof s;
  s.host_data = &settings;
  s.get = &settingsGet;
  char error[1024] = {0};
  const int rc = cap.import_batch(inputPath.c_str(), &s, &sink, error, sizeof error - 1);
  if (rc != LB_OK) {
    if (rc == LB_CANCELLED) return makeError(ErrorCode::Cancelled, "import by " + label + " was cancelled");
    const std::string text = *error ? error : "no message given";
    return makeError(rc == LB_BAD_INPUT ? ErrorCode::BadInput : ErrorCode::Io,
                     "import of " + inputPath + " by " + label + " failed: " + text);
  }

  const std::string source = "plugin:" + info.id + "@" + info.version;
  lf::MergeOptions mo = options;
  mo.source = source;
  if (mo.batchName.empty()) mo.batchName = source;
  auto report = lf::mergeDataset(store, collected.dataset, mo);
  if (!report) return report.error();
  for (auto& p : collected.problems) report->problems.insert(report->problems.begin(), std::move(p));

  labeling::Event e;
  e.userId = options.userId;
  e.action = labeling::events::kImport;
  e.detailJson = nlohmann::json{{"kind", "plugin"},
                                {"plugin", info.id},
                                {"plugin_version", info.version},
                                {"capability", cap.id},
                                {"input", inputPath},
                                {"imported", report->itemsCreated},
                                {"matched", report->itemsMatched},
                                {"annotations", report->annotationsAdded},
                                {"rejected", report->problems.size()},
                                {"cancelled", report->cancelled}}
                     .dump();
  (void)store.appendEvent(e);  // the items are in; a failed log line must not undo that
  return report;
}

}  // namespace lb::plugins
