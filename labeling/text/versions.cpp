#include "labeling/text/versions.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "labeling/import/encoding.h"
#include "labeling/text/offsets.h"

namespace lb::labeling::text {

using nlohmann::json;

namespace {

// Myers' O((N+M)D) greedy diff on the trimmed middle; returns ops in old/new coordinates
// offset by `base` (prefix length). nullopt when D exceeds maxEdits.
std::optional<std::vector<DiffOp>> myers(std::u32string_view a, std::u32string_view b, std::int64_t aBase,
                                         std::int64_t bBase, std::int64_t maxEdits) {
  const std::int64_t n = static_cast<std::int64_t>(a.size()), m = static_cast<std::int64_t>(b.size());
  const std::int64_t maxD = std::min(n + m, maxEdits);
  const std::int64_t off = maxD + 1;
  std::vector<std::int64_t> v(2 * off + 1, 0);
  // trace[d] keeps only diagonals -(d+1)..d+1 of v as it was before round d: O(D^2) memory.
  std::vector<std::vector<std::int64_t>> trace;
  std::int64_t found = -1;
  for (std::int64_t d = 0; d <= maxD; ++d) {
    trace.emplace_back(v.begin() + (off - d - 1), v.begin() + (off + d + 2));
    for (std::int64_t k = -d; k <= d; k += 2) {
      std::int64_t x;
      if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];  // down: insert
      else x = v[off + k - 1] + 1;                                                     // right: delete
      std::int64_t y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return std::nullopt;
  // Backtrack into unit steps, then merge.
  std::vector<DiffOp> rev;
  std::int64_t x = n, y = m;
  for (std::int64_t d = found; d > 0; --d) {
    const auto& pv = trace[d];
    const std::int64_t po = d + 1;  // index of diagonal 0 in pv
    const std::int64_t k = x - y;
    std::int64_t prevK;
    if (k == -d || (k != d && pv[po + k - 1] < pv[po + k + 1])) prevK = k + 1;
    else prevK = k - 1;
    const std::int64_t prevX = pv[po + prevK], prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      --x, --y;
      rev.push_back({DiffOp::Kind::Equal, x, x + 1, y, y + 1});
    }
    if (prevK == k + 1) rev.push_back({DiffOp::Kind::Insert, x, x, prevY, prevY + 1});
    else rev.push_back({DiffOp::Kind::Delete, prevX, prevX + 1, y, y});
    x = prevX, y = prevY;
  }
  while (x > 0 && y > 0) {
    --x, --y;
    rev.push_back({DiffOp::Kind::Equal, x, x + 1, y, y + 1});
  }
  std::vector<DiffOp> out(rev.rbegin(), rev.rend());
  for (auto& o : out) o.aStart += aBase, o.aEnd += aBase, o.bStart += bBase, o.bEnd += bBase;
  return out;
}

void pushMerged(std::vector<DiffOp>& out, const DiffOp& op) {
  if (op.aStart == op.aEnd && op.bStart == op.bEnd) return;
  if (!out.empty() && out.back().kind == op.kind && out.back().aEnd == op.aStart && out.back().bEnd == op.bStart) {
    out.back().aEnd = op.aEnd;
    out.back().bEnd = op.bEnd;
    return;
  }
  out.push_back(op);
}

}  // namespace

std::vector<DiffOp> diffCodePoints(std::u32string_view a, std::u32string_view b, std::int64_t maxEdits) {
  std::int64_t pre = 0;
  const std::int64_t na = static_cast<std::int64_t>(a.size()), nb = static_cast<std::int64_t>(b.size());
  while (pre < na && pre < nb && a[pre] == b[pre]) ++pre;
  std::int64_t suf = 0;
  while (suf < na - pre && suf < nb - pre && a[na - 1 - suf] == b[nb - 1 - suf]) ++suf;
  std::vector<DiffOp> out;
  pushMerged(out, {DiffOp::Kind::Equal, 0, pre, 0, pre});
  const auto midA = a.substr(pre, na - pre - suf), midB = b.substr(pre, nb - pre - suf);
  if (auto ops = myers(midA, midB, pre, pre, maxEdits)) {
    for (const auto& o : *ops) pushMerged(out, o);
  } else {
    pushMerged(out, {DiffOp::Kind::Delete, pre, na - suf, pre, pre});
    pushMerged(out, {DiffOp::Kind::Insert, na - suf, na - suf, pre, nb - suf});
  }
  pushMerged(out, {DiffOp::Kind::Equal, na - suf, na, nb - suf, nb});
  return out;
}

RemappedSpan remapSpan(const std::vector<DiffOp>& diff, SpanRange span) {
  // Group the non-equal ops into edits: old [as, ae) replaced by new [bs, be).
  struct Edit {
    std::int64_t as, ae, bs, be;
  };
  std::vector<Edit> edits;
  for (const auto& op : diff) {
    if (op.kind == DiffOp::Kind::Equal) continue;
    if (!edits.empty() && edits.back().ae == op.aStart && edits.back().be == op.bStart) {
      edits.back().ae = op.aEnd;
      edits.back().be = op.bEnd;
    } else {
      edits.push_back({op.aStart, op.aEnd, op.bStart, op.bEnd});
    }
  }
  RemappedSpan out;
  const std::int64_t s = span.start, e = span.end;
  std::int64_t newStart = s, newEnd = e;
  std::int64_t deltaBeforeStart = 0, deltaBeforeEnd = 0;
  bool startCut = false, endCut = false;
  for (const auto& ed : edits) {
    const std::int64_t delta = (ed.be - ed.bs) - (ed.ae - ed.as);
    // Start: edits ending at or before it shift it (an insertion exactly at the start lands
    // before the span); an edit straddling it cuts it.
    if (ed.as < s && s < ed.ae) {
      startCut = true;
      newStart = ed.bs;
    } else if (ed.ae <= s) {
      deltaBeforeStart += delta;
    }
    // End: edits ending at or before it shift it, except an insertion exactly at the end
    // (it lands after the span).
    if (ed.as < e && e < ed.ae) {
      endCut = true;
      newEnd = ed.be;
    } else if (ed.ae <= e && !(ed.as == ed.ae && ed.as == e)) {
      deltaBeforeEnd += delta;
    }
  }
  if (!startCut) newStart = s + deltaBeforeStart;
  if (!endCut) newEnd = e + deltaBeforeEnd;
  out.cut = startCut || endCut;
  if (newEnd <= newStart) {  // the edit removed the span's whole text
    out.cut = true;
    newEnd = newStart;
  }
  out.range = {newStart, newEnd};
  return out;
}

std::vector<TextVersion> textVersions(const Item& item, const std::vector<Annotation>& annotations) {
  std::vector<TextVersion> out{{item.text, 0, 0}};
  for (const auto& a : annotations) {
    if (a.kind != AnnotationKind::CorrectedText || a.isReference) continue;
    const json d = json::parse(a.dataJson, nullptr, false);
    if (!d.is_object() || !d.contains("text") || !d["text"].is_string()) continue;
    out.push_back({d["text"].get<std::string>(), d.value("version", 1), a.id});
  }
  std::stable_sort(out.begin(), out.end(), [](const TextVersion& x, const TextVersion& y) { return x.version < y.version; });
  return out;
}

TextVersion currentText(const Item& item, const std::vector<Annotation>& annotations) {
  return textVersions(item, annotations).back();
}

Result<CorrectionPlan> planCorrection(const Item& item, const std::vector<Annotation>& annotations,
                                      const std::string& newTextRaw) {
  if (!isValidUtf8(newTextRaw))
    return makeError(ErrorCode::InvalidArgument, "the corrected text of item " + std::to_string(item.id) +
                                                     " is not valid UTF-8");
  const std::string newText = toNfc(normalizeNewlines(newTextRaw));
  const TextVersion cur = currentText(item, annotations);
  if (newText == cur.text)
    return makeError(ErrorCode::InvalidArgument, "the corrected text is the same as the current text; nothing to save");
  const auto oldCps = toU32(cur.text), newCps = toU32(newText);
  const auto diff = diffCodePoints(oldCps, newCps);

  CorrectionPlan plan;
  plan.newVersion = cur.version + 1;
  EditStep create;
  create.op = EditStep::Op::Create;
  create.after.itemId = item.id;
  create.after.kind = AnnotationKind::CorrectedText;
  create.after.dataJson = json{{"text", newText}, {"version", plan.newVersion}}.dump();
  plan.steps.push_back(create);

  for (const auto& a : annotations) {
    if (a.kind != AnnotationKind::Span) continue;
    const auto before = spanOf(a);
    const auto moved = remapSpan(diff, before);
    if (moved.range == before && !moved.cut) continue;
    EditStep up;
    up.op = EditStep::Op::Update;
    up.before = a;
    up.after = a;
    up.after.coords = {static_cast<double>(moved.range.start), static_cast<double>(moved.range.end)};
    json d = json::parse(a.dataJson, nullptr, false);
    if (!d.is_object()) d = json::object();
    if (moved.cut) {
      const std::string was(toUtf8(std::u32string_view(oldCps).substr(
          std::min<std::size_t>(before.start, oldCps.size()),
          std::max<std::int64_t>(0, std::min<std::int64_t>(before.end, oldCps.size()) - before.start))));
      d["needs_review"] = true;
      d["review_reason"] = "correction v" + std::to_string(plan.newVersion) + " cut through this span (was [" +
                           std::to_string(before.start) + ", " + std::to_string(before.end) + ") \"" + was + "\")";
      ++plan.flaggedSpans;
    } else {
      ++plan.movedSpans;
    }
    up.after.dataJson = d.dump();
    plan.steps.push_back(std::move(up));
  }
  return plan;
}

Result<CorrectionPlan> applyCorrection(Session& session, const std::string& newText) {
  auto item = session.store().item(session.currentItem());
  if (!item) return item.error();
  auto plan = planCorrection(*item, session.annotations(), newText);
  if (!plan) return plan.error();
  if (auto st = session.applyEdits(plan->steps, "correct_text"); !st) return st.error();
  return plan;
}

}  // namespace lb::labeling::text
