// Review queue, verdicts, rejection back to the annotator with its reason, history, events.
#include <nlohmann/json.hpp>

#include "labeling/events.h"
#include "qc/review/rule_checks.h"
#include "qc/review/workflow.h"
#include "review_fixture.h"

using namespace lb::labeling;
using namespace lb::qc;
using lb::test::boxOf;
using lb::test::ReviewProject;

namespace {

std::vector<Event> eventsOf(ProjectStore& st, const std::string& action) {
  std::vector<Event> out;
  (void)st.forEachEvent([&](const Event& e) {
    if (e.action == action) out.push_back(e);
    return true;
  });
  return out;
}

// Anna labels and submits one image that was assigned to her.
ItemId annotateAndSubmit(ReviewProject& p, Session& anna) {
  const ItemId item = p.addImage(anna.store(), "img1");
  EXPECT_TRUE(anna.store().assign(item, p.anna, TaskKind::Annotate));
  EXPECT_TRUE(anna.openItem(item));
  EXPECT_TRUE(anna.createAnnotation(boxOf(p.car, 10, 10, 100, 80, R"({"make":"vw"})")));
  auto out = submitChecked(anna, RuleSettings{});
  EXPECT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->submitted);
  return item;
}

}  // namespace

TEST(ReviewWorkflow, RejectSendsItemBackToAnnotatorWithReasonThenAcceptClosesIt) {
  ReviewProject p;
  auto anna = p.session(p.anna);
  auto rex = p.session(p.reviewer);
  const ItemId item = annotateAndSubmit(p, *anna);
  const AnnotationId box = anna->annotations().front().id;

  // The submission reached the reviewer's queue and the annotator's task says submitted.
  auto queue = reviewQueue(rex->store(), p.reviewer);
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].item, item);
  EXPECT_EQ(queue[0].annotator, p.anna);
  EXPECT_EQ(rex->store().tasks(p.anna, TaskKind::Annotate).front().state, TaskState::Submitted);
  EXPECT_TRUE(annotatorQueue(*anna).empty());

  Verdict v;
  v.reason = "loose box";
  v.comment = "tighten the left edge";
  v.pinJson = pinAnnotation(box);
  auto rid = rejectItem(*rex, item, v);
  ASSERT_TRUE(rid) << rid.error().message;

  EXPECT_EQ(rex->store().item(item)->state, ItemState::Rejected);
  EXPECT_EQ(rex->store().tasks(p.anna, TaskKind::Annotate).front().state, TaskState::Assigned);
  EXPECT_TRUE(reviewQueue(rex->store(), p.reviewer).empty());
  // Back in Anna's queue with the reason, comment and pin on it.
  auto back = annotatorQueue(*anna);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].item, item);
  EXPECT_EQ(back[0].state, ItemState::Rejected);
  ASSERT_TRUE(back[0].lastRejection);
  EXPECT_EQ(back[0].lastRejection->reason, "loose box");
  EXPECT_EQ(back[0].lastRejection->comment, "tighten the left edge");
  EXPECT_EQ(nlohmann::json::parse(back[0].lastRejection->pinJson)["annotation"], box);
  // The event names the annotator, so throughput can count rework.
  auto rejects = eventsOf(rex->store(), events::kReviewReject);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].userId, p.reviewer);
  EXPECT_EQ(nlohmann::json::parse(rejects[0].detailJson)["annotator"], p.anna);
  EXPECT_EQ(nlohmann::json::parse(rejects[0].detailJson)["reason"], "loose box");

  // Anna fixes and resubmits; the queue shows it came back once; Rex accepts.
  ASSERT_TRUE(anna->openItem(item));
  EXPECT_EQ(anna->store().item(item)->state, ItemState::InProgress);
  Annotation fixed = anna->annotations().front();
  fixed.coords[0] = 12;
  ASSERT_TRUE(anna->updateAnnotation(fixed));
  auto again = submitChecked(*anna, RuleSettings{});
  ASSERT_TRUE(again && again->submitted);
  queue = reviewQueue(rex->store(), p.reviewer);
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].previousRejections, 1);
  ASSERT_TRUE(acceptItem(*rex, item));
  EXPECT_EQ(rex->store().item(item)->state, ItemState::Accepted);
  EXPECT_EQ(rex->store().tasks(p.anna, TaskKind::Annotate).front().state, TaskState::Done);

  // History keeps both verdicts in order.
  const auto history = reviewHistory(rex->store(), item);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].verdict, ReviewVerdict::Reject);
  EXPECT_EQ(history[1].verdict, ReviewVerdict::Accept);
  EXPECT_EQ(history[1].annotatorId, p.anna);
  EXPECT_EQ(eventsOf(rex->store(), events::kReviewAccept).size(), 1u);
}

