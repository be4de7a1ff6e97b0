#include "qc/clean/clean_service.h"

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unordered_set>

#include "qc/clean/image_checks.h"
#include "qc/clean/near_dup_search.h"
#include "qc/clean/text_checks.h"

namespace lb::qc::clean {

using labeling::ItemId;

namespace {
bool wanted(const std::vector<std::string>& checks, CheckTarget target) {
  if (checks.empty()) return true;
  for (const auto& c : checks)
    if (findCheck(c)->target == target) return true;
  return false;
}

Status validate(const std::vector<std::string>& checks) {
  for (const auto& c : checks)
    if (!findCheck(c)) {
      std::string known;
      for (const auto& s : allChecks()) known += (known.empty() ? "" : ", ") + std::string(s.name);
      return makeError(ErrorCode::InvalidArgument, "unknown check '" + c + "'; known checks: " + known);
    }
  return okStatus();
}
}  // namespace

Result<std::vector<CheckSummary>> runChecks(labeling::ProjectStore& store, const RunOptions& options) {
  if (auto st = validate(options.checks); !st) return st.error();
  auto repo = FindingsRepository::open(store);
  if (!repo) return repo.error();
  const bool images = wanted(options.checks, CheckTarget::Image);
  const bool texts = wanted(options.checks, CheckTarget::Text);
  const std::int64_t stages = (images ? 2 : 0) + (texts ? 2 : 0) + 1;
  std::int64_t done = 0;
  auto step = [&](const std::string& stage) {
    ++done;
    if (options.progress) options.progress(done, stages, stage);
  };
  auto cancelled = [&] { return options.cancel && options.cancel->load(); };
  const auto stop = [] { return makeError(ErrorCode::Cancelled, "cleaning run cancelled; the previous findings are unchanged"); };
  std::vector<CheckRows> all;
  std::vector<CheckSummary> out;
  std::optional<std::string> nearState;  // search state to store with the near_dup rows
  if (images) {
    const auto signals = loadImageSignals(store);
    step("read image signals");
    if (cancelled()) return stop();
    std::vector<std::string> checks = options.checks;
    if (checks.empty())
      for (const auto& spec : allChecks())
        if (spec.target == CheckTarget::Image) checks.emplace_back(spec.name);
    const bool nearWanted = std::find(checks.begin(), checks.end(), "near_dup") != checks.end();
    checks.erase(std::remove(checks.begin(), checks.end(), "near_dup"), checks.end());
    for (const auto& c : checks) {
      if (findCheck(c)->target != CheckTarget::Image) continue;
      auto rows = computeImageChecks(signals, {c}, options.cancel);
      if (cancelled()) return stop();
      for (auto& r : rows) all.push_back(std::move(r));
    }
    // The near-duplicate search is the one costly image check. It builds on the last run's
    // search (near_dup_search.h): only new or changed images are searched.
    if (nearWanted) {
      std::optional<NearDupState> previous;
      if (auto text = store.setting(kNearDupStateKey)) previous = parseNearDupState(*text);
      auto run = nearDuplicateRows(signals, previous ? &*previous : nullptr, repo->countRows("near_dup"), options.cancel);
      if (cancelled()) return stop();
      std::string note = run.how + (run.rows.note.empty() ? "" : "; " + run.rows.note);
      if (run.unchanged) {
        out.push_back({"near_dup", run.rows.measured, repo->countRows("near_dup"), note});
      } else {
        nearState = serializeNearDupState(run.state);
        run.rows.note = std::move(note);
        // After exact_dup, as the checks are listed.
        auto at = std::find_if(all.begin(), all.end(), [](const CheckRows& r) { return r.check == "exact_dup"; });
        all.insert(at == all.end() ? all.begin() : at + 1, std::move(run.rows));
      }
    }
    step("image checks");
    if (cancelled()) return stop();
  }
  if (texts) {
    const auto rowsIn = loadTexts(store);
    step("read texts");
    if (cancelled()) return stop();
    auto rows = computeTextChecks(rowsIn, options.checks);
    for (auto& r : rows) all.push_back(std::move(r));
    step("text checks");
  }
  if (cancelled()) return stop();
  auto st = store.transaction([&]() -> Status {
    for (const auto& r : all) {
      if (auto s = repo->replaceCheck(r.check, r.rows); !s) return s;
      out.push_back({r.check, r.measured, static_cast<std::int64_t>(r.rows.size()), r.note});
    }
    if (nearState) return store.setSetting(kNearDupStateKey, *nearState);
    return okStatus();
  });
  if (!st) return st.error();
  step("stored");
  return out;
}

Result<CleanReport> buildReport(labeling::ProjectStore& store, const Thresholds& thresholds,
                                const std::vector<std::string>& checks, int maxExamples) {
  if (auto st = validate(checks); !st) return st.error();
  auto repo = FindingsRepository::open(store);
  if (!repo) return repo.error();
  auto& sqlite = dynamic_cast<labeling::SqliteProjectStore&>(store);
  CleanReport report;
  for (const auto& spec : allChecks()) {
    if (!checks.empty() && std::find(checks.begin(), checks.end(), spec.name) == checks.end()) continue;
    CheckReport c;
    c.spec = &spec;
    c.threshold = thresholds.get(spec.name);
    c.stored = repo->countRows(spec.name);
    if (spec.grouped) {
      c.groups = duplicateGroups(*repo, sqlite, spec, c.threshold);
      for (const auto& g : c.groups) c.findings += static_cast<std::int64_t>(g.members.size());
      // Decisions are few: count those of group members rather than reading every finding.
      std::unordered_set<ItemId> inGroups;
      for (const auto& g : c.groups) inGroups.insert(g.members.begin(), g.members.end());
      for (const auto& [item, d] : repo->decidedFindings(spec, c.threshold)) {
        if (!inGroups.count(item)) continue;
        c.excluded += d == Decision::Exclude;
        c.kept += d == Decision::Keep;
      }
      for (const auto& g : c.groups) {
        if (static_cast<int>(c.examples.size()) >= maxExamples) break;
        c.examples.push_back(g.key);
      }
    } else {
      // Counted in SQL over the (check, score) index: a threshold change reads no rows.
      const auto counts = repo->countDecisions(spec, c.threshold);
      c.findings = counts.findings;
      c.excluded = counts.excluded;
      c.kept = counts.kept;
      c.examples = repo->firstFindings(spec, c.threshold, maxExamples);
    }
    report.checks.push_back(std::move(c));
  }
  // Corrupt files never became items; the import events say how many were refused.
  (void)store.forEachEvent([&](const labeling::Event& e) {
    if (e.action != "import") return true;
    const auto j = nlohmann::json::parse(e.detailJson, nullptr, false);
    if (j.is_discarded() || !j.contains("rejected")) return true;
    report.corruptKnown = true;
    const auto& r = j["rejected"];
    if (r.is_number()) report.corruptFiles += r.get<std::int64_t>();
    if (r.is_array()) {
      report.corruptFiles += static_cast<std::int64_t>(r.size());
      for (const auto& x : r)
        if (static_cast<int>(report.corruptExamples.size()) < maxExamples)
          report.corruptExamples.push_back(x.is_string() ? x.get<std::string>() : x.dump());
    }
    return true;
  });
  return report;
}

namespace {

struct Applier {
  labeling::ProjectStore& store;
  FindingsRepository& repo;
  const CheckSpec& spec;
  labeling::UserId by;
  DecideResult result;

