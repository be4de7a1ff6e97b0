// Sub-commands for interoperability and delivery: import-labels, export, deliver, verify.
#include <iostream>
#include <memory>

#include "cli_support.h"
#include "labeling/delivery/delivery.h"
#include "labeling/formats/formats.h"

namespace lb::app {
namespace {

using namespace lb::labeling;
namespace lf = lb::labeling::formats;

std::string formatList() {
  std::string s;
  for (auto f : lf::allFormats()) s += (s.empty() ? "" : ", ") + std::string(lf::toString(f));
  return s;
}

std::vector<std::string> formatNames() {
  std::vector<std::string> out;
  for (auto f : lf::allFormats()) out.emplace_back(lf::toString(f));
  return out;
}

// Options shared by export and deliver.
struct ExportArgs {
  std::string project, format, out, split, from, to, yoloLayout = "ultralytics", scheme = "IOB2";
  bool acceptedOnly = false, withMedia = false, includeExcluded = false, embedImages = false;
  std::int64_t batch = 0;
  std::uint64_t seed = 1;
};

void addExportOptions(CLI::App* cmd, ExportArgs& a) {
  cmd->add_option("project", a.project, "Project file")->required();
  cmd->add_option("--format", a.format, "One of: " + formatList())->required()->check(CLI::IsMember(formatNames()));
  cmd->add_flag("--accepted-only", a.acceptedOnly, "Only items a reviewer accepted");
  cmd->add_option("--batch", a.batch, "Only this batch (id)");
  cmd->add_option("--from", a.from, "Only items labelled on or after this date (YYYY-MM-DD, UTC)");
  cmd->add_option("--to", a.to, "... and before this date (YYYY-MM-DD, UTC)");
  cmd->add_flag("--include-excluded", a.includeExcluded, "Also export items cleaning excluded (junk, duplicates)");
  cmd->add_option("--split", a.split, "Split into train/val[/test] by ratio, e.g. 0.8,0.1,0.1 (stratified by class)");
  cmd->add_option("--seed", a.seed, "Seed of the split (same seed, same split)");
  cmd->add_flag("--with-media", a.withMedia, "Copy the images into the export");
  cmd->add_option("--yolo-layout", a.yoloLayout, "YOLO: ultralytics or darknet")->check(CLI::IsMember({"ultralytics", "darknet"}));
  cmd->add_option("--scheme", a.scheme, "CoNLL: IOB1, IOB2 or BIOES")->check(CLI::IsMember({"IOB1", "IOB2", "BIOES"}));
  cmd->add_flag("--embed-images", a.embedImages, "labelme: put the image data inside each JSON");
}

// Fills options from the arguments; false (after printing why) on a bad value.
bool makeOptions(const ExportArgs& a, lf::ExportOptions& o) {
  if (!a.split.empty()) {
    auto r = lf::parseSplitRatios(a.split);
    if (!r) return fail(r.error()), false;
    o.filter.splitRatios = *r;
  }
  for (auto [text, target] : {std::pair{&a.from, &o.filter.fromMs}, {&a.to, &o.filter.toMs}}) {
    if (text->empty()) continue;
    auto t = lf::parseDate(*text);
    if (!t) return fail(t.error()), false;
    *target = *t;
  }
  o.filter.acceptedOnly = a.acceptedOnly;
  if (a.batch) o.filter.batchId = a.batch;
  o.filter.includeExcluded = a.includeExcluded;
  o.filter.seed = a.seed;
  o.withMedia = a.withMedia;
  o.yoloLayout = a.yoloLayout;
  o.conllScheme = a.scheme;
  o.labelmeEmbedImages = a.embedImages;
  return true;
}

void printLosses(const lf::ExportReport& r) {
  if (r.losses.empty()) return;
  std::cerr << "warning: the format could not hold everything:\n";
  for (const auto& [what, l] : r.losses) {
    std::cerr << "  " << what << ": " << l.count << "\n";
    for (const auto& e : l.examples) std::cerr << "      e.g. " << e << "\n";
  }
}

void addImportLabels(CLI::App& app) {
  auto* cmd = app.add_subcommand("import-labels", "Import labels written by another tool (matching items by file name)");
  auto project = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>();
  auto path = std::make_shared<std::string>();
  auto batch = std::make_shared<std::string>();
  auto noCreate = std::make_shared<bool>(false);
  cmd->add_option("project", *project, "Project file")->required();
  cmd->add_option("--format", *format, "One of: " + formatList())->required()->check(CLI::IsMember(formatNames()));
  cmd->add_option("path", *path, "Label file or dataset folder")->required();
  cmd->add_option("--batch-name", *batch, "Batch for items the project does not have yet");
  cmd->add_flag("--no-new-items", *noCreate, "Only label items already in the project; report the others");
  cmd->callback([=] {
    auto store = openOrFail(*project);
    if (!store) return;
    const auto f = *lf::formatFrom(*format);
    auto ds = lf::importDataset(f, *path);
    if (!ds) return fail(ds.error());
    for (const auto& p : ds->problems) std::cerr << "skipped: " << p << "\n";
    for (const auto& n : ds->notes) std::cerr << "note: " << n << "\n";
    ProgressBar bar("importing labels");
    lf::MergeOptions mo;
    mo.batchName = *batch;
    mo.createMissingItems = !*noCreate;
    mo.progress = [&](std::int64_t d, std::int64_t t) { bar.update(d, t); };
    auto r = lf::mergeDataset(*store, *ds, mo);
    bar.finish();
    if (!r) return fail(r.error());
    for (const auto& p : r->problems) std::cerr << "problem: " << p << "\n";
    std::cout << "imported " << r->annotationsAdded << " annotations: " << r->itemsMatched << " items matched, "
              << r->itemsCreated << " items added, " << r->classesCreated << " classes added";
    if (r->annotationsAlreadyThere) std::cout << ", " << r->annotationsAlreadyThere << " already in the project";
    std::cout << "\n";
    if (!ds->problems.empty()) {
      std::cerr << ds->problems.size() << " file(s) or record(s) could not be read (named above); the rest was imported\n";
      exitCode() = 5;
    }
  });
}

void addExport(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Export labels in another tool's format");
  auto a = std::make_shared<ExportArgs>();
  addExportOptions(cmd, *a);
  cmd->add_option("--out", a->out, "Output folder")->required();
  cmd->callback([=] {
    auto store = openOrFail(a->project);
    if (!store) return;
    lf::ExportOptions o;
    if (!makeOptions(*a, o)) return;
    auto src = lf::ExportSource::open(*store, o.filter);
    if (!src) return fail(src.error());
    ProgressBar bar("exporting");
    o.progress = [&](std::int64_t d, std::int64_t t) { bar.update(d, t); };
    auto r = lf::exportDataset(*lf::formatFrom(a->format), *src, a->out, o);
    bar.finish();
    if (!r) return fail(r.error());
    printLosses(*r);
    std::cout << "exported " << r->items << " items, " << r->annotations << " annotations to " << a->out;
    if (r->nothingHere) std::cout << " (" << r->nothingHere << " marked 'nothing here')";
    std::cout << "\n";
    if (r->unlabelledLeftOut) std::cout << "left out " << r->unlabelledLeftOut << " items not labelled yet\n";
  });
}

void addDeliver(CLI::App& app) {
  auto* cmd = app.add_subcommand("deliver", "Build a delivery: export, statistics, QC summary and a SHA-256 manifest");
  auto a = std::make_shared<ExportArgs>();
  addExportOptions(cmd, *a);
  cmd->add_option("--out", a->out, "New folder, or a file ending in .zip")->required();
  cmd->callback([=] {
    auto store = openOrFail(a->project);
    if (!store) return;
    delivery::DeliveryOptions d;
    if (!makeOptions(*a, d.exportOptions)) return;
    d.format = *lf::formatFrom(a->format);
    d.out = a->out;
    ProgressBar bar("delivering");
    d.exportOptions.progress = [&](std::int64_t done, std::int64_t t) { bar.update(done, t); };
    auto r = delivery::buildDelivery(*store, d);
    bar.finish();
    if (!r) return fail(r.error());
    printLosses(r->exportReport);
    for (const auto& n : r->notes) std::cout << "note: " << n << "\n";
    std::cout << "delivered " << r->exportReport.items << " items, " << r->exportReport.annotations << " annotations in "
              << r->files << " files to " << a->out << "\nmanifest.json SHA-256: " << r->manifestSha256 << "\n";
  });
}

void addVerify(CLI::App& app) {
  auto* cmd = app.add_subcommand("verify", "Check a delivery folder or zip against its manifest");
  auto path = std::make_shared<std::string>();
  cmd->add_option("delivery", *path, "Delivery folder or .zip")->required();
  cmd->callback([=] {
    auto r = delivery::verifyDelivery(*path);
    if (!r) return fail(r.error());
    for (const auto& f : r->missing) std::cout << "missing: " << f << "\n";
    for (const auto& f : r->altered) std::cout << "altered: " << f << "\n";
    for (const auto& f : r->extra) std::cout << "extra: " << f << "\n";
    if (r->ok()) {
      std::cout << "ok: " << r->checked << " files match the manifest\n";
      return;
    }
    fail(std::to_string(r->missing.size()) + " missing, " + std::to_string(r->altered.size()) + " altered, " +
             std::to_string(r->extra.size()) + " extra file(s) in " + *path,
         7);
  });
}

CommandRegistrar reg(40, [](CLI::App& app) {
  addImportLabels(app);
  addExport(app);
  addDeliver(app);
  addVerify(app);
});

}  // namespace
}  // namespace lb::app
