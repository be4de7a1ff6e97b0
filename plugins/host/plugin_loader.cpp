// Loading and validating plugin libraries: version check, capability struct checks, listing.
#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>

#include "plugins/host/plugin_host_internal.h"

namespace lb::plugins {
namespace fs = std::filesystem;

const char* toString(lb_capability_kind kind) {
  switch (kind) {
    case LB_CAPABILITY_IMPORTER: return "importer";
    case LB_CAPABILITY_EXPORTER: return "exporter";
    case LB_CAPABILITY_CHECK: return "check";
    case LB_CAPABILITY_ASSIST: return "assist";
  }
  return "unknown";
}

const char* toString(lb_setting_type type) {
  switch (type) {
    case LB_SETTING_BOOL: return "bool";
    case LB_SETTING_INT: return "int";
    case LB_SETTING_DOUBLE: return "double";
    case LB_SETTING_STRING: return "string";
    case LB_SETTING_PATH: return "path";
  }
  return "unknown";
}

std::string versionString(std::uint32_t v) {
  return std::to_string(LB_PLUGIN_VERSION_MAJOR(v)) + "." + std::to_string(LB_PLUGIN_VERSION_MINOR(v)) + "." +
         std::to_string(LB_PLUGIN_VERSION_PATCH(v));
}

std::vector<std::string> defaultPluginDirs() {
  std::vector<std::string> dirs;
  if (const char* extra = std::getenv("LB_PLUGIN_PATH")) {
    std::stringstream ss(extra);
    for (std::string d; std::getline(ss, d, ':');)
      if (!d.empty()) dirs.push_back(d);
  }
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    dirs.push_back(std::string(xdg) + "/labelbench/plugins");
  else if (const char* home = std::getenv("HOME"); home && *home)
    dirs.push_back(std::string(home) + "/.local/share/labelbench/plugins");
  dirs.push_back("/usr/lib/labelbench/plugins");
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    dirs.push_back((exe.parent_path() / ".." / "plugins").lexically_normal().string());
    dirs.push_back((exe.parent_path() / ".." / "lib" / "labelbench" / "plugins").lexically_normal().string());
  }
  return dirs;
}

