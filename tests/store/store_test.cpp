#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <fstream>

#include "labeling/store/sqlite_project_store.h"
#include "support/test_support.h"

using namespace lb::labeling;
using lb::ErrorCode;

TEST(Store, CreateSetsWalForeignKeysVersionAndMeta) {
  lb::test::TempDir dir;
  auto store = createProject(dir.file("p.lbproj"));
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->info().schemaVersion, kSchemaVersion);
  EXPECT_EQ((*store)->info().name, "p");
  EXPECT_EQ((*store)->info().mediaRoot, dir.path().string());
  SQLite::Database db(dir.file("p.lbproj"));
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), kSchemaVersion);
  EXPECT_EQ(db.execAndGet("PRAGMA application_id").getInt(), kApplicationId);
}

TEST(Store, RefusesToOverwriteAnExistingFile) {
  lb::test::TempDir dir;
  std::ofstream(dir.file("x.lbproj")) << "hello";
  auto store = createProject(dir.file("x.lbproj"));
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::Conflict);
}

TEST(Store, OpenGivesTypedErrors) {
  lb::test::TempDir dir;
  auto missing = openProject(dir.file("nope.lbproj"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);

  std::ofstream(dir.file("text.lbproj")) << std::string(5000, 'x');
  auto notDb = openProject(dir.file("text.lbproj"));
  ASSERT_FALSE(notDb);
  EXPECT_EQ(notDb.error().code, ErrorCode::NotAProject);
  EXPECT_NE(notDb.error().message.find("text.lbproj"), std::string::npos);

  { SQLite::Database other(dir.file("other.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("CREATE TABLE t(x)"); }
  auto foreign = openProject(dir.file("other.db"));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::NotAProject);

  { auto s = createProject(dir.file("new.lbproj")); ASSERT_TRUE(s); }
  { SQLite::Database db(dir.file("new.lbproj"), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion + 5)); }
  auto tooNew = openProject(dir.file("new.lbproj"));
  ASSERT_FALSE(tooNew);
  EXPECT_EQ(tooNew.error().code, ErrorCode::TooNew);
  EXPECT_NE(tooNew.error().message.find("newer LabelBench"), std::string::npos);
}

TEST(Store, DamagedFileIsReportedAsDamaged) {
  lb::test::TempDir dir;
  const auto path = dir.file("d.lbproj");
  {
    auto s = createProject(path);
    ASSERT_TRUE(s);
    auto b = (*s)->createBatch("b", "");
    for (int i = 0; i < 200; ++i) {
      NewItem n;
      n.item.batchId = *b;
      n.item.kind = ItemKind::Text;
      n.item.sourceKey = "k" + std::to_string(i);
      n.item.contentHash = "h";
      n.item.text = std::string(500, 'a');
      ASSERT_TRUE((*s)->insertItem(n));
    }
  }
  { SQLite::Database db(path, SQLite::OPEN_READWRITE); db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }
  // Overwrite the middle of the file (table pages) with garbage, keep the header.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    std::string junk(8192 * 4, '\xA5');
    f.write(junk.data(), junk.size());
  }
  auto opened = openProject(path);
  if (opened) {
    // The header survived; the damage must surface as a Damaged error on first real read.
    ItemFilter all;
    EXPECT_ANY_THROW((*opened)->countItems(all));
  } else {
    EXPECT_EQ(opened.error().code, ErrorCode::Damaged) << opened.error().message;
  }
}

TEST(Store, ItemsUsersTasksAndCounts) {
  lb::test::TempDir dir;
  auto store = std::move(createProject(dir.file("p.lbproj"))).value();
  auto ann = store->addUser("ann", Role::Annotator);
  ASSERT_TRUE(ann);
  EXPECT_FALSE(store->addUser("ann", Role::Lead));
  auto batch = store->createBatch("first", "/data");
  ASSERT_TRUE(batch);
  NewItem n;
  n.item.batchId = *batch;
  n.item.kind = ItemKind::Image;
  n.item.mediaPath = "a.jpg";
  n.item.sourceKey = "a.jpg";
  n.item.contentHash = "abc";
  n.item.widthPx = 640;
  n.item.heightPx = 480;
  n.thumbnailJpeg = {1, 2, 3};
  n.thumbnailWidthPx = 256;
  n.thumbnailHeightPx = 192;
  n.signals.push_back({"phash", 0, {9, 9}});
  auto id = store->insertItem(n);
  ASSERT_TRUE(id);
  EXPECT_TRUE(store->hasSourceKey("a.jpg"));
  EXPECT_FALSE(store->insertItem(n));  // same source key twice is refused as a whole
  ItemFilter all;
  EXPECT_EQ(store->countItems(all), 1);
  EXPECT_EQ(store->thumbnail(*id)->jpeg, (std::vector<unsigned char>{1, 2, 3}));
  EXPECT_EQ(store->signals("phash").at(0).second.blob, (std::vector<unsigned char>{9, 9}));
  ASSERT_TRUE(store->assign(*id, *ann, TaskKind::Annotate));
  ItemFilter mine;
  mine.assignee = *ann;
  EXPECT_EQ(store->countItems(mine), 1);
  ASSERT_TRUE(store->setExcluded(*id, true, "blurry"));
  EXPECT_EQ(store->countItems(all), 0);
  all.includeExcluded = true;
  EXPECT_EQ(store->countItems(all), 1);
  auto counts = store->countByState();
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].key, "excluded");
}

