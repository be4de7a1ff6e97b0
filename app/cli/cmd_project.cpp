// Sub-commands for the project itself: create, status, user, schema, assign, export-json.
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <iostream>
#include <sstream>

#include "cli_support.h"
#include "labeling/annotation_json.h"
#include "labeling/schema_json.h"

namespace lb::app {
namespace {

using namespace lb::labeling;

std::string readFile(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void addCreate(CLI::App& app) {
  auto* cmd = app.add_subcommand("create", "Create a new project file");
  auto path = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto mediaRoot = std::make_shared<std::string>();
  auto schemaFile = std::make_shared<std::string>();
  cmd->add_option("project", *path, "Project file to create (e.g. work.lbproj)")->required();
  cmd->add_option("--name", *name, "Project name (default: the file name)");
  cmd->add_option("--media-root", *mediaRoot, "Folder media paths are relative to (default: the project's folder)");
  cmd->add_option("--schema", *schemaFile, "Label schema JSON to start with")->check(CLI::ExistingFile);
  cmd->callback([=] {
    auto store = createProject(*path, {*name, *mediaRoot});
    if (!store) return fail(store.error());
    if (!schemaFile->empty()) {
      bool ok = false;
      auto schema = schemaFromJson(readFile(*schemaFile, ok), *schemaFile);
      if (!schema) return fail(schema.error());
      if (auto st = (*store)->setSchema(*schema); !st) return fail(st.error());
    }
    std::cout << "created " << *path << " (project format " << kSchemaVersion << ")\n";
  });
}

void addStatus(CLI::App& app) {
  auto* cmd = app.add_subcommand("status", "Counts of items by state and by assignee");
  auto path = std::make_shared<std::string>();
  auto asJson = std::make_shared<bool>(false);
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_flag("--json", *asJson, "Print JSON instead of a table");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    const auto info = store->info();
    const auto byState = store->countByState();
    const auto byUser = store->countByAssignee();
    ItemFilter all;
    all.includeExcluded = true;
    const auto total = store->countItems(all);
    if (*asJson) {
      nlohmann::json j = {{"project", info.name}, {"items", total}, {"by_state", nlohmann::json::object()},
                          {"by_assignee", nlohmann::json::object()}};
      for (const auto& c : byState) j["by_state"][c.key] = c.count;
      for (const auto& c : byUser) j["by_assignee"][c.key] = c.count;
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::cout << "project " << info.name << " (" << total << " items, created by LabelBench "
              << info.createdByVersion << ")\nby state:\n";
    for (const auto& c : byState) std::cout << "  " << c.key << "\t" << c.count << "\n";
    std::cout << "by assignee (annotation tasks):\n";
    for (const auto& c : byUser) std::cout << "  " << c.key << "\t" << c.count << "\n";
  });
}

void addUser(CLI::App& app) {
  auto* cmd = app.add_subcommand("user", "Add, list or change users");
  cmd->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>("annotator");

  auto* add = cmd->add_subcommand("add", "Add a user");
  add->add_option("project", *path, "Project file")->required();
  add->add_option("name", *name, "User name")->required();
  add->add_option("--role", *role, "annotator, reviewer or lead")->check(CLI::IsMember({"annotator", "reviewer", "lead"}));
  add->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    auto id = store->addUser(*name, roleFrom(*role).value());
    if (!id) return fail(id.error());
    std::cout << "added " << *role << " " << *name << " (id " << *id << ")\n";
  });

  auto* list = cmd->add_subcommand("list", "List users");
  list->add_option("project", *path, "Project file")->required();
  list->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    for (const auto& u : store->users()) std::cout << u.id << "\t" << u.name << "\t" << toString(u.role) << "\n";
  });

  auto* setRole = cmd->add_subcommand("role", "Change a user's role");
  setRole->add_option("project", *path, "Project file")->required();
  setRole->add_option("name", *name, "User name")->required();
  setRole->add_option("role", *role, "annotator, reviewer or lead")->required()->check(CLI::IsMember({"annotator", "reviewer", "lead"}));
  setRole->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    auto u = store->userByName(*name);
    if (!u) return fail(makeError(ErrorCode::NotFound, "no user named '" + *name + "'"));
    if (auto st = store->setUserRole(u->id, roleFrom(*role).value()); !st) return fail(st.error());
    std::cout << *name << " is now " << *role << "\n";
  });
}

