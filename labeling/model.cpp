#include "labeling/model.h"

#include <array>
#include <chrono>

namespace lb::labeling {

TimeMs nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// One table per enum, in declaration order; the names are stored in projects, so never rename.
template <typename E, std::size_t N>
struct Names {
  std::array<std::string_view, N> names;
  std::string_view name(E v) const { return names.at(static_cast<std::size_t>(v)); }
  std::optional<E> parse(std::string_view s) const {
    for (std::size_t i = 0; i < N; ++i)
      if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
  }
};

constexpr Names<ItemKind, 3> kItemKind{{"image", "text", "prompt"}};
constexpr Names<ItemState, 5> kItemState{{"new", "in_progress", "submitted", "accepted", "rejected"}};
constexpr Names<AttributeType, 4> kAttributeType{{"bool", "enum", "text", "number"}};
constexpr Names<ClassScope, 5> kClassScope{{"object", "image_tag", "document", "span", "relation"}};
constexpr Names<AnnotationKind, 14> kAnnotationKind{
    {"tag", "box", "rotated_box", "polygon", "polyline", "points", "keypoints", "mask", "doc_class",
     "span", "relation", "corrected_text", "rating", "ranking"}};
constexpr Names<Role, 3> kRole{{"annotator", "reviewer", "lead"}};
constexpr Names<TaskKind, 2> kTaskKind{{"annotate", "review"}};
constexpr Names<TaskState, 4> kTaskState{{"assigned", "in_progress", "submitted", "done"}};
constexpr Names<ReviewVerdict, 3> kReviewVerdict{{"accept", "reject", "fix_and_accept"}};

}  // namespace

std::string_view toString(ItemKind v) { return kItemKind.name(v); }
std::string_view toString(ItemState v) { return kItemState.name(v); }
std::string_view toString(AttributeType v) { return kAttributeType.name(v); }
std::string_view toString(ClassScope v) { return kClassScope.name(v); }
std::string_view toString(AnnotationKind v) { return kAnnotationKind.name(v); }
std::string_view toString(Role v) { return kRole.name(v); }
std::string_view toString(TaskKind v) { return kTaskKind.name(v); }
std::string_view toString(TaskState v) { return kTaskState.name(v); }
std::string_view toString(ReviewVerdict v) { return kReviewVerdict.name(v); }

std::optional<ItemKind> itemKindFrom(std::string_view s) { return kItemKind.parse(s); }
std::optional<ItemState> itemStateFrom(std::string_view s) { return kItemState.parse(s); }
std::optional<AttributeType> attributeTypeFrom(std::string_view s) { return kAttributeType.parse(s); }
std::optional<ClassScope> classScopeFrom(std::string_view s) { return kClassScope.parse(s); }
std::optional<AnnotationKind> annotationKindFrom(std::string_view s) { return kAnnotationKind.parse(s); }
std::optional<Role> roleFrom(std::string_view s) { return kRole.parse(s); }
std::optional<TaskKind> taskKindFrom(std::string_view s) { return kTaskKind.parse(s); }
std::optional<TaskState> taskStateFrom(std::string_view s) { return kTaskState.parse(s); }
std::optional<ReviewVerdict> reviewVerdictFrom(std::string_view s) { return kReviewVerdict.parse(s); }

const ClassDef* LabelSchema::findClass(std::string_view name) const {
  for (const auto& c : classes)
    if (c.name == name) return &c;
  return nullptr;
}

const ClassDef* LabelSchema::findClass(ClassId id) const {
  for (const auto& c : classes)
    if (c.id == id) return &c;
  return nullptr;
}

}  // namespace lb::labeling
