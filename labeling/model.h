#pragma once
// [SECTION] The internal model every part of LabelBench speaks: items, label schema,
// annotations, users, tasks, reviews, events. Importers and exporters of every format convert
// to and from these types; the store persists them; the GUI, CLI and qc read them.
//
// Geometry is in image pixel coordinates (double, origin top-left, x right, y down) and
// always travels with the item's size. Text offsets are Unicode code points into the item's
// stored UTF-8 (NFC) text, [start, end).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lb::labeling {

using ItemId = std::int64_t;
using BatchId = std::int64_t;
using UserId = std::int64_t;
using ClassId = std::int64_t;
using AnnotationId = std::int64_t;
using TaskId = std::int64_t;
using TimeMs = std::int64_t;  // milliseconds since the Unix epoch (UTC)

TimeMs nowMs();

// [SECTION] Items --------------------------------------------------------------------------

enum class ItemKind { Image, Text, Prompt };

// Workflow state. Whether an item is excluded by cleaning is a separate flag so that bringing
// it back restores where it was.
enum class ItemState { New, InProgress, Submitted, Accepted, Rejected };

struct Batch {
  BatchId id = 0;
  std::string name;
  std::string source;  // folder, archive or file the batch came from
  TimeMs createdMs = 0;
};

// A response to a prompt, for model-output evaluation items.
struct Response {
  int index = 0;        // 0-based position as imported
  std::string source;   // model or system name, if the import gave one
  std::string text;     // UTF-8 NFC
};

struct Item {
  ItemId id = 0;
  BatchId batchId = 0;
  ItemKind kind = ItemKind::Image;
  std::string mediaPath;  // relative to the project's media root ('' for inline text)
  std::string sourceKey;  // unique per project: re-importing the same source adds nothing
  std::string contentHash;  // SHA-256 hex of the file bytes (images) or of the UTF-8 text
  std::int64_t fileSizeBytes = 0;
  int widthPx = 0;   // after EXIF orientation
  int heightPx = 0;
  int frameIndex = -1;      // video frame number, -1 otherwise
  std::int64_t lengthCodePoints = 0;  // texts
  std::string sourceEncoding;  // texts: encoding detected at import ("UTF-8", "GB18030", ...)
  std::string text;            // texts and prompts: the original text, UTF-8 NFC
  std::vector<Response> responses;  // prompts only
  ItemState state = ItemState::New;
  bool nothingHere = false;  // "reviewed, nothing here": distinct from "not yet labelled"
  bool excluded = false;     // taken out of queues and exports by cleaning
  std::string excludedReason;
  bool isGold = false;       // has reference answers; never revealed to annotators
  TimeMs createdMs = 0;
};

// [SECTION] Label schema ------------------------------------------------------------------

enum class AttributeType { Bool, Enum, Text, Number };

struct AttributeDef {
  std::string name;
  AttributeType type = AttributeType::Text;
  bool required = false;
  std::vector<std::string> options;  // Enum only
  std::string defaultValue;          // as text; "" for none
};

// What a class labels: objects on images, whole-image tags, whole-document classes, text spans,
// or relations between spans.
enum class ClassScope { Object, ImageTag, Document, Span, Relation };

struct ClassDef {
  ClassId id = 0;  // 0 until stored
  std::string name;
  ClassScope scope = ClassScope::Object;
  std::string color = "#e6194b";  // #rrggbb
  std::string hotkey;             // "1".."9", "q", ... ; "" for none
  std::vector<AttributeDef> attributes;
  std::vector<std::string> keypointNames;             // keypoint classes
  std::vector<std::pair<int, int>> skeletonEdges;     // pairs of keypoint indices
  // The id a client's file gave this class, by format ("coco" -> 90). Set by imports so that an
  // export in the same format gives the client's ids back instead of renumbering.
  std::map<std::string, std::int64_t> sourceIds;
};

struct RubricCriterion {
  std::string name;  // e.g. "correctness"
  int minScore = 1;
  int maxScore = 5;
};

struct LabelSchema {
  std::vector<ClassDef> classes;
  bool spansMayOverlap = false;
  bool documentMultiLabel = false;
  bool rankingTiesAllowed = true;
  std::vector<RubricCriterion> rubric;
  std::vector<std::string> rejectReasons;  // the project's list of review reasons

  const ClassDef* findClass(std::string_view name) const;
  const ClassDef* findClass(ClassId id) const;
};

// [SECTION] Annotations -------------------------------------------------------------------

