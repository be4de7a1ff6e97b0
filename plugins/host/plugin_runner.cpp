// Running plugin capabilities against the core: the C views of the project that exporters and
// checks read, the findings sink, and the shapes sink of assists.
#include <nlohmann/json.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "labeling/store/sqlite_project_store.h"
#include "plugins/host/plugin_host_internal.h"

namespace lb::plugins {
namespace {

using labeling::assist::CancelFlag;
using labeling::assist::isCancelled;

std::string pluginLabel(const PluginInfo& p) { return "plugin '" + p.id + "' " + p.version; }

const char* settingsGet(const lb_settings* s, const char* key) {
  const auto* values = static_cast<const SettingValues*>(s->host_data);
  auto it = key ? values->find(key) : values->end();
  return it == values->end() ? nullptr : it->second.c_str();
}

lb_settings makeSettings(const SettingValues& values) {
  lb_settings s{};
  s.size = sizeof s;
  s.host_data = &values;
  s.get = &settingsGet;
  return s;
}

// Everything the C view of a project points into lives here for the duration of one call.
struct ProjectViewContext {
  labeling::ProjectStore* store = nullptr;
  const CancelFlag* cancel = nullptr;
  std::string name, mediaRoot;
  std::unordered_map<labeling::ClassId, std::string> classNames;
  std::unordered_map<const std::uint8_t*, cv::Mat> images;  // decoded for the plugin, by pixel pointer
};

int viewIsCancelled(const lb_project_view* view) {
  return isCancelled(static_cast<ProjectViewContext*>(view->host_data)->cancel) ? 1 : 0;
}

int viewForEachItem(const lb_project_view* view, int (*fn)(void*, const lb_item_view*), void* user) {
  auto& ctx = *static_cast<ProjectViewContext*>(view->host_data);
  labeling::ItemFilter filter;
  for (labeling::ItemId id : ctx.store->itemIds(filter)) {
    if (isCancelled(ctx.cancel)) return LB_CANCELLED;
    auto item = ctx.store->item(id);
    if (!item) continue;
    const auto annotations = ctx.store->annotations(id, false);
    // Strings are kept alive in vectors sized up front so c_str() pointers stay valid.
    std::vector<std::string> kinds, classes;
    kinds.reserve(annotations.size());
    classes.reserve(annotations.size());
    std::vector<lb_annotation_view> views;
    views.reserve(annotations.size());
    for (const auto& a : annotations) {
      kinds.emplace_back(labeling::toString(a.kind));
      auto c = ctx.classNames.find(a.classId);
      classes.push_back(c == ctx.classNames.end() ? std::string() : c->second);
      lb_annotation_view v{};
      v.size = sizeof v;
      v.id = a.id;
      v.kind = kinds.back().c_str();
      v.class_name = classes.back().c_str();
      v.coords = a.coords.data();
      v.coord_count = a.coords.size();
      v.attributes_json = a.attributesJson.c_str();
      v.data_json = a.dataJson.c_str();
      v.source = a.source.c_str();
      views.push_back(v);
    }
    const std::string kind(labeling::toString(item->kind));
    const std::string state(labeling::toString(item->state));
    const std::string absolute =
        item->mediaPath.empty() ? std::string() : (std::filesystem::path(ctx.mediaRoot) / item->mediaPath).string();
    lb_item_view iv{};
    iv.size = sizeof iv;
    iv.id = item->id;
    iv.kind = kind.c_str();
    iv.media_path = item->mediaPath.c_str();
    iv.absolute_path = absolute.c_str();
    iv.width_px = item->widthPx;
    iv.height_px = item->heightPx;
    iv.state = state.c_str();
    iv.nothing_here = item->nothingHere ? 1 : 0;
    iv.text = item->text.c_str();
    iv.annotations = views.data();
    iv.annotation_count = views.size();
    if (int stop = fn(user, &iv)) return stop;
  }
  return LB_OK;
}

int viewLoadImage(const lb_project_view* view, std::int64_t itemId, lb_image* out) {
  auto& ctx = *static_cast<ProjectViewContext*>(view->host_data);
  if (!out) return LB_ERROR;
  auto item = ctx.store->item(itemId);
  if (!item || item->mediaPath.empty()) return LB_BAD_INPUT;
  cv::Mat img = cv::imread((std::filesystem::path(ctx.mediaRoot) / item->mediaPath).string(), cv::IMREAD_COLOR);
  if (img.empty()) return LB_BAD_INPUT;
  const std::size_t writable = out->size;  // a smaller (older) plugin struct is written only as far as it goes
  lb_image full{};
  full.size = std::min(writable, sizeof full);
  full.width_px = img.cols;
  full.height_px = img.rows;
  full.channels = img.channels();
  full.stride = int(img.step);
  full.pixels = img.data;
  std::memcpy(out, &full, std::min(writable, sizeof full));
  ctx.images[img.data] = std::move(img);
  return LB_OK;
}

void viewReleaseImage(const lb_project_view* view, lb_image* image) {
  auto& ctx = *static_cast<ProjectViewContext*>(view->host_data);
  if (image && image->pixels) ctx.images.erase(image->pixels);
  if (image) image->pixels = nullptr;
}

lb_project_view makeView(ProjectViewContext& ctx, labeling::ProjectStore& store, const CancelFlag* cancel) {
  ctx.store = &store;
  ctx.cancel = cancel;
  const auto info = store.info();
  ctx.name = info.name;
  ctx.mediaRoot = info.mediaRoot;
  for (const auto& c : store.schema().classes) ctx.classNames[c.id] = c.name;
  lb_project_view v{};
  v.size = sizeof v;
  v.host_data = &ctx;
  v.project_name = ctx.name.c_str();
  v.media_root = ctx.mediaRoot.c_str();
  v.for_each_item = &viewForEachItem;
  v.is_cancelled = &viewIsCancelled;
  v.load_image = &viewLoadImage;
  v.release_image = &viewReleaseImage;
  return v;
}

Error pluginError(const PluginInfo& p, const std::string& what, int rc, const char* message) {
  if (rc == LB_CANCELLED) return makeError(ErrorCode::Cancelled, what + " by " + pluginLabel(p) + " was cancelled");
  const std::string text = message && *message ? message : "no message given";
  return makeError(rc == LB_BAD_INPUT ? ErrorCode::BadInput : ErrorCode::Io,
                   what + " by " + pluginLabel(p) + " failed: " + text);
}

struct Finding {
  labeling::ItemId item = 0;
  double score = 0;
  std::string detailJson;
};

void sinkAddFinding(const lb_findings_sink* sink, std::int64_t itemId, double score, const char* detail) {
  auto* out = static_cast<std::vector<Finding>*>(sink->host_data);
  out->push_back({itemId, score, detail ? detail : "{}"});
}

struct ShapeCollector {
  std::vector<labeling::Annotation> shapes;
  int refused = 0;
};

void sinkAddShape(const lb_shapes_sink* sink, const char* kind, const double* coords, std::size_t count,
                  const char* data) {
  auto* out = static_cast<ShapeCollector*>(sink->host_data);
  auto k = kind ? labeling::annotationKindFrom(kind) : std::nullopt;
  if (!k || (count > 0 && !coords)) {
    ++out->refused;
    return;
  }
  labeling::Annotation a;
  a.kind = *k;
  a.coords.assign(coords, coords + count);
  if (data && nlohmann::json::accept(data)) a.dataJson = data;
  out->shapes.push_back(std::move(a));
}

int cancelToken(void* token) { return isCancelled(static_cast<const CancelFlag*>(token)) ? 1 : 0; }

}  // namespace

Result<const PluginHost::Loaded*> PluginHost::target(const std::string& pluginId, lb_capability_kind kind,
                                                     const std::string& capabilityId,
                                                     const void** capability) const {
  const Loaded* plugin = nullptr;
  for (const auto& p : m_plugins)
    if (p->info.state == PluginState::Loaded && p->info.id == pluginId) plugin = p.get();
  if (!plugin) {
    for (const auto& p : m_plugins)
      if (p->info.id == pluginId)
        return makeError(ErrorCode::NotFound, "plugin '" + pluginId + "' was refused: " + p->info.reason);
    return makeError(ErrorCode::NotFound, "no plugin '" + pluginId + "' is loaded; see `labelbench-cli plugins list`");
  }
  const Loaded::Capability* found = nullptr;
  int matches = 0;
  for (const auto& c : plugin->capabilities)
    if (c.kind == kind && (capabilityId.empty() || c.info.id == capabilityId)) {
      found = &c;
      ++matches;
    }
  if (!found)
    return makeError(ErrorCode::NotFound, pluginLabel(plugin->info) + " has no " + toString(kind) +
                                              (capabilityId.empty() ? "" : " '" + capabilityId + "'"));
  if (matches > 1)
    return makeError(ErrorCode::InvalidArgument, pluginLabel(plugin->info) + " has several " + toString(kind) +
                                                     "s; name one (plugin-id:capability-id)");
  *capability = &found->storage;
  return plugin;
}

Result<SettingValues> PluginHost::resolveSettings(const std::string& pluginId, lb_capability_kind kind,
                                                  const std::string& capabilityId,
                                                  const std::vector<std::string>& keyValues) const {
  const void* raw = nullptr;
  auto plugin = target(pluginId, kind, capabilityId, &raw);
  if (!plugin) return plugin.error();
  const CapabilityInfo* cap = nullptr;
  for (const auto& c : (*plugin)->capabilities)
    if (&c.storage == raw) cap = &c.info;
  SettingValues values;
  for (const auto& s : cap->settings) values[s.key] = s.defaultValue;
  for (const auto& kv : keyValues) {
    const auto eq = kv.find('=');
    const std::string key = kv.substr(0, eq);
    const SettingDef* def = nullptr;
    for (const auto& s : cap->settings)
      if (s.key == key) def = &s;
    if (eq == std::string::npos || !def) {
      std::string known;
      for (const auto& s : cap->settings) known += (known.empty() ? "" : ", ") + s.key;
      return makeError(ErrorCode::InvalidArgument, "'" + kv + "' is not a setting of " + toString(kind) + " '" +
                                                       cap->id + "' of plugin '" + pluginId + "' (settings: " +
                                                       (known.empty() ? "none" : known) + "; give key=value)");
    }
    const std::string value = kv.substr(eq + 1);
    if (!validSetting(def->type, value))
      return makeError(ErrorCode::InvalidArgument, "setting '" + key + "' of plugin '" + pluginId + "' takes a value of type " +
                                                       toString(def->type) + ", not '" + value + "'");
    values[key] = value;
  }
  return values;
}

Status PluginHost::runExporter(labeling::ProjectStore& store, const std::string& pluginId,
                               const std::string& capabilityId, const SettingValues& settings,
                               const std::string& outputPath, const CancelFlag* cancel) {
  const void* raw = nullptr;
  auto plugin = target(pluginId, LB_CAPABILITY_EXPORTER, capabilityId, &raw);
  if (!plugin) return plugin.error();
  const auto& cap = *static_cast<const lb_exporter_capability*>(raw);
  ProjectViewContext ctx;
  const lb_project_view view = makeView(ctx, store, cancel);
  const lb_settings s = makeSettings(settings);
  char error[1024] = {0};
  const int rc = cap.export_project(&view, &s, outputPath.c_str(), error, sizeof error - 1);
  if (rc != LB_OK) return pluginError((*plugin)->info, "export to " + outputPath, rc, error);
  return okStatus();
}

Result<int> PluginHost::runCheck(labeling::ProjectStore& store, const std::string& pluginId,
                                 const std::string& capabilityId, const SettingValues& settings,
                                 const CancelFlag* cancel) {
  auto* sqlite = dynamic_cast<labeling::SqliteProjectStore*>(&store);
  if (!sqlite) return makeError(ErrorCode::Unsupported, "plugin checks need a SQLite project");
  const void* raw = nullptr;
  auto plugin = target(pluginId, LB_CAPABILITY_CHECK, capabilityId, &raw);
  if (!plugin) return plugin.error();
  const PluginInfo& info = (*plugin)->info;
  const auto& cap = *static_cast<const lb_check_capability*>(raw);
  ProjectViewContext ctx;
  const lb_project_view view = makeView(ctx, store, cancel);
  const lb_settings s = makeSettings(settings);
  std::vector<Finding> findings;
  lb_findings_sink sink{};
  sink.size = sizeof sink;
  sink.host_data = &findings;
  sink.add_finding = &sinkAddFinding;
  char error[1024] = {0};
  const int rc = cap.run_check(&view, &s, &sink, error, sizeof error - 1);
  if (rc != LB_OK) return pluginError(info, "check '" + std::string(cap.id) + "'", rc, error);

  const std::string checkName = "plugin:" + info.id;
  int written = 0;
  auto st = store.transaction([&]() -> Status {
    auto& db = sqlite->database();
    // A re-run replaces the check's open findings; rows someone already decided on are kept.
    SQLite::Statement clear(db, "DELETE FROM findings WHERE check_name = ? AND decision = ''");
    clear.bind(1, checkName);
    clear.exec();
    SQLite::Statement insert(db,
        "INSERT INTO findings (item_id, check_name, score, detail_json) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (check_name, item_id) DO UPDATE SET score = excluded.score, detail_json = excluded.detail_json");
    for (const auto& f : findings) {
      if (!store.item(f.item)) continue;  // the plugin named an item that does not exist
      nlohmann::json detail = nlohmann::json::object();
      if (nlohmann::json::accept(f.detailJson)) {
        auto parsed = nlohmann::json::parse(f.detailJson);
        if (parsed.is_object()) detail = parsed;
        else detail["value"] = parsed;
      } else {
        detail["message"] = f.detailJson;
      }
      detail["plugin"] = info.id;
      detail["plugin_version"] = info.version;
      detail["capability"] = cap.id;
      insert.bind(1, static_cast<std::int64_t>(f.item));
      insert.bind(2, checkName);
      insert.bind(3, f.score);
      insert.bind(4, detail.dump());
      insert.exec();
      insert.reset();
      ++written;
    }
    return okStatus();
  });
  if (!st) return st.error();
  return written;
}

Result<labeling::assist::Proposal> PluginHost::runAssist(const cv::Mat& image, const AssistRequest& request,
                                                         const std::string& pluginId,
                                                         const std::string& capabilityId,
                                                         const SettingValues& settings, const CancelFlag* cancel) {
  const void* raw = nullptr;
  auto plugin = target(pluginId, LB_CAPABILITY_ASSIST, capabilityId, &raw);
  if (!plugin) return plugin.error();
  const PluginInfo& info = (*plugin)->info;
  const auto& cap = *static_cast<const lb_assist_capability*>(raw);
  if (image.empty() || image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3))
    return makeError(ErrorCode::InvalidArgument, "assist plugins take 8-bit grey or colour images");
  const cv::Mat pixels = image.isContinuous() ? image : image.clone();
  lb_image img{};
  img.size = sizeof img;
  img.width_px = pixels.cols;
  img.height_px = pixels.rows;
  img.channels = pixels.channels();
  img.stride = int(pixels.step);
  img.pixels = pixels.data;
  std::vector<double> points;
  for (const auto& p : request.points) {
    points.push_back(p.x);
    points.push_back(p.y);
  }
  lb_assist_input input{};
  input.size = sizeof input;
  if (request.box) {
    input.has_box = 1;
    input.box[0] = request.box->x;
    input.box[1] = request.box->y;
    input.box[2] = request.box->br().x;
    input.box[3] = request.box->br().y;
  }
  input.points = points.data();
  input.point_count = request.points.size();
  ShapeCollector shapes;
  lb_shapes_sink sink{};
  sink.size = sizeof sink;
  sink.host_data = &shapes;
  sink.add_shape = &sinkAddShape;
  const lb_settings s = makeSettings(settings);
  char error[1024] = {0};
  const int rc = cap.run_assist(&img, &input, &s, &sink, &cancelToken, const_cast<CancelFlag*>(cancel), error,
                                sizeof error - 1);
  if (rc != LB_OK) return pluginError(info, "assist '" + std::string(cap.id) + "'", rc, error);
  labeling::assist::Proposal p;
  p.origin = "plugin";
  p.assistId = info.id;
  p.assistVersion = info.version;
  for (auto& a : shapes.shapes) {
    a.source = p.source();
    p.annotations.push_back(std::move(a));
  }
  p.note = std::to_string(p.annotations.size()) + " shapes proposed";
  if (shapes.refused) p.note += ", " + std::to_string(shapes.refused) + " malformed shapes dropped";
  return p;
}

}  // namespace lb::plugins