  Status apply(ItemId item, Decision d, bool exclude, const std::string& reason) {
    auto current = repo.row(spec.name, item);
    if (!current)
      return makeError(ErrorCode::NotFound, "item " + std::to_string(item) + " has no '" + std::string(spec.name) +
                                                "' finding; run: labelbench-cli clean run");
    if (current->decision != d) {
      if (auto st = repo.setDecision(spec.name, item, d, by); !st) return st;
      ++result.decided;
    }
    auto it = store.item(item);
    if (!it) return it.error();
    if (exclude && !it->excluded) {
      if (auto st = store.setExcluded(item, true, reason); !st) return st;
      ++result.excluded;
    }
    // Only bring back what cleaning took out; an exclusion made elsewhere stays.
    if (!exclude && it->excluded && it->excludedReason.rfind("clean:", 0) == 0) {
      if (auto st = store.setExcluded(item, false, ""); !st) return st;
      ++result.restored;
    }
    return okStatus();
  }

  Status one(ItemId item, DecideAction action, const std::string& reason) {
    switch (action) {
      case DecideAction::Exclude: return apply(item, Decision::Exclude, true, reason);
      case DecideAction::Keep: return apply(item, Decision::Keep, false, reason);
      case DecideAction::Restore: return apply(item, Decision::None, false, reason);
    }
    return okStatus();
  }

  // Set-based form: the planned (item, decision, exclude?, reason) rows go to a temporary table
  // and a handful of statements apply them all, so a 100,000-member target costs a few scans
  // instead of four statements per member. Same effects and counts as one() per item.
  struct Planned {
    ItemId item;
    Decision decision;
    bool exclude;
    std::string reason;
  };
  std::vector<Planned> plan;
  bool setBased = true;

