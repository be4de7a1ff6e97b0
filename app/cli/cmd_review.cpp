// Sub-commands for review and quality control: review (queue, accept, reject, fix, history,
// check, report), gold (set, assign, accuracy), overlap (assign, agreement, merge) and
// aql (plan, draw, inspect, decide, list). All logic lives in qc/; this file only parses and prints.
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <sstream>

#include "cli_support.h"
#include "labeling/annotation_json.h"
#include "qc/agreement/overlap.h"
#include "qc/review/gold.h"
#include "qc/review/reports.h"
#include "qc/review/rule_checks.h"
#include "qc/review/workflow.h"
#include "qc/sampling/acceptance.h"

namespace lb::app {
namespace {

using namespace lb::labeling;
using namespace lb::qc;
using nlohmann::json;

// Shared option holders: CLI11 writes into them before a callback runs.
struct Common {
  std::string project, user;
  std::int64_t item = 0, batch = 0;
  bool asJson = false, csv = false;
};

void projectOpt(CLI::App* c, Common& o) {
  c->add_option("project", o.project, "Project file")->required();
  c->add_option("--user", o.user, "Act as this user (default: the first lead)");
}

std::string fmt(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::optional<BatchId> batchOf(const Common& o) { return o.batch ? std::optional<BatchId>(o.batch) : std::nullopt; }

// [SECTION] review
void addReview(CLI::App& app) {
  auto* cmd = app.add_subcommand("review", "Review queue, verdicts, rule checks and quality reports");
  cmd->require_subcommand(1);
  auto o = std::make_shared<Common>();
  auto assigned = std::make_shared<bool>(false);
  auto* queue = cmd->add_subcommand("queue", "Items waiting for review");
  projectOpt(queue, *o);
  queue->add_flag("--assigned", *assigned, "Only items with a review task for the user");
  queue->add_option("--batch", o->batch, "Only this batch");
  queue->add_flag("--json", o->asJson, "Print JSON");
  queue->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    ReviewQueueOptions q;
    q.assignedOnly = *assigned;
    q.batch = batchOf(*o);
    json arr = json::array();
    for (const auto& e : reviewQueue(s->store(), s->user().id, q)) {
      auto who = s->store().user(e.annotator);
      const std::string name = who ? who->name : "";
      if (o->asJson)
        arr.push_back({{"item", e.item}, {"batch", e.batch}, {"annotator", name},
                       {"previous_rejections", e.previousRejections}, {"merge_tie", e.mergeTie}});
      else
        std::cout << e.item << "\t" << name << "\trejected " << e.previousRejections << "x"
                  << (e.mergeTie ? "\tmerge tie" : "") << "\n";
    }
    if (o->asJson) std::cout << arr.dump(2) << "\n";
  });

  auto v = std::make_shared<Verdict>();
  auto pinAnn = std::make_shared<std::int64_t>(0);
  auto pinPt = std::make_shared<std::vector<double>>();
  auto pinSp = std::make_shared<std::vector<std::int64_t>>();
  auto verdictCmd = [&](const char* name, const char* help, ReviewVerdict kind) {
    auto* c = cmd->add_subcommand(name, help);
    projectOpt(c, *o);
    c->add_option("item", o->item, "Item id")->required();
    c->add_option("--comment", v->comment, "Free text for the annotator");
    if (kind == ReviewVerdict::Reject) {
      c->add_option("--reason", v->reason, "One of the project's reject reasons (schema rejectReasons)");
      c->add_option("--pin-annotation", *pinAnn, "Pin the reason to this annotation id");
      c->add_option("--pin-point", *pinPt, "Pin to an image point: X Y (pixels)")->expected(2);
      c->add_option("--pin-span", *pinSp, "Pin to a text span: START END (characters)")->expected(2);
    }
    c->callback([=] {
      auto s = sessionOrFail(o->project, o->user);
      if (!s) return;
      Verdict x = *v;
      if (*pinAnn) x.pinJson = pinAnnotation(*pinAnn);
      if (pinPt->size() == 2) x.pinJson = pinPoint((*pinPt)[0], (*pinPt)[1]);
      if (pinSp->size() == 2) x.pinJson = pinSpan((*pinSp)[0], (*pinSp)[1]);
      auto r = kind == ReviewVerdict::Accept   ? acceptItem(*s, o->item, x)
               : kind == ReviewVerdict::Reject ? rejectItem(*s, o->item, x)
                                               : fixAndAcceptItem(*s, o->item, x);
      if (!r) return fail(r.error());
      std::cout << "item " << o->item << ": " << toString(kind) << " (review " << *r << ")\n";
    });
  };
  verdictCmd("accept", "Accept a submitted item", ReviewVerdict::Accept);
  verdictCmd("reject", "Send a submitted item back to its annotator with a reason", ReviewVerdict::Reject);
  verdictCmd("fix", "Record that you fixed the item and accept it", ReviewVerdict::FixAndAccept);