void addSchema(CLI::App& app) {
  auto* cmd = app.add_subcommand("schema", "Show, export, import or extend the label schema");
  cmd->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();

  auto* show = cmd->add_subcommand("show", "Print the schema as JSON");
  show->add_option("project", *path, "Project file")->required();
  show->callback([=] {
    auto store = openOrFail(*path);
    if (store) std::cout << schemaToJson(store->schema()) << "\n";
  });

  auto* exp = cmd->add_subcommand("export", "Write the schema to a JSON file");
  exp->add_option("project", *path, "Project file")->required();
  exp->add_option("file", *file, "Output JSON file")->required();
  exp->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    std::ofstream out(*file);
    out << schemaToJson(store->schema()) << "\n";
    if (!out) return fail(makeError(ErrorCode::Io, "cannot write " + *file));
    std::cout << "wrote " << *file << "\n";
  });

  auto* imp = cmd->add_subcommand("import", "Replace the schema with a JSON file (classes kept by name)");
  imp->add_option("project", *path, "Project file")->required();
  imp->add_option("file", *file, "Schema JSON file")->required()->check(CLI::ExistingFile);
  imp->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    bool ok = false;
    auto schema = schemaFromJson(readFile(*file, ok), *file);
    if (!schema) return fail(schema.error());
    if (auto st = store->setSchema(*schema); !st) return fail(st.error());
    std::cout << "schema now has " << schema->classes.size() << " classes\n";
  });

  auto name = std::make_shared<std::string>();
  auto scope = std::make_shared<std::string>("object");
  auto color = std::make_shared<std::string>();
  auto hotkey = std::make_shared<std::string>();
  auto* add = cmd->add_subcommand("add-class", "Add one class");
  add->add_option("project", *path, "Project file")->required();
  add->add_option("name", *name, "Class name")->required();
  add->add_option("--scope", *scope, "object, image_tag, document, span or relation")
      ->check(CLI::IsMember({"object", "image_tag", "document", "span", "relation"}));
  add->add_option("--color", *color, "#rrggbb");
  add->add_option("--hotkey", *hotkey, "Key that picks this class");
  add->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    auto schema = store->schema();
    ClassDef c;
    c.name = *name;
    c.scope = classScopeFrom(*scope).value();
    static const char* palette[] = {"#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4",
                                    "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990"};
    c.color = color->empty() ? palette[schema.classes.size() % 10] : *color;
    c.hotkey = *hotkey;
    if (schema.findClass(c.name) && schema.findClass(c.name)->scope == c.scope)
      return fail(makeError(ErrorCode::Conflict, "class '" + c.name + "' already exists"));
    schema.classes.push_back(c);
    // Round-trip through JSON so the same validation applies as for a schema file.
    auto checked = schemaFromJson(schemaToJson(schema), "the new class");
    if (!checked) return fail(checked.error());
    if (auto st = store->setSchema(schema); !st) return fail(st.error());
    std::cout << "added class " << c.name << "\n";
  });
}

void addAssign(CLI::App& app) {
  auto* cmd = app.add_subcommand("assign", "Give items to a user to annotate or review");
  auto path = std::make_shared<std::string>();
  auto userName = std::make_shared<std::string>();
  auto kind = std::make_shared<std::string>("annotate");
  auto batch = std::make_shared<std::int64_t>(0);
  auto count = std::make_shared<std::int64_t>(-1);
  auto unassignedOnly = std::make_shared<bool>(false);
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("user", *userName, "User name")->required();
  cmd->add_option("--kind", *kind, "annotate or review")->check(CLI::IsMember({"annotate", "review"}));
  cmd->add_option("--batch", *batch, "Only items of this batch id");
  cmd->add_option("--count", *count, "At most this many items");
  cmd->add_flag("--unassigned", *unassignedOnly, "Only items nobody has yet");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    auto u = store->userByName(*userName);
    if (!u) return fail(makeError(ErrorCode::NotFound, "no user named '" + *userName + "'; add one with: labelbench-cli user add"));
    ItemFilter f;
    if (*batch) f.batchId = *batch;
    const auto taskKind = taskKindFrom(*kind).value();
    std::set<ItemId> taken;
    if (*unassignedOnly)
      for (const auto& t : store->tasks(std::nullopt, taskKind)) taken.insert(t.itemId);
    std::int64_t n = 0;
    Status st = store->transaction([&]() -> Status {
      for (ItemId id : store->itemIds(f)) {
        if (*count >= 0 && n >= *count) break;
        if (taken.count(id)) continue;
        if (auto r = store->assign(id, u->id, taskKind); !r) return r.error();
        ++n;
      }
      return okStatus();
    });
    if (!st) return fail(st.error());
    std::cout << "assigned " << n << " items to " << *userName << " (" << *kind << ")\n";
  });
}

