#include "app/gui/panels/plugins_shared.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "app/gui/app_context.h"

namespace lb::app {

namespace {
constexpr const char* kProjectKey = "plugin_settings";

// {"plugin:cap": {"key": "value"}} <-> table; anything malformed is ignored (defaults apply).
std::map<std::string, plugins::SettingValues> tableFrom(const std::string& text) {
  std::map<std::string, plugins::SettingValues> out;
  if (!nlohmann::json::accept(text)) return out;
  const auto j = nlohmann::json::parse(text);
  if (!j.is_object()) return out;
  for (const auto& [cap, values] : j.items()) {
    if (!values.is_object()) continue;
    for (const auto& [k, v] : values.items())
      if (v.is_string()) out[cap][k] = v.get<std::string>();
  }
  return out;
}

std::string tableText(const std::map<std::string, plugins::SettingValues>& t) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [cap, values] : t)
    for (const auto& [k, v] : values) j[cap][k] = v;
  return j.dump(2);
}
}  // namespace

GuiPlugins& guiPlugins() {
  static auto* p = new GuiPlugins;  // lives for the whole program: libraries stay loaded until exit
  return *p;
}

bool pluginsLoaded(AppContext& ctx) {
  auto& g = guiPlugins();
  static std::once_flag started;
  std::call_once(started, [&] {
    ctx.workers().submit([&g](WorkerEnv&) -> UiFn {
      {
        auto lock = g.lock();
        g.dirs = plugins::defaultPluginDirs();
        g.host.loadDirectories(g.dirs);
        g.list = g.host.plugins();
      }
      g.ready = true;  // set here, not in the UI part: a project change may drop that part
      return [](AppContext&) {};
    });
  });
  return g.ready;
}

std::string capabilityKey(const std::string& pluginId, const std::string& capabilityId) {
  return pluginId + ":" + capabilityId;
}

PluginSettingsStore& pluginSettings() {
  static PluginSettingsStore s;
  return s;
}

void PluginSettingsStore::ensureLoaded(AppContext& ctx) {
  const std::string project = ctx.hasProject() ? ctx.session().store().path() : "";
  if (m_loaded && project == m_projectPath) return;
  m_loaded = true;
  m_ready = false;
  m_projectPath = project;
  m_project.clear();
  const auto userFile = std::filesystem::path(ctx.configDir()) / "plugin_settings.json";
  ctx.workers().submit([this, userFile, project](WorkerEnv& env) -> UiFn {
    std::ifstream in(userFile);
    const std::string user((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string stored;
    if (auto* store = env.store())
      if (auto v = store->setting(kProjectKey)) stored = *v;
    return [this, project, user, stored](AppContext&) {
      if (project != m_projectPath) return;  // another project opened meanwhile: its own read follows
      m_user = tableFrom(user);
      m_project = tableFrom(stored);
      m_ready = true;
    };
  });
}

plugins::SettingValues PluginSettingsStore::values(const plugins::CapabilityInfo& cap,
                                                   const std::string& pluginId) const {
  plugins::SettingValues v;
  for (const auto& s : cap.settings) v[s.key] = s.defaultValue;
  const std::string key = capabilityKey(pluginId, cap.id);
  for (const Table* t : {&m_user, &m_project})
    if (auto it = t->find(key); it != t->end())
      for (const auto& [k, val] : it->second)
        if (v.count(k)) v[k] = val;  // keys the plugin no longer declares are dropped
  return v;
}

SettingsScope PluginSettingsStore::scopeOf(const std::string& key) const {
  return m_project.count(key) ? SettingsScope::Project : SettingsScope::User;
}

void PluginSettingsStore::writeUserFile(AppContext& ctx) const {
  const auto path = std::filesystem::path(ctx.configDir()) / "plugin_settings.json";
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << tableText(m_user);
    if (!out) {
      ctx.notify("cannot write " + tmp + "; check that the folder is writable", true);
      return;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) ctx.notify("cannot write " + path.string() + ": " + ec.message(), true);
}

void PluginSettingsStore::save(AppContext& ctx, const std::string& key, const plugins::SettingValues& values,
                               SettingsScope scope) {
  const bool wasProject = m_project.count(key) > 0;
  if (scope == SettingsScope::User) {
    m_user[key] = values;
    m_project.erase(key);
  } else {
    m_project[key] = values;
    m_user.erase(key);
  }
  writeUserFile(ctx);
  if (!ctx.hasProject() || (scope == SettingsScope::User && !wasProject)) return;
  ctx.defer([text = tableText(m_project)](AppContext& c) {
    c.report(c.session().store().setSetting(kProjectKey, nlohmann::json::parse(text).dump()));
  });
}

}  // namespace lb::app