  // An annotator's side from the command line (scripted work, offline packages, tests): draw the
  // given boxes as that user, then submit through the same rule checks as the desktop program.
  auto boxes = std::make_shared<std::vector<std::string>>();
  auto* submit = cmd->add_subcommand("submit", "Label an item with boxes as a user and submit it for review");
  projectOpt(submit, *o);
  submit->add_option("item", o->item, "Item id")->required();
  submit->add_option("--box", *boxes, "A box to draw first: 'CLASS X1 Y1 X2 Y2' (pixels); repeat for more");
  submit->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    if (auto st = s->openItem(o->item); !st) return fail(st.error());
    const LabelSchema schema = s->store().schema();
    for (const auto& b : *boxes) {
      std::istringstream in(b);
      std::string cls;
      double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
      if (!(in >> cls >> x1 >> y1 >> x2 >> y2))
        return fail("--box '" + b + "' is not 'CLASS X1 Y1 X2 Y2'");
      const ClassDef* c = schema.findClass(cls);
      if (!c) return fail("--box '" + b + "': the project has no class '" + cls + "'");
      Annotation a;
      a.kind = AnnotationKind::Box;
      a.classId = c->id;
      a.coords = {x1, y1, x2, y2};
      if (auto r = s->createAnnotation(a); !r) return fail(r.error());
    }
    auto outcome = submitChecked(*s, loadRuleSettings(s->store()));
    if (!outcome) return fail(outcome.error());
    for (const auto& v : outcome->violations)
      std::cerr << o->item << "\t" << v.annotation << "\t" << v.rule << "\t"
                << (v.severity == RuleSeverity::Error ? "error" : "warning") << "\t" << v.message << "\n";
    if (!outcome->submitted) return fail("item " + std::to_string(o->item) + " was not submitted: fix the errors above", 1);
    std::cout << "item " << o->item << ": submitted\n";
  });

  auto* hist = cmd->add_subcommand("history", "Review history of an item");
  projectOpt(hist, *o);
  hist->add_option("item", o->item, "Item id")->required();
  hist->callback([=] {
    auto st = openOrFail(o->project);
    if (!st) return;
    for (const auto& r : reviewHistory(*st, o->item)) {
      auto rv = st->user(r.reviewerId);
      std::cout << r.createdMs << "\t" << toString(r.verdict) << "\t" << (rv ? rv->name : "?") << "\t" << r.reason
                << "\t" << r.comment << "\t" << r.pinJson << "\n";
    }
  });

  auto rules = std::make_shared<RuleSettings>();
  auto* check = cmd->add_subcommand("check", "Run the rule checks; exit code 1 when an error-level rule fires");
  projectOpt(check, *o);
  check->add_option("--item", o->item, "Only this item");
  check->add_option("--batch", o->batch, "Only this batch");
  check->add_option("--min-box-side", rules->minBoxSide_px, "Minimum box side in pixels (default: project setting)");
  check->add_option("--max-iou", rules->maxSameClassIou, "Same-class overlap limit (default: project setting)");
  check->callback([=] {
    auto st = openOrFail(o->project);
    if (!st) return;
    RuleSettings settings = loadRuleSettings(*st);
    if (check->count("--min-box-side")) settings.minBoxSide_px = rules->minBoxSide_px;
    if (check->count("--max-iou")) settings.maxSameClassIou = rules->maxSameClassIou;
    std::vector<ItemId> ids;
    if (o->item) ids.push_back(o->item);
    else {
      ItemFilter f;
      f.batchId = batchOf(*o);
      ids = st->itemIds(f);
    }
    int errors = 0, warnings = 0;
    for (ItemId id : ids) {
      auto v = checkItem(*st, id, settings);
      if (!v) return fail(v.error());
      for (const auto& x : *v) {
        (x.severity == RuleSeverity::Error ? errors : warnings)++;
        std::cout << id << "\t" << x.annotation << "\t" << x.rule << "\t"
                  << (x.severity == RuleSeverity::Error ? "error" : "warning") << "\t" << x.message << "\n";
      }
    }
    std::cerr << ids.size() << " items checked: " << errors << " errors, " << warnings << " warnings\n";
    if (errors) exitCode() = 1;
  });

  auto by = std::make_shared<std::string>("annotator");
  auto* report = cmd->add_subcommand("report", "Quality report per batch or per annotator");
  projectOpt(report, *o);
  report->add_option("--by", *by, "batch or annotator")->check(CLI::IsMember({"batch", "annotator"}));
  report->add_flag("--csv", o->csv, "CSV (default: aligned table)");
  report->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    const std::string csv = *by == "batch" ? batchReportCsv(batchReport(*s)) : annotatorReportCsv(annotatorReport(*s));
    if (o->csv) {
      std::cout << csv;
      return;
    }
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
      for (char& c : line)
        if (c == ',') c = '\t';
      std::cout << line << "\n";
    }
  });
}

