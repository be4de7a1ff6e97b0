// Sub-commands for raw-data cleaning: clean run | report | decide | thresholds | mask | convert | original.
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli_support.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/folder_scan.h"
#include "qc/clean/text_actions.h"

namespace lb::app {
namespace {

using namespace lb::labeling;
namespace clean = lb::qc::clean;

std::string formatScore(double v) {
  std::ostringstream s;
  s << std::setprecision(4) << v;
  return s.str();
}

// "--set blur=0.4" style overrides on top of the project's thresholds.
Result<clean::Thresholds> thresholdsWith(const ProjectStore& store, const std::vector<std::string>& overrides) {
  auto t = clean::Thresholds::load(store);
  if (!t) return t.error();
  for (const auto& o : overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) return makeError(ErrorCode::InvalidArgument, "--set expects check=value, got '" + o + "'");
    double v = 0;
    try {
      v = std::stod(o.substr(eq + 1));
    } catch (...) {
      return makeError(ErrorCode::InvalidArgument, "--set " + o + ": the value is not a number");
    }
    if (auto st = t->set(o.substr(0, eq), v); !st) return st.error();
  }
  return t;
}

void printReport(const clean::CleanReport& r, bool asJson) {
  if (asJson) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& c : r.checks) {
      nlohmann::json groups = nlohmann::json::array();
      for (const auto& g : c.groups) groups.push_back({{"key", g.key}, {"members", g.members}, {"keeper", g.keeper}});
      j.push_back({{"check", c.spec->name}, {"threshold", c.threshold}, {"stored", c.stored}, {"findings", c.findings},
                   {"excluded", c.excluded}, {"kept", c.kept}, {"examples", c.examples}, {"groups", groups}});
    }
    std::cout << nlohmann::json{{"checks", j}, {"corrupt_known", r.corruptKnown}, {"corrupt_files", r.corruptFiles}}.dump(2)
              << "\n";
    return;
  }
  std::cout << std::left << std::setw(20) << "check" << std::setw(12) << "threshold" << std::setw(10) << "findings"
            << std::setw(9) << "groups" << std::setw(10) << "excluded" << std::setw(7) << "kept" << "examples (item ids)\n";
  for (const auto& c : r.checks) {
    std::string ex;
    for (auto id : c.examples) ex += (ex.empty() ? "" : " ") + std::to_string(id);
    if (c.spec->grouped && !ex.empty()) ex = "groups " + ex;
    std::cout << std::left << std::setw(20) << c.spec->name << std::setw(12) << formatScore(c.threshold) << std::setw(10)
              << c.findings << std::setw(9) << (c.spec->grouped ? std::to_string(c.groups.size()) : "-") << std::setw(10)
              << c.excluded << std::setw(7) << c.kept << ex << (c.stored == 0 ? "  (nothing stored: not run, or none)" : "")
              << "\n";
  }
  if (r.corruptKnown) {
    std::cout << "corrupt             " << r.corruptFiles << " file(s) refused at import (never became items)";
    for (const auto& e : r.corruptExamples) std::cout << "\n                    " << e;
    std::cout << "\n";
  } else {
    std::cout << "corrupt             not reported: the import events hold no rejection counts\n";
  }
}

void addRun(CLI::App& parent) {
  auto* cmd = parent.add_subcommand("run", "Run cleaning checks and store their scores");
  auto path = std::make_shared<std::string>();
  auto checks = std::make_shared<std::vector<std::string>>();
  auto asJson = std::make_shared<bool>(false);
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("--checks", *checks, "Checks to run (default: all)")->delimiter(',');
  cmd->add_flag("--json", *asJson, "Print the summary as JSON");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    ProgressBar bar("cleaning");
    clean::RunOptions opts;
    opts.checks = *checks;
    opts.progress = [&bar](std::int64_t done, std::int64_t total, const std::string&) { bar.update(done, total); };
    auto summary = clean::runChecks(*store, opts);
    bar.finish();
    if (!summary) return fail(summary.error());
    auto thresholds = clean::Thresholds::load(*store);
    if (!thresholds) return fail(thresholds.error());
    std::vector<std::string> ran;
    for (const auto& s : *summary) ran.push_back(s.check);
    auto report = clean::buildReport(*store, *thresholds, ran);
    if (!report) return fail(report.error());
    if (!*asJson)
      for (const auto& s : *summary)
        if (!s.note.empty()) std::cout << "note: " << s.check << ": " << s.note << "\n";
    printReport(*report, *asJson);
  });
}

