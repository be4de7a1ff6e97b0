#pragma once
// How blurry a photo looks, measured on its gray copy at the fixed analysis scale
// (kAnalysisLongSidePx). Kept apart from the other signals because it is the one measure whose
// method is still being tuned against the corpus generator's truth (bench_clean).
namespace cv {
class Mat;
}

namespace lb::labeling {

// 0 (sharp) .. 1 (flat); see signal_keys::kBlur for what it means. `grayF` is CV_32F.
double blurScore(const cv::Mat& grayF);

}  // namespace lb::labeling
