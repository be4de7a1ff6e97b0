// Every way images get into a project, checked through the rows a user's project ends up with.
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "import/import_fixtures.h"
#include "labeling/import/image_import.h"
#include "labeling/import/image_signals.h"
#include "support/test_support.h"

namespace lb::test {
namespace {

namespace fs = std::filesystem;
using namespace lb::labeling;

class ImageImport : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = createProject(dir.file("p.lbproj"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store = std::move(s).value();
  }
  ImportReport import(const std::vector<std::string>& inputs, ImageImportOptions opts = {}) {
    auto r = importImages(*store, inputs, opts);
    EXIT_IF_FAILED(r);
    return r.ok() ? r.value() : ImportReport{};
  }
  static void EXIT_IF_FAILED(const Result<ImportReport>& r) { ASSERT_TRUE(r.ok()) << r.error().message; }
  std::vector<Item> items() { return store->items(ItemFilter{}); }
  std::string project() const { return dir.file("p.lbproj"); }

  TempDir dir;
  std::unique_ptr<ProjectStore> store;
};

TEST_F(ImageImport, FolderIsImportedRecursivelyWithHashSizeThumbnailAndSignals) {
  const fs::path in = dir.path() / "photos";
  writeSamplePhoto(in / "a.jpg", 1920, 1080, 0);
  writeSamplePhoto(in / "b.png", 640, 480, 1);
  writeSamplePhoto(in / "deeper" / "deepest" / "c.jpg", 800, 600, 2);
  {
    std::ofstream(in / "notes.txt") << "not an image, not named like one: ignored in folders\n";
  }
  const auto report = import({in.string()});
  EXPECT_EQ(report.imported, 3);
  EXPECT_TRUE(report.rejected.empty());
  ASSERT_NE(report.batchId, 0);
  EXPECT_EQ(store->batches().at(0).name, "photos");

  const auto all = items();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].mediaPath, "photos/a.jpg");  // media root = the project's folder
  EXPECT_EQ(all[0].sourceKey, "photos/a.jpg");
  EXPECT_EQ(all[0].widthPx, 1920);
  EXPECT_EQ(all[0].heightPx, 1080);
  EXPECT_EQ(all[0].fileSizeBytes, static_cast<std::int64_t>(fs::file_size(in / "a.jpg")));
  EXPECT_EQ(all[0].contentHash.size(), 64u);
  EXPECT_NE(all[0].contentHash, all[1].contentHash);
  EXPECT_EQ(all[2].mediaPath, "photos/deeper/deepest/c.jpg");

  for (const auto& it : all) {
    auto t = store->thumbnail(it.id);
    ASSERT_TRUE(t.has_value()) << it.mediaPath;
    EXPECT_EQ(std::max(t->widthPx, t->heightPx), 256) << it.mediaPath;
    cv::Mat thumb = cv::imdecode(t->jpeg, cv::IMREAD_COLOR);
    EXPECT_EQ(thumb.cols, t->widthPx);
    EXPECT_EQ(thumb.rows, t->heightPx);
  }
  // 1920x1080 -> 256x144
  EXPECT_EQ(store->thumbnail(all[0].id)->heightPx, 144);
  EXPECT_EQ(store->signals(signal_keys::kPHash).size(), 3u);
  EXPECT_EQ(store->signals(signal_keys::kMeanLuma).size(), 3u);
  // The event log records the import with its counts.
  EXPECT_EQ(queryText(project(), "SELECT action FROM events ORDER BY id DESC LIMIT 1"), "import");
  EXPECT_NE(queryText(project(), "SELECT detail_json FROM events ORDER BY id DESC LIMIT 1").find("\"imported\":3"),
            std::string::npos);
}

TEST_F(ImageImport, ReimportingAFolderAddsOnlyWhatIsNew) {
  const fs::path in = dir.path() / "photos";
  writeSamplePhoto(in / "a.jpg", 320, 240, 0);
  writeSamplePhoto(in / "b.jpg", 320, 240, 1);
  EXPECT_EQ(import({in.string()}).imported, 2);
  writeSamplePhoto(in / "c.jpg", 320, 240, 2);
  const auto again = import({in.string()});
  EXPECT_EQ(again.imported, 1);
  EXPECT_EQ(again.alreadyInProject, 2);
  EXPECT_EQ(items().size(), 3u);
  const auto third = import({in.string()});
  EXPECT_EQ(third.imported, 0);
  EXPECT_EQ(third.alreadyInProject, 3);
  EXPECT_EQ(third.batchId, 0);  // nothing new: no empty batch
  EXPECT_EQ(store->batches().size(), 2u);
}

