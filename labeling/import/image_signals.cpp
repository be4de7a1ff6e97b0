#include "labeling/import/image_signals.h"

#include <openssl/evp.h>

#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>

namespace lb::labeling {

namespace {
std::vector<unsigned char> sha256Pixels(const cv::Mat& m) {
  std::vector<unsigned char> out(32);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  const int dims[3] = {m.rows, m.cols, m.channels()};
  EVP_DigestUpdate(ctx, dims, sizeof dims);
  for (int r = 0; r < m.rows; ++r) EVP_DigestUpdate(ctx, m.ptr(r), m.cols * m.elemSize());
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}
}  // namespace

std::vector<NewItem::Signal> computeImageSignals(const cv::Mat& decoded, int /*fullWidthPx*/, int /*fullHeightPx*/) {
  std::vector<NewItem::Signal> out;
  if (decoded.empty()) return out;
  out.push_back({signal_keys::kPixelHash, 0, sha256Pixels(decoded)});
  cv::Mat hash;
  cv::img_hash::pHash(decoded, hash);
  out.push_back({signal_keys::kPHash, 0, std::vector<unsigned char>(hash.datastart, hash.dataend)});
  cv::Mat gray;
  if (decoded.channels() == 3) cv::cvtColor(decoded, gray, cv::COLOR_BGR2GRAY); else gray = decoded;
  out.push_back({signal_keys::kMeanLuma, cv::mean(gray)[0], {}});
  return out;
}

}  // namespace lb::labeling