// [SECTION] gold
void addGold(CLI::App& app) {
  auto* cmd = app.add_subcommand("gold", "Gold items: mark, hand out, score annotators");
  cmd->require_subcommand(1);
  auto o = std::make_shared<Common>();
  auto items = std::make_shared<std::vector<std::int64_t>>();
  auto off = std::make_shared<bool>(false);
  auto* set = cmd->add_subcommand("set", "Mark items gold (lead)");
  projectOpt(set, *o);
  set->add_option("items", *items, "Item ids")->required();
  set->add_flag("--off", *off, "Unmark instead");
  set->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    for (auto id : *items)
      if (auto st = setGoldItem(*s, id, !*off); !st) return fail(st.error());
    std::cout << items->size() << " items " << (*off ? "unmarked" : "marked gold") << "\n";
  });

  auto names = std::make_shared<std::vector<std::string>>();
  auto* assign = cmd->add_subcommand("assign", "Give every gold item to these annotators (lead)");
  projectOpt(assign, *o);
  assign->add_option("annotators", *names, "Annotator names")->required();
  assign->add_option("--batch", o->batch, "Only gold items of this batch");
  assign->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    std::vector<UserId> ids;
    for (const auto& n : *names) {
      auto u = s->store().userByName(n);
      if (!u) return fail(makeError(ErrorCode::NotFound, "no user named '" + n + "'"));
      ids.push_back(u->id);
    }
    auto r = assignGold(*s, ids, batchOf(*o));
    if (!r) return fail(r.error());
    std::cout << *r << " gold tasks created\n";
  });

  auto refJson = std::make_shared<std::string>();
  auto* ref = cmd->add_subcommand("reference", "Add a reference answer to an item, making it gold (lead)");
  projectOpt(ref, *o);
  ref->add_option("item", o->item, "Item id")->required();
  ref->add_option("annotation", *refJson,
                  R"(Annotation JSON, e.g. '{"kind":"box","class_name":"car","coords":[10,10,90,80]}')")
      ->required();
  ref->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    Annotation a;
    try {
      const auto j = json::parse(*refJson);
      a = annotationFromJson(j);
      if (j.contains("class_name")) {
        const auto schema = s->store().schema();
        const ClassDef* c = schema.findClass(j["class_name"].get<std::string>());
        if (!c) return fail(makeError(ErrorCode::NotFound, "no class named " + j["class_name"].dump() + " in the schema"));
        a.classId = c->id;
      }
    } catch (const json::exception& e) {
      return fail(makeError(ErrorCode::BadInput, std::string("the annotation JSON is not valid: ") + e.what()));
    }
    auto id = addReference(*s, o->item, a);
    if (!id) return fail(id.error());
    std::cout << "reference annotation " << *id << " added to gold item " << o->item << "\n";
  });

  auto iou = std::make_shared<double>(0.5);
  auto* acc = cmd->add_subcommand("accuracy", "Accuracy of each annotator on gold items (reviewers, leads)");
  projectOpt(acc, *o);
  acc->add_option("--iou", *iou, "IoU threshold for matching objects");
  acc->add_option("--batch", o->batch, "Only this batch");
  acc->add_flag("--json", o->asJson, "Print JSON");
  acc->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    GoldOptions g;
    g.iouThreshold = *iou;
    g.batch = batchOf(*o);
    auto r = goldAccuracy(*s, g);
    if (!r) return fail(r.error());
    json arr = json::array();
    if (!o->asJson) std::cout << "annotator\tgold_items\tprecision\trecall\tf1\tclass_acc\tmean_iou\tspan_exact_f1\tspan_overlap_f1\n";
    for (const auto& x : *r) {
      if (o->asJson)
        arr.push_back({{"annotator", x.annotatorName}, {"gold_items", x.goldItems}, {"precision", x.objectPrecision},
                       {"recall", x.objectRecall}, {"f1", x.objectF1}, {"class_accuracy", x.classAccuracy},
                       {"mean_iou", x.meanIou}, {"span_exact_f1", x.spanExactF1}, {"span_overlap_f1", x.spanOverlapF1},
                       {"tag_f1", x.tagF1}, {"rating_exact", x.ratingExact}, {"ranking_spearman", x.rankingSpearman}});
      else
        std::cout << x.annotatorName << "\t" << x.goldItems << "\t" << fmt(x.objectPrecision) << "\t"
                  << fmt(x.objectRecall) << "\t" << fmt(x.objectF1) << "\t" << fmt(x.classAccuracy) << "\t"
                  << fmt(x.meanIou) << "\t" << fmt(x.spanExactF1) << "\t" << fmt(x.spanOverlapF1) << "\n";
    }
    if (o->asJson) std::cout << arr.dump(2) << "\n";
  });
}

