#include "qc/clean/text_actions.h"

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "qc/clean/checks.h"
#include "qc/clean/findings_repository.h"
#include "qc/clean/pii.h"
#include "qc/clean/text_normalize.h"
#include "qc/clean/text_quality.h"

namespace lb::qc::clean {

using labeling::ItemId;

namespace {

Status requireLead(labeling::ProjectStore& store, labeling::UserId who) {
  auto u = store.user(who);
  if (!u) return u.error();
  if (u->role != labeling::Role::Lead)
    return makeError(ErrorCode::Conflict, "only a lead may see or restore original texts; " + u->name + " is " +
                                              std::string(labeling::toString(u->role)));
  return okStatus();
}

Status writeText(labeling::SqliteProjectStore& store, ItemId item, const std::string& original, const std::string& changed,
                 const char* action, labeling::UserId by) {
  auto& db = store.database();
  // The first original wins: masking an already converted text keeps the imported one.
  SQLite::Statement keep(db,
                         "INSERT INTO findings (item_id, check_name, score, detail_json) VALUES (?, ?, 0, ?) "
                         "ON CONFLICT (check_name, item_id) DO NOTHING");
  keep.bind(1, item);
  keep.bind(2, kOriginalTextRow);
  keep.bind(3, nlohmann::json{{"text", original}, {"action", action}, {"by", by}, {"ms", labeling::nowMs()}}.dump());
  keep.exec();
  SQLite::Statement up(db, "UPDATE items SET text = ? WHERE id = ?");
  up.bind(1, changed);
  up.bind(2, item);
  if (up.exec() != 1) return makeError(ErrorCode::NotFound, "no item " + std::to_string(item));
  return okStatus();
}

}  // namespace

Result<TextActionResult> applyTextAction(labeling::ProjectStore& store, TextAction action, std::vector<ItemId> items,
                                         labeling::UserId by) {
  auto repo = FindingsRepository::open(store);
  if (!repo) return repo.error();
  auto& sqlite = dynamic_cast<labeling::SqliteProjectStore&>(store);
  if (auto st = requireLead(store, by); !st) return st.error();
  const char* checkName = action == TextAction::MaskPii ? "pii" : "traditional";
  if (items.empty()) {
    auto thresholds = Thresholds::load(store);
    if (!thresholds) return thresholds.error();
    const auto* spec = findCheck(checkName);
    for (const auto& f : repo->findings(*spec, thresholds->get(checkName))) items.push_back(f.itemId);
  }
  std::unique_ptr<ChineseConverter> t2s;
  if (action == TextAction::ToSimplified) {
    auto c = ChineseConverter::open(ChineseScript::Simplified);
    if (!c) return c.error();
    t2s = std::move(*c);
  }
  TextActionResult result;
  auto st = store.transaction([&]() -> Status {
    for (const auto id : items) {
      auto item = store.item(id);
      if (!item) return item.error();
      const auto before = toCodePoints(item->text);
      std::string after;
      if (action == TextAction::MaskPii) {
        after = toUtf8(maskPii(before, findPii(before)));
      } else {
        after = t2s->convert(item->text);
        if (toCodePoints(after).size() != before.size()) {
          result.refused.push_back("item " + std::to_string(id) +
                                   ": conversion changes the length, which would move span offsets; convert it by hand");
          continue;
        }
      }
      if (after == item->text) {
        ++result.unchanged;
        continue;
      }
      if (auto s = writeText(sqlite, id, item->text, after, action == TextAction::MaskPii ? "mask" : "t2s", by); !s) return s;
      ++result.changed;
    }
    return okStatus();
  });
  if (!st) return st.error();
  return result;
}

Result<std::string> originalText(labeling::ProjectStore& store, ItemId item, labeling::UserId who) {
  if (auto st = requireLead(store, who); !st) return st.error();
  auto repo = FindingsRepository::open(store);
  if (!repo) return repo.error();
  auto row = repo->row(kOriginalTextRow, item);
  if (!row) return makeError(ErrorCode::NotFound, "item " + std::to_string(item) + " was never masked or converted");
  const auto j = nlohmann::json::parse(row->detailJson, nullptr, false);
  if (j.is_discarded() || !j.contains("text")) return makeError(ErrorCode::Damaged, "saved original of item " + std::to_string(item) + " is unreadable");
  return j["text"].get<std::string>();
}

Status restoreOriginalText(labeling::ProjectStore& store, ItemId item, labeling::UserId who) {
  auto original = originalText(store, item, who);
  if (!original) return original.error();
  auto& sqlite = dynamic_cast<labeling::SqliteProjectStore&>(store);
  return store.transaction([&]() -> Status {
    SQLite::Statement up(sqlite.database(), "UPDATE items SET text = ? WHERE id = ?");
    up.bind(1, *original);
    up.bind(2, item);
    up.exec();
    SQLite::Statement del(sqlite.database(), "DELETE FROM findings WHERE check_name = ? AND item_id = ?");
    del.bind(1, kOriginalTextRow);
    del.bind(2, item);
    del.exec();
    return okStatus();
  });
}

}  // namespace lb::qc::clean