TEST_F(ImageImport, EveryFormatIsReadWithItsRealSize) {
  const fs::path in = dir.path() / "formats";
  writeSamplePhoto(in / "a.png", 400, 300, 0);
  writeSamplePhoto(in / "b.bmp", 401, 301, 1);
  writeSamplePhoto(in / "c.tiff", 402, 302, 2);
  writeSamplePhoto(in / "d.webp", 403, 303, 3);
  writeSamplePhoto(in / "e.jpeg", 404, 304, 4);
  const auto report = import({in.string()});
  EXPECT_EQ(report.imported, 5);
  EXPECT_TRUE(report.rejected.empty()) << report.rejected.front().reason;
  const auto all = items();
  ASSERT_EQ(all.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(all[i].widthPx, 400 + i) << all[i].mediaPath;
    EXPECT_EQ(all[i].heightPx, 300 + i) << all[i].mediaPath;
    EXPECT_TRUE(store->thumbnail(all[i].id).has_value());
  }
}

TEST_F(ImageImport, ExifOrientationIsHonouredForSizeAndThumbnail) {
  const fs::path f = dir.path() / "rotated.jpg";
  writeBytes(f, jpegWithOrientation6());
  EXPECT_EQ(import({f.string()}).imported, 1);
  const auto it = items().at(0);
  EXPECT_EQ(it.widthPx, 200);  // stored 300x200, displayed turned a quarter clockwise
  EXPECT_EQ(it.heightPx, 300);
  const auto t = store->thumbnail(it.id);
  ASSERT_TRUE(t);
  EXPECT_LT(t->widthPx, t->heightPx);
  cv::Mat thumb = cv::imdecode(t->jpeg, cv::IMREAD_COLOR);
  // The left (red) half of the stored image is the top after turning clockwise.
  const auto top = thumb.at<cv::Vec3b>(thumb.rows / 4, thumb.cols / 2);
  const auto bottom = thumb.at<cv::Vec3b>(3 * thumb.rows / 4, thumb.cols / 2);
  EXPECT_GT(top[2], 200);
  EXPECT_LT(top[0], 60);
  EXPECT_GT(bottom[0], 200);
  EXPECT_LT(bottom[2], 60);
}

TEST_F(ImageImport, ZipTarAndTarGzAreUnpackedIntoTheBatchMediaFolder) {
  writeSamplePhoto(dir.path() / "src" / "x.jpg", 320, 240, 0);
  writeSamplePhoto(dir.path() / "src" / "y.png", 320, 240, 1);
  const auto x = readBytes(dir.path() / "src" / "x.jpg");
  const auto y = readBytes(dir.path() / "src" / "y.png");
  writeArchive(dir.path() / "set1.zip", ArchiveKind::Zip,
               {{"imgs/x.jpg", x, "", ""}, {"imgs/y.png", y, "", ""}, {"README.txt", {'h', 'i'}, "", ""}});
  writeArchive(dir.path() / "set2.tar", ArchiveKind::Tar, {{"x.jpg", x, "", ""}});
  writeArchive(dir.path() / "set3.tar.gz", ArchiveKind::TarGz, {{"a/b/y.png", y, "", ""}});

  ImageImportOptions opts;
  opts.batchName = "delivery 7";
  const auto report = import({dir.file("set1.zip"), dir.file("set2.tar"), dir.file("set3.tar.gz")}, opts);
  EXPECT_EQ(report.imported, 4);
  EXPECT_TRUE(report.rejected.empty());
  std::vector<std::string> paths;
  for (const auto& it : items()) paths.push_back(it.mediaPath);
  EXPECT_EQ(paths, (std::vector<std::string>{"media/delivery 7/set1/imgs/x.jpg", "media/delivery 7/set1/imgs/y.png",
                                             "media/delivery 7/set2/x.jpg", "media/delivery 7/set3/a/b/y.png"}));
  EXPECT_TRUE(fs::exists(dir.path() / "media/delivery 7/set1/imgs/x.jpg"));
  EXPECT_FALSE(fs::exists(dir.path() / "media/delivery 7/set1/README.txt"));
  // The unpacked copy is byte-identical: same content hash as the original file.
  EXPECT_EQ(items()[0].contentHash, items()[2].contentHash);
  // Importing the same archive into the same batch again adds nothing.
  const auto again = import({dir.file("set1.zip")}, opts);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.alreadyInProject, 2);
}

