#include "qc/clean/text_checks.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "qc/clean/duplicate_groups.h"
#include "qc/clean/hamming_search.h"
#include "qc/clean/pii.h"
#include "qc/clean/text_normalize.h"
#include "qc/clean/text_quality.h"

namespace lb::qc::clean {

using labeling::ItemId;

std::vector<TextRow> loadTexts(const labeling::ProjectStore& store) {
  std::vector<TextRow> out;
  for (auto kind : {labeling::ItemKind::Text, labeling::ItemKind::Prompt}) {
    labeling::ItemFilter f;
    f.kind = kind;
    f.includeExcluded = true;
    for (auto& item : store.items(f)) out.push_back({item.id, std::move(item.text)});
  }
  std::sort(out.begin(), out.end(), [](const TextRow& a, const TextRow& b) { return a.id < b.id; });
  return out;
}

std::int64_t boilerplateMinItems(std::int64_t multiLineTexts) {
  return std::max<std::int64_t>(3, multiLineTexts / 50);
}

namespace {

bool wanted(const std::vector<std::string>& checks, std::string_view name) {
  return checks.empty() || std::find(checks.begin(), checks.end(), name) != checks.end();
}

std::vector<std::string_view> splitLines(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

CheckRows exactDuplicates(const std::vector<TextRow>& texts, const std::vector<std::u32string>& forms) {
  CheckRows out{"text_exact_dup", {}, static_cast<std::int64_t>(texts.size()), ""};
  std::unordered_map<std::u32string, std::vector<std::uint32_t>> byForm;
  for (std::uint32_t i = 0; i < texts.size(); ++i)
    if (!forms[i].empty()) byForm[forms[i]].push_back(i);
  for (const auto& [form, members] : byForm) {
    if (members.size() < 2) continue;
    const auto first = members.front();
    for (auto m : members) {
      std::vector<std::pair<ItemId, double>> n;
      if (m == first) {
        for (auto o : members)
          if (o != m) n.emplace_back(texts[o].id, 0);
      } else {
        n.emplace_back(texts[first].id, 0);
      }
      out.rows.push_back({texts[m].id, 0, static_cast<std::int64_t>(texts[first].id), neighboursJson(n)});
    }
  }
  return out;
}

CheckRows nearDuplicates(const std::vector<TextRow>& texts, const std::vector<std::u32string>& forms) {
  const auto* spec = findCheck("text_near_dup");
  CheckRows out{"text_near_dup", {}, static_cast<std::int64_t>(texts.size()), ""};
  const auto pairs = findNearTexts(forms, spec->storeLimit);
  std::vector<std::vector<std::pair<ItemId, double>>> neighbours(texts.size());
  DisjointSets sets(texts.size());
  for (const auto& p : pairs) {
    neighbours[p.a].emplace_back(texts[p.b].id, p.jaccard);
    neighbours[p.b].emplace_back(texts[p.a].id, p.jaccard);
    if (isFinding(*spec, p.jaccard, spec->defaultThreshold)) sets.unite(p.a, p.b);
  }
  for (std::uint32_t i = 0; i < texts.size(); ++i) {
    if (neighbours[i].empty()) continue;
    double best = 0;
    for (const auto& [id, j] : neighbours[i]) best = std::max(best, j);
    out.rows.push_back({texts[i].id, best, static_cast<std::int64_t>(texts[sets.find(i)].id), neighboursJson(neighbours[i])});
  }
  return out;
}

CheckRows boilerplate(const std::vector<TextRow>& texts) {
  const auto* spec = findCheck("boilerplate");
  CheckRows out{"boilerplate", {}, 0, ""};
  // Line form -> number of multi-line texts containing it.
  std::unordered_map<std::u32string, std::int64_t> counts;
  std::vector<std::vector<std::u32string>> lineForms(texts.size());
  std::int64_t multiLine = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (auto line : splitLines(texts[i].text)) {
      auto f = duplicateForm(line);
      if (f.size() >= 2) lineForms[i].push_back(std::move(f));
    }
    if (lineForms[i].size() < 2) continue;
    ++multiLine;
    std::unordered_set<std::u32string> unique(lineForms[i].begin(), lineForms[i].end());
    for (const auto& f : unique) ++counts[f];
  }
  out.measured = multiLine;
  const std::int64_t minItems = boilerplateMinItems(multiLine);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (lineForms[i].size() < 2) continue;
    nlohmann::json lines = nlohmann::json::array();
    std::size_t hits = 0;
    for (const auto& f : lineForms[i])
      if (counts[f] >= minItems) {
        ++hits;
        if (lines.size() < 5) lines.push_back(toUtf8(f));
      }
    const double score = static_cast<double>(hits) / static_cast<double>(lineForms[i].size());
    if (hits > 0 && worthStoring(*spec, score))
      out.rows.push_back({texts[i].id, score, 0, nlohmann::json{{"lines", lines}, {"min_items", minItems}}.dump()});
  }
  return out;
}

}  // namespace

