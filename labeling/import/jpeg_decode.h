#pragma once
// JPEG -> BGR with exactly the pixels of cv::imdecode(IMREAD_COLOR / IMREAD_REDUCED_COLOR_n),
// EXIF orientation included, but cheaper.
//
// Why: OpenCV 4.6 asks libjpeg for RGB and swaps every pixel to BGR in a scalar loop (~8 % of
// a 1/4-scale decode in profiles); libjpeg-turbo writes BGR itself with the same arithmetic.
// The orientation is read by OpenCV's own EXIF reader: the file's first APP1 segment is put in
// front of a tiny 16x16 JPEG with four grey quadrants, cv::imdecode decodes that, and where the
// quadrants ended up names the flips/transpose OpenCV applied, which are then applied here.
//
// Files this path leaves to OpenCV (CMYK/YCCK, tables it would patch in, data that ends early,
// anything libjpeg reports as an error or a warning) give an empty Mat: the caller then decodes with cv::imdecode, so
// errors and odd files behave exactly as before. Safe on any thread.
#include <opencv2/core/mat.hpp>

#include <cstddef>

namespace lb::labeling {

// scaleDenom: 1, 2, 4 or 8 (libjpeg's DCT scaling, as IMREAD_REDUCED_COLOR_n).
cv::Mat decodeJpegBgr(const unsigned char* data, std::size_t size, int scaleDenom);

// One decode for the import's two needs: `bgr` at scaleDenom (thumbnail and every signal but
// blur) and `luma` at twice that resolution (the blur measure, see blur_measure.h), EXIF-oriented
// alike. A 4:2:0 colour file (nearly every camera and export) is decoded as raw planes at
// scaleDenom / 2, which costs what a BGR decode at scaleDenom does: luma IDCT at the finer
// scale, no upsampling, and colour converted only after the planes are area-halved. Its `bgr` is
// therefore not bit-identical to decodeJpegBgr's (within 5 levels, under 1 on average). Other layouts: a BGR decode
// at scaleDenom / 2, then gray and an area-halved copy. Empty when decodeJpegBgr would be.
struct JpegLumaAndBgr {
  cv::Mat luma;  // CV_8U
  cv::Mat bgr;   // CV_8UC3
};
JpegLumaAndBgr decodeJpegLumaAndBgr(const unsigned char* data, std::size_t size, int scaleDenom);

}  // namespace lb::labeling
