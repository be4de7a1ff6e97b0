#include "qc/agreement/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace lb::qc {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double cohenKappa(const std::vector<std::vector<double>>& m) {
  const std::size_t k = m.size();
  double n = 0, agree = 0;
  std::vector<double> rows(k, 0), cols(k, 0);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k && j < m[i].size(); ++j) {
      n += m[i][j];
      rows[i] += m[i][j];
      cols[j] += m[i][j];
      if (i == j) agree += m[i][j];
    }
  if (n <= 0) return kNaN;
  const double po = agree / n;
  double pe = 0;
  for (std::size_t i = 0; i < k; ++i) pe += (rows[i] / n) * (cols[i] / n);
  if (pe >= 1.0) return kNaN;  // both raters used one category only: kappa is undefined
  return (po - pe) / (1.0 - pe);
}

double cohenKappa(const std::vector<std::string>& r1, const std::vector<std::string>& r2) {
  if (r1.size() != r2.size() || r1.empty()) return kNaN;
  std::map<std::string, std::size_t> index;
  for (const auto& s : r1) index.emplace(s, 0);
  for (const auto& s : r2) index.emplace(s, 0);
  std::size_t next = 0;
  for (auto& [_, i] : index) i = next++;
  std::vector<std::vector<double>> m(index.size(), std::vector<double>(index.size(), 0));
  for (std::size_t i = 0; i < r1.size(); ++i) m[index[r1[i]]][index[r2[i]]] += 1;
  return cohenKappa(m);
}

double fleissKappa(const std::vector<std::vector<double>>& counts) {
  if (counts.empty()) return kNaN;
  const std::size_t k = counts.front().size();
  double raters = -1;
  std::vector<double> colTotals(k, 0);
  double sumPi = 0;
  for (const auto& row : counts) {
    if (row.size() != k) return kNaN;
    double ni = 0, sq = 0;
    for (std::size_t j = 0; j < k; ++j) {
      ni += row[j];
      sq += row[j] * row[j];
      colTotals[j] += row[j];
    }
    if (raters < 0) raters = ni;
    if (ni != raters || ni < 2) return kNaN;
    sumPi += (sq - ni) / (ni * (ni - 1));
  }
  const double N = static_cast<double>(counts.size());
  const double pBar = sumPi / N;
  double pe = 0;
  for (double c : colTotals) pe += (c / (N * raters)) * (c / (N * raters));
  if (pe >= 1.0) return kNaN;
  return (pBar - pe) / (1.0 - pe);
}

double krippendorffAlpha(const std::vector<std::vector<std::optional<double>>>& units, AlphaLevel level) {
  // Distinct values, sorted: the categories of the coincidence matrix.
  std::vector<double> values;
  for (const auto& u : units)
    for (const auto& v : u)
      if (v) values.push_back(*v);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  const std::size_t V = values.size();
  if (V == 0) return kNaN;
  auto idx = [&](double v) {
    return static_cast<std::size_t>(std::lower_bound(values.begin(), values.end(), v) - values.begin());
  };
  // Coincidence matrix: every ordered pair of values within a unit, weighted 1/(m_u - 1).
  std::vector<std::vector<double>> o(V, std::vector<double>(V, 0));
  for (const auto& u : units) {
    std::vector<std::size_t> present;
    for (const auto& v : u)
      if (v) present.push_back(idx(*v));
    const std::size_t m = present.size();
    if (m < 2) continue;
    const double w = 1.0 / static_cast<double>(m - 1);
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = 0; b < m; ++b)
        if (a != b) o[present[a]][present[b]] += w;
  }
  std::vector<double> nc(V, 0);
  double n = 0;
  for (std::size_t c = 0; c < V; ++c) {
    for (std::size_t k = 0; k < V; ++k) nc[c] += o[c][k];
    n += nc[c];
  }
  if (n < 2) return kNaN;
  auto delta2 = [&](std::size_t c, std::size_t k) -> double {
    if (c == k) return 0.0;
    switch (level) {
      case AlphaLevel::Nominal: return 1.0;
      case AlphaLevel::Interval: return (values[c] - values[k]) * (values[c] - values[k]);
      case AlphaLevel::Ratio: {
        const double s = values[c] + values[k];
        return s == 0 ? 0.0 : ((values[c] - values[k]) / s) * ((values[c] - values[k]) / s);
      }
      case AlphaLevel::Ordinal: {
        const std::size_t lo = std::min(c, k), hi = std::max(c, k);
        double sum = 0;
        for (std::size_t g = lo; g <= hi; ++g) sum += nc[g];
        sum -= (nc[lo] + nc[hi]) / 2.0;
        return sum * sum;
      }
    }
    return 1.0;
  };
  double dObserved = 0, dExpected = 0;
  for (std::size_t c = 0; c < V; ++c)
    for (std::size_t k = 0; k < V; ++k) {
      const double d = delta2(c, k);
      dObserved += o[c][k] * d;
      dExpected += nc[c] * nc[k] * d;
    }
  dObserved /= n;
  dExpected /= n * (n - 1);
  if (dExpected <= 0) return kNaN;
  return 1.0 - dObserved / dExpected;
}

Prf prf(double tp, double predicted, double reference) {
  Prf r;
  if (predicted == 0 && reference == 0) return {1, 1, 1};
  r.precision = predicted > 0 ? tp / predicted : 0;
  r.recall = reference > 0 ? tp / reference : 0;
  r.f1 = (r.precision + r.recall) > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
  return r;
}

namespace {
std::vector<double> averageRanks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t t = i; t <= j; ++t) rank[order[t]] = r;
    i = j + 1;
  }
  return rank;
}
}  // namespace

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2) return kNaN;
  const auto ra = averageRanks(a), rb = averageRanks(b);
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += ra[i] / n;
    mb += rb[i] / n;
  }
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  if (saa == 0 || sbb == 0) return kNaN;
  return sab / std::sqrt(saa * sbb);
}

}  // namespace lb::qc
