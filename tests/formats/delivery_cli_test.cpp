// Delivery packages, verify, filters and split, and the CLI end to end.
#include "formats_test_util.h"

#include "labeling/delivery/delivery.h"
#include "labeling/formats/format_util.h"
#include "labeling/store/sqlite_project_store.h"

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <fstream>

namespace lb::test {
namespace {

using labeling::AnnotationKind;
using lf::Format;
namespace dl = lb::labeling::delivery;

// A project with the labelme instance-segmentation examples and some QC rows.
struct DeliveryProject : ScratchProject {
  DeliveryProject() {
    merge(mustImport(Format::Labelme, interop("labelme/wkentaro-labelme/examples/instance_segmentation/data_annotated")));
    auto items = store->items({});
    auto reviewer = store->addUser("rita", labeling::Role::Reviewer);
    labeling::Review r;
    r.itemId = items[0].id;
    r.reviewerId = *reviewer;
    r.verdict = labeling::ReviewVerdict::Accept;
    EXPECT_TRUE(store->addReview(r).ok());
    r.itemId = items[1].id;
    r.verdict = labeling::ReviewVerdict::Reject;
    r.reason = "missed object";
    EXPECT_TRUE(store->addReview(r).ok());
    EXPECT_TRUE(store->setItemState(items[0].id, labeling::ItemState::Accepted).ok());
    auto& db = dynamic_cast<labeling::SqliteProjectStore&>(*store).database();
    db.exec("INSERT INTO findings(item_id, check_name, score, decision) VALUES (" + std::to_string(items[2].id) +
            ", 'blur', 0.9, 'keep')");
  }
};

TEST(Delivery, FolderWithManifestStatisticsAndQc) {
  DeliveryProject p;
  dl::DeliveryOptions o;
  o.format = Format::Coco;
  o.out = (p.dir.path() / "delivery").string();
  o.exportOptions.withMedia = true;
  auto r = dl::buildDelivery(*p.store, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto d = p.dir.path() / "delivery";
  auto manifest = nlohmann::json::parse(*lf::readTextFile(d / "manifest.json"));
  std::set<std::string> listed;
  for (const auto& f : manifest["files"]) {
    listed.insert(f["path"]);
    EXPECT_EQ(f["sha256"], *dl::sha256File((d / f["path"].get<std::string>()).string()));
  }
  EXPECT_TRUE(listed.count("labels/annotations/instances_default.json"));
  EXPECT_TRUE(listed.count("statistics.json"));
  EXPECT_TRUE(listed.count("qc_summary.json"));
  EXPECT_EQ(std::count_if(listed.begin(), listed.end(), [](const std::string& s) { return s.find(".jpg") != std::string::npos; }), 3);
  auto stats = nlohmann::json::parse(*lf::readTextFile(d / "statistics.json"));
  EXPECT_EQ(stats["items"], 3);
  EXPECT_EQ(stats["annotations_by_class"]["person"]["polygon"], 7);  // 3 + 4 person polygons
  EXPECT_EQ(stats["annotations_by_class"]["sofa"]["polygon"], 4);
  EXPECT_EQ(stats["items_by_state"]["accepted"], 1);
  auto qc = nlohmann::json::parse(*lf::readTextFile(d / "qc_summary.json"));
  EXPECT_EQ(qc["review"]["latest_verdicts"]["accept"], 1);
  EXPECT_EQ(qc["review"]["latest_verdicts"]["reject"], 1);
  EXPECT_EQ(qc["review"]["reject_reasons"]["missed object"], 1);
  EXPECT_EQ(qc["cleaning_findings"]["blur"]["keep"], 1);

  auto ok = dl::verifyDelivery(d.string());
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ok());
  EXPECT_EQ(ok->checked, static_cast<std::int64_t>(listed.size()));

  // Tamper: alter one file, remove another, add a third.
  { std::ofstream(d / "statistics.json", std::ios::app) << " "; }
  fs::remove(d / "qc_summary.json");
  { std::ofstream(d / "labels/notes.txt") << "hi"; }
  auto bad = dl::verifyDelivery(d.string());
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->altered, std::vector<std::string>{"statistics.json"});
  EXPECT_EQ(bad->missing, std::vector<std::string>{"qc_summary.json"});
  EXPECT_EQ(bad->extra, std::vector<std::string>{"labels/notes.txt"});
}

TEST(Delivery, ZipIsVerifiedEntryByEntry) {
  DeliveryProject p;
  dl::DeliveryOptions o;
  o.format = Format::Yolo;
  o.out = (p.dir.path() / "d.zip").string();
  o.exportOptions.withMedia = true;
  auto r = dl::buildDelivery(*p.store, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(fs::exists(p.dir.path() / "d.zip.partial"));
  auto v = dl::verifyDelivery(o.out);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->ok());
  EXPECT_GE(v->checked, 3 + 3 + 3);  // labels, images, data.yaml, statistics, qc
  // Refuses to overwrite.
  EXPECT_FALSE(dl::buildDelivery(*p.store, o).ok());
}

// [SECTION] Filters and split

TEST(Filters, AcceptedOnlyBatchExcludedAndDates) {
  DeliveryProject p;
  auto items = p.store->items({});
  ASSERT_TRUE(p.store->setExcluded(items[2].id, true, "duplicate").ok());
  auto count = [&](lf::ExportFilter f) { return lf::ExportSource::open(*p.store, f)->items().size(); };
  EXPECT_EQ(count({}), 2u);  // excluded left out by default
  lf::ExportFilter f;
  f.includeExcluded = true;
  EXPECT_EQ(count(f), 3u);
  f = {};
  f.acceptedOnly = true;
  EXPECT_EQ(count(f), 1u);
  f = {};
  f.batchId = items[0].batchId + 100;
  EXPECT_EQ(count(f), 0u);
  f = {};
  f.fromMs = labeling::nowMs() + 3600'000;
  EXPECT_EQ(count(f), 0u);
  f = {};
  f.fromMs = *lf::parseDate("2020-01-01");
  f.toMs = labeling::nowMs() + 3600'000;
  EXPECT_EQ(count(f), 2u);
  EXPECT_FALSE(lf::parseDate("2020-13-01").ok());
  EXPECT_FALSE(lf::parseSplitRatios("0.8,abc").ok());
}

TEST(Filters, SplitIsStratifiedAndReproducible) {
  ScratchProject p;
  lf::Dataset ds;
  ds.format = Format::Yolo;
  for (int i = 0; i < 200; ++i) {
    lf::DatasetItem it;
    it.fileName = "img" + std::to_string(i) + ".jpg";
    it.widthPx = it.heightPx = 10;
    lf::DatasetAnnotation a;
    a.className = i < 150 ? "common" : "rare";  // 150 vs 50
    a.a.kind = AnnotationKind::Box;
    a.a.coords = {1, 1, 2, 2};
    it.annotations.push_back(a);
    ds.items.push_back(it);
  }
  p.merge(ds);
  lf::ExportFilter f;
  f.splitRatios = {0.8, 0.1, 0.1};
  f.seed = 7;
  auto a = lf::ExportSource::open(*p.store, f);
  auto b = lf::ExportSource::open(*p.store, f);
  std::map<std::string, std::map<std::string, int>> perClass;
  for (std::size_t i = 0; i < a->items().size(); ++i) {
    EXPECT_EQ(a->subsetOf(i), b->subsetOf(i));  // same seed, same split
    perClass[a->items()[i].id <= a->items()[149].id ? "common" : "rare"][a->subsetOf(i)]++;
  }
  EXPECT_EQ(perClass["common"]["train"], 120);
  EXPECT_EQ(perClass["common"]["val"], 15);
  EXPECT_EQ(perClass["common"]["test"], 15);
  EXPECT_EQ(perClass["rare"]["train"], 40);
  EXPECT_EQ(perClass["rare"]["val"], 5);
  EXPECT_EQ(perClass["rare"]["test"], 5);
  f.seed = 8;
  auto c = lf::ExportSource::open(*p.store, f);
  int differ = 0;
  for (std::size_t i = 0; i < a->items().size(); ++i) differ += a->subsetOf(i) != c->subsetOf(i);
  EXPECT_GT(differ, 0);
  // The YOLO export follows the split.
  lf::ExportOptions o;
  o.filter = f;
  p.exportTo(Format::Yolo, p.dir.path() / "y", o);
  EXPECT_EQ(lf::listFiles(p.dir.path() / "y/labels/val", {".txt"}).size(), 20u);
  EXPECT_NE(lf::readTextFile(p.dir.path() / "y/data.yaml")->find("test: images/test"), std::string::npos);
}

// [SECTION] CLI end to end

TEST(Cli, ImportExportDeliverVerify) {
  TempDir d;
  const std::string cli = cliPath();
  const std::string proj = d.file("p.lbproj");
  ASSERT_EQ(run(cli + " create " + proj).exitCode, 0);
  // A folder with one good and one broken labelme file: the bad one is named, the rest goes in.
  fs::copy(interop("labelme/wkentaro-labelme/examples/bbox_detection/data_annotated"), d.path() / "in");
  ASSERT_TRUE(lf::writeTextFile(d.path() / "in/broken.json", "{\"shapes\": [").ok());
  auto imp = run(cli + " import-labels " + proj + " --format labelme " + d.file("in"));
  EXPECT_EQ(imp.exitCode, 5) << imp.output;
  EXPECT_NE(imp.output.find("broken.json"), std::string::npos) << imp.output;
  EXPECT_NE(imp.output.find("imported 9 annotations"), std::string::npos) << imp.output;
  // Importing again adds nothing.
  auto again = run(cli + " import-labels " + proj + " --format labelme " + d.file("in/2011_000003.json"));
  EXPECT_EQ(again.exitCode, 0) << again.output;
  EXPECT_NE(again.output.find("imported 0 annotations: 1 items matched"), std::string::npos) << again.output;

  auto exp = run(cli + " export " + proj + " --format voc --out " + d.file("voc") + " --split 0.5,0.5 --seed 3");
  EXPECT_EQ(exp.exitCode, 0) << exp.output;
  EXPECT_NE(exp.output.find("exported 3 items, 9 annotations"), std::string::npos) << exp.output;
  EXPECT_TRUE(fs::exists(d.path() / "voc/ImageSets/Main/train.txt"));
  auto yolo = run(cli + " export " + proj + " --format yolo --out " + d.file("yolo"));
  EXPECT_EQ(yolo.exitCode, 0) << yolo.output;
  auto badSplit = run(cli + " export " + proj + " --format coco --out " + d.file("c") + " --split 0.8,x");
  EXPECT_EQ(badSplit.exitCode, 2);
  EXPECT_NE(badSplit.output.find("0.8,x"), std::string::npos) << badSplit.output;
  auto accepted = run(cli + " export " + proj + " --format coco --out " + d.file("acc") + " --accepted-only");
  EXPECT_EQ(accepted.exitCode, 0) << accepted.output;
  EXPECT_NE(accepted.output.find("exported 0 items"), std::string::npos) << accepted.output;

  auto del = run(cli + " deliver " + proj + " --format coco --with-media --out " + d.file("del.zip"));
  EXPECT_EQ(del.exitCode, 0) << del.output;
  EXPECT_NE(del.output.find("manifest.json SHA-256"), std::string::npos);
  auto ver = run(cli + " verify " + d.file("del.zip"));
  EXPECT_EQ(ver.exitCode, 0) << ver.output;
  EXPECT_NE(ver.output.find("ok:"), std::string::npos);

  auto del2 = run(cli + " deliver " + proj + " --format labelme --out " + d.file("del"));
  ASSERT_EQ(del2.exitCode, 0) << del2.output;
  fs::remove(d.path() / "del/statistics.json");
  auto ver2 = run(cli + " verify " + d.file("del"));
  EXPECT_NE(ver2.exitCode, 0);
  EXPECT_NE(ver2.output.find("missing: statistics.json"), std::string::npos) << ver2.output;
  auto none = run(cli + " verify " + d.file("nothing-here"));
  EXPECT_EQ(none.exitCode, 3) << none.output;
}

}  // namespace
}  // namespace lb::test