TEST(ReviewWorkflow, FixAndAcceptIsRecordedAsSuch) {
  ReviewProject p;
  auto anna = p.session(p.anna);
  auto rex = p.session(p.reviewer);
  const ItemId item = annotateAndSubmit(p, *anna);
  ASSERT_TRUE(rex->openItem(item));
  Annotation a = rex->annotations().front();
  a.coords[2] = 90;
  ASSERT_TRUE(rex->updateAnnotation(a));
  Verdict v;
  v.comment = "trimmed the right edge";
  ASSERT_TRUE(fixAndAcceptItem(*rex, item, v));
  EXPECT_EQ(rex->store().item(item)->state, ItemState::Accepted);
  EXPECT_EQ(reviewHistory(rex->store(), item).back().verdict, ReviewVerdict::FixAndAccept);
  auto ev = eventsOf(rex->store(), events::kReviewFixAccept);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(ev[0].detailJson)["annotator"], p.anna);
}

TEST(ReviewWorkflow, RefusalsNameWhatIsWrong) {
  ReviewProject p;
  auto anna = p.session(p.anna);
  auto rex = p.session(p.reviewer);
  const ItemId item = annotateAndSubmit(p, *anna);
  const ItemId other = p.addImage(rex->store(), "img2");

  Verdict bad;
  bad.reason = "ugly";
  auto r = rejectItem(*rex, item, bad);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("missed object"), std::string::npos);  // lists the reasons

  Verdict ok;
  ok.reason = "wrong class";
  auto byAnnotator = rejectItem(*anna, item, ok);
  ASSERT_FALSE(byAnnotator);
  EXPECT_NE(byAnnotator.error().message.find("annotator"), std::string::npos);

  auto notSubmitted = acceptItem(*rex, other);
  ASSERT_FALSE(notSubmitted);
  EXPECT_EQ(notSubmitted.error().code, lb::ErrorCode::Conflict);

  ok.pinJson = pinPoint(700, 10);  // the image is 640 wide
  auto offImage = rejectItem(*rex, item, ok);
  ASSERT_FALSE(offImage);
  EXPECT_NE(offImage.error().message.find("640x480"), std::string::npos);
  ok.pinJson = pinSpan(0, 3);  // spans pin texts, not images
  EXPECT_FALSE(rejectItem(*rex, item, ok));
  ok.pinJson = pinPoint(320, 200);
  EXPECT_TRUE(rejectItem(*rex, item, ok));
  // Nothing of the refused attempts reached the history.
  EXPECT_EQ(reviewHistory(rex->store(), item).size(), 1u);
}

TEST(ReviewWorkflow, QueueCanBeLimitedToTheReviewersTasks) {
  ReviewProject p;
  auto anna = p.session(p.anna);
  auto rex = p.session(p.reviewer);
  const ItemId a = annotateAndSubmit(p, *anna);
  const ItemId b = p.addImage(anna->store(), "img-b");
  ASSERT_TRUE(anna->openItem(b));
  ASSERT_TRUE(anna->createAnnotation(boxOf(p.person, 1, 1, 50, 50)));
  ASSERT_TRUE(submitChecked(*anna, RuleSettings{})->submitted);
  ASSERT_TRUE(rex->store().assign(b, p.reviewer, TaskKind::Review));
  EXPECT_EQ(reviewQueue(rex->store(), p.reviewer).size(), 2u);
  ReviewQueueOptions mine;
  mine.assignedOnly = true;
  auto q = reviewQueue(rex->store(), p.reviewer, mine);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].item, b);
  EXPECT_EQ(q[0].annotator, p.anna);  // found from the annotations' author (no task)
  (void)a;
}
