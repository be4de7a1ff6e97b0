#include "labeling/import/jpeg_decode.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

namespace lb::labeling {

namespace {

struct ErrorJump {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
};

[[noreturn]] void onError(j_common_ptr c) { std::longjmp(reinterpret_cast<ErrorJump*>(c->err)->jump, 1); }
// Warnings (corrupt data, premature end) are counted, not printed: a file that has any is
// handed to OpenCV, which prints them itself.
void onMessage(j_common_ptr c, int level) {
  if (level < 0) ++c->err->num_warnings;
}

// A memory source like OpenCV's: running out of data suspends the decoder (libjpeg's
// jpeg_mem_src would invent an end marker and grey rows instead). Suspension = left to OpenCV.
void initSource(j_decompress_ptr) {}
boolean fillInput(j_decompress_ptr) { return FALSE; }
void skipInput(j_decompress_ptr ci, long n) {
  auto* src = ci->src;
  const auto skip = static_cast<std::size_t>(std::max(0L, n));
  if (skip > src->bytes_in_buffer) {
    src->next_input_byte += src->bytes_in_buffer;
    src->bytes_in_buffer = 0;
  } else {
    src->next_input_byte += skip;
    src->bytes_in_buffer -= skip;
  }
}
void termSource(j_decompress_ptr) {}

// The flips/transpose of OpenCV's ApplyExifOrientation, one entry per EXIF orientation 1..8.
enum class Op { FlipH, FlipV, FlipBoth, Transpose };
const std::array<std::vector<Op>, 8>& orientationOps() {
  static const std::array<std::vector<Op>, 8> ops{{
      {},                              // 1: as stored
      {Op::FlipH},                     // 2
      {Op::FlipBoth},                  // 3
      {Op::FlipV},                     // 4
      {Op::Transpose},                 // 5
      {Op::Transpose, Op::FlipH},      // 6
      {Op::Transpose, Op::FlipBoth},   // 7
      {Op::Transpose, Op::FlipV},      // 8
  }};
  return ops;
}

void applyOps(const std::vector<Op>& ops, cv::Mat& img) {
  for (Op op : ops) {
    cv::Mat out;
    switch (op) {
      case Op::FlipH: cv::flip(img, out, 1); break;
      case Op::FlipV: cv::flip(img, out, 0); break;
      case Op::FlipBoth: cv::flip(img, out, -1); break;
      case Op::Transpose: cv::transpose(img, out); break;
    }
    img = out;
  }
}

// Four grey levels, one per 8x8 quadrant (one luma block each, so they survive JPEG exactly
// enough to tell apart).
constexpr std::array<int, 4> kLevels{16, 96, 176, 240};

// Quadrant index (0 TL, 1 TR, 2 BL, 3 BR) found at each quadrant of a 16x16 probe decode.
std::array<int, 4> quadrantsOf(const cv::Mat& img) {
  std::array<int, 4> q{};
  const int centres[4][2] = {{4, 4}, {4, 12}, {12, 4}, {12, 12}};  // (row, col)
  for (int i = 0; i < 4; ++i) {
    const int v = img.channels() == 3 ? img.at<cv::Vec3b>(centres[i][0], centres[i][1])[1] : img.at<unsigned char>(centres[i][0], centres[i][1]);
    int best = 0;
    for (int k = 1; k < 4; ++k)
      if (std::abs(v - kLevels[k]) < std::abs(v - kLevels[best])) best = k;
    q[i] = best;
  }
  return q;
}

const std::vector<unsigned char>& probeJpeg() {
  static const std::vector<unsigned char> bytes = [] {
    cv::Mat img(16, 16, CV_8UC3);
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 16; ++x) {
        const auto v = static_cast<unsigned char>(kLevels[(y / 8) * 2 + x / 8]);
        img.at<cv::Vec3b>(y, x) = cv::Vec3b(v, v, v);
      }
    std::vector<unsigned char> out;
    cv::imencode(".jpg", img, out, {cv::IMWRITE_JPEG_QUALITY, 100});
    return out;
  }();
  return bytes;
}

// The ops OpenCV applies for this APP1 payload; nullptr when the probe cannot tell.
const std::vector<Op>* opsForApp1(const unsigned char* app1, unsigned length) {
  const auto& probe = probeJpeg();
  if (probe.size() < 2 || length + 2 > 0xffff) return nullptr;
  // SOI, our APP1 segment, then the rest of the probe.
  std::vector<unsigned char> file(probe.size() + length + 4);
  file[0] = probe[0];
  file[1] = probe[1];
  file[2] = 0xFF;
  file[3] = 0xE1;
  file[4] = static_cast<unsigned char>((length + 2) >> 8);
  file[5] = static_cast<unsigned char>((length + 2) & 0xFF);
  std::memcpy(file.data() + 6, app1, length);
  std::memcpy(file.data() + 6 + length, probe.data() + 2, probe.size() - 2);
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(file, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return nullptr;
  }
  if (decoded.rows != 16 || decoded.cols != 16) return nullptr;
  const auto seen = quadrantsOf(decoded);
  for (const auto& ops : orientationOps()) {
    cv::Mat layout = (cv::Mat_<unsigned char>(2, 2) << 0, 1, 2, 3);
    applyOps(ops, layout);
    if (layout.at<unsigned char>(0, 0) == seen[0] && layout.at<unsigned char>(0, 1) == seen[1] &&
        layout.at<unsigned char>(1, 0) == seen[2] && layout.at<unsigned char>(1, 1) == seen[3])
      return &ops;
  }
  return nullptr;
}

// libjpeg part; kept free of C++ objects with destructors between setjmp and longjmp.
// Returns false when the file is left to OpenCV. `app1`/`app1Length`: the first APP1 segment.
// With `planes`, a 4:2:0 colour file is decoded as raw Y, Cb, Cr planes of one size into
// planes[0..2] (`out` stays empty); any other layout leaves planes empty and decodes BGR.
bool decodeInto(jpeg_decompress_struct& ci, ErrorJump& err, jpeg_source_mgr* source, const unsigned char* data,
                std::size_t size, int scaleDenom, cv::Mat& out, std::vector<unsigned char>& app1, cv::Mat* planes = nullptr) {
  if (setjmp(err.jump)) return false;
  jpeg_source_mgr& src = *source;
  src.next_input_byte = data;
  src.bytes_in_buffer = size;
  src.init_source = initSource;
  src.fill_input_buffer = fillInput;
  src.skip_input_data = skipInput;
  src.resync_to_restart = jpeg_resync_to_restart;
  src.term_source = termSource;
  ci.src = &src;
  jpeg_save_markers(&ci, JPEG_APP0 + 1, 0xffff);
  if (jpeg_read_header(&ci, TRUE) != JPEG_HEADER_OK || err.pub.num_warnings) return false;
  const bool ycc = ci.num_components == 3 && ci.jpeg_color_space == JCS_YCbCr;
  const bool gray = ci.num_components == 1 && ci.jpeg_color_space == JCS_GRAYSCALE;
  if (!ycc && !gray) return false;  // CMYK, YCCK, RGB, ...: OpenCV's own path
  // OpenCV patches in standard Huffman tables for Motion-JPEG frames that carry none.
  if (!ci.arith_code && !ci.ac_huff_tbl_ptrs[0] && !ci.ac_huff_tbl_ptrs[1] && !ci.dc_huff_tbl_ptrs[0] &&
      !ci.dc_huff_tbl_ptrs[1])
    return false;
  for (jpeg_saved_marker_ptr m = ci.marker_list; m; m = m->next)
    if (m->marker == JPEG_APP0 + 1) {
      app1.assign(m->data, m->data + m->data_length);
      break;
    }
  ci.scale_num = 1;
  ci.scale_denom = static_cast<unsigned>(scaleDenom);
  if (planes && ycc && ci.comp_info[0].h_samp_factor == 2 && ci.comp_info[0].v_samp_factor == 2 &&
      ci.comp_info[1].h_samp_factor == 1 && ci.comp_info[1].v_samp_factor == 1 && ci.comp_info[2].h_samp_factor == 1 &&
      ci.comp_info[2].v_samp_factor == 1) {
    ci.raw_data_out = TRUE;
    // libjpeg scales chroma up through a full 8x8 IDCT here; its fast integer IDCT does that at
    // about half the cost, within a level or two, and the planes are area-halved anyway.
    ci.dct_method = JDCT_IFAST;
    if (!jpeg_start_decompress(&ci)) return false;
    // libjpeg scales chroma up through its IDCT where it can; when it could not (a full-size
    // decode), the planes differ in size: leave such a file to the BGR path.
    const int lumaRows = ci.comp_info[0].DCT_scaled_size;
    if (ci.comp_info[1].DCT_scaled_size != 2 * lumaRows || ci.comp_info[2].DCT_scaled_size != 2 * lumaRows) return false;
    const int w = static_cast<int>(ci.output_width), h = static_cast<int>(ci.output_height);
    const int rowsPerCall = ci.max_v_samp_factor * lumaRows;
    for (int c = 0; c < 3; ++c) planes[c].create(h + rowsPerCall, static_cast<int>(ci.comp_info[c].width_in_blocks) * ci.comp_info[c].DCT_scaled_size, CV_8U);
    JSAMPROW rows[3][16];
    JSAMPARRAY arrays[3] = {rows[0], rows[1], rows[2]};
    for (int y = 0; y < h; y += rowsPerCall) {
      // Chroma, scaled up twice as far, fills as many rows per call as luma: planes of one size.
      for (int c = 0; c < 3; ++c)
        for (int i = 0; i < rowsPerCall; ++i) rows[c][i] = planes[c].ptr(y + i);
      if (jpeg_read_raw_data(&ci, arrays, static_cast<JDIMENSION>(rowsPerCall)) == 0) return false;
    }
    for (int c = 0; c < 3; ++c) planes[c] = planes[c](cv::Rect(0, 0, w, h));
    return jpeg_finish_decompress(&ci) && err.pub.num_warnings == 0;
  }
  ci.out_color_space = JCS_EXT_BGR;  // OpenCV: JCS_RGB, then a swap; the same values
  ci.out_color_components = 3;
  if (!jpeg_start_decompress(&ci)) return false;
  out.create(static_cast<int>(ci.output_height), static_cast<int>(ci.output_width), CV_8UC3);
  while (ci.output_scanline < ci.output_height) {
    JSAMPROW row = out.ptr<unsigned char>(static_cast<int>(ci.output_scanline));
    if (jpeg_read_scanlines(&ci, &row, 1) != 1) return false;
  }
  return jpeg_finish_decompress(&ci) && err.pub.num_warnings == 0;
}

// The decode; with `planes`, see decodeInto. `orientation`: the flips/transpose still to apply
// (OpenCV's reading of the first APP1 segment), empty when none. False: left to OpenCV.
bool decodeBgrOrPlanes(const unsigned char* data, std::size_t size, int scaleDenom, cv::Mat& bgr, cv::Mat* planes,
                       std::vector<Op>& orientation) {
  jpeg_decompress_struct ci;
  ErrorJump err;
  ci.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = onError;
  err.pub.emit_message = onMessage;
  jpeg_create_decompress(&ci);
  jpeg_source_mgr source{};
  std::vector<unsigned char> app1;
  const bool ok = decodeInto(ci, err, &source, data, size, scaleDenom, bgr, app1, planes);
  jpeg_destroy_decompress(&ci);
  if (!ok) return false;
  orientation.clear();
  if (app1.empty()) return true;
  // OpenCV reads the orientation from the first APP1 segment only (Exif or not).
  const auto* ops = opsForApp1(app1.data(), static_cast<unsigned>(app1.size()));
  if (!ops) return false;
  orientation = *ops;
  return true;
}

// Each output pixel the mean of a 2x2 cell, as a DCT-scaled decode places it; an odd last
// row/column is repeated first (a plain resize to the rounded-up half would stretch every cell
// by a fraction of a pixel and shift edges by up to half a pixel).
cv::Mat areaHalf(const cv::Mat& m) {
  cv::Mat even = m, out;
  if (m.cols % 2 || m.rows % 2) cv::copyMakeBorder(m, even, 0, m.rows % 2, 0, m.cols % 2, cv::BORDER_REPLICATE);
  cv::resize(even, out, cv::Size(even.cols / 2, even.rows / 2), 0, 0, cv::INTER_AREA);
  return out;
}

}  // namespace

