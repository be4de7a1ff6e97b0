#include "labeling/import/image_header.h"

#include <cstring>

namespace lb::labeling {

namespace {

std::uint32_t be16(const unsigned char* p) { return (std::uint32_t(p[0]) << 8) | p[1]; }
std::uint32_t be32(const unsigned char* p) { return (be16(p) << 16) | be16(p + 2); }
std::uint32_t le16(const unsigned char* p) { return (std::uint32_t(p[1]) << 8) | p[0]; }
std::uint32_t le32(const unsigned char* p) { return (le16(p + 2) << 16) | le16(p); }

Error damaged(const std::string& name, const char* format, const std::string& what) {
  return makeError(ErrorCode::BadInput, name + ": damaged " + format + " header (" + what +
                                            "); re-export or replace the file");
}

Result<ImageHeader> readJpeg(const unsigned char* d, std::size_t n, const std::string& name) {
  std::size_t pos = 2;
  ImageHeader h;
  h.format = ImageFormat::Jpeg;
  bool haveSize = false;
  while (pos + 4 <= n) {
    if (d[pos] != 0xFF) {
      if (haveSize) break;  // the size is what matters first; looksTruncated() reports the rest
      return damaged(name, "JPEG", "marker expected at byte " + std::to_string(pos));
    }
    while (pos < n && d[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= n) break;
    const unsigned marker = d[pos++];
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0xD9) break;
    if (pos + 2 > n) break;
    const std::size_t len = be16(d + pos);
    if (len < 2) return damaged(name, "JPEG", "segment length " + std::to_string(len));
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (pos + 7 > n) break;
      h.heightPx = static_cast<int>(be16(d + pos + 3));
      h.widthPx = static_cast<int>(be16(d + pos + 5));
      haveSize = true;
    }
    if (marker == 0xDA) {  // start of scan: entropy-coded data follows the header
      if (!haveSize) return damaged(name, "JPEG", "scan before frame header");
      h.jpegScanOffset = pos + len;
      return h;
    }
    pos += len;
  }
  if (haveSize) {
    h.jpegScanOffset = n;  // ends before any scan: looksTruncated() reports it
    return h;
  }
  return damaged(name, "JPEG", "no frame header in the first " + std::to_string(n) + " bytes");
}

Result<ImageHeader> readTiff(const unsigned char* d, std::size_t n, const std::string& name) {
  const bool little = d[0] == 'I';
  auto u16 = [&](std::size_t o) { return little ? le16(d + o) : be16(d + o); };
  auto u32 = [&](std::size_t o) { return little ? le32(d + o) : be32(d + o); };
  const std::size_t ifd = u32(4);
  if (ifd + 2 > n) return damaged(name, "TIFF", "directory offset past the end");
  const std::size_t count = u16(ifd);
  ImageHeader h;
  h.format = ImageFormat::Tiff;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t e = ifd + 2 + i * 12;
    if (e + 12 > n) break;
    const auto tag = u16(e), type = u16(e + 2);
    const std::uint32_t value = type == 3 ? u16(e + 8) : u32(e + 8);  // SHORT or LONG
    if (tag == 256) h.widthPx = static_cast<int>(value);
    if (tag == 257) h.heightPx = static_cast<int>(value);
  }
  if (h.widthPx <= 0 || h.heightPx <= 0) return damaged(name, "TIFF", "no image width/length");
  return h;
}