// [SECTION] overlap
void addOverlap(CLI::App& app) {
  auto* cmd = app.add_subcommand("overlap", "Items labelled by several annotators: assign, agreement, merge");
  cmd->require_subcommand(1);
  auto o = std::make_shared<Common>();
  auto opts = std::make_shared<OverlapOptions>();
  auto names = std::make_shared<std::vector<std::string>>();
  auto* assign = cmd->add_subcommand("assign", "Give a share of the items to several annotators (lead)");
  projectOpt(assign, *o);
  assign->add_option("--share", opts->share, "Share of the items, e.g. 0.1")->required();
  assign->add_option("--raters", opts->raters, "Annotators per item (default 2)");
  assign->add_option("--seed", opts->seed, "Random seed (default 1)");
  assign->add_option("--batch", o->batch, "Only this batch");
  assign->add_option("--annotators", *names, "Annotator names (default: all active annotators)");
  assign->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    OverlapOptions x = *opts;
    x.batch = batchOf(*o);
    for (const auto& n : *names) {
      auto u = s->store().userByName(n);
      if (!u) return fail(makeError(ErrorCode::NotFound, "no user named '" + n + "'"));
      x.annotators.push_back(u->id);
    }
    auto r = assignOverlap(*s, x);
    if (!r) return fail(r.error());
    std::cout << r->items.size() << " overlap items, " << r->tasksCreated << " tasks created\n";
  });

  auto iou = std::make_shared<double>(0.5);
  auto* agree = cmd->add_subcommand("agreement", "Agreement between annotators on overlap items");
  projectOpt(agree, *o);
  agree->add_option("--batch", o->batch, "Only this batch");
  agree->add_option("--iou", *iou, "IoU threshold for shapes (default 0.5)");
  agree->add_flag("--json", o->asJson, "Print JSON");
  agree->callback([=] {
    auto st = openOrFail(o->project);
    if (!st) return;
    AgreementOptions a;
    a.batch = batchOf(*o);
    a.iouThreshold = *iou;
    const auto r = computeAgreement(*st, a);
    auto j = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
    const json out = {{"items", r.items}, {"raters", r.raters}, {"class_units", r.classUnits},
                      {"cohen_kappa", j(r.cohenKappa)}, {"fleiss_kappa", j(r.fleissKappa)},
                      {"alpha_nominal", j(r.alphaNominal)}, {"rating_units", r.ratingUnits},
                      {"rating_alpha_ordinal", j(r.ratingAlphaOrdinal)}, {"rating_alpha_interval", j(r.ratingAlphaInterval)},
                      {"shape_pairs", r.shapePairs}, {"mean_iou", j(r.meanIou)}, {"shape_f1", j(r.shapeF1)},
                      {"span_pairs", r.spanPairs}, {"span_exact_f1", j(r.spanExactF1)},
                      {"span_overlap_f1", j(r.spanOverlapF1)}, {"ranking_spearman", j(r.rankingSpearman)}};
    if (o->asJson) {
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::cout << "overlap items " << r.items << ", annotators " << r.raters << "\n"
              << "classes (" << r.classUnits << " items): Cohen's kappa " << fmt(r.cohenKappa) << ", Fleiss' kappa "
              << fmt(r.fleissKappa) << ", Krippendorff's alpha " << fmt(r.alphaNominal) << "\n"
              << "ratings (" << r.ratingUnits << " units): alpha ordinal " << fmt(r.ratingAlphaOrdinal)
              << ", interval " << fmt(r.ratingAlphaInterval) << "\n"
              << "shapes (" << r.shapePairs << " pairs): mean IoU " << fmt(r.meanIou) << ", F1@" << *iou << " "
              << fmt(r.shapeF1) << "\n"
              << "spans (" << r.spanPairs << " pairs): exact F1 " << fmt(r.spanExactF1) << ", overlap F1 "
              << fmt(r.spanOverlapF1) << "\n";
  });

  auto apply = std::make_shared<bool>(false);
  auto* merge = cmd->add_subcommand("merge", "Majority merge of overlap items; ties go to review");
  projectOpt(merge, *o);
  merge->add_option("--item", o->item, "Only this item (default: every overlap item)");
  merge->add_option("--batch", o->batch, "Only this batch");
  merge->add_flag("--apply", *apply, "Store the merged answer (lead); without it only show the result");
  merge->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    std::vector<ItemId> ids = o->item ? std::vector<ItemId>{o->item} : overlapItems(s->store(), batchOf(*o));
    int ties = 0;
    for (ItemId id : ids) {
      MergeResult r;
      if (*apply) {
        auto m = applyMerge(*s, id);
        if (!m) return fail(m.error());
        r = *m;
      } else {
        r = mergeItem(s->store(), id);
      }
      std::cout << id << "\t" << r.raters << " annotators\t" << r.merged.size() << " merged\t" << r.ties.size() << " ties\n";
      for (const auto& t : r.ties) std::cout << "\ttie: " << t << "\n";
      ties += r.ties.empty() ? 0 : 1;
    }
    std::cout << ids.size() << " items merged" << (*apply ? "" : " (dry run)") << ", " << ties << " sent to review\n";
  });
}