  Status add(ItemId item, DecideAction action, const std::string& reason) {
    if (!setBased) return one(item, action, reason);
    switch (action) {
      case DecideAction::Exclude: plan.push_back({item, Decision::Exclude, true, reason}); break;
      case DecideAction::Keep: plan.push_back({item, Decision::Keep, false, reason}); break;
      case DecideAction::Restore: plan.push_back({item, Decision::None, false, reason}); break;
    }
    return okStatus();
  }

  Status group(const DuplicateGroup& g, DecideAction action) {
    for (auto m : g.members) {
      const std::string reason = "clean:" + std::string(spec.name) + " group " + std::to_string(g.key) +
                                 " (kept item " + std::to_string(g.keeper) + ")";
      const bool isKeeper = m == g.keeper;
      const DecideAction a = action == DecideAction::Exclude && isKeeper ? DecideAction::Keep : action;
      if (auto st = add(m, a, reason); !st) return st;
    }
    return okStatus();
  }

  // One statement instead of a read per member: the other members' 'keep' decisions are cleared.
  Status dropOtherKeeps(const DuplicateGroup& g, ItemId keeper) {
    auto& db = dynamic_cast<labeling::SqliteProjectStore&>(store).database();
    db.exec("CREATE TEMP TABLE IF NOT EXISTS clean_decide_ids(item_id INTEGER PRIMARY KEY)");
    db.exec("DELETE FROM temp.clean_decide_ids");
    {
      SQLite::Statement ins(db, "INSERT INTO temp.clean_decide_ids VALUES (?)");
      for (auto m : g.members) {
        if (m == keeper) continue;
        ins.bind(1, m);
        ins.exec();
        ins.reset();
      }
    }
    SQLite::Statement q(db, "UPDATE findings SET decision = '', decided_by = 0, decided_ms = 0 WHERE check_name = ? "
                            "AND decision = 'keep' AND item_id IN (SELECT item_id FROM temp.clean_decide_ids)");
    q.bind(1, std::string(spec.name));
    q.exec();
    db.exec("DELETE FROM temp.clean_decide_ids");
    return okStatus();
  }

