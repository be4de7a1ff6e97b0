#pragma once
// [SECTION] Model-output evaluation: rating each response of a prompt on the schema's rubric,
// and ranking the responses. Builds and validates the annotations (kinds Rating and Ranking,
// dataJson as in model.h); save* commit through the session, one rating per response and one
// ranking per item and author (a new value replaces the old as an update, so undo restores it).
#include <map>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"

namespace lb::labeling {
class Session;
}

namespace lb::labeling::text {

// dataJson {"response": i, "scores": {"criterion": n}, "comment": "..."}. Criteria must be in
// LabelSchema::rubric with scores in [minScore, maxScore]; criteria may be left out while the
// annotator is still working (see missingCriteria). The response index must exist on the item.
Result<Annotation> makeRating(const LabelSchema& schema, const Item& item, int responseIndex,
                              const std::map<std::string, int>& scores, const std::string& comment);

// dataJson {"ranks": [r0, r1, ...]}, one rank per response, 1 = best. Ranks are dense: the
// distinct values are 1..k. Equal ranks are ties, refused unless LabelSchema::rankingTiesAllowed.
Result<Annotation> makeRanking(const LabelSchema& schema, const Item& item, const std::vector<int>& ranks);

struct RatingValue {
  int response = 0;
  std::map<std::string, int> scores;
  std::string comment;
};
std::optional<RatingValue> ratingOf(const Annotation& a);
std::vector<int> ranksOf(const Annotation& a);

// Rubric criteria the rating has no score for (to hold back "submit" until it is complete).
std::vector<std::string> missingCriteria(const LabelSchema& schema, const Annotation& rating);

// Commit on the session's current item: create, or update this user's existing one.
Result<AnnotationId> saveRating(Session& session, int responseIndex, const std::map<std::string, int>& scores,
                                const std::string& comment);
Result<AnnotationId> saveRanking(Session& session, const std::vector<int>& ranks);

}  // namespace lb::labeling::text
