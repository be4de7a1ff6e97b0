#pragma once
// Small descriptive statistics shared by reports, throughput and benchmarks.
#include <vector>

namespace lb::qc {

// Linear-interpolated percentile (p in [0, 100]) of the values; 0 for an empty list.
double percentile(std::vector<double> values, double p);
inline double median(std::vector<double> values) { return percentile(std::move(values), 50.0); }
double mean(const std::vector<double>& values);

}  // namespace lb::qc
