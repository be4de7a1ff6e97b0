// [SECTION] Codecs shared by the formats (see format_util.h).
#include "labeling/formats/format_util.h"

#include "labeling/mask_rle.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace lb::labeling::formats {

namespace fs = std::filesystem;

// [SECTION] base64

std::string base64Encode(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> base64Decode(const std::string& text, const std::string& name) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
    const int v = val(c);
    if (v < 0) return makeError(ErrorCode::BadInput, name + ": embedded data is not base64");
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// [SECTION] Code points

namespace {
// Length in bytes of the UTF-8 sequence starting with `c`.
int seqLen(unsigned char c) { return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1; }
}  // namespace

std::string codePointSubstr(const std::string& s, std::int64_t start, std::int64_t end) {
  std::size_t i = 0, b = s.size(), e = s.size();
  std::int64_t cp = 0;
  for (; i <= s.size(); ++cp) {
    if (cp == start) b = i;
    if (cp == end) {
      e = i;
      break;
    }
    if (i == s.size()) break;
    i += seqLen(static_cast<unsigned char>(s[i]));
  }
  return b <= e && b <= s.size() ? s.substr(b, e - b) : std::string();
}

std::int64_t codePointLength(const std::string& s) {
  std::int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// [SECTION] Masks

std::int64_t BinaryMask::area() const {
  std::int64_t n = 0;
  for (auto v : px) n += v != 0;
  return n;
}

// The stored form is decoded and encoded by the core's codec (labeling/mask_rle.h); BinaryMask is
// only the formats' flat 0/1 view of it.
Result<BinaryMask> maskFromAnnotation(const Annotation& a) {
  auto region = labeling::maskFromAnnotation(a);
  if (!region) return region.error();
  BinaryMask m;
  m.left = region->box.x;
  m.top = region->box.y;
  m.width = region->box.width;
  m.height = region->box.height;
  m.px.resize(static_cast<std::size_t>(region->mask.total()));
  if (!m.px.empty()) std::transform(region->mask.datastart, region->mask.dataend, m.px.begin(),
                                    [](unsigned char v) -> std::uint8_t { return v ? 1 : 0; });
  return m;
}

std::vector<std::int64_t> rowMajorRle(const BinaryMask& m) {
  const cv::Mat view(m.height, m.width, CV_8U, const_cast<std::uint8_t*>(m.px.data()));
  return labeling::encodeMaskRle(view);
}

void maskToAnnotation(const BinaryMask& m, Annotation& a, const std::string& extraDataJson) {
  a.kind = AnnotationKind::Mask;
  a.coords = {double(m.left), double(m.top), double(m.width), double(m.height)};
  nlohmann::json j = extraDataJson.empty() ? nlohmann::json::object() : nlohmann::json::parse(extraDataJson);
  j["rle"] = rowMajorRle(m);
  a.dataJson = j.dump();
}

std::vector<std::int64_t> cocoRleFromMask(const BinaryMask& m, int w, int h) {
  std::vector<std::int64_t> out;
  std::uint8_t cur = 0;
  std::int64_t run = 0;
  for (int x = 0; x < w; ++x)
    for (int y = 0; y < h; ++y) {
      const int mx = x - m.left, my = y - m.top;
      const std::uint8_t b = (mx >= 0 && my >= 0 && mx < m.width && my < m.height &&
                              m.px[static_cast<std::size_t>(my) * m.width + mx])
                                 ? 1
                                 : 0;
      if (b != cur) {
        out.push_back(run);
        run = 0;
        cur = b;
      }
      ++run;
    }
  out.push_back(run);
  return out;
}

Result<BinaryMask> maskFromCocoRle(const std::vector<std::int64_t>& counts, int h, int w, const std::string& name) {
  std::int64_t total = 0;
  for (auto c : counts) {
    if (c < 0) return makeError(ErrorCode::BadInput, name + ": negative RLE count");
    total += c;
  }
  if (total != static_cast<std::int64_t>(h) * w)
    return makeError(ErrorCode::BadInput, name + ": RLE counts add up to " + std::to_string(total) + ", not " +
                                              std::to_string(h) + "x" + std::to_string(w));
  int x1 = w, y1 = h, x2 = -1, y2 = -1;
  std::int64_t pos = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (i % 2 == 1 && counts[i] > 0) {
      for (std::int64_t p = pos; p < pos + counts[i]; ++p) {
        const int x = static_cast<int>(p / h), y = static_cast<int>(p % h);
        x1 = std::min(x1, x), x2 = std::max(x2, x), y1 = std::min(y1, y), y2 = std::max(y2, y);
      }
    }
    pos += counts[i];
  }
  BinaryMask m;
  if (x2 < 0) return m;  // empty mask
  m.left = x1, m.top = y1, m.width = x2 - x1 + 1, m.height = y2 - y1 + 1;
  m.px.assign(static_cast<std::size_t>(m.width) * m.height, 0);
  pos = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (i % 2 == 1)
      for (std::int64_t p = pos; p < pos + counts[i]; ++p) {
        const int x = static_cast<int>(p / h), y = static_cast<int>(p % h);
        m.px[static_cast<std::size_t>(y - m.top) * m.width + (x - m.left)] = 1;
      }
    pos += counts[i];
  }
  return m;
}

