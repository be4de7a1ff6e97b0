// Broken and hostile inputs: each is refused with a reason naming it, and the rest goes on.
#include <gtest/gtest.h>

#include <fstream>

#include "import/import_fixtures.h"
#include "labeling/import/image_import.h"
#include "support/test_support.h"

namespace lb::test {
namespace {

namespace fs = std::filesystem;
using namespace lb::labeling;

class BadFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = createProject(dir.file("p.lbproj"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store = std::move(s).value();
  }
  ImportReport import(const std::vector<std::string>& inputs) {
    auto r = importImages(*store, inputs, {});
    if (!r) ADD_FAILURE() << r.error().message;
    return r.ok() ? r.value() : ImportReport{};
  }
  // The one rejection whose path contains `name`; fails the test if there is none.
  static std::string reasonFor(const ImportReport& r, const std::string& name) {
    for (const auto& x : r.rejected)
      if (x.path.find(name) != std::string::npos) return x.reason;
    ADD_FAILURE() << "no rejection for " << name;
    return {};
  }
  std::int64_t itemCount() { return store->countItems(ItemFilter{}); }

  TempDir dir;
  std::unique_ptr<ProjectStore> store;
};

TEST_F(BadFiles, EachBrokenFileIsRejectedByNameAndTheGoodOnesGoIn) {
  const fs::path in = dir.path() / "mixed";
  writeSamplePhoto(in / "good1.jpg", 640, 480, 0);
  writeSamplePhoto(in / "good2.png", 640, 480, 1);
  writeBytes(in / "zero.jpg", {});
  auto full = readBytes(in / "good1.jpg");
  writeBytes(in / "truncated.jpg", std::vector<unsigned char>(full.begin(), full.begin() + full.size() / 2));
  auto png = readBytes(in / "good2.png");
  writeBytes(in / "truncated.png", std::vector<unsigned char>(png.begin(), png.begin() + png.size() / 2));
  { std::ofstream(in / "letter.jpg") << "Dear customer, this is a text file with a .jpg name.\n"; }
  writeBytes(in / "huge.png", pngHeaderClaiming(100000, 100000));
  writeBytes(in / "huge.jpg", jpegHeaderClaiming(65000, 65000));

  const auto r = import({in.string()});
  EXPECT_EQ(r.imported, 2);
  EXPECT_EQ(r.rejected.size(), 6u);
  EXPECT_EQ(itemCount(), 2);

  const auto zero = reasonFor(r, "zero.jpg");
  EXPECT_NE(zero.find("zero.jpg"), std::string::npos);
  EXPECT_NE(zero.find("empty"), std::string::npos);
  const auto trunc = reasonFor(r, "truncated.jpg");
  EXPECT_NE(trunc.find("truncated.jpg"), std::string::npos);
  EXPECT_NE(trunc.find("truncated"), std::string::npos);
  const auto truncPng = reasonFor(r, "truncated.png");
  EXPECT_NE(truncPng.find("truncated"), std::string::npos);
  const auto letter = reasonFor(r, "letter.jpg");
  EXPECT_NE(letter.find("not an image"), std::string::npos);
  const auto huge = reasonFor(r, "huge.png");
  EXPECT_NE(huge.find("huge.png"), std::string::npos);
  EXPECT_NE(huge.find("100000x100000"), std::string::npos);
  EXPECT_NE(reasonFor(r, "huge.jpg").find("65000x65000"), std::string::npos);
  // Nothing half in: rejected files left no rows at all.
  EXPECT_EQ(queryInt(dir.file("p.lbproj"), "SELECT count(*) FROM items WHERE media_path LIKE '%zero%' "
                                           "OR media_path LIKE '%trunc%' OR media_path LIKE '%huge%'"),
            0);
  EXPECT_EQ(queryInt(dir.file("p.lbproj"), "SELECT count(*) FROM thumbnails"), 2);
}

TEST_F(BadFiles, ArchiveEntriesThatWouldEscapeAreRefusedAndNeverWritten) {
  writeSamplePhoto(dir.path() / "src" / "ok.jpg", 320, 240, 0);
  const auto jpg = readBytes(dir.path() / "src" / "ok.jpg");
  const fs::path absTarget = dir.path() / "abs-escape.jpg";
  writeArchive(dir.path() / "evil.zip", ArchiveKind::Zip,
               {{"ok.jpg", jpg, "", ""},
                {"../evil.jpg", jpg, "", ""},
                {"sub/../../evil2.jpg", jpg, "", ""},
                {absTarget.string(), jpg, "", ""}});
  const auto r = import({dir.file("evil.zip")});
  EXPECT_EQ(r.imported, 1);
  EXPECT_EQ(r.rejected.size(), 3u);
  EXPECT_NE(reasonFor(r, ":../evil.jpg").find(".."), std::string::npos);
  EXPECT_NE(reasonFor(r, "evil2.jpg").find("outside"), std::string::npos);
  EXPECT_NE(reasonFor(r, "abs-escape.jpg").find("absolute"), std::string::npos);
  // Nothing landed outside the unpack folder.
  EXPECT_FALSE(fs::exists(absTarget));
  EXPECT_FALSE(fs::exists(dir.path() / "media" / "evil.jpg"));
  EXPECT_FALSE(fs::exists(dir.path() / "media" / "evil" / "evil.jpg"));
  EXPECT_FALSE(fs::exists(dir.path() / "evil.jpg"));
  EXPECT_FALSE(fs::exists(dir.path() / "evil2.jpg"));
  EXPECT_FALSE(fs::exists(dir.path() / "media" / "evil2.jpg"));
  EXPECT_EQ(itemCount(), 1);
}

TEST_F(BadFiles, LinkEntriesInArchivesAreNotFollowed) {
  writeSamplePhoto(dir.path() / "src" / "ok.jpg", 320, 240, 0);
  const auto jpg = readBytes(dir.path() / "src" / "ok.jpg");
  // A secret outside the project that a link entry tries to pull in.
  writeSamplePhoto(dir.path() / "outside" / "secret.jpg", 320, 240, 1);
  writeArchive(dir.path() / "links.tar", ArchiveKind::Tar,
               {{"ok.jpg", jpg, "", ""},
                {"secret.jpg", {}, (dir.path() / "outside" / "secret.jpg").string(), ""},
                {"up.jpg", {}, "../../outside/secret.jpg", ""},
                {"hard.jpg", {}, "", "ok.jpg"}});
  const auto r = import({dir.file("links.tar")});
  EXPECT_EQ(r.imported, 1);
  EXPECT_NE(reasonFor(r, "links.tar:secret.jpg").find("link"), std::string::npos);
  EXPECT_NE(reasonFor(r, "links.tar:up.jpg").find("link"), std::string::npos);
  EXPECT_NE(reasonFor(r, "links.tar:hard.jpg").find("link"), std::string::npos);
  EXPECT_FALSE(fs::exists(fs::symlink_status(dir.path() / "media" / "links" / "links" / "secret.jpg")));
  for (const auto& e : fs::recursive_directory_iterator(dir.path() / "media"))
    EXPECT_FALSE(e.is_symlink()) << e.path();
}

TEST_F(BadFiles, SymlinkInAFolderPointingOutsideIsNotFollowed) {
  const fs::path in = dir.path() / "folder";
  writeSamplePhoto(in / "inside.jpg", 320, 240, 0);
  writeSamplePhoto(dir.path() / "private" / "secret.jpg", 320, 240, 1);
  fs::create_symlink(dir.path() / "private" / "secret.jpg", in / "leak.jpg");
  fs::create_symlink("inside.jpg", in / "alias.jpg");  // a link that stays inside is fine
  const auto r = import({in.string()});
  EXPECT_EQ(r.imported, 2);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_NE(r.rejected[0].reason.find("leak.jpg"), std::string::npos);
  EXPECT_NE(r.rejected[0].reason.find("outside"), std::string::npos);
}

TEST_F(BadFiles, DamagedArchiveAndMissingInputAreReportedNotFatal) {
  writeSamplePhoto(dir.path() / "ok.jpg", 320, 240, 0);
  { std::ofstream(dir.path() / "broken.zip") << "PK this is not really a zip"; }
  const auto r = import({dir.file("broken.zip"), dir.file("nope/none.jpg"), dir.file("ok.jpg")});
  EXPECT_EQ(r.imported, 1);
  EXPECT_NE(reasonFor(r, "broken.zip").find("broken.zip"), std::string::npos);
  EXPECT_NE(reasonFor(r, "none.jpg").find("does not exist"), std::string::npos);
}

TEST_F(BadFiles, NoInputsIsAnErrorThatSaysWhatToDo) {
  auto r = importImages(*store, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(r.error().message.find("folder"), std::string::npos);
}

}  // namespace
}  // namespace lb::test