// [SECTION] aql
void printLot(const Lot& l) {
  std::cout << "lot " << l.id << ": batch " << l.batch << ", " << l.lotSize << " items, level " << toString(l.level)
            << ", AQL " << l.aql << " -> code letter " << l.plan.tableLetter << " (plan " << l.plan.planLetter
            << "): sample " << l.plan.sampleSize << ", Ac " << l.plan.accept << ", Re " << l.plan.reject << "; "
            << toString(l.state) << " (" << l.inspected << " inspected, " << l.nonconforming << " nonconforming)\n";
}

void addAql(CLI::App& app) {
  auto* cmd = app.add_subcommand("aql", "Acceptance sampling of a batch per ISO 2859-1");
  cmd->require_subcommand(1);
  auto o = std::make_shared<Common>();
  auto lotSize = std::make_shared<long long>(0);
  auto aql = std::make_shared<double>(1.0);
  auto level = std::make_shared<std::string>("II");
  auto seed = std::make_shared<std::uint64_t>(1);
  auto* plan = cmd->add_subcommand("plan", "Show the sampling plan for a lot size and AQL");
  plan->add_option("--lot", *lotSize, "Lot size")->required();
  plan->add_option("--aql", *aql, "AQL, e.g. 1.0")->required();
  plan->add_option("--level", *level, "Inspection level I, II (default) or III")->check(CLI::IsMember({"I", "II", "III"}));
  plan->callback([=] {
    auto p = planForLot(*lotSize, *inspectionLevelFrom(*level), *aql);
    if (!p) return fail(p.error());
    std::cout << "lot " << *lotSize << ", level " << *level << " -> code letter " << p->tableLetter;
    if (p->planLetter != p->tableLetter) std::cout << " (arrow to " << p->planLetter << ")";
    std::cout << "; sample size " << p->sampleSize << (p->hundredPercent ? " (100% inspection)" : "") << "; AQL "
              << *aql << ": Ac " << p->accept << ", Re " << p->reject << "\n";
  });

  auto* draw = cmd->add_subcommand("draw", "Draw the sample of a batch (reviewer or lead)");
  projectOpt(draw, *o);
  draw->add_option("--batch", o->batch, "Batch id")->required();
  draw->add_option("--aql", *aql, "AQL, e.g. 1.0")->required();
  draw->add_option("--level", *level, "Inspection level I, II (default) or III")->check(CLI::IsMember({"I", "II", "III"}));
  draw->add_option("--seed", *seed, "Random seed (recorded with the lot)");
  draw->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    auto l = drawLot(*s, o->batch, *aql, *inspectionLevelFrom(*level), *seed);
    if (!l) return fail(l.error());
    printLot(*l);
    for (const auto& x : l->sample) std::cout << x.item << "\n";
  });

  auto lotId = std::make_shared<std::int64_t>(0);
  auto verdict = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  auto* inspect = cmd->add_subcommand("inspect", "Record the finding for one sampled item");
  projectOpt(inspect, *o);
  inspect->add_option("lot", *lotId, "Lot id")->required();
  inspect->add_option("item", o->item, "Item id")->required();
  inspect->add_option("verdict", *verdict, "ok or defect")->required()->check(CLI::IsMember({"ok", "defect"}));
  inspect->add_option("--note", *note, "What is wrong");
  inspect->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    if (auto st = inspectSample(*s, *lotId, o->item, *verdict == "ok", *note); !st) return fail(st.error());
    std::cout << "item " << o->item << ": " << *verdict << "\n";
  });

  auto* decide = cmd->add_subcommand("decide", "Declare the lot accepted or rejected");
  projectOpt(decide, *o);
  decide->add_option("lot", *lotId, "Lot id")->required();
  decide->callback([=] {
    auto s = sessionOrFail(o->project, o->user);
    if (!s) return;
    auto l = decideLot(*s, *lotId);
    if (!l) return fail(l.error());
    printLot(*l);
  });

  auto* list = cmd->add_subcommand("list", "Acceptance lots of the project");
  projectOpt(list, *o);
  list->add_option("--batch", o->batch, "Only this batch");
  list->callback([=] {
    auto st = openOrFail(o->project);
    if (!st) return;
    for (const auto& l : lots(*st, batchOf(*o))) printLot(l);
  });
}

CommandRegistrar reg(40, [](CLI::App& app) {
  addReview(app);
  addGold(app);
  addOverlap(app);
  addAql(app);
});

}  // namespace
}  // namespace lb::app