// pycocotools maskApi.c rleToString: each count (as the difference to the count two back,
// from the third on) is written 5 bits at a time, low bits first, with 0x20 as "more follows",
// plus 48 to keep it printable.
std::string cocoCountsToString(const std::vector<std::int64_t>& cnts) {
  std::string s;
  for (std::size_t i = 0; i < cnts.size(); ++i) {
    std::int64_t x = cnts[i];
    if (i > 2) x -= cnts[i - 2];
    bool more = true;
    while (more) {
      std::int64_t c = x & 0x1f;
      x >>= 5;
      more = (c & 0x10) ? x != -1 : x != 0;
      if (more) c |= 0x20;
      s += static_cast<char>(c + 48);
    }
  }
  return s;
}

Result<std::vector<std::int64_t>> cocoCountsFromString(const std::string& s, const std::string& name) {
  std::vector<std::int64_t> cnts;
  std::size_t p = 0;
  while (p < s.size()) {
    std::int64_t x = 0;
    int k = 0;
    bool more = true;
    while (more) {
      if (p >= s.size()) return makeError(ErrorCode::BadInput, name + ": compressed RLE string ends mid-number");
      const std::int64_t c = static_cast<std::int64_t>(s[p]) - 48;
      if (c < 0 || c > 63) return makeError(ErrorCode::BadInput, name + ": bad character in compressed RLE");
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) != 0;
      ++p;
      ++k;
      if (!more && (c & 0x10)) x |= static_cast<std::int64_t>(-1) << (5 * k);
    }
    if (cnts.size() > 2) x += cnts[cnts.size() - 2];
    cnts.push_back(x);
  }
  return cnts;
}

// [SECTION] Files and numbers

Result<std::string> readTextFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(ErrorCode::Io, "cannot read " + path.string() + " (missing or not readable)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status writeTextFile(const fs::path& path, const std::string& text) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return makeError(ErrorCode::Io, "cannot write " + path.string() + " (disk full or no permission?)");
  return okStatus();
}

std::string formatNumber(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
  }
  char buf[40];
  for (int prec = 6; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::vector<double> boundsOf(const std::vector<double>& xy) {
  if (xy.size() < 2) return {0, 0, 0, 0};
  double x1 = xy[0], y1 = xy[1], x2 = xy[0], y2 = xy[1];
  for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
    x1 = std::min(x1, xy[i]), x2 = std::max(x2, xy[i]);
    y1 = std::min(y1, xy[i + 1]), y2 = std::max(y2, xy[i + 1]);
  }
  return {x1, y1, x2, y2};
}

std::vector<double> rotatedBoxCorners(const std::vector<double>& rb) {
  const double cx = rb[0], cy = rb[1], hw = rb[2] / 2, hh = rb[3] / 2;
  const double t = rb[4] * M_PI / 180.0, c = std::cos(t), s = std::sin(t);
  std::vector<double> out;
  for (auto [dx, dy] : {std::pair{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}}) {
    out.push_back(cx + dx * c - dy * s);
    out.push_back(cy + dx * s + dy * c);
  }
  return out;
}

std::vector<double> rotatedBoxFromCorners(const std::vector<double>& p, double tol) {
  if (p.size() != 8) return {};
  auto len = [&](int i, int j) { return std::hypot(p[2 * i] - p[2 * j], p[2 * i + 1] - p[2 * j + 1]); };
  // A rectangle: both diagonals equal and bisecting each other.
  const double mx1 = (p[0] + p[4]) / 2, my1 = (p[1] + p[5]) / 2, mx2 = (p[2] + p[6]) / 2, my2 = (p[3] + p[7]) / 2;
  if (std::hypot(mx1 - mx2, my1 - my2) > tol || std::abs(len(0, 2) - len(1, 3)) > tol) return {};
  const double w = len(0, 1), h = len(1, 2);
  if (w <= 0 || h <= 0) return {};
  const double angle = std::atan2(p[3] - p[1], p[2] - p[0]) * 180.0 / M_PI;
  return {(mx1 + mx2) / 2, (my1 + my2) / 2, w, h, angle};
}

double polygonArea(const std::vector<double>& xy) {
  double a = 0;
  const std::size_t n = xy.size() / 2;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = (i + 1) % n;
    a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
  }
  return std::abs(a) / 2;
}

}  // namespace lb::labeling::formats
