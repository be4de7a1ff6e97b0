#pragma once
// Cheap reading of an image's size from its first bytes, so that a file whose header claims
// 100,000 × 100,000 pixels is refused before any decoder allocates for it, and a check that a
// JPEG/PNG is complete (libjpeg only warns about a premature end and fills the rest with grey).
//
// Pure functions over a byte buffer; safe on any thread.
#include <cstddef>
#include <cstdint>
#include <string>

#include "labeling/result.h"

namespace lb::labeling {

enum class ImageFormat { Jpeg, Png, Bmp, Tiff, WebP };

const char* toString(ImageFormat f);

struct ImageHeader {
  ImageFormat format = ImageFormat::Jpeg;
  int widthPx = 0;   // as stored, before EXIF orientation
  int heightPx = 0;
  std::size_t jpegScanOffset = 0;  // JPEG: where the first scan starts (for the end-marker check)
};

// Errors (BadInput): not a supported image (unknown signature), damaged header. `name` is
// used in messages.
Result<ImageHeader> readImageHeader(const unsigned char* data, std::size_t size, const std::string& name);

// True when the file stops before its format's end marker (JPEG EOI after the scan, PNG IEND).
// Other formats: false (their decoders fail on truncation by themselves).
bool looksTruncated(const ImageHeader& header, const unsigned char* data, std::size_t size);

}  // namespace lb::labeling