namespace lb::test {
namespace {

TEST(Cancel, ExportAndMergeStopWhenAsked) {
  auto ds = mustImport(lf::Format::Labelme, interop("labelme/wkentaro-labelme/examples/instance_segmentation/data_annotated"));
  ScratchProject p;
  std::atomic<bool> cancel{true};
  lf::MergeOptions mo;
  mo.cancel = &cancel;
  auto merged = lf::mergeDataset(*p.store, ds, mo);
  ASSERT_TRUE(merged.ok());
  EXPECT_TRUE(merged->cancelled);
  EXPECT_EQ(p.store->countItems({}), 0);
  p.merge(ds);
  lf::ExportOptions opts;
  opts.cancel = &cancel;
  auto src = lf::ExportSource::open(*p.store, opts.filter);
  auto r = lf::exportDataset(lf::Format::Coco, *src, p.dir.path() / "out", opts);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cancelled);
  EXPECT_EQ(r->items, 0);
}

TEST(Cancel, DoccanoOffsetInsideASurrogatePairIsNamed) {
  TempDir d;
  // "😀" takes UTF-16 units 0-1: offset 1 cuts it in half.
  ASSERT_TRUE(lf::writeTextFile(d.path() / "x.jsonl", R"({"text": "😀ab", "label": [[1, 3, "X"], [2, 4, "Y"]]})" "\n").ok());
  auto ds = mustImport(lf::Format::Doccano, d.path() / "x.jsonl");
  ASSERT_EQ(ds.items.size(), 1u);
  ASSERT_EQ(ds.items[0].annotations.size(), 1u);
  EXPECT_EQ(ds.items[0].annotations[0].className, "Y");
  ASSERT_EQ(ds.problems.size(), 1u);
  EXPECT_NE(ds.problems[0].find("surrogate"), std::string::npos);
}

}  // namespace
}  // namespace lb::test