  Status flush() {
    if (plan.empty()) return okStatus();
    auto& db = dynamic_cast<labeling::SqliteProjectStore&>(store).database();
    db.exec("CREATE TEMP TABLE IF NOT EXISTS clean_decide_plan(item_id INTEGER PRIMARY KEY, decision TEXT NOT NULL, "
            "exclude INTEGER NOT NULL, reason TEXT NOT NULL)");
    db.exec("DELETE FROM temp.clean_decide_plan");
    {
      SQLite::Statement ins(db, "INSERT INTO temp.clean_decide_plan VALUES (?, ?, ?, ?)");
      for (const auto& p : plan) {
        ins.bind(1, p.item);
        ins.bind(2, std::string(toString(p.decision)));
        ins.bind(3, p.exclude ? 1 : 0);
        ins.bind(4, p.reason);
        ins.exec();
        ins.reset();
      }
    }
    const std::string check(spec.name);
    {
      SQLite::Statement missing(db, "SELECT p.item_id FROM temp.clean_decide_plan p WHERE NOT EXISTS "
                                    "(SELECT 1 FROM findings f WHERE f.check_name = ? AND f.item_id = p.item_id) LIMIT 1");
      missing.bind(1, check);
      if (missing.executeStep())
        return makeError(ErrorCode::NotFound, "item " + std::to_string(missing.getColumn(0).getInt64()) + " has no '" +
                                                  check + "' finding; run: labelbench-cli clean run");
    }
    const auto now = labeling::nowMs();
    SQLite::Statement dec(db,
                          "UPDATE findings SET decision = p.decision, "
                          "decided_by = CASE WHEN p.decision = '' THEN 0 ELSE ? END, "
                          "decided_ms = CASE WHEN p.decision = '' THEN 0 ELSE ? END "
                          "FROM temp.clean_decide_plan p WHERE findings.check_name = ? AND findings.item_id = p.item_id "
                          "AND findings.decision IS NOT p.decision");
    dec.bind(1, by);
    dec.bind(2, now);
    dec.bind(3, check);
    result.decided += dec.exec();
    result.excluded += db.exec(
        "UPDATE items SET excluded = 1, excluded_reason = p.reason FROM temp.clean_decide_plan p "
        "WHERE items.id = p.item_id AND p.exclude = 1 AND items.excluded = 0");
    // Only bring back what cleaning took out; an exclusion made elsewhere stays.
    result.restored += db.exec(
        "UPDATE items SET excluded = 0, excluded_reason = '' FROM temp.clean_decide_plan p "
        "WHERE items.id = p.item_id AND p.exclude = 0 AND items.excluded <> 0 "
        "AND substr(items.excluded_reason, 1, 6) = 'clean:'");
    db.exec("DELETE FROM temp.clean_decide_plan");
    plan.clear();
    return okStatus();
  }
};

}  // namespace

namespace {
Result<DecideResult> decideImpl(labeling::ProjectStore& store, const Thresholds& thresholds, const DecideTarget& target,
                                DecideAction action, labeling::UserId by, bool setBased) {
  if (auto st = validate({target.check}); !st) return st.error();
  const auto* spec = findCheck(target.check);
  auto repo = FindingsRepository::open(store);
  if (!repo) return repo.error();
  auto& sqlite = dynamic_cast<labeling::SqliteProjectStore&>(store);
  const double threshold = thresholds.get(spec->name);
  Applier ap{store, *repo, *spec, by, {}, {}, setBased};
  const std::string reason = "clean:" + std::string(spec->name);
  auto st = store.transaction([&]() -> Status {
    if (target.item) {
      if (target.group) {  // an item of a group: it must be in that group
        const auto groups = duplicateGroups(*repo, sqlite, *spec, threshold);
        auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.key == *target.group; });
        if (g == groups.end() || !std::binary_search(g->members.begin(), g->members.end(), *target.item))
          return makeError(ErrorCode::NotFound, "item " + std::to_string(*target.item) + " is not in " +
                                                    std::string(spec->name) + " group " + std::to_string(*target.group));
      }
      // Keeping one item of a group makes it the group's keeper: other members lose an earlier keep.
      if (spec->grouped && action == DecideAction::Keep)
        for (const auto& g : duplicateGroups(*repo, sqlite, *spec, threshold)) {
          if (!std::binary_search(g.members.begin(), g.members.end(), *target.item)) continue;
          if (setBased) {
            if (auto s = ap.dropOtherKeeps(g, *target.item); !s) return s;
            continue;
          }
          for (auto m : g.members)
            if (m != *target.item && repo->row(spec->name, m)->decision == Decision::Keep)
              if (auto s = repo->setDecision(spec->name, m, Decision::None, by); !s) return s;
        }
      return ap.one(*target.item, action, reason);
    }
    if (spec->grouped) {
      const auto groups = duplicateGroups(*repo, sqlite, *spec, threshold);
      bool found = false;
      for (const auto& g : groups) {
        if (target.group && g.key != *target.group) continue;
        found = true;
        if (auto s = ap.group(g, action); !s) return s;
      }
      if (auto s = ap.flush(); !s) return s;
      if (target.group && !found)
        return makeError(ErrorCode::NotFound, "no " + std::string(spec->name) + " group " + std::to_string(*target.group) +
                                                  " at threshold " + std::to_string(threshold) +
                                                  "; see: labelbench-cli clean report");
      return okStatus();
    }
    if (target.group)
      return makeError(ErrorCode::InvalidArgument, std::string(spec->name) + " findings have no groups; use --item or no target");
    for (const auto& f : repo->findings(*spec, threshold)) {
      if (action == DecideAction::Exclude && f.decision == Decision::Keep) continue;
      if (auto s = ap.add(f.itemId, action, reason); !s) return s;
    }
    return ap.flush();
  });
  if (!st) return st.error();
  labeling::Event e;
  e.userId = by;
  e.action = "clean_decide";
  e.tMs = labeling::nowMs();
  e.detailJson = nlohmann::json{{"check", target.check},
                                {"action", action == DecideAction::Exclude ? "exclude" : action == DecideAction::Keep ? "keep" : "restore"},
                                {"group", target.group.value_or(0)},
                                {"item", target.item.value_or(0)},
                                {"decided", ap.result.decided},
                                {"excluded", ap.result.excluded},
                                {"restored", ap.result.restored}}
                     .dump();
  if (auto s = store.appendEvent(e); !s) return s.error();
  return ap.result;
}
}  // namespace

Result<DecideResult> decide(labeling::ProjectStore& store, const Thresholds& thresholds, const DecideTarget& target,
                            DecideAction action, labeling::UserId by) {
  return decideImpl(store, thresholds, target, action, by, true);
}

namespace detail {
Result<DecideResult> decideItemByItem(labeling::ProjectStore& store, const Thresholds& thresholds, const DecideTarget& target,
                                      DecideAction action, labeling::UserId by) {
  return decideImpl(store, thresholds, target, action, by, false);
}
}  // namespace detail

}  // namespace lb::qc::clean
