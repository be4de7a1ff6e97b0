#pragma once
// [SECTION] The plugin host: finds plugin libraries in the user's and the system's folders, loads
// them with dlopen, checks their ABI version and capability structs, lists them with their state
// (loaded / refused: reason), and runs their capabilities against the core (exporters over the
// project, checks into the findings table, assists on an image). A plugin that fails to load is
// listed as refused; the others and the program go on.
//
// Threads: one PluginHost belongs to one thread at a time; run* calls block until the plugin
// returns (call them from a worker; they honour the cancel flag through the C API).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "labelbench_plugin.h"
#include "labeling/assist/proposal.h"
#include "labeling/formats/dataset.h"
#include "labeling/result.h"
#include "labeling/store/project_store.h"

namespace lb::plugins {

enum class PluginState { Loaded, Refused };

struct SettingDef {
  std::string key;
  lb_setting_type type = LB_SETTING_STRING;
  std::string defaultValue;
  std::string description;
};

struct CapabilityInfo {
  lb_capability_kind kind = LB_CAPABILITY_EXPORTER;
  std::string id;
  std::string name;
  std::string fileExtension;  // exporters
  std::vector<SettingDef> settings;
};

struct PluginInfo {
  std::string path;  // the library file
  std::string id, name, version, description, author;
  std::uint32_t apiVersion = 0;  // what the plugin was built against (0 if unknown)
  PluginState state = PluginState::Refused;
  std::string reason;  // why it was refused
  std::vector<CapabilityInfo> capabilities;
};

const char* toString(lb_capability_kind kind);
const char* toString(lb_setting_type type);
std::string versionString(std::uint32_t packed);  // "1.2.3"

// Where plugins are looked for, in order: $LB_PLUGIN_PATH (':'-separated, for development),
// the user's $XDG_DATA_HOME/labelbench/plugins (default ~/.local/share/labelbench/plugins), then
// /usr/lib/labelbench/plugins, <exe dir>/../plugins and <exe dir>/../lib/labelbench/plugins.
std::vector<std::string> defaultPluginDirs();

// Settings as the user gave them, by key (text; validated against the declared type).
using SettingValues = std::map<std::string, std::string>;

struct AssistRequest {
  std::optional<cv::Rect2d> box;
  std::vector<cv::Point2d> points;
};

class PluginHost {
 public:
  PluginHost();
  ~PluginHost();  // unloads every library
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every *.so in the folders (missing folders are skipped). Never fails as a whole.
  void loadDirectories(const std::vector<std::string>& dirs);
  // Loads one library; the returned record says whether it was loaded or why it was refused.
  const PluginInfo& loadFile(const std::string& path);

  // Every library looked at, loaded or refused, in load order.
  std::vector<PluginInfo> plugins() const;
  const PluginInfo* find(const std::string& pluginId) const;  // loaded plugins only

  // The capability `capabilityId` of the plugin (or its only capability of `kind` when empty),
  // with the user's "key=value" settings checked against its declarations and defaults filled.
  // InvalidArgument names the plugin, the key and what is accepted.
  Result<SettingValues> resolveSettings(const std::string& pluginId, lb_capability_kind kind,
                                        const std::string& capabilityId,
                                        const std::vector<std::string>& keyValues) const;

  // Runs an exporter over the project's items and annotations, writing `outputPath`.
  Status runExporter(labeling::ProjectStore& store, const std::string& pluginId, const std::string& capabilityId,
                     const SettingValues& settings, const std::string& outputPath,
                     const labeling::assist::CancelFlag* cancel = nullptr);
  // Runs a check; its findings replace the check's earlier undecided findings in the project's
  // findings table (check_name "plugin:<id>"; decisions already made are kept). Returns the count.
  // Unsupported when the store keeps no findings table (not a SQLite project).
  Result<int> runCheck(labeling::ProjectStore& store, const std::string& pluginId, const std::string& capabilityId,
                       const SettingValues& settings, const labeling::assist::CancelFlag* cancel = nullptr);
  // Runs an assist on an 8-bit image; shapes come back as a proposal whose objects record
  // "plugin:<id>@<version>" as their source.
  Result<labeling::assist::Proposal> runAssist(const cv::Mat& image, const AssistRequest& request,
                                               const std::string& pluginId, const std::string& capabilityId,
                                               const SettingValues& settings,
                                               const labeling::assist::CancelFlag* cancel = nullptr);

  // Runs an importer on `inputPath`: the images and boxes it reports are merged into the project
  // the way label imports are (items matched by path / content hash / file name, missing classes
  // created, media copied under the project's media folder); new annotations record
  // "plugin:<id>@<version>" as their source, new items go to a batch of that name unless
  // options.batchName says otherwise, and an "import" event names the plugin. BadInput when the
  // importer says it cannot read the path; the plugin's own message otherwise.
  Result<labeling::formats::MergeReport> runImporter(labeling::ProjectStore& store, const std::string& pluginId,
                                                     const std::string& capabilityId, const SettingValues& settings,
                                                     const std::string& inputPath,
                                                     const labeling::formats::MergeOptions& options = {});

  struct Loaded;  // internal: one library and its registered capabilities

 private:
  Result<const Loaded*> target(const std::string& pluginId, lb_capability_kind kind,
                               const std::string& capabilityId, const void** capability) const;
  std::vector<std::unique_ptr<Loaded>> m_plugins;
};

}  // namespace lb::plugins