Result<ImageHeader> readWebp(const unsigned char* d, std::size_t n, const std::string& name) {
  ImageHeader h;
  h.format = ImageFormat::WebP;
  if (n < 30) return damaged(name, "WebP", "too short");
  if (std::memcmp(d + 12, "VP8 ", 4) == 0) {
    h.widthPx = static_cast<int>(le16(d + 26) & 0x3FFF);
    h.heightPx = static_cast<int>(le16(d + 28) & 0x3FFF);
  } else if (std::memcmp(d + 12, "VP8L", 4) == 0) {
    const std::uint32_t b = le32(d + 21);
    h.widthPx = static_cast<int>((b & 0x3FFF) + 1);
    h.heightPx = static_cast<int>(((b >> 14) & 0x3FFF) + 1);
  } else if (std::memcmp(d + 12, "VP8X", 4) == 0) {
    h.widthPx = static_cast<int>((le32(d + 24) & 0xFFFFFF) + 1);
    h.heightPx = static_cast<int>((le32(d + 27) & 0xFFFFFF) + 1);
  } else {
    return damaged(name, "WebP", "unknown chunk");
  }
  return h;
}

}  // namespace

const char* toString(ImageFormat f) {
  switch (f) {
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Png: return "PNG";
    case ImageFormat::Bmp: return "BMP";
    case ImageFormat::Tiff: return "TIFF";
    case ImageFormat::WebP: return "WebP";
  }
  return "?";
}

Result<ImageHeader> readImageHeader(const unsigned char* d, std::size_t n, const std::string& name) {
  if (n == 0) return makeError(ErrorCode::BadInput, name + ": empty file (0 bytes); copy it again from the source");
  Result<ImageHeader> h = makeError(ErrorCode::BadInput, "");
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
    h = readJpeg(d, n, name);
  } else if (n >= 8 && std::memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
    if (n < 24 || std::memcmp(d + 12, "IHDR", 4) != 0) return damaged(name, "PNG", "no IHDR chunk");
    ImageHeader p;
    p.format = ImageFormat::Png;
    p.widthPx = static_cast<int>(be32(d + 16) & 0x7FFFFFFF);
    p.heightPx = static_cast<int>(be32(d + 20) & 0x7FFFFFFF);
    h = p;
  } else if (n >= 26 && d[0] == 'B' && d[1] == 'M') {
    ImageHeader b;
    b.format = ImageFormat::Bmp;
    if (le32(d + 14) == 12) {
      b.widthPx = static_cast<int>(le16(d + 18));
      b.heightPx = static_cast<int>(le16(d + 20));
    } else {
      b.widthPx = static_cast<std::int32_t>(le32(d + 18));
      const auto hh = static_cast<std::int32_t>(le32(d + 22));
      b.heightPx = hh < 0 ? -hh : hh;  // negative: stored top-down
    }
    h = b;
  } else if (n >= 8 && ((std::memcmp(d, "II*\0", 4) == 0) || (std::memcmp(d, "MM\0*", 4) == 0))) {
    h = readTiff(d, n, name);
  } else if (n >= 16 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) {
    h = readWebp(d, n, name);
  } else {
    return makeError(ErrorCode::BadInput,
                     name + ": not an image LabelBench can read (expected JPEG, PNG, BMP, TIFF or WebP content)");
  }
  if (!h) return h;
  if (h->widthPx <= 0 || h->heightPx <= 0)
    return damaged(name, toString(h->format),
                   "size " + std::to_string(h->widthPx) + "x" + std::to_string(h->heightPx));
  return h;
}

bool looksTruncated(const ImageHeader& h, const unsigned char* d, std::size_t n) {
  if (h.format == ImageFormat::Jpeg) {
    // In entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so an FF D9
    // after the scan start can only be the end-of-image marker. Search from the end: a complete
    // file finds it at once (even with trailing data appended by some cameras).
    if (h.jpegScanOffset >= n) return true;
    for (std::size_t i = n - 1; i > h.jpegScanOffset; --i)
      if (d[i] == 0xD9 && d[i - 1] == 0xFF) return false;
    return true;
  }
  if (h.format == ImageFormat::Png) {
    const std::size_t from = n > 64 ? n - 64 : 0;
    for (std::size_t i = n >= 4 ? n - 4 : 0; i + 1 > from && i + 4 <= n; --i) {
      if (std::memcmp(d + i, "IEND", 4) == 0) return false;
      if (i == 0) break;
    }
    return true;
  }
  return false;
}

}  // namespace lb::labeling
