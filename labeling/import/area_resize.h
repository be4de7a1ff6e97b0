#pragma once
// cv::resize(..., INTER_AREA) for 8-bit grayscale, bit for bit, for many rectangles of one image.
//
// Near-duplicate views are ~40 crops of one 128 px image, each area-resized to 32x32; the
// stored hashes come from OpenCV's INTER_AREA result, so the views must keep its exact pixels.
// OpenCV recomputes the horizontal pass of every source row for every call, through a table
// loop that stores and reloads each sum (the import's hottest OpenCV loop in profiles). This
// does the same float operations in the same order (so the same roundings), keeps the running
// sums in registers, and computes each row's horizontal pass once per column window, which the
// crops of one column share. Sizes OpenCV handles on another path (an integer factor on both
// axes, or enlarging) are handed to cv::resize itself.
//
// Not thread-safe per object; one object per image on a worker.
#include <opencv2/core/mat.hpp>

#include <vector>

namespace lb::labeling {

class AreaResizer {
 public:
  // `src`: CV_8UC1 (other types go to cv::resize), kept by reference (must outlive the resizer and not change).
  explicit AreaResizer(const cv::Mat& src);
  // dst = cv::resize(src(r), dsize, INTER_AREA), the same pixels.
  void resize(const cv::Rect& r, cv::Size dsize, cv::Mat& dst);

 private:
  struct Tap {
    int si;
    float alpha;
  };
  struct Table {  // OpenCV's computeResizeAreaTab, grouped per destination index
    std::vector<Tap> taps;
    std::vector<int> first;  // taps of destination i: [first[i], first[i + 1])
  };
  struct Window {  // horizontal sums of every source row for one column window
    int x = 0, w = 0, dw = 0;
    Table table;
    std::vector<float> sums;           // rows x dw
    std::vector<unsigned char> done;   // per row
  };
  static void makeTable(int srcSize, int dstSize, Table& t);
  // Fills the window's sums of source rows firstRow .. firstRow + 3 (those that exist).
  void sumRows(Window& win, int firstRow);
  Window& window(int x, int w, int dw);

  const cv::Mat& m_src;
  std::vector<Window> m_windows;
  Table m_rowTable;           // vertical table of the current resize
  std::vector<float> m_sum;   // vertical sums of the current destination row
};

// One-shot form: cv::resize(src, dst, dsize, 0, 0, INTER_AREA), the same pixels.
void areaResize8u(const cv::Mat& src, cv::Mat& dst, cv::Size dsize);

}  // namespace lb::labeling
