// Assists run off the caller's thread, can be cancelled, and what the annotator accepts lands in
// the project through the session with "assist:<id>@<ver>" in the annotation and the event log.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "assist/assist_helpers.h"
#include "labeling/assist/assist_runner.h"
#include "labeling/assist/grabcut.h"
#include "labeling/events.h"
#include "support/test_support.h"

using namespace lb::labeling;
using namespace lb::labeling::assist;
using lb::ErrorCode;

TEST(AssistRunner, CancellingARunningJobReturnsCancelled) {
  AssistRunner runner;
  std::atomic<bool> started{false};
  runner.start([&](const CancelFlag& cancel) -> lb::Result<Proposal> {
    started = true;
    while (!cancel.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return cancelledError("test job");
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(runner.busy());
  EXPECT_FALSE(runner.poll().has_value());
  runner.cancel();
  auto r = runner.wait();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_FALSE(runner.busy());
}

TEST(AssistRunner, GrabCutRunsOnTheWorkerAndAcceptedObjectsAreRecordedAsAssisted) {
  lb::test::TempDir dir;
  auto created = createProject(dir.file("p.lbproj"));
  ASSERT_TRUE(created) << created.error().message;
  auto& store = **created;
  LabelSchema schema;
  ClassDef cls;
  cls.name = "fruit";
  schema.classes.push_back(cls);
  ASSERT_TRUE(store.setSchema(schema));
  auto batch = store.createBatch("b", "synthetic");
  ASSERT_TRUE(batch);
  NewItem ni;
  ni.item.batchId = *batch;
  ni.item.mediaPath = "a.png";
  ni.item.sourceKey = "a.png";
  ni.item.contentHash = "00";
  ni.item.widthPx = 400;
  ni.item.heightPx = 300;
  auto itemId = store.insertItem(ni);
  ASSERT_TRUE(itemId) << itemId.error().message;
  const ClassId fruit = store.schema().classes.at(0).id;
  auto annotator = store.addUser("ann", Role::Annotator);
  ASSERT_TRUE(annotator);

  Session session(std::move(*created), *store.user(*annotator), "test");
  ASSERT_TRUE(session.openItem(*itemId));

  cv::Mat img = lb::test::noiseImage({400, 300});
  cv::circle(img, {200, 150}, 70, cv::Scalar(20, 200, 240), cv::FILLED);
  AssistRunner runner;
  runner.start([img](const CancelFlag& cancel) {
    GrabCutOptions o;
    o.box = cv::Rect2d(115, 65, 170, 170);
    return grabCutFromBox(img, o, &cancel);
  });
  auto proposal = runner.wait();
  ASSERT_TRUE(proposal) << proposal.error().message;
  auto accepted = acceptProposal(session, *proposal, {}, fruit);
  ASSERT_TRUE(accepted) << accepted.error().message;

  const auto stored = session.store().annotations(*itemId);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].source, "assist:grabcut@1");
  EXPECT_EQ(stored[0].classId, fruit);
  EXPECT_EQ(stored[0].kind, AnnotationKind::Polygon);
  int assistedEvents = 0;
  ASSERT_TRUE(session.store().forEachEvent([&](const Event& e) {
    if (e.action == events::kAnnotationCreated &&
        nlohmann::json::parse(e.detailJson).value("source", "") == "assist:grabcut@1")
      ++assistedEvents;
    return true;
  }));
  EXPECT_EQ(assistedEvents, 1);

  // Discarding is simply not accepting; accepting is one undo step.
  ASSERT_TRUE(session.undo());
  EXPECT_TRUE(session.store().annotations(*itemId).empty());

  auto bad = acceptProposal(session, *proposal, {7});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
}
