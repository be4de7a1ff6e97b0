#pragma once
// [SECTION] Agreement statistics over plain numbers: Cohen's kappa, Fleiss' kappa,
// Krippendorff's alpha, precision/recall/F1, rank correlation. No project types here, so every
// formula is tested against published worked examples (tests/review/metrics_test.cpp).
//
// All functions are pure and thread-safe. Degenerate inputs (no pairable values, a single
// category everywhere) give NaN rather than a made-up number; callers print "n/a".
#include <optional>
#include <string>
#include <vector>

namespace lb::qc {

// Cohen's kappa for two raters from a square confusion matrix (rows: rater 1, columns: rater 2).
double cohenKappa(const std::vector<std::vector<double>>& confusion);
// Cohen's kappa from paired labels (same length; label i of rater 1 pairs with label i of rater 2).
double cohenKappa(const std::vector<std::string>& rater1, const std::vector<std::string>& rater2);

// Fleiss' kappa. counts[i][j] = how many raters put subject i in category j; every subject must
// have the same number of ratings (>= 2), else NaN.
double fleissKappa(const std::vector<std::vector<double>>& counts);

enum class AlphaLevel { Nominal, Ordinal, Interval, Ratio };

// Krippendorff's alpha. units[u][c] = value coder c gave unit u, or nullopt when missing.
// Units with fewer than two values are not pairable and are ignored, as the method prescribes.
// Ordinal values are ranks of the distinct numbers (their spacing does not matter).
double krippendorffAlpha(const std::vector<std::vector<std::optional<double>>>& units, AlphaLevel level);

struct Prf {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};
// From true-positive, predicted and reference counts. Empty prediction and empty reference is a
// perfect score (the annotator rightly drew nothing).
Prf prf(double truePositives, double predicted, double reference);

// Spearman's rank correlation (Pearson on average ranks, so ties are handled).
double spearman(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace lb::qc
