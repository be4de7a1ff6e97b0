// `import texts` and `import prompts`: sub-commands of the `import` parent that cmd_import.cpp
// creates (order 20); registered after it (order 21).
#include <atomic>
#include <csignal>
#include <iostream>

#include "cli_support.h"
#include "labeling/import/text_import.h"

namespace lb::app {
namespace {

using namespace lb::labeling;

std::atomic<bool> g_cancelText{false};

extern "C" void onInterruptText(int) {
  g_cancelText.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl+C stops at once
}

// The importing user: --user if given, else the first lead (as `import images` does).
bool resolveUser(ProjectStore& store, const std::string& path, const std::string& name, UserId& out) {
  if (!name.empty()) {
    auto u = store.userByName(name);
    if (!u) {
      fail(makeError(ErrorCode::NotFound, "no user named '" + name + "' in " + path + "; add one with: labelbench-cli user add"));
      return false;
    }
    out = u->id;
    return true;
  }
  for (const auto& u : store.users())
    if (u.role == Role::Lead) {
      out = u.id;
      break;
    }
  return true;
}

template <typename Run>
void runImport(Run&& run) {
  ProgressBar bar("importing");
  g_cancelText.store(false);
  auto previous = std::signal(SIGINT, onInterruptText);
  Result<TextImportReport> report = run([&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); });
  std::signal(SIGINT, previous);
  bar.finish();
  if (!report) return fail(report.error());
  std::cout << report->imported << " imported, " << report->alreadyInProject << " already in project, "
            << report->rejected.size() << " rejected\n";
  for (const auto& r : report->rejected) std::cout << "  rejected: " << r.describe() << "\n";
  if (report->cancelled) {
    std::cout << "cancelled: the items above are in the project; run the same command again to import the rest\n";
    exitCode() = 130;
  } else if (!report->rejected.empty()) {
    exitCode() = 5;
  }
}

void addTexts(CLI::App& parent) {
  auto* cmd = parent.add_subcommand(
      "texts", "Import texts: TXT (one item per line or per file), JSONL (--field), CSV/TSV (--column). "
               "The encoding (UTF-8 with or without BOM, GBK/GB18030, UTF-16) is detected; texts are stored as UTF-8 NFC");
  auto path = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto mode = std::make_shared<std::string>("lines");
  auto field = std::make_shared<std::string>("text");
  auto column = std::make_shared<std::string>();
  auto noHeader = std::make_shared<bool>(false);
  auto batch = std::make_shared<std::string>();
  auto userName = std::make_shared<std::string>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("files", *inputs, "Text files or folders")->required();
  cmd->add_option("--mode", *mode, "lines (one item per line), file (one per file), jsonl, csv or tsv")
      ->check(CLI::IsMember({"lines", "file", "jsonl", "csv", "tsv"}));
  cmd->add_option("--field", *field, "JSONL: the field holding the text; dotted path for nested fields (data.text)");
  cmd->add_option("--column", *column, "CSV/TSV: the column holding the text, by header name or 1-based number "
                                       "(default: the first)");
  cmd->add_flag("--no-header", *noHeader, "CSV/TSV: the first row is data, not column names");
  cmd->add_option("--batch", *batch, "Batch name (default: the first input's name)");
  cmd->add_option("--user", *userName, "Who imports (recorded in the event log; default: first lead)");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    TextImportOptions opts;
    opts.mode = textImportModeFrom(*mode).value();
    opts.field = *field;
    opts.column = *column;
    opts.header = !*noHeader;
    opts.batchName = *batch;
    opts.cancel = &g_cancelText;
    opts.sessionId = "cli";
    if (!resolveUser(*store, *path, *userName, opts.userId)) return;
    runImport([&](auto progress) {
      opts.progress = progress;
      return importTexts(*store, *inputs, opts);
    });
  });
}

void addPrompts(CLI::App& parent) {
  auto* cmd = parent.add_subcommand(
      "prompts", "Import prompts with model responses (JSONL) for rating and ranking: choose the prompt field and "
                 "either one array of responses (--responses-field) or one field per response (--response-field, "
                 "repeated)");
  auto path = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto opts = std::make_shared<PromptImportOptions>();
  auto userName = std::make_shared<std::string>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("files", *inputs, "JSONL files or folders")->required();
  cmd->add_option("--prompt-field", opts->promptField, "Field holding the prompt (dotted path ok)");
  cmd->add_option("--responses-field", opts->responsesField,
                  "Field holding an array of responses (strings, or objects with --response-text-field)");
  cmd->add_option("--response-text-field", opts->responseTextField, "In response objects: the text field");
  cmd->add_option("--response-source-field", opts->responseSourceField, "In response objects: the model name field");
  cmd->add_option("--response-field", opts->responseFields, "A field holding one response; repeat for each");
  cmd->add_option("--min-responses", opts->minResponses, "Records with fewer responses are rejected")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--batch", opts->batchName, "Batch name (default: the first input's name)");
  cmd->add_option("--user", *userName, "Who imports (recorded in the event log; default: first lead)");
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    PromptImportOptions o = *opts;
    o.cancel = &g_cancelText;
    o.sessionId = "cli";
    if (!resolveUser(*store, *path, *userName, o.userId)) return;
    runImport([&](auto progress) {
      o.progress = progress;
      return importPrompts(*store, *inputs, o);
    });
  });
}

const CommandRegistrar registrar(21, [](CLI::App& app) {
  CLI::App* parent = nullptr;
  try {
    parent = app.get_subcommand("import");
  } catch (const CLI::OptionNotFound&) {
    // `import images` is not built in this tree: create the parent ourselves.
    parent = app.add_subcommand("import", "Import items into a project");
    parent->require_subcommand(1);
  }
  addTexts(*parent);
  addPrompts(*parent);
});

}  // namespace
}  // namespace lb::app