void addReport(CLI::App& parent) {
  auto* cmd = parent.add_subcommand("report", "Findings at the project's thresholds (no recomputation)");
  auto path = std::make_shared<std::string>();
  auto checks = std::make_shared<std::vector<std::string>>();
  auto overrides = std::make_shared<std::vector<std::string>>();
  auto blur = std::make_shared<double>(-1);
  auto asJson = std::make_shared<bool>(false);
  auto save = std::make_shared<bool>(false);
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("--checks", *checks, "Checks to show (default: all)")->delimiter(',');
  cmd->add_option("--set", *overrides, "Threshold override check=value (repeatable)");
  cmd->add_option("--blur-threshold", *blur, "Shorthand for --set blur=X");
  cmd->add_flag("--save", *save, "Store the overridden thresholds in the project");
  cmd->add_flag("--json", *asJson, "Print JSON");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    auto o = *overrides;
    if (*blur >= 0) o.push_back("blur=" + std::to_string(*blur));
    auto t = thresholdsWith(*store, o);
    if (!t) return fail(t.error());
    if (*save)
      if (auto st = t->save(*store); !st) return fail(st.error());
    auto report = clean::buildReport(*store, *t, *checks);
    if (!report) return fail(report.error());
    printReport(*report, *asJson);
  });
}

void addGroups(CLI::App& parent) {
  auto* cmd = parent.add_subcommand("groups", "List the duplicate groups of a check with their suggested keepers");
  auto path = std::make_shared<std::string>();
  auto check = std::make_shared<std::string>("near_dup");
  auto overrides = std::make_shared<std::vector<std::string>>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("--check", *check, "exact_dup, near_dup, text_exact_dup or text_near_dup");
  cmd->add_option("--set", *overrides, "Threshold override check=value");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    auto t = thresholdsWith(*store, *overrides);
    if (!t) return fail(t.error());
    auto report = clean::buildReport(*store, *t, {*check});
    if (!report) return fail(report.error());
    for (const auto& g : report->checks.front().groups) {
      std::cout << "group " << g.key << ": keep " << g.keeper << "; duplicates";
      for (auto m : g.members)
        if (m != g.keeper) {
          auto item = store->item(m);
          std::cout << " " << m << (item && !item->mediaPath.empty() ? "(" + item->mediaPath + ")" : "");
        }
      std::cout << "\n";
    }
  });
}

void addDecide(CLI::App& parent) {
  auto* cmd = parent.add_subcommand("decide", "Exclude, keep or restore findings (one item, one group or a whole check)");
  auto path = std::make_shared<std::string>();
  auto check = std::make_shared<std::string>();
  auto group = std::make_shared<std::int64_t>(0);
  auto item = std::make_shared<std::int64_t>(0);
  auto action = std::make_shared<std::string>();
  auto userName = std::make_shared<std::string>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("--check", *check, "Check name")->required();
  cmd->add_option("--group", *group, "Group key (from clean report / clean groups)");
  cmd->add_option("--item", *item, "Item id");
  cmd->add_option("--user", *userName, "Who decides (default: the first lead)");
  cmd->add_option("action", *action, "exclude, keep or restore")->required()->check(CLI::IsMember({"exclude", "keep", "restore"}));
  cmd->callback([=] {
    auto session = sessionOrFail(*path, *userName);
    if (!session) return;
    auto& store = session->store();
    auto t = clean::Thresholds::load(store);
    if (!t) return fail(t.error());
    clean::DecideTarget target;
    target.check = *check;
    if (*group > 0) target.group = *group;
    if (*item > 0) target.item = *item;
    const auto a = *action == "exclude" ? clean::DecideAction::Exclude
                   : *action == "keep"  ? clean::DecideAction::Keep
                                        : clean::DecideAction::Restore;
    auto r = clean::decide(store, *t, target, a, session->user().id);
    if (!r) return fail(r.error());
    std::cout << *action << ": " << r->decided << " finding(s) decided, " << r->excluded << " item(s) excluded, "
              << r->restored << " item(s) brought back\n";
  });
}

