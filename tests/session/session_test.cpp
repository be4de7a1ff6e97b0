#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include "labeling/events.h"
#include "labeling/session/session.h"
#include "labeling/store/migrations.h"
#include "labeling/store/sqlite_project_store.h"
#include "support/test_support.h"

using namespace lb::labeling;

namespace {

struct Fixture {
  lb::test::TempDir dir;
  std::string path = dir.file("p.lbproj");
  ItemId first = 0, second = 0;
  UserId annotator = 0, lead = 0;

  Fixture() {
    auto store = std::move(createProject(path)).value();
    annotator = *store->addUser("ann", Role::Annotator);
    lead = *store->addUser("lead", Role::Lead);
    auto batch = *store->createBatch("b", "");
    for (int i = 0; i < 2; ++i) {
      NewItem n;
      n.item.batchId = batch;
      n.item.sourceKey = "img" + std::to_string(i) + ".jpg";
      n.item.mediaPath = n.item.sourceKey;
      n.item.contentHash = "h" + std::to_string(i);
      n.item.widthPx = 100;
      n.item.heightPx = 80;
      (i == 0 ? first : second) = *store->insertItem(n);
    }
    LabelSchema s;
    s.classes = {ClassDef{0, "car"}, ClassDef{0, "person"}};
    EXPECT_TRUE(store->setSchema(s));
  }

  std::unique_ptr<Session> open(const std::string& user) {
    auto store = std::move(openProject(path)).value();
    auto u = *store->userByName(user);
    return std::make_unique<Session>(std::move(store), u, "test");
  }

  // Counts live rows straight from the file, as a person inspecting the project would.
  int liveAnnotations() {
    SQLite::Database db(path);
    return db.execAndGet("SELECT count(*) FROM annotations WHERE deleted = 0").getInt();
  }
};

Annotation box(double x1, double y1, double x2, double y2, ClassId cls = 0) {
  Annotation a;
  a.kind = AnnotationKind::Box;
  a.coords = {x1, y1, x2, y2};
  a.classId = cls;
  return a;
}

}  // namespace

TEST(Session, EveryEditIsInTheFileWhenTheCallReturns) {
  Fixture f;
  auto s = f.open("ann");
  ASSERT_TRUE(s->openItem(f.first));
  auto id = s->createAnnotation(box(1, 2, 30, 40));
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(f.liveAnnotations(), 1);  // read through a second connection, before any close
  SQLite::Database db(f.path);
  EXPECT_EQ(db.execAndGet("SELECT state FROM items WHERE id = " + std::to_string(f.first)).getString(), "in_progress");
  EXPECT_EQ(db.execAndGet("SELECT coords_json FROM annotations").getString(), "[1.0,2.0,30.0,40.0]");
  EXPECT_EQ(db.execAndGet("SELECT author_id FROM annotations").getInt64(), f.annotator);
}

TEST(Session, UndoRedoAreCommittedAndSurviveARestart) {
  Fixture f;
  {
    auto s = f.open("ann");
    ASSERT_TRUE(s->openItem(f.first));
    auto a = s->createAnnotation(box(1, 1, 10, 10));
    auto b = s->createAnnotation(box(5, 5, 20, 20));
    ASSERT_TRUE(a && b);
    Annotation moved = *s->store().annotation(*b);
    moved.coords = {6, 6, 21, 21};
    ASSERT_TRUE(s->updateAnnotation(moved));
    ASSERT_TRUE(s->undo());  // the move
    EXPECT_EQ(s->store().annotation(*b)->coords, (std::vector<double>{5, 5, 20, 20}));
    ASSERT_TRUE(s->undo());  // box b
    EXPECT_EQ(f.liveAnnotations(), 1);
    ASSERT_TRUE(s->redo());  // box b back, with the same id
    EXPECT_EQ(f.liveAnnotations(), 2);
    EXPECT_TRUE(s->store().annotation(*b));
  }
  // A new program run: the remaining redo (the move) is still there.
  auto s = f.open("ann");
  ASSERT_TRUE(s->canRedo());
  ASSERT_TRUE(s->redo());
  auto all = s->store().annotations(f.first, false);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].coords, (std::vector<double>{6, 6, 21, 21}));
  // A new edit drops the redo branch.
  ASSERT_TRUE(s->openItem(f.first));
  ASSERT_TRUE(s->undo());
  ASSERT_TRUE(s->deleteAnnotations({all[0].id}));
  EXPECT_FALSE(s->canRedo());
  EXPECT_EQ(f.liveAnnotations(), 1);
  ASSERT_TRUE(s->undo());
  EXPECT_EQ(f.liveAnnotations(), 2);
}

TEST(Session, UndoIsPerUser) {
  Fixture f;
  auto ann = f.open("ann");
  ASSERT_TRUE(ann->openItem(f.first));
  ASSERT_TRUE(ann->createAnnotation(box(1, 1, 10, 10)));
  auto lead = f.open("lead");
  EXPECT_FALSE(lead->canUndo());
  EXPECT_TRUE(ann->canUndo());
}

