// Reports rendered from a fixture project built through ProjectStore, through the real CLI.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "labeling/events.h"
#include "labeling/store/project_store.h"
#include "qc/throughput/dashboard_view.h"
#include "support/test_support.h"

using namespace lb::labeling;
namespace ev = lb::labeling::events;

namespace {

// 2026-11-21 01:00 UTC = 09:00 in UTC+8.
constexpr TimeMs kT0 = 1795219200000 + 3600000;
constexpr TimeMs kS = 1000;

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using CsvRow = std::map<std::string, std::string>;
std::vector<CsvRow> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    lines.push_back(cells);
  }
  std::vector<CsvRow> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    CsvRow r;
    for (std::size_t c = 0; c < lines[0].size() && c < lines[i].size(); ++c) r[lines[0][c]] = lines[i][c];
    rows.push_back(r);
  }
  return rows;
}

class ReportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    project = dir.file("work.lbproj");
    auto s = createProject(project);
    ASSERT_TRUE(s) << s.error().message;
    auto& store = **s;
    const UserId ann = *store.addUser("ann", Role::Annotator);
    const UserId bo = *store.addUser("bo", Role::Annotator);
    const UserId rita = *store.addUser("rita", Role::Reviewer);
    const BatchId b1 = *store.createBatch("b1", "");
    const BatchId b2 = *store.createBatch("b2", "");
    std::vector<ItemId> items;
    for (int i = 0; i < 4; ++i) {
      NewItem n;
      n.item.batchId = i < 3 ? b1 : b2;
      n.item.kind = ItemKind::Text;
      n.item.sourceKey = "line" + std::to_string(i);
      n.item.contentHash = "h" + std::to_string(i);
      n.item.text = "text " + std::to_string(i);
      items.push_back(*store.insertItem(n));
    }
    ASSERT_TRUE(store.setSetting("idle_gap_ms", "30000"));
    ASSERT_TRUE(store.setSetting("utc_offset_minutes", "480"));
    ASSERT_TRUE(store.setSetting("teams", R"({"ann":"north","bo":"south"})"));

    auto add = [&](UserId u, const char* session, const char* action, TimeMs t, ItemId item = 0,
                   const std::string& detail = "{}") {
      Event e;
      e.userId = u;
      e.sessionId = session;
      e.action = action;
      e.tMs = t;
      e.itemId = item;
      e.detailJson = detail;
      ASSERT_TRUE(store.appendEvent(e));
    };
    // ann: item 1 for 30 s, item 2 for 10 s + (100 s idle) + 10 s; one box.
    add(ann, "a", ev::kSessionStart, kT0, 0, R"({"program":"gui"})");
    add(ann, "a", ev::kOpenItem, kT0, items[0]);
    add(ann, "a", ev::kInput, kT0 + 10 * kS);
    add(ann, "a", ev::kAnnotationCreated, kT0 + 20 * kS, items[0],
        R"({"annotation":1,"kind":"box","vertices":2,"source":"manual"})");
    add(ann, "a", ev::kSubmit, kT0 + 30 * kS, items[0], R"({"state":"submitted"})");
    add(ann, "a", ev::kCloseItem, kT0 + 30 * kS, items[0]);
    add(ann, "a", ev::kOpenItem, kT0 + 30 * kS, items[1]);
    add(ann, "a", ev::kInput, kT0 + 40 * kS);
    add(ann, "a", ev::kInput, kT0 + 140 * kS);
    add(ann, "a", ev::kSubmit, kT0 + 150 * kS, items[1]);
    add(ann, "a", ev::kSessionEnd, kT0 + 150 * kS);
    // bo: item 4 for 60 s with an assisted span.
    add(bo, "b", ev::kSessionStart, kT0);
    add(bo, "b", ev::kOpenItem, kT0, items[3]);
    add(bo, "b", ev::kAnnotationCreated, kT0 + 5 * kS, items[3],
        R"({"annotation":2,"kind":"span","vertices":0,"source":"assist:ner@1"})");
    add(bo, "b", ev::kInput, kT0 + 20 * kS);
    add(bo, "b", ev::kInput, kT0 + 40 * kS);
    add(bo, "b", ev::kSubmit, kT0 + 60 * kS, items[3]);
    // rita reviews.
    add(rita, "r", ev::kReviewReject, kT0 + 90 * kS, items[0], "{\"annotator\":" + std::to_string(ann) + "}");
    add(rita, "r", ev::kReviewAccept, kT0 + 100 * kS, items[3], "{\"annotator\":" + std::to_string(bo) + "}");
    add(rita, "r", ev::kReviewAccept, kT0 + 200 * kS, items[1], "{\"annotator\":" + std::to_string(ann) + "}");
  }

  lb::test::CommandResult cli(const std::string& args) {
    return lb::test::run(lb::test::cliPath() + " " + args + " 2>&1");
  }

  lb::test::TempDir dir;
  std::string project;
};

}  // namespace

