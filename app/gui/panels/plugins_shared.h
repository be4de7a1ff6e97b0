#pragma once
// [SECTION] The desktop program's one plugin host, shared by the plugins panel (listing, checks,
// exporters, importers) and the assist panel (assist capabilities), and the settings the user
// chose for each plugin capability.
//
// Threads: the plugin folders are loaded on a worker, started by the first pluginsLoaded() call
// (dlopen and the plugins' own start-up are file I/O of unknown length). Runs happen on workers;
// every use of the host holds lock() (the host belongs to one thread at a time). `dirs` and
// `list` are written once, before `ready`, and only read after it.
// Settings: kept per user ($XDG_CONFIG_HOME/labelbench/plugin_settings.json) or per project (the
// project setting "plugin_settings"); a project's values win over the user's.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "plugins/host/plugin_host.h"

namespace lb::app {

class AppContext;

struct GuiPlugins {
  plugins::PluginHost host;
  std::vector<std::string> dirs;           // searched, in order
  std::vector<plugins::PluginInfo> list;   // every library looked at (copied once after loading)
  std::mutex mutex;
  std::atomic<bool> ready{false};
  std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex); }
};

// The program's one host (empty until loaded).
GuiPlugins& guiPlugins();
// Starts loading the plugin folders on a worker the first time it is called; true once they are.
bool pluginsLoaded(AppContext& ctx);

// Where a capability's settings are saved.
enum class SettingsScope { User, Project };

// "<plugin id>:<capability id>"
std::string capabilityKey(const std::string& pluginId, const std::string& capabilityId);

class PluginSettingsStore {
 public:
  // Reads the user's file and the project's setting on a worker the first time it is called and
  // whenever the open project has changed since; until then values() gives the defaults.
  void ensureLoaded(AppContext& ctx);
  // True once both are read: saving before that would write a user file missing what it held.
  bool ready() const { return m_ready; }
  // The values for a capability: declared defaults, then the user's, then the project's.
  plugins::SettingValues values(const plugins::CapabilityInfo& cap, const std::string& pluginId) const;
  SettingsScope scopeOf(const std::string& key) const;
  // Saves the values in `scope` (and removes them from the other one): the user's file now, the
  // project's setting through the store after the frame.
  void save(AppContext& ctx, const std::string& key, const plugins::SettingValues& values, SettingsScope scope);

 private:
  using Table = std::map<std::string, plugins::SettingValues>;
  void writeUserFile(AppContext& ctx) const;
  Table m_user, m_project;
  bool m_loaded = false, m_ready = false;
  std::string m_projectPath;  // of the project m_project belongs to ("" when none)
};

// One per program: both panels see the same choices.
PluginSettingsStore& pluginSettings();

}  // namespace lb::app
