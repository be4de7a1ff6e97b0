// Sub-commands for plugins and assists:
//   plugins list                      every plugin found, loaded or refused (with the reason)
//   plugins run <project> <id[:cap]>  runs an exporter (--out), a check (findings) or an importer
//                                     (--in <file>) with --set k=v
//   assist <project> <item> <kind>    runs an OpenCV assist on an item's image; prints the
//                                     proposal as JSON, --accept stores it through a Session
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli_support.h"
#include "labeling/annotation_json.h"
#include "labeling/assist/assist_runner.h"
#include "labeling/assist/edge_snap.h"
#include "labeling/assist/grabcut.h"
#include "labeling/assist/magic_wand.h"
#include "labeling/assist/prelabel.h"
#include "labeling/assist/propagate.h"
#ifdef LB_HAVE_PLUGIN_HOST
#include "plugins/host/plugin_host.h"
#endif

namespace lb::app {
namespace {

using namespace lb::labeling;
using json = nlohmann::json;

// "x1,y1,x2,y2" or "x,y" -> numbers; empty on a malformed list.
std::vector<double> numbers(const std::string& text, std::size_t want) {
  std::vector<double> out;
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');) {
    try {
      std::size_t used = 0;
      out.push_back(std::stod(part, &used));
      if (used != part.size()) return {};
    } catch (const std::exception&) {
      return {};
    }
  }
  return out.size() == want ? out : std::vector<double>{};
}

Result<cv::Mat> itemImage(ProjectStore& store, ItemId id) {
  auto item = store.item(id);
  if (!item) return item.error();
  if (item->kind != ItemKind::Image)
    return makeError(ErrorCode::InvalidArgument, "item " + std::to_string(id) + " is not an image");
  const auto path = std::filesystem::path(store.info().mediaRoot) / item->mediaPath;
  cv::Mat img = cv::imread(path.string(), cv::IMREAD_COLOR);
  if (img.empty())
    return makeError(ErrorCode::NotFound, "the image of item " + std::to_string(id) + " (" + path.string() +
                                              ") cannot be read; check the media root");
  return img;
}

#ifdef LB_HAVE_PLUGIN_HOST
void loadPlugins(plugins::PluginHost& host) { host.loadDirectories(plugins::defaultPluginDirs()); }

void addPlugins(CLI::App& app) {
  auto* cmd = app.add_subcommand("plugins", "List and run plugins (exporters, checks, assists)");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "List plugins found in the plugin folders, with their state");
  auto asJson = std::make_shared<bool>(false);
  list->add_flag("--json", *asJson, "Print JSON");
  list->callback([=] {
    plugins::PluginHost host;
    loadPlugins(host);
    const auto all = host.plugins();
    if (*asJson) {
      json j = json::array();
      for (const auto& p : all) {
        json caps = json::array();
        for (const auto& c : p.capabilities) {
          json settings = json::array();
          for (const auto& s : c.settings)
            settings.push_back({{"key", s.key}, {"type", plugins::toString(s.type)}, {"default", s.defaultValue},
                                {"description", s.description}});
          caps.push_back({{"kind", plugins::toString(c.kind)}, {"id", c.id}, {"name", c.name}, {"settings", settings}});
        }
        j.push_back({{"path", p.path}, {"id", p.id}, {"version", p.version}, {"name", p.name},
                     {"api_version", plugins::versionString(p.apiVersion)},
                     {"state", p.state == plugins::PluginState::Loaded ? "loaded" : "refused"},
                     {"reason", p.reason}, {"capabilities", caps}});
      }
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::cout << "plugin folders:\n";
    for (const auto& d : plugins::defaultPluginDirs()) std::cout << "  " << d << "\n";
    if (all.empty()) std::cout << "no plugins found\n";
    for (const auto& p : all) {
      if (p.state == plugins::PluginState::Refused) {
        std::cout << p.path << "\trefused: " << p.reason << "\n";
        continue;
      }
      std::cout << p.id << " " << p.version << "\tloaded\t" << p.name << "\t" << p.path << "\n";
      for (const auto& c : p.capabilities) {
        std::cout << "  " << plugins::toString(c.kind) << " " << p.id << ":" << c.id << "\t" << c.name << "\n";
        for (const auto& s : c.settings)
          std::cout << "    --set " << s.key << "=" << s.defaultValue << "\t(" << plugins::toString(s.type) << ") "
                    << s.description << "\n";
      }
    }
  });

  auto* run = cmd->add_subcommand("run", "Run a plugin's exporter, check or importer on a project");
  auto project = std::make_shared<std::string>();
  auto target = std::make_shared<std::string>();
  auto sets = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  auto in = std::make_shared<std::string>();
  auto batch = std::make_shared<std::string>();
  run->add_option("project", *project, "Project file")->required();
  run->add_option("plugin", *target, "Plugin id, or plugin-id:capability-id")->required();
  run->add_option("--set", *sets, "A setting as key=value (repeatable)");
  run->add_option("--out", *out, "Output file or folder (exporters)");
  run->add_option("--in", *in, "Input file or folder (importers)");
  run->add_option("--batch-name", *batch, "Batch for imported items (importers; default plugin:<id>@<version>)");
  run->callback([=] {
    plugins::PluginHost host;
    loadPlugins(host);
    const auto colon = target->find(':');
    const std::string pluginId = target->substr(0, colon);
    const std::string capId = colon == std::string::npos ? "" : target->substr(colon + 1);
    const auto* info = host.find(pluginId);
    if (!info) {
      for (const auto& p : host.plugins())
        if (p.id == pluginId) return fail(makeError(ErrorCode::NotFound, "plugin '" + pluginId + "' was refused: " + p.reason));
      return fail(makeError(ErrorCode::NotFound, "no plugin '" + pluginId + "' is loaded; see `labelbench-cli plugins list`"));
    }
    std::vector<const plugins::CapabilityInfo*> runnable;
    for (const auto& c : info->capabilities)
      if ((c.kind == LB_CAPABILITY_EXPORTER || c.kind == LB_CAPABILITY_CHECK || c.kind == LB_CAPABILITY_IMPORTER) &&
          (capId.empty() || c.id == capId))
        runnable.push_back(&c);
    if (runnable.size() != 1)
      return fail(makeError(ErrorCode::InvalidArgument,
                            runnable.empty() ? "plugin '" + pluginId + "' has no exporter, check or importer" + (capId.empty() ? "" : " '" + capId + "'")
                                             : "plugin '" + pluginId + "' has several; name one as " + pluginId + ":<capability>"));
    const auto& cap = *runnable[0];
    auto settings = host.resolveSettings(pluginId, cap.kind, cap.id, *sets);
    if (!settings) return fail(settings.error());
    auto store = openOrFail(*project);
    if (!store) return;
    if (cap.kind == LB_CAPABILITY_EXPORTER) {
      if (out->empty()) return fail(makeError(ErrorCode::InvalidArgument, "exporter '" + cap.id + "' needs --out <file>"));
      if (auto st = host.runExporter(*store, pluginId, cap.id, *settings, *out); !st) return fail(st.error());
      std::cout << "exported with " << pluginId << " " << info->version << " to " << *out << "\n";
    } else if (cap.kind == LB_CAPABILITY_IMPORTER) {
      if (in->empty()) return fail(makeError(ErrorCode::InvalidArgument, "importer '" + cap.id + "' needs --in <file>"));
      labeling::formats::MergeOptions mo;
      mo.batchName = *batch;
      auto r = host.runImporter(*store, pluginId, cap.id, *settings, *in, mo);
      if (!r) return fail(r.error());
      for (const auto& p : r->problems) std::cerr << "problem: " << p << "\n";
      std::cout << "imported with plugin:" << pluginId << "@" << info->version << ": " << r->itemsCreated
                << " items added, " << r->itemsMatched << " items matched, " << r->annotationsAdded
                << " annotations, " << r->classesCreated << " classes added\n";
      if (!r->problems.empty()) exitCode() = 5;
    } else {
      auto n = host.runCheck(*store, pluginId, cap.id, *settings);
      if (!n) return fail(n.error());
      std::cout << *n << " findings from plugin:" << pluginId << " " << info->version << "\n";
    }
  });
}
#endif

void addAssist(CLI::App& app) {
  auto* cmd = app.add_subcommand("assist", "Run an assist on an item's image and print (or --accept) its proposal");
  struct Opts {
    std::string project, kind, box, point, output = "polygon", className, user, languages = "eng", plugin;
    std::vector<std::string> sets;
    ItemId item = 0, from = 0;
    AnnotationId annotation = 0;
    int tolerance = 24;
    bool accept = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("project", o->project, "Project file")->required();
  cmd->add_option("item", o->item, "Item id")->required();
  cmd->add_option("kind", o->kind, "grabcut, wand, snap, faces, ocr, propagate or plugin")
      ->required()->check(CLI::IsMember({"grabcut", "wand", "snap", "faces", "ocr", "propagate", "plugin"}));
  cmd->add_option("--box", o->box, "x1,y1,x2,y2 (grabcut; plugin)");
  cmd->add_option("--point", o->point, "x,y (wand; plugin)");
  cmd->add_option("--tolerance", o->tolerance, "Colour tolerance 0-255 (wand)");
  cmd->add_option("--output", o->output, "polygon or mask (grabcut, wand)")->check(CLI::IsMember({"polygon", "mask"}));
  cmd->add_option("--annotation", o->annotation, "Annotation to snap (snap)");
  cmd->add_option("--from", o->from, "Previous item whose boxes are propagated (propagate)");
  cmd->add_option("--lang", o->languages, "Tesseract languages, e.g. chi_sim+eng (ocr)");
  cmd->add_option("--plugin", o->plugin, "Assist plugin id (plugin)");
  cmd->add_option("--set", o->sets, "Plugin setting key=value (plugin)");
  cmd->add_option("--class", o->className, "Class of the proposed objects");
  cmd->add_flag("--accept", o->accept, "Store the proposal in the project (one undoable step)");
  cmd->add_option("--user", o->user, "Who accepts (default: the first lead)");
  cmd->callback([o] {
    auto session = sessionOrFail(o->project, o->user);
    if (!session) return;
    ProjectStore& store = session->store();
    ClassId classId = 0;
    if (!o->className.empty()) {
      const auto schema = store.schema();
      const ClassDef* c = schema.findClass(o->className);
      if (!c) return fail(makeError(ErrorCode::NotFound, "no class named '" + o->className + "' in the schema"));
      classId = c->id;
    }
    auto image = itemImage(store, o->item);
    if (!image) return fail(image.error());
    const cv::Mat img = *image;

    // Everything the job needs is gathered here, on the session's thread; the job sees pixels only.
    std::function<Result<assist::Proposal>(const assist::CancelFlag&)> job;
    const auto box = numbers(o->box, 4);
    const auto point = numbers(o->point, 2);
    if (o->kind == "grabcut") {
      if (box.empty()) return fail("grabcut needs --box x1,y1,x2,y2");
      assist::GrabCutOptions g;
      g.box = cv::Rect2d(cv::Point2d(box[0], box[1]), cv::Point2d(box[2], box[3]));
      g.output = o->output == "mask" ? assist::ShapeOutput::Mask : assist::ShapeOutput::Polygon;
      g.classId = classId;
      job = [img, g](const assist::CancelFlag& c) { return assist::grabCutFromBox(img, g, &c); };
    } else if (o->kind == "wand") {
      if (point.empty()) return fail("wand needs --point x,y");
      assist::MagicWandOptions w;
      w.seed = {point[0], point[1]};
      w.tolerance = o->tolerance;
      w.output = o->output == "mask" ? assist::ShapeOutput::Mask : assist::ShapeOutput::Polygon;
      w.classId = classId;
      job = [img, w](const assist::CancelFlag& c) { return assist::magicWand(img, w, &c); };
    } else if (o->kind == "snap") {
      auto a = store.annotation(o->annotation);
      if (!a || a->itemId != o->item)
        return fail(makeError(ErrorCode::NotFound, "snap needs --annotation <id> of an object on item " + std::to_string(o->item)));
      job = [img, a = *a](const assist::CancelFlag& c) { return assist::snapToEdges(img, a, {}, &c); };
    } else if (o->kind == "faces") {
      assist::FaceOptions f;
      f.classId = classId;
      job = [img, f](const assist::CancelFlag& c) { return assist::detectFaces(img, f, &c); };
    } else if (o->kind == "ocr") {
      assist::OcrOptions t;
      t.languages = o->languages;
      t.classId = classId;
      job = [img, t](const assist::CancelFlag& c) { return assist::recognizeTextLines(img, t, &c); };
    } else if (o->kind == "propagate") {
      if (!o->from) return fail("propagate needs --from <previous item id>");
      auto prev = itemImage(store, o->from);
      if (!prev) return fail(prev.error());
      std::vector<Annotation> boxes;
      for (const auto& a : store.annotations(o->from))
        if (a.kind == AnnotationKind::Box) boxes.push_back(a);
      job = [prev = *prev, img, boxes](const assist::CancelFlag& c) {
        return assist::propagateBoxes(prev, img, boxes, {}, &c);
      };
    } else {
#ifdef LB_HAVE_PLUGIN_HOST
      if (o->plugin.empty()) return fail("plugin needs --plugin <id>");
      auto host = std::make_shared<plugins::PluginHost>();
      loadPlugins(*host);
      auto settings = host->resolveSettings(o->plugin, LB_CAPABILITY_ASSIST, "", o->sets);
      if (!settings) return fail(settings.error());
      plugins::AssistRequest req;
      if (!box.empty()) req.box = cv::Rect2d(cv::Point2d(box[0], box[1]), cv::Point2d(box[2], box[3]));
      if (!point.empty()) req.points.emplace_back(point[0], point[1]);
      job = [host, img, req, id = o->plugin, s = *settings](const assist::CancelFlag& c) {
        return host->runAssist(img, req, id, "", s, &c);
      };
#else
      return fail("this build has no plugin host");
#endif
    }

    assist::AssistRunner runner;
    runner.start(job);
    auto proposal = runner.wait();
    if (!proposal) return fail(proposal.error());
    json j = {{"source", proposal->source()}, {"note", proposal->note}, {"annotations", json::array()}};
    for (const auto& a : proposal->annotations) j["annotations"].push_back(annotationToJson(a));
    if (o->accept) {
      if (auto st = session->openItem(o->item); !st) return fail(st.error());
      if (auto st = assist::acceptProposal(*session, *proposal, {}, classId); !st) return fail(st.error());
      j["accepted"] = proposal->annotations.size();
    }
    std::cout << j.dump(2) << "\n";
  });
}

CommandRegistrar registerPlugins(60, [](CLI::App& app) {
#ifdef LB_HAVE_PLUGIN_HOST
  addPlugins(app);
#endif
  addAssist(app);
});

}  // namespace
}  // namespace lb::app
