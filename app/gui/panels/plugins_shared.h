#pragma once
// [SECTION] The desktop program's one plugin host, shared by the plugins panel (listing, checks,
// exporters, importers) and the assist panel (assist capabilities), and the settings the user
// chose for each plugin capability.
//
// Threads: the host is loaded on the UI thread on first use. Runs happen on workers; every use of
// the host after loading holds lock() (the host belongs to one thread at a time).
// Settings: kept per user ($XDG_CONFIG_HOME/labelbench/plugin_settings.json) or per project (the
// project setting "plugin_settings"); a project's values win over the user's.
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
  std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex); }
};

// Loads the plugin folders on first call.
GuiPlugins& guiPlugins();

// Where a capability's settings are saved.
enum class SettingsScope { User, Project };

// "<plugin id>:<capability id>"
std::string capabilityKey(const std::string& pluginId, const std::string& capabilityId);

class PluginSettingsStore {
 public:
  // Reads the user's file now and the project's setting on a worker (call when a project opens).
  void load(AppContext& ctx);
  bool loaded() const { return m_loaded; }
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
  bool m_loaded = false;
  std::string m_projectPath;
};

// One per program: both panels see the same choices.
PluginSettingsStore& pluginSettings();

}  // namespace lb::app