namespace {

// Bytes a capability struct must have so that all of its REQUIRED fields are present (API 1.0).
std::size_t requiredSize(lb_capability_kind kind) {
  switch (kind) {
    case LB_CAPABILITY_EXPORTER: return offsetof(lb_exporter_capability, export_project) + sizeof(void*);
    case LB_CAPABILITY_CHECK: return offsetof(lb_check_capability, run_check) + sizeof(void*);
    case LB_CAPABILITY_ASSIST: return offsetof(lb_assist_capability, run_assist) + sizeof(void*);
    case LB_CAPABILITY_IMPORTER: return offsetof(lb_importer_capability, import_batch) + sizeof(void*);
  }
  return 0;
}

std::size_t hostSize(lb_capability_kind kind) {
  switch (kind) {
    case LB_CAPABILITY_EXPORTER: return sizeof(lb_exporter_capability);
    case LB_CAPABILITY_CHECK: return sizeof(lb_check_capability);
    case LB_CAPABILITY_ASSIST: return sizeof(lb_assist_capability);
    case LB_CAPABILITY_IMPORTER: return sizeof(lb_importer_capability);
  }
  return 0;
}

bool validSettingValue(lb_setting_type type, const std::string& v) {
  char* end = nullptr;
  switch (type) {
    case LB_SETTING_BOOL: return v == "true" || v == "false";
    case LB_SETTING_INT: std::strtoll(v.c_str(), &end, 10); return !v.empty() && *end == 0;
    case LB_SETTING_DOUBLE: std::strtod(v.c_str(), &end); return !v.empty() && *end == 0;
    case LB_SETTING_STRING:
    case LB_SETTING_PATH: return true;
  }
  return false;
}

struct LoadContext {
  PluginHost::Loaded* plugin = nullptr;
  std::string error;  // first registration refusal
};

std::string who(const PluginHost::Loaded& p) {
  const std::string file = fs::path(p.info.path).filename().string();
  return p.info.id.empty() ? "plugin " + file : "plugin '" + p.info.id + "' (" + file + ")";
}

std::string apiVersions(const PluginHost::Loaded& p) {
  return "plugin API " + versionString(p.info.apiVersion) + ", host API " + versionString(LB_PLUGIN_API_VERSION);
}

// Reads the common head (id, name, settings) that every capability struct shares after `size`.
template <typename Cap>
void readHead(const Cap& c, CapabilityInfo& out) {
  out.id = c.id ? c.id : "";
  out.name = c.name ? c.name : "";
  for (std::size_t i = 0; c.settings && i < c.setting_count; ++i) {
    const lb_setting_def& d = c.settings[i];
    out.settings.push_back({d.key ? d.key : "", d.type, d.default_value ? d.default_value : "",
                            d.description ? d.description : ""});
  }
}

int registerCapability(const lb_host_api* host, lb_capability_kind kind, const void* capability, std::size_t size) {
  auto* ctx = static_cast<LoadContext*>(host->host_data);
  PluginHost::Loaded& p = *ctx->plugin;
  auto refuse = [&](const std::string& why) {
    if (ctx->error.empty()) ctx->error = why;
    return int(LB_ERROR);
  };
  const std::size_t need = requiredSize(kind);
  if (need == 0) return refuse("it registered an unknown capability kind " + std::to_string(int(kind)) +
                               " (" + apiVersions(p) + ")");
  const char* kindName = toString(kind);
  if (!capability || size < sizeof(std::size_t))
    return refuse("it registered an empty " + std::string(kindName) + " capability");
  std::size_t declared = 0;
  std::memcpy(&declared, capability, sizeof declared);
  if (declared != size)
    return refuse("its " + std::string(kindName) + " capability says it is " + std::to_string(declared) +
                  " bytes but was registered as " + std::to_string(size) + " bytes");
  if (size < need)
    return refuse("its " + std::string(kindName) + " capability struct is " + std::to_string(size) +
                  " bytes, smaller than the " + std::to_string(need) + " bytes its required fields need (" +
                  apiVersions(p) + "); rebuild the plugin against this labelbench_plugin.h");

  // Copy what both sides know into a zeroed host-sized struct: fields a newer host added stay
  // NULL/0 for an older plugin, fields a newer plugin added (same major) are ignored.
  PluginHost::Loaded::Capability cap;
  cap.kind = kind;
  std::memset(&cap.storage, 0, sizeof cap.storage);
  std::memcpy(&cap.storage, capability, std::min(size, hostSize(kind)));

  std::vector<const char*> missing;
  auto requireField = [&](const void* field, const char* name) {
    if (!field) missing.push_back(name);
  };
  switch (kind) {
    case LB_CAPABILITY_EXPORTER: {
      auto& c = cap.storage.exporter;
      requireField(c.id, "id"); requireField(c.name, "name");
      requireField(reinterpret_cast<const void*>(c.export_project), "export_project");
      if (c.id) readHead(c, cap.info);
      cap.info.fileExtension = c.file_extension ? c.file_extension : "";
      break;
    }
    case LB_CAPABILITY_CHECK: {
      auto& c = cap.storage.check;
      requireField(c.id, "id"); requireField(c.name, "name");
      requireField(reinterpret_cast<const void*>(c.run_check), "run_check");
      if (c.id) readHead(c, cap.info);
      break;
    }
    case LB_CAPABILITY_ASSIST: {
      auto& c = cap.storage.assist;
      requireField(c.id, "id"); requireField(c.name, "name");
      requireField(reinterpret_cast<const void*>(c.run_assist), "run_assist");
      if (c.id) readHead(c, cap.info);
      break;
    }
    case LB_CAPABILITY_IMPORTER: {
      auto& c = cap.storage.importer;
      requireField(c.id, "id"); requireField(c.name, "name");
      requireField(reinterpret_cast<const void*>(c.can_import), "can_import");
      requireField(reinterpret_cast<const void*>(c.import_batch), "import_batch");
      if (c.id) readHead(c, cap.info);
      break;
    }
  }
  cap.info.kind = kind;
  if (!missing.empty()) {
    std::string names;
    for (const char* m : missing) names += std::string(names.empty() ? "" : ", ") + m;
    return refuse("its " + std::string(kindName) + " capability '" + cap.info.id +
                  "' leaves the required field(s) " + names + " empty (" + apiVersions(p) + ")");
  }
  for (const auto& other : p.capabilities)
    if (other.info.kind == kind && other.info.id == cap.info.id)
      return refuse("it registered two " + std::string(kindName) + " capabilities with the id '" +
                    cap.info.id + "'");
  std::set<std::string> keys;
  for (const auto& s : cap.info.settings) {
    if (s.key.empty() || !keys.insert(s.key).second)
      return refuse(std::string(kindName) + " '" + cap.info.id + "' declares an empty or repeated setting key");
    if (std::string(toString(s.type)) == "unknown" || !validSettingValue(s.type, s.defaultValue))
      return refuse("setting '" + s.key + "' of " + kindName + " '" + cap.info.id +
                    "' has an invalid type or default '" + s.defaultValue + "'");
  }
  p.capabilities.push_back(std::move(cap));
  return LB_OK;
}

void hostLog(const lb_host_api* host, lb_log_level level, const char* message) {
  auto* ctx = static_cast<LoadContext*>(host->host_data);
  if (level >= LB_LOG_WARNING && message)
    std::fprintf(stderr, "labelbench: %s: %s\n", ctx->plugin->info.id.c_str(), message);
}

}  // namespace

bool validSetting(lb_setting_type type, const std::string& value) { return validSettingValue(type, value); }

