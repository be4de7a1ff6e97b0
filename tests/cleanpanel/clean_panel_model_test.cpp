// The cleaning panel re-filters stored scores in memory when a threshold slider moves. These
// tests hold it to what qc::clean::buildReport says at the same threshold, over the whole slider
// range of every check, before and after decisions — so the count a lead sees on screen is the
// count the CLI and the exports work with.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

#include "app/gui/panels/clean_panel_model.h"
#include "labeling/store/project_store.h"
#include "qc/clean/clean_service.h"
#include "support/test_support.h"

namespace {

using namespace lb;
using labeling::ItemId;
namespace clean = lb::qc::clean;
namespace ui = lb::app::cleanui;

class CleanPanelModel : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto images = dir.path() / "images";
    std::filesystem::create_directories(images);
    for (const char* name : {"fruits.jpg", "baboon.jpg", "butterfly.jpg", "home.jpg", "apple.jpg"})
      std::filesystem::copy_file(test::opencvSample(name), images / name);
    std::filesystem::copy_file(images / "fruits.jpg", images / "fruits_copy.jpg");
    cv::Mat img = cv::imread((images / "baboon.jpg").string()), small, blurred, dark;
    cv::resize(img, small, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
    cv::imwrite((images / "baboon_small.jpg").string(), small);
    cv::GaussianBlur(cv::imread((images / "butterfly.jpg").string()), blurred, cv::Size(0, 0), 6);
    cv::imwrite((images / "butterfly_blurred.jpg").string(), blurred);
    cv::imread((images / "home.jpg").string()).convertTo(dark, -1, 0.2, 0);
    cv::imwrite((images / "home_dark.jpg").string(), dark);
    const std::string project = dir.file("p.lbproj");
    const auto cli = test::cliPath();
    ASSERT_EQ(test::run(cli + " create " + project).exitCode, 0);
    ASSERT_EQ(test::run(cli + " user add " + project + " lead --role lead").exitCode, 0);
    const auto imported = test::run(cli + " import images " + project + " " + images.string());
    ASSERT_EQ(imported.exitCode, 0) << imported.output;
    auto s = labeling::openProject(project);
    ASSERT_TRUE(s) << s.error().message;
    store = std::move(*s);
    ASSERT_TRUE(clean::runChecks(*store, {}));
  }

  // Every check, thresholds across its slider range: the panel's counts equal the report's.
  void expectCountsMatchReport() {
    auto snap = ui::loadSnapshot(*store, {});
    ASSERT_TRUE(snap) << snap.error().message;
    int compared = 0;
    for (auto& d : snap->checks) {
      if (d.rows.empty()) continue;
      const auto range = ui::sliderRange(*d.spec, d);
      for (int step = 0; step <= 8; ++step) {
        const double t = range.lo + (range.hi - range.lo) * step / 8;
        if (d.spec->grouped) {
          auto groups = ui::loadGroups(*store, *d.spec, t);
          ASSERT_TRUE(groups);
          d.groups = *groups;
          d.groupsThreshold = t;
        }
        clean::Thresholds thresholds;
        ASSERT_TRUE(thresholds.set(d.spec->name, t)) << d.spec->name << " " << t;
        auto report = clean::buildReport(*store, thresholds, {std::string(d.spec->name)});
        ASSERT_TRUE(report);
        const auto& r = report->checks.front();
        const auto c = ui::countAt(d, t);
        EXPECT_EQ(c.findings, r.findings) << d.spec->name << " at " << t;
        EXPECT_EQ(c.excluded, r.excluded) << d.spec->name << " at " << t;
        EXPECT_EQ(c.kept, r.kept) << d.spec->name << " at " << t;
        if (d.spec->grouped) EXPECT_EQ(c.groups, static_cast<std::int64_t>(r.groups.size())) << d.spec->name;
        else EXPECT_EQ(static_cast<std::int64_t>(ui::findingsAt(d, t).size()), r.findings) << d.spec->name;
        ++compared;
      }
    }
    EXPECT_GE(compared, 4 * 9) << "the sample batch should give findings for several checks";
  }

  ItemId idOf(const std::string& file) {
    for (const auto& it : store->items(labeling::ItemFilter{.includeExcluded = true}))
      if (std::filesystem::path(it.mediaPath).filename() == file) return it.id;
    return 0;
  }

