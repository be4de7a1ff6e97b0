#pragma once
// Names of the actions in the event log. Throughput, pay and active time are computed from these
// alone (qc/throughput), so a name is never reused for another meaning.
namespace lb::labeling::events {

inline constexpr const char* kSessionStart = "session_start";  // detail: {"program": "gui"|"cli"}
inline constexpr const char* kSessionEnd = "session_end";
inline constexpr const char* kFocusLost = "focus_lost";        // window lost focus
inline constexpr const char* kFocusGained = "focus_gained";
inline constexpr const char* kInput = "input";                 // throttled: at most one per second of input
inline constexpr const char* kOpenItem = "open_item";
inline constexpr const char* kCloseItem = "close_item";
inline constexpr const char* kAnnotationCreated = "annotation_created";  // {"annotation","kind","vertices","source"}
inline constexpr const char* kAnnotationUpdated = "annotation_updated";
inline constexpr const char* kAnnotationDeleted = "annotation_deleted";
inline constexpr const char* kUndo = "undo";
inline constexpr const char* kRedo = "redo";
inline constexpr const char* kNothingHere = "nothing_here";
inline constexpr const char* kSubmit = "submit";
inline constexpr const char* kReviewAccept = "review_accept";
inline constexpr const char* kReviewReject = "review_reject";
inline constexpr const char* kReviewFixAccept = "review_fix_accept";
inline constexpr const char* kImport = "import";      // {"imported": n, "rejected": m}
inline constexpr const char* kExport = "export";
inline constexpr const char* kAqlDraw = "aql_draw";          // {"lot","batch","sample_size"}
inline constexpr const char* kAqlInspect = "aql_inspect";    // {"lot","verdict"}
inline constexpr const char* kAqlDecide = "aql_decide";      // {"lot","state","nonconforming"}
inline constexpr const char* kOverlapTie = "overlap_tie";    // {"ties": [...]}: merge sent to review

}  // namespace lb::labeling::events
