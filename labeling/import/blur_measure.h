#pragma once
// How blurry a photo looks, from its luma. Kept apart from the other signals because it needs
// more pixels than they do: at the 480 px the other signals use, a 1080p photo's DCT-scaled
// decode holds no detail finer than 1/16 cycle per full-resolution pixel, where a 2.5 px blur
// removes under 40 % of the energy; at 960 px (a 1/2-scale decode) it removes 85 %.
namespace cv {
class Mat;
}

namespace lb::labeling {

// Long side of the luma the blur is measured on. Images whose luma is larger are area-reduced
// to it first, so the score is normalised for resolution (a blur by the same fraction of the
// width scores the same at 1080p and at 12 MP); smaller ones are measured as they are.
inline constexpr int kBlurLongSidePx = 960;

// 0 (sharp) .. 1 (flat); see signal_keys::kBlur for what it means. `luma`: one channel, 8-bit
// or float, ideally with a long side of at least kBlurLongSidePx.
double blurScore(const cv::Mat& luma);

}  // namespace lb::labeling