enum class AnnotationKind {
  Tag,           // image-level tag: class only
  Box,           // coords: x1, y1, x2, y2
  RotatedBox,    // coords: cx, cy, w, h, angle_deg (clockwise)
  Polygon,       // coords: x0, y0, x1, y1, ... (closed)
  Polyline,      // coords: x0, y0, ... (open)
  Points,        // coords: x0, y0, ...
  Keypoints,     // coords: x, y, visibility (0 absent, 1 hidden, 2 visible) per class keypoint
  Mask,          // coords: left, top, width, height; data.rle: row-major run lengths inside that
                 // box, starting with a background run
  DocClass,      // text: document class
  Span,          // coords: start, end (code points, [start, end))
  Relation,      // data: {"from": annotation id, "to": annotation id}; class = relation type
  CorrectedText, // data: {"text": "..."}: a corrected version; the original is never overwritten
  Rating,        // data: {"response": i, "scores": {"criterion": n}, "comment": "..."}
  Ranking,       // data: {"ranks": [r0, r1, ...]} 1 = best; equal ranks are ties
};

// Where an annotation came from; exports and throughput tell manual from assisted work.
struct Annotation {
  AnnotationId id = 0;
  ItemId itemId = 0;
  UserId authorId = 0;       // 0 = imported / system
  ClassId classId = 0;       // 0 = none (ratings, rankings, corrected text)
  AnnotationKind kind = AnnotationKind::Box;
  std::vector<double> coords;
  std::string attributesJson = "{}";  // {"name": value}
  std::string dataJson = "{}";        // kind-specific payload, see AnnotationKind
  int zOrder = 0;
  bool hidden = false;
  bool locked = false;
  bool occluded = false;
  int groupId = 0;                    // parts of one instance share a group (labelme group_id)
  std::string source = "manual";      // "manual", "import:<format>", "assist:<id>@<ver>", "plugin:<id>@<ver>"
  bool isReference = false;           // gold reference answer; never shown to annotators
  TimeMs createdMs = 0;
  TimeMs updatedMs = 0;
};

// [SECTION] People, work and history --------------------------------------------------------

enum class Role { Annotator, Reviewer, Lead };

struct User {
  UserId id = 0;
  std::string name;
  Role role = Role::Annotator;
  bool active = true;
};

enum class TaskKind { Annotate, Review };
enum class TaskState { Assigned, InProgress, Submitted, Done };

struct Task {
  TaskId id = 0;
  ItemId itemId = 0;
  UserId userId = 0;
  TaskKind kind = TaskKind::Annotate;
  TaskState state = TaskState::Assigned;
  TimeMs createdMs = 0;
};

enum class ReviewVerdict { Accept, Reject, FixAndAccept };

struct Review {
  std::int64_t id = 0;
  ItemId itemId = 0;
  UserId reviewerId = 0;
  UserId annotatorId = 0;
  ReviewVerdict verdict = ReviewVerdict::Accept;
  std::string reason;          // one of the schema's reject reasons, or ""
  std::string comment;         // free text
  std::string pinJson = "{}";  // {"annotation": id} | {"x":..,"y":..} | {"start":..,"end":..}
  TimeMs createdMs = 0;
};

// One row of the append-only event log. Throughput and pay are computed only from these.
struct Event {
  std::int64_t id = 0;
  UserId userId = 0;
  ItemId itemId = 0;  // 0 = not about one item
  std::string sessionId;  // one run of one program
  std::string action;     // see labeling/events.h
  TimeMs tMs = 0;
  std::string detailJson = "{}";
};

// [SECTION] Names for enums (stable: they are stored in projects and exports) --------------

std::string_view toString(ItemKind v);
std::string_view toString(ItemState v);
std::string_view toString(AttributeType v);
std::string_view toString(ClassScope v);
std::string_view toString(AnnotationKind v);
std::string_view toString(Role v);
std::string_view toString(TaskKind v);
std::string_view toString(TaskState v);
std::string_view toString(ReviewVerdict v);

std::optional<ItemKind> itemKindFrom(std::string_view s);
std::optional<ItemState> itemStateFrom(std::string_view s);
std::optional<AttributeType> attributeTypeFrom(std::string_view s);
std::optional<ClassScope> classScopeFrom(std::string_view s);
std::optional<AnnotationKind> annotationKindFrom(std::string_view s);
std::optional<Role> roleFrom(std::string_view s);
std::optional<TaskKind> taskKindFrom(std::string_view s);
std::optional<TaskState> taskStateFrom(std::string_view s);
std::optional<ReviewVerdict> reviewVerdictFrom(std::string_view s);

}  // namespace lb::labeling