TEST_F(ReportFixture, CsvByAnnotatorMatchesTheEventLog) {
  const auto out = dir.file("by_annotator.csv");
  const auto r = cli("report " + project + " --by annotator --format csv --out " + out);
  ASSERT_EQ(r.exitCode, 0) << r.output;
  const auto rows = parseCsv(readFile(out));
  ASSERT_EQ(rows.size(), 3u);
  const auto& ann = rows[0];
  EXPECT_EQ(ann.at("annotator"), "ann");
  EXPECT_EQ(ann.at("active_hours"), "0.0139");  // 50 s
  EXPECT_EQ(ann.at("items"), "2");
  EXPECT_EQ(ann.at("objects"), "1");
  EXPECT_EQ(ann.at("vertices"), "2");
  EXPECT_EQ(ann.at("items_per_hour"), "144.00");
  EXPECT_EQ(ann.at("median_seconds_per_item"), "25.0");
  EXPECT_EQ(ann.at("rework_rate"), "0.5000");
  EXPECT_EQ(ann.at("acceptance_rate"), "0.5000");
  EXPECT_EQ(ann.at("median_review_turnaround_seconds"), "55.0");  // 60 s and 50 s
  EXPECT_EQ(ann.at("manual_objects"), "1");
  const auto& bo = rows[1];
  EXPECT_EQ(bo.at("annotator"), "bo");
  EXPECT_EQ(bo.at("items"), "1");
  EXPECT_EQ(bo.at("spans"), "1");
  EXPECT_EQ(bo.at("spans_per_hour"), "60.00");
  EXPECT_EQ(bo.at("median_seconds_per_item"), "60.0");
  EXPECT_EQ(bo.at("assisted_objects"), "1");
  EXPECT_EQ(bo.at("median_review_turnaround_seconds"), "40.0");
  EXPECT_EQ(rows[2].at("annotator"), "rita");
  EXPECT_EQ(rows[2].at("items"), "0");
  EXPECT_EQ(rows[2].at("active_hours"), "0.0028");  // 10 s between two reviews; the 100 s gap is idle
}

TEST_F(ReportFixture, CsvByTeamBatchAndDay) {
  const auto teams = dir.file("t.csv");
  ASSERT_EQ(cli("report " + project + " --by team --format csv --out " + teams).exitCode, 0);
  auto rows = parseCsv(readFile(teams));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at("team"), "all");
  EXPECT_EQ(rows[1].at("team"), "north");
  EXPECT_EQ(rows[1].at("items"), "2");
  EXPECT_EQ(rows[2].at("team"), "south");

  const auto batches = dir.file("b.csv");
  ASSERT_EQ(cli("report " + project + " --by batch --format csv --out " + batches).exitCode, 0);
  rows = parseCsv(readFile(batches));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at("batch"), "(no item)");
  EXPECT_EQ(rows[1].at("batch"), "b1");
  EXPECT_EQ(rows[1].at("items"), "2");
  EXPECT_EQ(rows[2].at("batch"), "b2");
  EXPECT_EQ(rows[2].at("items"), "1");

  const auto days = dir.file("d.csv");
  ASSERT_EQ(cli("report " + project + " --by hour --format csv --out " + days + " --batch b1").exitCode, 0);
  rows = parseCsv(readFile(days));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("hour"), "2026-11-21 09:00");  // local time, UTC+8
  EXPECT_EQ(rows[0].at("items"), "2");

  const auto other = dir.file("o.csv");
  ASSERT_EQ(cli("report " + project + " --by day --format csv --out " + other + " --day 2026-11-22").exitCode, 0);
  EXPECT_TRUE(parseCsv(readFile(other)).empty());
}

TEST_F(ReportFixture, HtmlIsSelfContainedWithSvgCharts) {
  const auto out = dir.file("day.html");
  const auto r = cli("report " + project + " --by annotator --format html --day 2026-11-21 --out " + out);
  ASSERT_EQ(r.exitCode, 0) << r.output;
  const auto page = readFile(out);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos);  // no external resource of any kind
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_NE(page.find("day 2026-11-21"), std::string::npos);
  EXPECT_NE(page.find("Items submitted per hour"), std::string::npos);
  EXPECT_NE(page.find("Quality trend"), std::string::npos);
  EXPECT_NE(page.find("Distribution of active seconds per item"), std::string::npos);
  EXPECT_NE(page.find("<td>ann</td><td>0.01</td><td>2</td>"), std::string::npos);
  // Items submitted at 09:xx local: one bar (3 items) in the hourly chart.
  EXPECT_NE(page.find("<title>09:00: 3.00</title>"), std::string::npos);
}