TEST(Store, EventLogIsAppendOnly) {
  lb::test::TempDir dir;
  auto store = std::move(createProject(dir.file("p.lbproj"))).value();
  Event e;
  e.userId = 1;
  e.action = "open_item";
  e.tMs = 1000;
  ASSERT_TRUE(store->appendEvent(e));
  auto* sqlite = dynamic_cast<SqliteProjectStore*>(store.get());
  EXPECT_ANY_THROW(sqlite->database().exec("UPDATE events SET t_ms = 5"));
  EXPECT_ANY_THROW(sqlite->database().exec("DELETE FROM events"));
  int n = 0;
  ASSERT_TRUE(store->forEachEvent([&](const Event& ev) { ++n; EXPECT_EQ(ev.tMs, 1000); return true; }));
  EXPECT_EQ(n, 1);
}

TEST(Store, SchemaKeepsClassIdsAndRefusesToDropUsedClass) {
  lb::test::TempDir dir;
  auto store = std::move(createProject(dir.file("p.lbproj"))).value();
  LabelSchema s;
  ClassDef car;
  car.name = "car";
  car.hotkey = "1";
  car.attributes.push_back({"color", AttributeType::Enum, true, {"red", "blue"}, ""});
  ClassDef person;
  person.name = "person";
  person.keypointNames = {"head", "hand"};
  person.skeletonEdges = {{0, 1}};
  s.classes = {car, person};
  s.rubric = {{"correctness", 1, 5}};
  ASSERT_TRUE(store->setSchema(s));
  auto stored = store->schema();
  ASSERT_EQ(stored.classes.size(), 2u);
  const ClassId carId = stored.findClass("car")->id;
  EXPECT_EQ(stored.findClass("car")->attributes.at(0).options.size(), 2u);
  EXPECT_EQ(stored.findClass("person")->skeletonEdges.at(0).second, 1);
  EXPECT_EQ(stored.rubric.at(0).name, "correctness");

  auto b = store->createBatch("b", "");
  NewItem n;
  n.item.batchId = *b;
  n.item.sourceKey = "x";
  n.item.contentHash = "h";
  auto item = store->insertItem(n);
  Annotation a;
  a.itemId = *item;
  a.classId = carId;
  a.kind = AnnotationKind::Box;
  a.coords = {1, 2, 3, 4};
  ASSERT_TRUE(store->insertAnnotation(a));

  stored.classes.erase(stored.classes.begin());  // drop "car" while a box uses it
  auto st = store->setSchema(stored);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::Conflict);
  EXPECT_NE(st.error().message.find("car"), std::string::npos);
  EXPECT_EQ(store->schema().classes.size(), 2u);  // nothing changed
}

TEST(Store, AnnotationShapeIsValidated) {
  lb::test::TempDir dir;
  auto store = std::move(createProject(dir.file("p.lbproj"))).value();
  auto b = store->createBatch("b", "");
  NewItem n;
  n.item.batchId = *b;
  n.item.sourceKey = "x";
  n.item.contentHash = "h";
  auto item = store->insertItem(n);
  Annotation poly;
  poly.itemId = *item;
  poly.kind = AnnotationKind::Polygon;
  poly.coords = {0, 0, 1, 1};
  auto r = store->insertAnnotation(poly);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
}
