#pragma once
// [SECTION] ISO 2859-1 single sampling plans, normal inspection (the same tables as ANSI/ASQ Z1.4
// and MIL-STD-105E): lot size + inspection level -> code letter (Table 1) -> sample size and
// acceptance/rejection numbers for an AQL (Table 2-A), following the table's arrows.
//
// Table 2-A is generated from its regular structure rather than typed in: along each diagonal
// (code letter index + AQL index constant) the entry is the same; the ladder of Ac/Re pairs is
// 0/1, up-arrow, down-arrow, 1/2, 2/3, 3/4, 5/6, 7/8, 10/11, 14/15, 21/22, and, only in rows A-E
// (so only in the AQL columns 150 to 1000), 30/31 and 44/45. Cells before 0/1 point down, cells
// after the last plan point up. Checked against Table II-A of MIL-STD-105E (10 May 1989; the
// same master table as ISO 2859-1 Table 2-A and ANSI/ASQ Z1.4), as reproduced in the public
// MIL-STD-105E "legible copy" (page 19 of 74) and in the CRAN package AQLSchemes (J. Lawson,
// "from the published tables"), cell by cell for all 16 letters x 26 AQLs:
//  - rows F-R end at 21/22 (e.g. J at AQL 25 points up to H, n = 50, 21/22); only rows A-E go
//    on to 30/31 and 44/45 (A@1000 30/31; B@650 30/31, B@1000 44/45; ... E@150 30/31,
//    E@250 44/45; F@150 points up to E).
//  - letter A at AQL 10 is an up-arrow with no plan above it; the published resolutions take
//    the first plan below (C, n = 5, 1/2), as we do.
//  - letter R at AQL 0.015 has no row below; the table prints an up-arrow there (to P, n = 800,
//    0/1), so a down-arrow on the last row is followed upwards.
#include <optional>
#include <string>
#include <vector>

#include "labeling/result.h"

namespace lb::qc {

enum class InspectionLevel { I, II, III };

std::optional<InspectionLevel> inspectionLevelFrom(const std::string& s);  // "I", "II", "III"
const char* toString(InspectionLevel level);

// The AQL columns of Table 2-A, in percent nonconforming / nonconformities per 100 units.
const std::vector<double>& standardAqls();

struct SamplingPlan {
  char tableLetter = 'A';  // from Table 1
  char planLetter = 'A';   // after following arrows (its sample size is used)
  int sampleSize = 0;      // may exceed the lot: then inspect every item (lot size used)
  int accept = 0;          // Ac: accept the lot with this many nonconforming items or fewer
  int reject = 1;          // Re: reject with this many or more
  bool hundredPercent = false;  // sample size >= lot size: inspect all
};

// Table 1 (general inspection levels). Lot size must be >= 2.
Result<char> codeLetter(long long lotSize, InspectionLevel level);
// Sample size of a code letter (A=2 ... R=2000).
int sampleSizeOf(char letter);
// Table 2-A lookup with arrows followed. AQL must be one of standardAqls().
Result<SamplingPlan> planFor(char letter, double aql);
// Both steps; caps the sample at the lot size (100% inspection) as the standard says.
Result<SamplingPlan> planForLot(long long lotSize, InspectionLevel level, double aql);

}  // namespace lb::qc