  test::TempDir dir;
  std::unique_ptr<labeling::ProjectStore> store;
};

TEST_F(CleanPanelModel, CountsAtEveryThresholdMatchTheReport) {
  expectCountsMatchReport();
  // The duplicates and the blurred copy are there at the default thresholds.
  auto snap = ui::loadSnapshot(*store, {});
  ASSERT_TRUE(snap);
  const auto& all = clean::allChecks();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].name == std::string("exact_dup")) {
      EXPECT_GE(ui::countAt(snap->checks[i], snap->storedThresholds[i]).groups, 1);
    }
    if (all[i].name == std::string("blur")) {
      std::vector<ItemId> found;
      for (auto k : ui::findingsAt(snap->checks[i], snap->storedThresholds[i])) found.push_back(snap->checks[i].rows[k].itemId);
      EXPECT_NE(std::find(found.begin(), found.end(), idOf("butterfly_blurred.jpg")), found.end());
    }
  }
}

TEST_F(CleanPanelModel, DecisionsAreCountedAndListedAsExcluded) {
  const auto lead = store->userByName("lead")->id;
  const ItemId copy = idOf("fruits_copy.jpg"), original = idOf("fruits.jpg"), blurred = idOf("butterfly_blurred.jpg");
  clean::Thresholds t;
  // Keep the copy, exclude the rest of its group (what "keep this one" does), exclude the blur.
  ASSERT_TRUE(clean::decide(*store, t, {"exact_dup", std::nullopt, copy}, clean::DecideAction::Keep, lead));
  ASSERT_TRUE(clean::decide(*store, t, {"exact_dup", std::nullopt, std::nullopt}, clean::DecideAction::Exclude, lead));
  ASSERT_TRUE(clean::decide(*store, t, {"blur", std::nullopt, blurred}, clean::DecideAction::Exclude, lead));
  expectCountsMatchReport();
  auto snap = ui::loadSnapshot(*store, {});
  ASSERT_TRUE(snap);
  const auto excluded = ui::excludedEntries(*snap);
  ASSERT_EQ(excluded.size(), 2u);
  EXPECT_EQ(excluded[0].item, std::min(original, blurred));
  EXPECT_EQ(excluded[1].item, std::max(original, blurred));
  for (const auto& e : excluded)
    EXPECT_EQ(e.checks, std::vector<std::string>{e.item == original ? "exact_dup" : "blur"});
  const auto briefs = ui::loadBriefs(*store, {original, copy});
  EXPECT_TRUE(briefs.at(original).excluded);
  EXPECT_FALSE(briefs.at(copy).excluded);
  EXPECT_EQ(briefs.at(copy).name, "fruits_copy.jpg");
  EXPECT_EQ(briefs.at(copy).width_px, 512);
}

TEST(CleanPanelText, SnippetsAreOneLineAndCutAtCodePoints) {
  EXPECT_EQ(ui::snippetOf("第一行\n第二行\t  结束", 100), "第一行 第二行 结束");
  EXPECT_EQ(ui::snippetOf("北京天气很好", 2), "北京...");
  EXPECT_EQ(ui::snippetOf("  leading", 100), "leading");
  EXPECT_EQ(ui::snippetOf("", 5), "");
}

TEST(CleanPanelSlider, RangesStayInsideWhatIsStored) {
  for (const auto& spec : clean::allChecks()) {
    ui::CheckData d;
    d.spec = &spec;
    const auto r = ui::sliderRange(spec, d);
    EXPECT_LE(r.lo, r.hi) << spec.name;
    // Every value on the slider is one the project may store (Thresholds::set accepts it).
    clean::Thresholds t;
    EXPECT_TRUE(t.set(spec.name, r.lo)) << spec.name;
    EXPECT_TRUE(t.set(spec.name, r.hi)) << spec.name;
    EXPECT_TRUE(t.set(spec.name, spec.defaultThreshold)) << spec.name;
    EXPECT_GE(spec.defaultThreshold, r.lo) << spec.name;
    EXPECT_LE(spec.defaultThreshold, r.hi) << spec.name;
  }
}

}  // namespace