std::vector<CheckRows> computeTextChecks(const std::vector<TextRow>& texts, const std::vector<std::string>& checks) {
  std::vector<CheckRows> out;
  const bool needForms = wanted(checks, "text_exact_dup") || wanted(checks, "text_near_dup") || wanted(checks, "too_short");
  std::vector<std::u32string> forms;
  if (needForms)
    for (const auto& t : texts) forms.push_back(duplicateForm(t.text));
  if (wanted(checks, "text_exact_dup")) out.push_back(exactDuplicates(texts, forms));
  if (wanted(checks, "text_near_dup")) out.push_back(nearDuplicates(texts, forms));

  auto scalar = [&](std::string_view name, auto score) {
    const auto* spec = findCheck(name);
    CheckRows r{std::string(name), {}, static_cast<std::int64_t>(texts.size()), ""};
    for (std::size_t i = 0; i < texts.size(); ++i) {
      std::string detail = "{}";
      const double s = score(i, detail);
      if (worthStoring(*spec, s)) r.rows.push_back({texts[i].id, s, 0, detail});
    }
    out.push_back(std::move(r));
  };
  if (wanted(checks, "too_short"))
    scalar("too_short", [&](std::size_t i, std::string&) { return static_cast<double>(forms[i].size()); });
  if (wanted(checks, "too_long"))
    scalar("too_long", [&](std::size_t i, std::string&) { return static_cast<double>(toCodePoints(texts[i].text).size()); });
  if (wanted(checks, "mojibake"))
    scalar("mojibake", [&](std::size_t i, std::string&) { return static_cast<double>(mojibakeScore(texts[i].text)); });
  if (wanted(checks, "boilerplate")) out.push_back(boilerplate(texts));
  if (wanted(checks, "repeated_paragraph"))
    scalar("repeated_paragraph", [&](std::size_t i, std::string&) { return static_cast<double>(repeatedParagraphs(texts[i].text)); });
  if (wanted(checks, "traditional")) {
    auto t2s = ChineseConverter::open(ChineseScript::Simplified);
    if (t2s) {
      // Garbled text looks like rare traditional characters to t2s; it is reported as mojibake only.
      scalar("traditional", [&](std::size_t i, std::string&) {
        return mojibakeScore(texts[i].text) > 0 ? 0.0 : traditionalFraction(**t2s, texts[i].text);
      });
    } else {
      out.push_back({"traditional", {}, 0, t2s.error().message});
    }
  }
  if (wanted(checks, "pii"))
    scalar("pii", [&](std::size_t i, std::string& detail) {
      const auto matches = findPii(toCodePoints(texts[i].text));
      nlohmann::json m = nlohmann::json::array();
      for (const auto& x : matches) m.push_back({{"kind", toString(x.kind)}, {"start", x.start}, {"end", x.end}});
      detail = nlohmann::json{{"matches", m}}.dump();
      return static_cast<double>(matches.size());
    });
  return out;
}

}  // namespace lb::qc::clean
