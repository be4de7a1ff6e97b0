// The report's gold accuracy comes from the project's own gold items when no --gold file is given.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "labeling/session/session.h"
#include "support/test_support.h"

using namespace lb::labeling;

namespace {

// Column `name` of the CSV row whose first cell is `key`.
std::string csvCell(const std::string& csv, const std::string& key, const std::string& name) {
  std::istringstream in(csv);
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> cols;
  std::stringstream hs(header);
  for (std::string c; std::getline(hs, c, ',');) cols.push_back(c);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
    if (cells.empty() || cells[0] != key) continue;
    for (std::size_t i = 0; i < cols.size() && i < cells.size(); ++i)
      if (cols[i] == name) return cells[i];
  }
  return "<missing>";
}

Annotation box(double x1, double y1, double x2, double y2, ClassId cls, bool reference = false) {
  Annotation a;
  a.kind = AnnotationKind::Box;
  a.coords = {x1, y1, x2, y2};
  a.classId = cls;
  a.isReference = reference;
  return a;
}

}  // namespace

TEST(GoldReport, AccuracyComesFromTheProjectsGoldItems) {
  lb::test::TempDir dir;
  const std::string path = dir.file("gold.lbproj");
  ItemId item = 0;
  ClassId car = 0;
  {
    auto store = std::move(createProject(path)).value();
    auto lead = *store->addUser("lead", Role::Lead);
    auto ann = *store->addUser("ann", Role::Annotator);
    auto bob = *store->addUser("bob", Role::Annotator);
    LabelSchema s;
    s.classes = {ClassDef{0, "car"}};
    ASSERT_TRUE(store->setSchema(s));
    car = store->schema().classes.at(0).id;
    NewItem n;
    n.item.batchId = *store->createBatch("b", "");
    n.item.sourceKey = "g.jpg";
    n.item.contentHash = "h";
    n.item.widthPx = 200;
    n.item.heightPx = 100;
    item = *store->insertItem(n);
    ASSERT_TRUE(store->setGold(item, true));
    for (UserId u : {ann, bob}) ASSERT_TRUE(store->assign(item, u, TaskKind::Annotate));
    (void)lead;
  }
  auto work = [&](const std::string& name, Annotation a) {
    auto store = std::move(openProject(path)).value();
    auto user = *store->userByName(name);
    Session s(std::move(store), user, "test");
    ASSERT_TRUE(s.openItem(item));
    ASSERT_TRUE(s.createAnnotation(a));
    for (const auto& t : s.store().tasks(user.id, TaskKind::Annotate)) ASSERT_TRUE(s.store().setTaskState(t.id, TaskState::Submitted));
    ASSERT_TRUE(s.submit());
  };
  work("lead", box(10, 10, 60, 50, car, true));  // the reference answer
  work("ann", box(11, 10, 60, 51, car));          // matches it (IoU ~0.96)
  work("bob", box(120, 60, 190, 95, car));        // misses it

  const auto out = dir.file("r.csv");
  auto r = lb::test::run(lb::test::cliPath() + " report " + path + " --by annotator --format csv --out " + out);
  ASSERT_EQ(r.exitCode, 0) << r.output;
  std::ifstream f(out);
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_EQ(csvCell(ss.str(), "ann", "gold_accuracy"), "1.0000") << ss.str();
  EXPECT_EQ(csvCell(ss.str(), "bob", "gold_accuracy"), "0.0000") << ss.str();
}