void addTextActions(CLI::App& parent) {
  auto path = std::make_shared<std::string>();
  auto items = std::make_shared<std::vector<std::int64_t>>();
  auto userName = std::make_shared<std::string>();
  auto makeAction = [=](CLI::App* cmd, clean::TextAction action) {
    cmd->add_option("project", *path, "Project file")->required();
    cmd->add_option("--item", *items, "Item ids (default: every current finding)")->delimiter(',');
    cmd->add_option("--user", *userName, "A lead (default: the first lead)");
    cmd->callback([=] {
      auto session = sessionOrFail(*path, *userName);
      if (!session) return;
      auto r = clean::applyTextAction(session->store(), action, *items, session->user().id);
      if (!r) return fail(r.error());
      std::cout << r->changed << " text(s) changed, " << r->unchanged << " had nothing to change";
      for (const auto& x : r->refused) std::cout << "\nrefused: " << x;
      std::cout << "\noriginals are kept for the lead: labelbench-cli clean original <project> --item N [--restore]\n";
    });
  };
  makeAction(parent.add_subcommand("mask", "Mask personal data in texts (original kept for the lead)"), clean::TextAction::MaskPii);
  makeAction(parent.add_subcommand("convert", "Convert traditional Chinese texts to simplified (OpenCC t2s)"),
             clean::TextAction::ToSimplified);

  auto* orig = parent.add_subcommand("original", "Show (or restore) a text as imported; lead only");
  auto item = std::make_shared<std::int64_t>(0);
  auto restore = std::make_shared<bool>(false);
  orig->add_option("project", *path, "Project file")->required();
  orig->add_option("--item", *item, "Item id")->required();
  orig->add_option("--user", *userName, "A lead (default: the first lead)");
  orig->add_flag("--restore", *restore, "Put the original text back");
  orig->callback([=] {
    auto session = sessionOrFail(*path, *userName);
    if (!session) return;
    if (*restore) {
      if (auto st = clean::restoreOriginalText(session->store(), *item, session->user().id); !st) return fail(st.error());
      std::cout << "item " << *item << ": original text restored\n";
      return;
    }
    auto text = clean::originalText(session->store(), *item, session->user().id);
    if (!text) return fail(text.error());
    std::cout << *text << "\n";
  });
}

void addThresholds(CLI::App& parent) {
  auto* cmd = parent.add_subcommand("thresholds", "Show or set the project's cleaning thresholds");
  auto path = std::make_shared<std::string>();
  auto overrides = std::make_shared<std::vector<std::string>>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("--set", *overrides, "check=value (repeatable)");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    auto t = thresholdsWith(*store, *overrides);
    if (!t) return fail(t.error());
    if (!overrides->empty())
      if (auto st = t->save(*store); !st) return fail(st.error());
    for (const auto& c : clean::allChecks())
      std::cout << std::left << std::setw(20) << c.name << std::setw(10) << formatScore(t->get(c.name))
                << (c.direction == clean::Direction::HighIsBad ? ">= " : "<= ") << c.unit << " — " << c.description << "\n";
  });
}

void printFolderGroups(const char* title, const std::vector<clean::FolderGroup>& groups) {
  std::cout << title << ": " << groups.size() << (groups.size() == 1 ? " group\n" : " groups\n");
  for (std::size_t k = 0; k < groups.size(); ++k) {
    std::cout << "  group " << k + 1 << ": keep " << groups[k].keeper << "; duplicates";
    for (const auto& f : groups[k].files)
      if (f != groups[k].keeper) std::cout << " " << f;
    std::cout << "\n";
  }
}

// Duplicates in a folder that was never imported: nothing is stored anywhere.
void addScan(CLI::App& parent) {
  auto* cmd = parent.add_subcommand("scan", "Find exact and near-duplicate images in a folder (no project needed)");
  auto dir = std::make_shared<std::string>();
  auto threshold = std::make_shared<double>(clean::findCheck("near_dup")->defaultThreshold);
  cmd->add_option("folder", *dir, "Folder of images (searched recursively)")->required();
  cmd->add_option("--threshold", *threshold, "near_dup pair score at or below which two images are duplicates")
      ->capture_default_str()
      ->check(CLI::Range(0.0, clean::findCheck("near_dup")->storeLimit));
  cmd->callback([=] {
    ProgressBar bar("scanning");
    clean::FolderScanOptions opts;
    opts.threshold = *threshold;
    opts.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
    auto scan = clean::scanFolder(*dir, opts);
    bar.finish();
    if (!scan) return fail(scan.error());
    std::cout << "scanned " << scan->images << " images in " << *dir << "\n";
    for (const auto& u : scan->unreadable) std::cout << "unreadable: " << u << "\n";
    printFolderGroups("exact duplicates", scan->exact);
    std::ostringstream t;
    t << "near duplicates (threshold " << *threshold << ")";
    printFolderGroups(t.str().c_str(), scan->near);
  });
}

CommandRegistrar reg(40, [](CLI::App& app) {
  auto* cmd = app.add_subcommand("clean", "Find duplicates, blur, exposure problems, junk text and personal data");
  cmd->require_subcommand(1);
  addRun(*cmd);
  addReport(*cmd);
  addGroups(*cmd);
  addDecide(*cmd);
  addThresholds(*cmd);
  addTextActions(*cmd);
  addScan(*cmd);
});

}  // namespace
}  // namespace lb::app