TEST_F(ReportFixture, PayCsvFromStoredRates) {
  std::ofstream(dir.file("rates.json"))
      << R"({"currency":"CNY","item":1,"object":0.5,"span":0.25,"rejected_deduction":0.2})";
  const auto out = dir.file("pay.csv");
  auto r = cli("pay " + project + " --period day --csv " + out + " --rates " + dir.file("rates.json"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  auto rows = parseCsv(readFile(out));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("annotator"), "ann");
  EXPECT_EQ(rows[0].at("period_start"), "2026-11-21");
  EXPECT_EQ(rows[0].at("gross"), "2.50");
  EXPECT_EQ(rows[0].at("deduction"), "0.20");
  EXPECT_EQ(rows[0].at("net"), "2.30");
  EXPECT_EQ(rows[1].at("annotator"), "bo");
  EXPECT_EQ(rows[1].at("net"), "1.25");
  EXPECT_NE(r.output.find("total 3.55 CNY"), std::string::npos) << r.output;

  // The rates stay in the project: a weekly run needs no --rates.
  r = cli("pay " + project + " --period week --csv " + out);
  ASSERT_EQ(r.exitCode, 0) << r.output;
  rows = parseCsv(readFile(out));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("period_start"), "2026-11-16");  // the Monday of that week
}

TEST_F(ReportFixture, BadArgumentsAreNamed) {
  auto r = cli("report " + project + " --by annotator --format csv --out " + dir.file("x.csv") + " --day 21.11.2026");
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("YYYY-MM-DD"), std::string::npos) << r.output;
  r = cli("report " + project + " --format csv --out " + dir.file("x.csv") + " --batch nope");
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("'nope'"), std::string::npos) << r.output;
  r = cli("report " + project + " --by month --out " + dir.file("x.csv"));
  EXPECT_NE(r.exitCode, 0);
  r = cli("pay " + project + " --csv " + dir.file("p.csv"));
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("pay_rates"), std::string::npos) << r.output;
  std::ofstream(dir.file("bad.json")) << R"({"item":-3})";
  r = cli("pay " + project + " --rates " + dir.file("bad.json"));
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.output.find("bad.json"), std::string::npos) << r.output;
  EXPECT_FALSE(std::ifstream(dir.file("x.csv")).good());
}

TEST_F(ReportFixture, DashboardShowsAnnotatorsOnlyTheirOwnFigures) {
  auto store = openProject(project);
  ASSERT_TRUE(store) << store.error().message;
  const auto ann = *(*store)->userByName("ann");
  const auto bo = *(*store)->userByName("bo");
  const auto rita = *(*store)->userByName("rita");
  const TimeMs later = kT0 + 3600000;  // same local day

  // ann asks for bo's figures: she still gets only her own, and no tables of other people.
  auto mine = lb::qc::buildDashboardView(**store, ann, bo.id, later);
  EXPECT_TRUE(mine.error.empty()) << mine.error;
  EXPECT_FALSE(mine.everyone);
  EXPECT_EQ(mine.shownUser, ann.id);
  EXPECT_TRUE(mine.people.empty());
  EXPECT_TRUE(mine.teams.empty());
  EXPECT_EQ(mine.today, "2026-11-21");
  EXPECT_EQ(mine.todayRow.items, 2);
  EXPECT_EQ(mine.total.items, 2);
  EXPECT_EQ(mine.total.activeMs, 50000);
  ASSERT_EQ(mine.itemsPerDay.size(), 1u);
  EXPECT_EQ(mine.itemsPerDay[0], 2.f);
  EXPECT_FLOAT_EQ(mine.acceptancePerDay[0], 0.5f);
  float histogramItems = 0;
  for (float n : mine.secondsHistogram) histogramItems += n;
  EXPECT_EQ(histogramItems, 2.f);

  // The next day, today's count starts again at 0.
  EXPECT_EQ(lb::qc::buildDashboardView(**store, ann, 0, later + 86400000).todayRow.items, 0);

  // A reviewer sees everyone, and can look at one person.
  auto team = lb::qc::buildDashboardView(**store, rita, 0, later);
  EXPECT_TRUE(team.everyone);
  EXPECT_EQ(team.people.size(), 3u);
  EXPECT_EQ(team.total.items, 3);
  auto one = lb::qc::buildDashboardView(**store, rita, bo.id, later);
  EXPECT_EQ(one.shownName, "bo");
  EXPECT_EQ(one.total.items, 1);
}