void addExportJson(CLI::App& app) {
  auto* cmd = app.add_subcommand("export-json", "Export items and annotations in LabelBench's own JSON");
  auto path = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("output", *out, "Output .json file")->required();
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    std::ofstream f(*out);
    if (!f) return fail(makeError(ErrorCode::Io, "cannot write " + *out));
    // Streamed item by item so big projects do not sit in memory at once. Reference (gold)
    // answers are never exported here.
    nlohmann::json schema = nlohmann::json::parse(schemaToJson(store->schema()));
    f << "{\"format\":\"labelbench\",\"version\":1,\"schema\":" << schema.dump() << ",\"items\":[";
    bool first = true;
    std::int64_t nItems = 0, nAnnotations = 0;
    ItemFilter all;
    for (const auto& it : store->items(all)) {
      nlohmann::json j = {{"id", it.id}, {"kind", toString(it.kind)}, {"media", it.mediaPath},
                          {"sha256", it.contentHash}, {"width", it.widthPx}, {"height", it.heightPx},
                          {"state", toString(it.state)}, {"nothing_here", it.nothingHere},
                          {"annotations", nlohmann::json::array()}};
      if (it.kind != ItemKind::Image) j["text"] = it.text;
      for (const auto& a : store->annotations(it.id, false)) {
        j["annotations"].push_back(annotationToJson(a));
        ++nAnnotations;
      }
      f << (first ? "" : ",") << j.dump();
      first = false;
      ++nItems;
    }
    f << "]}\n";
    if (!f) return fail(makeError(ErrorCode::Io, "writing " + *out + " failed (disk full?)"));
    std::cout << "exported " << nItems << " items, " << nAnnotations << " annotations to " << *out << "\n";
  });
}

// Project settings are JSON values by key; the areas that read them document their keys.
constexpr const char* kKnownSettings =
    "idle_gap_ms, utc_offset_minutes, teams (throughput); pay_rates (pay); clean_thresholds "
    "(cleaning); review.rules (rule checks)";

void addSettings(CLI::App& app) {
  auto* cmd = app.add_subcommand("settings", std::string("Read or change project settings (") + kKnownSettings + ")");
  cmd->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();

  auto* get = cmd->add_subcommand("get", "Print a setting's JSON value");
  get->add_option("project", *path, "Project file")->required();
  get->add_option("key", *key, "Setting name")->required();
  get->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    auto v = store->setting(*key);
    if (!v) return fail(makeError(ErrorCode::NotFound, "setting '" + *key + "' is not set in " + *path +
                                                           " (the default applies)"));
    std::cout << *v << "\n";
  });

  auto* set = cmd->add_subcommand("set", "Store a setting (value is JSON, e.g. 90000 or '{\"a\":1}')");
  set->add_option("project", *path, "Project file")->required();
  set->add_option("key", *key, "Setting name")->required();
  set->add_option("value", *value, "JSON value")->required();
  set->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    if (!nlohmann::json::accept(*value))
      return fail(makeError(ErrorCode::InvalidArgument, "the value for '" + *key + "' is not JSON: " + *value +
                                                            " (quote text values: '\"text\"')"));
    if (auto st = store->setSetting(*key, nlohmann::json::parse(*value).dump()); !st) return fail(st.error());
    std::cout << *key << " = " << nlohmann::json::parse(*value).dump() << "\n";
  });
}

CommandRegistrar reg(10, [](CLI::App& app) {
  addSettings(app);
  addCreate(app);
  addStatus(app);
  addUser(app);
  addSchema(app);
  addAssign(app);
  addExportJson(app);
});

}  // namespace
}  // namespace lb::app
