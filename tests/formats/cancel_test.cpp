// A cancelled export leaves nothing that could pass for a finished one: no COCO JSON joined from
// half the items, no YOLO label files for the first images; files already in the folder stay.
#include <fstream>

#include "formats_test_util.h"

namespace lb::test {
namespace {

using labeling::AnnotationKind;
using lf::Format;

lf::Dataset boxes(int n) {
  lf::Dataset ds;
  ds.format = Format::Labelme;
  for (int i = 0; i < n; ++i) {
    lf::DatasetItem it;
    it.fileName = "img" + std::to_string(i) + ".jpg";
    it.widthPx = 64, it.heightPx = 48;
    lf::DatasetAnnotation box;
    box.className = i % 2 ? "cat" : "dog";
    box.a.kind = AnnotationKind::Box;
    box.a.coords = {1, 2, 30, 40};
    it.annotations.push_back(box);
    ds.items.push_back(it);
  }
  return ds;
}

std::vector<std::string> filesUnder(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) out.push_back(e.path().lexically_relative(dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CancelledExport, LeavesNoHalfFileAndKeepsWhatWasThere) {
  ScratchProject p;
  p.merge(boxes(600));
  for (Format f : {Format::Coco, Format::Yolo, Format::Labelme}) {
    SCOPED_TRACE(std::string(lf::toString(f)));
    const auto out = p.dir.path() / ("out_" + std::string(lf::toString(f)));
    fs::create_directories(out);
    std::ofstream(out / "README.txt") << "the client's note\n";
    std::atomic<bool> cancel{false};
    std::int64_t seen = 0;
    lf::ExportOptions opts;
    opts.cancel = &cancel;
    opts.progress = [&](std::int64_t done, std::int64_t) {
      seen = done;
      if (done >= 256) cancel = true;  // part-way through
    };
    auto src = lf::ExportSource::open(*p.store, opts.filter);
    ASSERT_TRUE(src.ok());
    auto r = lf::exportDataset(f, *src, out, opts);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->cancelled);
    EXPECT_GE(seen, 256);
    EXPECT_TRUE(r->files.empty());
    EXPECT_EQ(filesUnder(out), std::vector<std::string>{"README.txt"});
    for (const auto& name : filesUnder(p.dir.path())) EXPECT_EQ(name.find(".labelbench-partial"), std::string::npos) << name;

    // The same export run to the end puts its files beside the note, and no staging folder.
    opts.cancel = nullptr;
    opts.progress = nullptr;
    auto full = lf::exportDataset(f, *src, out, opts);
    ASSERT_TRUE(full.ok());
    EXPECT_FALSE(full->cancelled);
    EXPECT_EQ(full->items, 600);
    EXPECT_TRUE(fs::exists(out / "README.txt"));
    for (const auto& file : full->files) EXPECT_TRUE(fs::exists(out / file)) << file;
    for (const auto& name : filesUnder(p.dir.path())) EXPECT_EQ(name.find(".labelbench-partial"), std::string::npos) << name;
  }
  EXPECT_TRUE(fs::exists(p.dir.path() / "out_coco/annotations/instances_default.json"));
}

}  // namespace
}  // namespace lb::test
