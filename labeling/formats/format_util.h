#pragma once
// [SECTION] Small codecs shared by the format readers and writers: base64, code-point
// substrings, binary masks (the model's box-local RLE, COCO's RLE and its compressed string),
// text files. UTF-16 offsets (doccano) use labeling/text/offsets.h. Pure; safe on any thread.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/result.h"

namespace lb::labeling::formats {

std::string base64Encode(const std::string& bytes);
// Errors: BadInput (not base64).
Result<std::string> base64Decode(const std::string& text, const std::string& name);

// Substring of `utf8` by code points [start, end).
std::string codePointSubstr(const std::string& utf8, std::int64_t start, std::int64_t end);
std::int64_t codePointLength(const std::string& utf8);

// A binary mask over a box of the image: px[y * width + x] != 0 is foreground.
struct BinaryMask {
  int left = 0, top = 0, width = 0, height = 0;
  std::vector<std::uint8_t> px;
  std::int64_t area() const;
};

// The model's Mask annotation <-> BinaryMask. Errors: BadInput (RLE does not fill the box).
Result<BinaryMask> maskFromAnnotation(const Annotation& a);
// Fills a.kind/coords/dataJson (dataJson keeps other keys of `extraData`, an object or "").
void maskToAnnotation(const BinaryMask& m, Annotation& a, const std::string& extraDataJson = "");
// Row-major run lengths starting with a background run (the model's and CVAT's convention).
std::vector<std::int64_t> rowMajorRle(const BinaryMask& m);

// COCO: column-major counts over the whole image, starting with a background run.
std::vector<std::int64_t> cocoRleFromMask(const BinaryMask& m, int imageWidth, int imageHeight);
// Decodes COCO counts over an image of (h, w) and crops to the foreground's bounding box.
// Errors: BadInput (counts do not add up to h*w).
Result<BinaryMask> maskFromCocoRle(const std::vector<std::int64_t>& counts, int h, int w, const std::string& name);
// COCO's compressed string form of counts (pycocotools rleToString / rleFrString).
std::string cocoCountsToString(const std::vector<std::int64_t>& counts);
Result<std::vector<std::int64_t>> cocoCountsFromString(const std::string& s, const std::string& name);

// Whole-file I/O. Errors: Io naming the file.
Result<std::string> readTextFile(const std::filesystem::path& path);
Status writeTextFile(const std::filesystem::path& path, const std::string& text);

// Numbers as short as round-trips exactly (17 significant digits only when needed).
std::string formatNumber(double v);

// Axis-aligned bounds of flat x,y pairs: {x1, y1, x2, y2}.
std::vector<double> boundsOf(const std::vector<double>& xy);
// Corners (x0,y0,...,x3,y3) of a rotated box cx,cy,w,h,angle_deg (clockwise in image coords).
std::vector<double> rotatedBoxCorners(const std::vector<double>& rb);
// Inverse: a rotated box from 4 corners if they form a rectangle (within tol_px), else empty.
std::vector<double> rotatedBoxFromCorners(const std::vector<double>& corners, double tol_px);
double polygonArea(const std::vector<double>& xy);

}  // namespace lb::labeling::formats