TEST_F(ImageImport, ListFileNamesFilesAndFoldersRelativeToItself) {
  writeSamplePhoto(dir.path() / "lists" / "one.jpg", 320, 240, 0);
  writeSamplePhoto(dir.path() / "lists" / "more" / "two.jpg", 320, 240, 1);
  writeSamplePhoto(dir.path() / "elsewhere" / "three.jpg", 320, 240, 2);
  {
    std::ofstream list(dir.path() / "lists" / "batch.txt");
    list << "# images for Tuesday\none.jpg\r\n\n  more  \n" << (dir.path() / "elsewhere" / "three.jpg").string()
         << "\nmissing.jpg\n";
  }
  const auto report = import({"@" + dir.file("lists/batch.txt")});
  EXPECT_EQ(report.imported, 3);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_NE(report.rejected[0].reason.find("missing.jpg"), std::string::npos);
  EXPECT_NE(report.rejected[0].reason.find("does not exist"), std::string::npos);
  EXPECT_EQ(store->batches().at(0).name, "batch");
}

TEST_F(ImageImport, SingleFilesAreImportedAsGiven) {
  writeSamplePhoto(dir.path() / "a.jpg", 320, 240, 0);
  writeSamplePhoto(dir.path() / "b.webp", 320, 240, 1);
  const auto report = import({dir.file("a.jpg"), dir.file("b.webp"), dir.file("a.jpg")});
  EXPECT_EQ(report.imported, 2);  // the same file named twice counts once
  EXPECT_EQ(items().size(), 2u);
}

TEST_F(ImageImport, VideoBecomesEveryNthFrameAsJpegInTheMediaFolder) {
  const std::string video = opencvSample("Megamind.avi");
  ImageImportOptions opts;
  opts.videoFrameStep = 100;
  opts.batchName = "clip";
  const auto report = import({video}, opts);
  ASSERT_TRUE(report.rejected.empty()) << report.rejected.front().reason;
  ASSERT_GE(report.imported, 2);
  const auto all = items();
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].frameIndex, static_cast<int>(i) * 100);
    EXPECT_NE(all[i].sourceKey.find("Megamind.avi#frame=" + std::to_string(i * 100)), std::string::npos);
    EXPECT_TRUE(fs::exists(dir.path() / all[i].mediaPath)) << all[i].mediaPath;
    EXPECT_EQ(all[i].mediaPath.rfind("media/clip/", 0), 0u) << all[i].mediaPath;
    cv::Mat frame = cv::imread((dir.path() / all[i].mediaPath).string());
    EXPECT_EQ(frame.cols, all[i].widthPx);
    EXPECT_TRUE(store->thumbnail(all[i].id).has_value());
  }
  const auto again = import({video}, opts);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.alreadyInProject, report.imported);
}

TEST_F(ImageImport, CancelStopsAndLeavesOnlyWholeItems) {
  const fs::path in = dir.path() / "many";
  for (int i = 0; i < 60; ++i) writeSamplePhoto(in / ("p" + std::to_string(100 + i) + ".jpg"), 640, 480, i);
  std::atomic<bool> cancel{false};
  ImageImportOptions opts;
  opts.cancel = &cancel;
  opts.progress = [&](std::int64_t done, std::int64_t) {
    if (done >= 1) cancel = true;
  };
  const auto report = import({in.string()}, opts);
  EXPECT_TRUE(report.cancelled);
  EXPECT_LT(report.imported, 60);
  EXPECT_EQ(queryInt(project(), "SELECT count(*) FROM items WHERE id NOT IN (SELECT item_id FROM thumbnails)"), 0);
  EXPECT_EQ(queryInt(project(), "SELECT count(*) FROM items"), report.imported);
  // Running it again finishes the job.
  const auto rest = import({in.string()});
  EXPECT_EQ(rest.imported + report.imported, 60);
}

}  // namespace
}  // namespace lb::test
