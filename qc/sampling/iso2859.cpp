#include "qc/sampling/iso2859.h"

#include <cmath>
#include <cstring>

namespace lb::qc {

namespace {

constexpr const char* kLetters = "ABCDEFGHJKLMNPQR";  // I and O are not used by the standard
constexpr int kSampleSizes[] = {2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000};
constexpr int kLetterCount = 16;

// Table 1, general inspection levels I, II, III: upper lot-size bound of each row.
struct LotRow {
  long long maxLot;
  char level[3];
};
constexpr LotRow kTable1[] = {
    {8, {'A', 'A', 'B'}},          {15, {'A', 'B', 'C'}},         {25, {'B', 'C', 'D'}},
    {50, {'C', 'D', 'E'}},         {90, {'C', 'E', 'F'}},         {150, {'D', 'F', 'G'}},
    {280, {'E', 'G', 'H'}},        {500, {'F', 'H', 'J'}},        {1200, {'G', 'J', 'K'}},
    {3200, {'H', 'K', 'L'}},       {10000, {'J', 'L', 'M'}},      {35000, {'K', 'M', 'N'}},
    {150000, {'L', 'N', 'P'}},     {500000, {'M', 'P', 'Q'}},     {-1, {'N', 'Q', 'R'}},
};

// Positions along a diagonal of Table 2-A, counted from the 0/1 cell.
enum class Cell { Down, Up, Plan };
struct Entry {
  Cell cell;
  int ac;
};
constexpr int kZeroDiagonal = 14;  // letter index + AQL index of the 0/1 cells (A@6.5 ... Q@0.010)
constexpr int kLadder[][2] = {{0, 1}, {-1, -1}, {-2, -2}, {1, 2}, {2, 3}, {3, 4}, {5, 6},
                              {7, 8}, {10, 11}, {14, 15}, {21, 22}, {30, 31}, {44, 45}};
constexpr int kLadderSize = 13;
constexpr int kLastOrdinary = 10;  // 21/22: the last plan of rows F-R
constexpr int kLastLongRow = 4;    // rows A-E go on to 30/31 and 44/45

int letterIndex(char letter) {
  const char* p = std::strchr(kLetters, letter);
  return (p && letter) ? static_cast<int>(p - kLetters) : -1;
}

int aqlIndex(double aql) {
  const auto& a = standardAqls();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::fabs(a[i] - aql) < 1e-9 * std::max(1.0, aql)) return static_cast<int>(i);
  return -1;
}

Entry cellAt(int li, int ai) {
  const int d = li + ai - kZeroDiagonal;
  if (d < 0) return {Cell::Down, 0};
  const int last = li <= kLastLongRow ? kLadderSize - 1 : kLastOrdinary;
  if (d > last) return {Cell::Up, 0};
  if (kLadder[d][0] == -1) return {Cell::Up, 0};
  if (kLadder[d][0] == -2) return {Cell::Down, 0};
  return {Cell::Plan, kLadder[d][0]};
}

}  // namespace

std::optional<InspectionLevel> inspectionLevelFrom(const std::string& s) {
  if (s == "I" || s == "1") return InspectionLevel::I;
  if (s == "II" || s == "2") return InspectionLevel::II;
  if (s == "III" || s == "3") return InspectionLevel::III;
  return std::nullopt;
}

const char* toString(InspectionLevel level) {
  switch (level) {
    case InspectionLevel::I: return "I";
    case InspectionLevel::II: return "II";
    case InspectionLevel::III: return "III";
  }
  return "II";
}

const std::vector<double>& standardAqls() {
  static const std::vector<double> a = {0.010, 0.015, 0.025, 0.040, 0.065, 0.10, 0.15, 0.25, 0.40,
                                        0.65,  1.0,   1.5,   2.5,   4.0,   6.5,  10,   15,   25,
                                        40,    65,    100,   150,   250,   400,  650,  1000};
  return a;
}

Result<char> codeLetter(long long lotSize, InspectionLevel level) {
  if (lotSize < 2)
    return makeError(ErrorCode::InvalidArgument,
                     "lot size " + std::to_string(lotSize) + " is too small for ISO 2859-1 (at least 2 items)");
  for (const auto& row : kTable1)
    if (row.maxLot < 0 || lotSize <= row.maxLot) return row.level[static_cast<int>(level)];
  return 'R';
}

int sampleSizeOf(char letter) {
  const int i = letterIndex(letter);
  return i < 0 ? 0 : kSampleSizes[i];
}

Result<SamplingPlan> planFor(char letter, double aql) {
  int li = letterIndex(letter);
  const int ai = aqlIndex(aql);
  if (li < 0) return makeError(ErrorCode::InvalidArgument, std::string("'") + letter + "' is not an ISO 2859-1 code letter");
  if (ai < 0) {
    std::string list;
    for (double a : standardAqls()) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%g", a);
      list += (list.empty() ? "" : ", ") + std::string(buf);
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", aql);
    return makeError(ErrorCode::InvalidArgument, "AQL " + std::string(buf) + " is not in ISO 2859-1 Table 2-A; use one of " + list);
  }
  SamplingPlan plan;
  plan.tableLetter = letter;
  // Follow the arrows in the AQL's column: down to the first plan below, up to the first above.
  // Two cells have no neighbour in their arrow's direction: A@10 (up; take the plan below) and
  // R@0.015 (down; the table prints an up-arrow there).
  int step = 0;  // +1 going down, -1 going up, 0 before the first arrow
  for (int guard = 0; guard < 2 * kLetterCount; ++guard) {
    const Entry e = cellAt(li, ai);
    if (e.cell == Cell::Plan) {
      plan.planLetter = kLetters[li];
      plan.sampleSize = kSampleSizes[li];
      plan.accept = e.ac;
      plan.reject = e.ac + 1;
      return plan;
    }
    if (step == 0) {
      step = e.cell == Cell::Up ? -1 : 1;
      if (step < 0 && li == 0) step = 1;
      if (step > 0 && li == kLetterCount - 1) step = -1;
    }
    li += step;
    if (li < 0 || li >= kLetterCount) break;
  }
  return makeError(ErrorCode::Unsupported, std::string("no sampling plan for code letter ") + letter + " at this AQL");
}

Result<SamplingPlan> planForLot(long long lotSize, InspectionLevel level, double aql) {
  auto letter = codeLetter(lotSize, level);
  if (!letter) return letter.error();
  auto plan = planFor(*letter, aql);
  if (!plan) return plan.error();
  if (plan->sampleSize >= lotSize) {
    plan->sampleSize = static_cast<int>(lotSize);
    plan->hundredPercent = true;
  }
  return plan;
}

}  // namespace lb::qc