PluginHost::PluginHost() = default;

PluginHost::~PluginHost() {
  for (auto& p : m_plugins)
    if (p->handle) dlclose(p->handle);
}

void PluginHost::loadDirectories(const std::vector<std::string>& dirs) {
  std::set<std::string> seen;
  for (const auto& dir : dirs) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(dir, ec);
    if (ec || !fs::is_directory(canonical, ec) || !seen.insert(canonical.string()).second) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(canonical, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".so") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) loadFile(f.string());
  }
}

const PluginInfo& PluginHost::loadFile(const std::string& path) {
  auto loaded = std::make_unique<Loaded>();
  Loaded& p = *loaded;
  p.info.path = path;
  const std::string file = fs::path(path).filename().string();
  auto refuse = [&](const std::string& reason) -> const PluginInfo& {
    p.info.state = PluginState::Refused;
    p.info.reason = reason;
    p.capabilities.clear();
    if (p.handle) dlclose(p.handle);
    p.handle = nullptr;
    m_plugins.push_back(std::move(loaded));
    return m_plugins.back()->info;
  };

  for (const auto& other : m_plugins)
    if (other->info.path == path && other->info.state == PluginState::Loaded) return other->info;
  p.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!p.handle) {
    const char* err = dlerror();
    return refuse("plugin " + file + " could not be opened: " + (err ? err : "unknown error"));
  }
  auto version = reinterpret_cast<lb_plugin_api_version_fn>(dlsym(p.handle, "lb_plugin_api_version"));
  auto entry = reinterpret_cast<lb_plugin_entry_fn>(dlsym(p.handle, "lb_plugin_entry"));
  if (!version || !entry)
    return refuse("plugin " + file + " is not a LabelBench plugin: it does not export " +
                  std::string(!version ? "lb_plugin_api_version" : "lb_plugin_entry"));

  // The version is asked before anything else so that no struct of a foreign layout is touched.
  p.info.apiVersion = version();
  const std::uint32_t host = LB_PLUGIN_API_VERSION;
  if (LB_PLUGIN_VERSION_MAJOR(p.info.apiVersion) != LB_PLUGIN_VERSION_MAJOR(host))
    return refuse("plugin " + file + " was built for plugin API " + versionString(p.info.apiVersion) +
                  " but this LabelBench provides " + versionString(host) +
                  " (a different major version); rebuild the plugin against this LabelBench");
  if (LB_PLUGIN_VERSION_MINOR(p.info.apiVersion) > LB_PLUGIN_VERSION_MINOR(host))
    return refuse("plugin " + file + " was built for plugin API " + versionString(p.info.apiVersion) +
                  ", newer than the " + versionString(host) +
                  " this LabelBench provides; update LabelBench or use an older build of the plugin");

  LoadContext ctx;
  ctx.plugin = &p;
  lb_host_api api{};
  api.size = sizeof api;
  api.api_version = host;
  api.host_data = &ctx;
  api.register_capability = &registerCapability;
  api.log = &hostLog;
  lb_plugin_info info{};
  info.size = sizeof info;
  const int rc = entry(&api, &info);
  p.info.id = info.id ? info.id : "";
  p.info.name = info.name ? info.name : "";
  p.info.version = info.version ? info.version : "";
  p.info.description = info.description ? info.description : "";
  p.info.author = info.author ? info.author : "";
  if (!ctx.error.empty()) return refuse(who(p) + ": " + ctx.error);
  if (rc != LB_OK)
    return refuse(who(p) + ": lb_plugin_entry failed with code " + std::to_string(rc) + " (" + apiVersions(p) + ")");
  for (const char* field : {"id", "name", "version"}) {
    const std::string& v = std::strcmp(field, "id") == 0 ? p.info.id
                           : std::strcmp(field, "name") == 0 ? p.info.name : p.info.version;
    if (v.empty()) return refuse(who(p) + " left the required plugin info field '" + field + "' empty");
  }
  if (p.capabilities.empty()) return refuse(who(p) + " registered no capability");
  for (const auto& other : m_plugins)
    if (other->info.state == PluginState::Loaded && other->info.id == p.info.id)
      return refuse(who(p) + ": a plugin with the id '" + p.info.id + "' is already loaded from " + other->info.path);

  p.info.state = PluginState::Loaded;
  for (const auto& c : p.capabilities) p.info.capabilities.push_back(c.info);
  m_plugins.push_back(std::move(loaded));
  return m_plugins.back()->info;
}

std::vector<PluginInfo> PluginHost::plugins() const {
  std::vector<PluginInfo> out;
  for (const auto& p : m_plugins) out.push_back(p->info);
  return out;
}

const PluginInfo* PluginHost::find(const std::string& pluginId) const {
  for (const auto& p : m_plugins)
    if (p->info.state == PluginState::Loaded && p->info.id == pluginId) return &p->info;
  return nullptr;
}

}  // namespace lb::plugins
