#pragma once
// [SECTION] Line wrapping for the text view, kept free of any UI toolkit so it can be tested and
// benchmarked without a window. The view passes the font's advance per code point; the layout
// keeps line starts in code points, so spans (stored in code points) keep their place however
// the text wraps, and a 1 MB document is wrapped once per width change, not per frame.
//
// Wrapping: hard breaks at '\n'; soft breaks after white space, and before or after any CJK
// character (Chinese lines may break between any two characters); a word wider than the line is
// broken where it overflows.
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace lb::labeling::text {

struct LayoutLine {
  std::int64_t start = 0;  // first code point
  std::int64_t end = 0;    // one past the last code point shown (a '\n' is not shown)
};

class TextLayout {
 public:
  using AdvanceFn = std::function<float(char32_t)>;

  // Lays out `text` for lines at most `width` wide. `advance` must be cheap (a table lookup).
  void build(std::u32string_view text, float width, const AdvanceFn& advance);

  const std::vector<LayoutLine>& lines() const { return m_lines; }
  std::size_t lineCount() const { return m_lines.size(); }
  float width() const { return m_width; }
  // The line holding code point `cp` (the last line for cp == text length).
  std::size_t lineOf(std::int64_t cp) const;

 private:
  std::vector<LayoutLine> m_lines;
  float m_width = 0;
};

bool isCjk(char32_t c);

}  // namespace lb::labeling::text