cv::Mat decodeJpegBgr(const unsigned char* data, std::size_t size, int scaleDenom) {
  cv::Mat out;
  std::vector<Op> orientation;
  if (!decodeBgrOrPlanes(data, size, scaleDenom, out, nullptr, orientation)) return {};
  applyOps(orientation, out);
  return out;
}

JpegLumaAndBgr decodeJpegLumaAndBgr(const unsigned char* data, std::size_t size, int scaleDenom) {
  JpegLumaAndBgr out;
  std::vector<Op> orientation;
  // Planes only where libjpeg can scale chroma up to luma's size (a decode below full size).
  cv::Mat bgr, planes[3];
  const int finer = std::max(1, scaleDenom / 2);
  if (!decodeBgrOrPlanes(data, size, finer, bgr, finer >= 2 ? planes : nullptr, orientation)) return {};
  // Halved before orienting, as a DCT-scaled decode is: an odd edge then falls where it would.
  if (!planes[0].empty()) {
    out.luma = planes[0];
    // OpenCV's YCrCb is JPEG's full-range YCbCr with the chroma planes in the other order;
    // SIMD halving and conversion cost ~0.2 ms here against ~0.9 ms for a fused scalar loop.
    cv::Mat halved[3] = {areaHalf(planes[0]), areaHalf(planes[2]), areaHalf(planes[1])}, ycrcb;
    cv::merge(halved, 3, ycrcb);
    cv::cvtColor(ycrcb, out.bgr, cv::COLOR_YCrCb2BGR);
  } else {
    cv::cvtColor(bgr, out.luma, cv::COLOR_BGR2GRAY);
    out.bgr = scaleDenom >= 2 ? areaHalf(bgr) : bgr;  // at full size there is no finer scale
  }
  applyOps(orientation, out.luma);
  applyOps(orientation, out.bgr);
  return out;
}

}  // namespace lb::labeling
