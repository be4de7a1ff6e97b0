#include "labeling/import/jpeg_decode.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

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

void apply(const std::vector<Op>& ops, cv::Mat& img) {
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
    apply(ops, layout);
    if (layout.at<unsigned char>(0, 0) == seen[0] && layout.at<unsigned char>(0, 1) == seen[1] &&
        layout.at<unsigned char>(1, 0) == seen[2] && layout.at<unsigned char>(1, 1) == seen[3])
      return &ops;
  }
  return nullptr;
}

// libjpeg part; kept free of C++ objects with destructors between setjmp and longjmp.
// Returns false when the file is left to OpenCV. `app1`/`app1Length`: the first APP1 segment.
bool decodeInto(jpeg_decompress_struct& ci, ErrorJump& err, jpeg_source_mgr* source, const unsigned char* data,
                std::size_t size, int scaleDenom, cv::Mat& out, std::vector<unsigned char>& app1) {
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

}  // namespace

cv::Mat decodeJpegBgr(const unsigned char* data, std::size_t size, int scaleDenom) {
  jpeg_decompress_struct ci;
  ErrorJump err;
  ci.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = onError;
  err.pub.emit_message = onMessage;
  jpeg_create_decompress(&ci);
  jpeg_source_mgr source{};
  cv::Mat out;
  std::vector<unsigned char> app1;
  const bool ok = decodeInto(ci, err, &source, data, size, scaleDenom, out, app1);
  jpeg_destroy_decompress(&ci);
  if (!ok) return {};
  if (!app1.empty()) {
    // OpenCV reads the orientation from the first APP1 segment only (Exif or not).
    const auto* ops = opsForApp1(app1.data(), static_cast<unsigned>(app1.size()));
    if (!ops) return {};
    apply(*ops, out);
  }
  return out;
}

}  // namespace lb::labeling
