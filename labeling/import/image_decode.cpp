#include "labeling/import/image_decode.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "labeling/import/image_header.h"
#include "labeling/import/image_signals.h"
#include "labeling/import/jpeg_decode.h"

namespace lb::labeling {

std::string sha256Hex(const unsigned char* data, std::size_t size) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data, size, md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = hex[md[i] >> 4];
    out[2 * i + 1] = hex[md[i] & 15];
  }
  return out;
}

Status readFileInto(const std::string& path, std::vector<unsigned char>& bytes) {
  bytes.clear();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return makeError(ErrorCode::Io, path + ": cannot be opened for reading; check that it exists and is readable");
  long size = 0;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    size = std::max(0L, std::ftell(f));
    std::fseek(f, 0, SEEK_SET);
  }
  // Read straight into the buffer (sized from the file, grown if the file grew meanwhile).
  bytes.resize(static_cast<std::size_t>(size) + 1);
  std::size_t have = 0;
  for (;;) {
    if (have == bytes.size()) bytes.resize(bytes.size() * 2 + 4096);
    const std::size_t got = std::fread(bytes.data() + have, 1, bytes.size() - have, f);
    have += got;
    if (got == 0) break;
  }
  bytes.resize(have);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return makeError(ErrorCode::Io, path + ": read error; the disk or network share may be failing");
  return okStatus();
}

Result<std::vector<unsigned char>> readFileBytes(const std::string& path) {
  std::vector<unsigned char> bytes;
  if (auto st = readFileInto(path, bytes); !st) return st.error();
  return bytes;
}

namespace {

// The strongest DCT scaling that still leaves >= 256 px on the long side (libjpeg decodes at
// 1/2, 1/4, 1/8 for almost nothing; other formats are decoded full and scaled by OpenCV).
int reducedFlag(const ImageHeader& h, int& scale) {
  const int longSide = std::max(h.widthPx, h.heightPx);
  if (h.format != ImageFormat::Jpeg) {
    scale = 1;
    return cv::IMREAD_COLOR;
  }
  for (int s : {8, 4, 2}) {
    if (longSide / s >= kThumbnailSizePx) {
      scale = s;
      return s == 8 ? cv::IMREAD_REDUCED_COLOR_8 : s == 4 ? cv::IMREAD_REDUCED_COLOR_4 : cv::IMREAD_REDUCED_COLOR_2;
    }
  }
  scale = 1;
  return cv::IMREAD_COLOR;
}

int ceilDiv(int a, int b) { return (a + b - 1) / b; }

}  // namespace

Result<NewItem> prepareImage(const std::string& path, const std::string& name, std::int64_t maxPixels) {
  // One buffer per worker thread, reused: a fresh half-megabyte allocation per image costs
  // page faults that showed up in profiles.
  thread_local std::vector<unsigned char> b;
  if (auto st = readFileInto(path, b); !st) return st.error();
  auto header = readImageHeader(b.data(), b.size(), name);
  if (!header) return header.error();
  const auto pixels = static_cast<std::int64_t>(header->widthPx) * header->heightPx;
  if (pixels > maxPixels)
    return makeError(ErrorCode::BadInput, name + ": header claims " + std::to_string(header->widthPx) + "x" +
                                              std::to_string(header->heightPx) + " pixels, over the limit of " +
                                              std::to_string(maxPixels / 1'000'000) +
                                              " megapixels; not decoded (damaged or hostile file?)");
  if (looksTruncated(*header, b.data(), b.size()))
    return makeError(ErrorCode::BadInput, name + ": truncated " + std::string(toString(header->format)) +
                                              " (file ends before the image data does); copy it again from the source");

  int scale = 1;
  const int flags = reducedFlag(*header, scale);
  cv::Mat decoded, blurLuma;
  // JPEG: libjpeg straight to BGR at `scale` plus the luma at twice that resolution for the blur
  // measure, from one decode; what that path leaves aside, and every other format, goes through
  // imdecode (blur then measured on the decode itself).
  if (header->format == ImageFormat::Jpeg) {
    auto both = decodeJpegLumaAndBgr(b.data(), b.size(), scale);
    decoded = std::move(both.bgr);
    blurLuma = std::move(both.luma);
  }
  if (decoded.empty()) try {
      // cv::Mat over the buffer without copying; imdecode honours EXIF orientation.
      decoded = cv::imdecode(cv::Mat(1, static_cast<int>(b.size()), CV_8U, const_cast<unsigned char*>(b.data())), flags);
    } catch (const cv::Exception& e) {
      return makeError(ErrorCode::BadInput, name + ": cannot be decoded as " + toString(header->format) + " (" + e.msg + ")");
    }
  if (decoded.empty())
    return makeError(ErrorCode::BadInput, name + ": cannot be decoded as " + std::string(toString(header->format)) +
                                              " (damaged data); re-export or replace the file");

  // Orientation may have swapped the axes: pick the reading of the stored size that fits the
  // decode best (works for every decoder, whichever of them applies EXIF orientation).
  int w = header->widthPx, hgt = header->heightPx;
  const int asStored = std::abs(decoded.cols - ceilDiv(w, scale)) + std::abs(decoded.rows - ceilDiv(hgt, scale));
  const int swapped = std::abs(decoded.cols - ceilDiv(hgt, scale)) + std::abs(decoded.rows - ceilDiv(w, scale));
  if (swapped < asStored) std::swap(w, hgt);

  NewItem n;
  n.item.kind = ItemKind::Image;
  n.item.contentHash = sha256Hex(b.data(), b.size());
  n.item.fileSizeBytes = static_cast<std::int64_t>(b.size());
  n.item.widthPx = w;
  n.item.heightPx = hgt;

  cv::Mat thumb = decoded;
  const int longSide = std::max(decoded.cols, decoded.rows);
  if (longSide > kThumbnailSizePx) {
    const double f = static_cast<double>(kThumbnailSizePx) / longSide;
    const cv::Size size(std::max(1, static_cast<int>(decoded.cols * f + 0.5)), std::max(1, static_cast<int>(decoded.rows * f + 0.5)));
    // The DCT-scaled decode is at most ~2x the thumbnail, where bilinear is as clean as
    // INTER_AREA at a fraction of its cost (profiled: INTER_AREA's general path took a third of
    // the decode time). Larger steps (PNG, TIFF, ... decoded at full size) need INTER_AREA.
    cv::resize(decoded, thumb, size, 0, 0, f >= 0.5 ? cv::INTER_LINEAR : cv::INTER_AREA);
  }
  cv::imencode(".jpg", thumb, n.thumbnailJpeg, {cv::IMWRITE_JPEG_QUALITY, 82});
  n.thumbnailWidthPx = thumb.cols;
  n.thumbnailHeightPx = thumb.rows;
  n.signals = computeImageSignals(decoded, w, hgt, blurLuma);
  return n;
}

}  // namespace lb::labeling
