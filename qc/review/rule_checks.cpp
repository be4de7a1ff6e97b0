#include "qc/review/rule_checks.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "qc/agreement/matching.h"

namespace lb::qc {

using namespace lb::labeling;
using nlohmann::json;

RuleSettings loadRuleSettings(const ProjectStore& store) {
  RuleSettings s;
  if (auto v = store.setting("review.rules")) {
    const auto j = json::parse(*v, nullptr, false);
    if (j.is_object()) {
      s.minBoxSide_px = j.value("min_box_side_px", s.minBoxSide_px);
      s.maxSameClassIou = j.value("max_same_class_iou", s.maxSameClassIou);
    }
  }
  return s;
}

Status saveRuleSettings(ProjectStore& store, const RuleSettings& s) {
  if (s.minBoxSide_px < 0 || s.maxSameClassIou <= 0 || s.maxSameClassIou > 1)
    return makeError(ErrorCode::InvalidArgument,
                     "rule settings: min_box_side_px must be >= 0 and max_same_class_iou in (0, 1]");
  return store.setSetting("review.rules",
                          json{{"min_box_side_px", s.minBoxSide_px}, {"max_same_class_iou", s.maxSameClassIou}}.dump());
}

namespace {

// Decodes UTF-8 into code points; malformed bytes become U+FFFD so offsets stay countable.
std::vector<char32_t> codePoints(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

bool isSpace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

// [SECTION] Geometry helpers
double cross(double ax, double ay, double bx, double by, double cx, double cy) {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}
bool onSegment(double ax, double ay, double bx, double by, double px, double py) {
  return std::min(ax, bx) <= px && px <= std::max(ax, bx) && std::min(ay, by) <= py && py <= std::max(ay, by);
}
bool segmentsIntersect(const std::pair<double, double>& p1, const std::pair<double, double>& p2,
                       const std::pair<double, double>& q1, const std::pair<double, double>& q2) {
  const double d1 = cross(q1.first, q1.second, q2.first, q2.second, p1.first, p1.second);
  const double d2 = cross(q1.first, q1.second, q2.first, q2.second, p2.first, p2.second);
  const double d3 = cross(p1.first, p1.second, p2.first, p2.second, q1.first, q1.second);
  const double d4 = cross(p1.first, p1.second, p2.first, p2.second, q2.first, q2.second);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  if (d1 == 0 && onSegment(q1.first, q1.second, q2.first, q2.second, p1.first, p1.second)) return true;
  if (d2 == 0 && onSegment(q1.first, q1.second, q2.first, q2.second, p2.first, p2.second)) return true;
  if (d3 == 0 && onSegment(p1.first, p1.second, p2.first, p2.second, q1.first, q1.second)) return true;
  if (d4 == 0 && onSegment(p1.first, p1.second, p2.first, p2.second, q2.first, q2.second)) return true;
  return false;
}

// First pair of non-adjacent edges that touch, as edge indices; {-1,-1} if the polygon is simple.
std::pair<int, int> selfIntersection(const std::vector<std::pair<double, double>>& pts) {
  const int n = static_cast<int>(pts.size());
  if (n < 4) return {-1, -1};
  for (int i = 0; i < n; ++i)
    for (int j = i + 2; j < n; ++j) {
      if (i == 0 && j == n - 1) continue;  // these two share vertex 0
      if (segmentsIntersect(pts[i], pts[(i + 1) % n], pts[j], pts[(j + 1) % n])) return {i, j};
    }
  return {-1, -1};
}

bool needsClass(AnnotationKind k) {
  return k != AnnotationKind::Relation && k != AnnotationKind::CorrectedText && k != AnnotationKind::Rating &&
         k != AnnotationKind::Ranking;
}

std::string describe(const Annotation& a, const LabelSchema& schema) {
  const ClassDef* c = schema.findClass(a.classId);
  return std::string(toString(a.kind)) + " " + std::to_string(a.id) + (c ? " (" + c->name + ")" : "");
}

}  // namespace

Result<std::vector<RuleViolation>> checkItem(const ProjectStore& store, ItemId item, const RuleSettings& settings) {
  return checkItem(store, item, settings, std::nullopt);
}

Result<std::vector<RuleViolation>> checkItem(const ProjectStore& store, ItemId itemId, const RuleSettings& settings,
                                             std::optional<UserId> author) {
  auto item = store.item(itemId);
  if (!item) return item.error();
  const LabelSchema schema = store.schema();
  std::vector<Annotation> anns;
  for (auto& a : store.annotations(itemId, false))
    if (!author || a.authorId == *author) anns.push_back(std::move(a));
  std::vector<RuleViolation> out;
  const std::string on = " on item " + std::to_string(itemId);
  auto add = [&](const char* rule, RuleSeverity sev, const Annotation* a, std::string msg, AnnotationId other = 0) {
    out.push_back({rule, sev, a ? a->id : 0, other, a ? a->authorId : (author ? *author : 0), std::move(msg)});
  };
  const std::vector<char32_t> text = item->kind == ItemKind::Image ? std::vector<char32_t>{} : codePoints(item->text);

  for (const auto& a : anns) {
    const std::string name = describe(a, schema) + on;
    const ClassDef* cls = a.classId ? schema.findClass(a.classId) : nullptr;
    if (a.classId && !cls)
      add("class_not_in_schema", RuleSeverity::Error, &a,
          name + " uses class id " + std::to_string(a.classId) + ", which is not in the label schema");
    else if (!a.classId && needsClass(a.kind))
      add("no_class", RuleSeverity::Error, &a, name + " has no class");
    if (cls) {
      const auto attrs = json::parse(a.attributesJson.empty() ? "{}" : a.attributesJson, nullptr, false);
      for (const auto& def : cls->attributes) {
        if (!def.required) continue;
        const bool has = attrs.is_object() && attrs.contains(def.name) && !attrs[def.name].is_null() &&
                         !(attrs[def.name].is_string() && attrs[def.name].get<std::string>().empty());
        if (!has)
          add("required_attribute_missing", RuleSeverity::Error, &a,
              name + " lacks the required attribute '" + def.name + "'");
      }
    }
    if (isShape(a.kind) && item->kind == ItemKind::Image && a.kind != AnnotationKind::Mask) {
      const auto pts = outline(a);
      if (a.kind == AnnotationKind::Box && a.coords.size() >= 4) {
        const double w = a.coords[2] - a.coords[0], h = a.coords[3] - a.coords[1];
        if (w <= 0 || h <= 0)
          add("box_zero_area", RuleSeverity::Error, &a, name + " has zero area (" + std::to_string(w) + " x " +
                                                             std::to_string(h) + " px)");
        else if (w < settings.minBoxSide_px || h < settings.minBoxSide_px)
          add("box_too_small", RuleSeverity::Warning, &a,
              name + " is " + std::to_string(w) + " x " + std::to_string(h) + " px, below the minimum side of " +
                  std::to_string(settings.minBoxSide_px) + " px");
      }
      constexpr double kTolerance_px = 1e-6;
      const bool outside = std::any_of(pts.begin(), pts.end(), [&](const auto& p) {
        return p.first < -kTolerance_px || p.second < -kTolerance_px || p.first > item->widthPx + kTolerance_px ||
               p.second > item->heightPx + kTolerance_px;
      });
      if (outside && item->widthPx > 0)
        add("box_outside_image", RuleSeverity::Error, &a,
            name + " reaches outside the " + std::to_string(item->widthPx) + "x" + std::to_string(item->heightPx) +
                " image");
      if (a.kind == AnnotationKind::Polygon) {
        const auto [e1, e2] = selfIntersection(pts);
        if (e1 >= 0)
          add("polygon_self_intersecting", RuleSeverity::Error, &a,
              name + " crosses itself (edges " + std::to_string(e1) + " and " + std::to_string(e2) + ")");
      }
    }
    if (a.kind == AnnotationKind::Span) {
      const auto s = a.coords.size() >= 2 ? static_cast<std::int64_t>(a.coords[0]) : -1;
      const auto e = a.coords.size() >= 2 ? static_cast<std::int64_t>(a.coords[1]) : -1;
      if (s < 0 || e <= s || e > static_cast<std::int64_t>(text.size()))
        add("span_out_of_range", RuleSeverity::Error, &a,
            name + " [" + std::to_string(s) + ", " + std::to_string(e) + ") is empty or outside the text");
      else if (std::all_of(text.begin() + s, text.begin() + e, isSpace))
        add("span_whitespace_only", RuleSeverity::Error, &a, name + " covers only whitespace");
    }
  }

  // Pairs: same class, same author (different annotators of an overlap item overlap by design).
  for (std::size_t i = 0; i < anns.size(); ++i)
    for (std::size_t j = i + 1; j < anns.size(); ++j) {
      const auto &a = anns[i], &b = anns[j];
      if (!isShape(a.kind) || !isShape(b.kind) || a.classId != b.classId || a.authorId != b.authorId) continue;
      const double iou = shapeIou(a, b);
      if (iou > settings.maxSameClassIou)
        add("same_class_overlap", RuleSeverity::Warning, &a,
            describe(a, schema) + " and " + describe(b, schema) + on + " overlap with IoU " +
                std::to_string(iou).substr(0, 4) + " (above " + std::to_string(settings.maxSameClassIou).substr(0, 4) + ")",
            b.id);
    }

  // Nothing drawn and not marked "nothing here". Only for submitted work (or the author about
  // to submit): an untouched new item is simply not labelled yet.
  const bool judged = author.has_value() || item->state == ItemState::Submitted || item->state == ItemState::Accepted;
  if (judged && anns.empty() && !item->nothingHere)
    add("no_objects", RuleSeverity::Error, nullptr,
        "item " + std::to_string(itemId) + " has no labels and is not marked \"nothing here\"");
  return out;
}

Result<SubmitOutcome> submitChecked(Session& session, const RuleSettings& settings) {
  const ItemId item = session.currentItem();
  if (!item) return makeError(ErrorCode::InvalidArgument, "open an item before submitting it");
  auto violations = checkItem(session.store(), item, settings, session.user().id);
  if (!violations) return violations.error();
  SubmitOutcome out;
  out.violations = std::move(*violations);
  const bool blocked = std::any_of(out.violations.begin(), out.violations.end(),
                                   [](const auto& v) { return v.severity == RuleSeverity::Error; });
  if (blocked) return out;
  Status st = session.store().transaction([&]() -> Status {
    if (auto s = session.submit(); !s) return s;
    for (const auto& t : session.store().tasks(session.user().id, TaskKind::Annotate))
      if (t.itemId == item && t.state != TaskState::Submitted)
        if (auto s = session.store().setTaskState(t.id, TaskState::Submitted); !s) return s;
    return okStatus();
  });
  if (!st) return st.error();
  out.submitted = true;
  return out;
}

}  // namespace lb::qc