TEST(Session, CopyToNextImageIsOneUndoStep) {
  Fixture f;
  auto s = f.open("ann");
  ASSERT_TRUE(s->openItem(f.first));
  ASSERT_TRUE(s->createAnnotation(box(1, 1, 10, 10)));
  ASSERT_TRUE(s->createAnnotation(box(2, 2, 12, 12)));
  auto objects = s->annotations();
  ASSERT_TRUE(s->openItem(f.second));
  ASSERT_TRUE(s->createAnnotations(objects));
  EXPECT_EQ(s->store().annotations(f.second, false).size(), 2u);
  ASSERT_TRUE(s->undo());
  EXPECT_EQ(s->store().annotations(f.second, false).size(), 0u);
  EXPECT_EQ(s->store().annotations(f.first, false).size(), 2u);
}

TEST(Session, NothingHereAndSubmitAreRecordedAndUndoable) {
  Fixture f;
  auto s = f.open("ann");
  ASSERT_TRUE(s->openItem(f.second));
  ASSERT_TRUE(s->setNothingHere(true));
  ASSERT_TRUE(s->submit());
  auto item = *s->store().item(f.second);
  EXPECT_TRUE(item.nothingHere);
  EXPECT_EQ(item.state, ItemState::Submitted);
  ASSERT_TRUE(s->undo());
  EXPECT_EQ(s->store().item(f.second)->state, ItemState::InProgress);
}

TEST(Session, EventsRecordWhoDidWhatWhen) {
  Fixture f;
  {
    auto s = f.open("ann");
    ASSERT_TRUE(s->openItem(f.first));
    Annotation poly;
    poly.kind = AnnotationKind::Polygon;
    poly.coords = {0, 0, 10, 0, 10, 10, 0, 10};
    ASSERT_TRUE(s->createAnnotation(poly));
    ASSERT_TRUE(s->undo());
  }
  std::vector<std::string> actions;
  std::string createdDetail, undoDetail;
  auto store = std::move(openProject(f.path)).value();
  ASSERT_TRUE(store->forEachEvent([&](const Event& e) {
    actions.push_back(e.action);
    EXPECT_EQ(e.userId, f.annotator);
    EXPECT_GT(e.tMs, 0);
    if (e.action == events::kAnnotationCreated) createdDetail = e.detailJson;
    if (e.action == events::kUndo) undoDetail = e.detailJson;
    return true;
  }));
  EXPECT_EQ(actions, (std::vector<std::string>{events::kSessionStart, events::kOpenItem, events::kAnnotationCreated,
                                               events::kUndo, events::kCloseItem, events::kSessionEnd}));
  EXPECT_NE(createdDetail.find("\"vertices\":4"), std::string::npos);
  EXPECT_NE(createdDetail.find("\"kind\":\"polygon\""), std::string::npos);
  // The undo names what it took back, so throughput stops counting that polygon.
  EXPECT_NE(undoDetail.find("\"steps\":[{\"annotation\":"), std::string::npos) << undoDetail;
  EXPECT_NE(undoDetail.find("\"op\":\"create\""), std::string::npos) << undoDetail;
}

TEST(Session, AnnotatorNeverSeesReferenceAnswers) {
  Fixture f;
  {
    auto lead = f.open("lead");
    ASSERT_TRUE(lead->openItem(f.first));
    Annotation ref = box(1, 1, 10, 10);
    ref.isReference = true;
    ASSERT_TRUE(lead->createAnnotation(ref));
    EXPECT_EQ(lead->annotations().size(), 1u);
  }
  auto ann = f.open("ann");
  ASSERT_TRUE(ann->openItem(f.first));
  EXPECT_TRUE(ann->annotations().empty());
  Annotation sneaky = box(1, 1, 5, 5);
  sneaky.isReference = true;
  EXPECT_FALSE(ann->createAnnotation(sneaky));
}

TEST(Migrations, AVersionOneProjectOpensAndKeepsItsData) {
  lb::test::TempDir dir;
  const auto path = dir.file("old.lbproj");
  {
    // Build a file exactly as format 1 left it: only step 1 applied.
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    db.exec(migrationSteps().at(0).sql);
    db.exec("PRAGMA user_version=1");
    db.exec("INSERT INTO meta(key, value) VALUES ('name', 'old'), ('created_by_version', '0.0.1'), "
            "('media_root', '/tmp')");
    db.exec("INSERT INTO batches(name, created_ms) VALUES ('b', 1)");
    db.exec("INSERT INTO items(batch_id, kind, source_key, content_hash, created_ms) VALUES (1, 'image', 'a.jpg', 'h', 1)");
  }
  auto store = openProject(path);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->info().schemaVersion, kSchemaVersion);
  ItemFilter all;
  EXPECT_EQ((*store)->countItems(all), 1);
  Review r;
  r.itemId = 1;
  r.reviewerId = *(*store)->addUser("rev", Role::Reviewer);
  r.verdict = ReviewVerdict::Reject;
  r.reason = "wrong class";
  ASSERT_TRUE((*store)->addReview(r));  // a table that only step 2 creates
  EXPECT_EQ((*store)->reviews(1).at(0).reason, "wrong class");
}

TEST(Migrations, EveryStepAppliesInOrderFromEmpty) {
  lb::test::TempDir dir;
  SQLite::Database db(dir.file("m.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  int last = 0;
  for (const auto& step : migrationSteps()) {
    EXPECT_EQ(step.toVersion, last + 1) << step.description;
    last = step.toVersion;
  }
  EXPECT_EQ(last, kSchemaVersion);
  ASSERT_TRUE(migrateToLatest(db, "m.db"));
  EXPECT_EQ(storedSchemaVersion(db), kSchemaVersion);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
}
