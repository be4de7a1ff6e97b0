#include "labeling/text/text_layout.h"

#include <algorithm>

namespace lb::labeling::text {

bool isCjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

void TextLayout::build(std::u32string_view text, float width, const AdvanceFn& advance) {
  m_lines.clear();
  m_width = width;
  const auto n = static_cast<std::int64_t>(text.size());
  width = std::max(width, 1.0f);
  std::int64_t lineStart = 0;
  std::int64_t breakAt = -1;  // last soft-break position (the next line starts there)
  float x = 0, xAtBreak = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const char32_t c = text[i];
    if (c == '\n') {
      m_lines.push_back({lineStart, i});
      lineStart = i + 1;
      breakAt = -1;
      x = 0;
      continue;
    }
    if (isCjk(c) && i > lineStart) breakAt = i, xAtBreak = x;  // may break before a CJK character
    const float w = advance(c);
    if (x + w > width && i > lineStart && c != ' ') {
      if (breakAt > lineStart) {
        m_lines.push_back({lineStart, breakAt});
        lineStart = breakAt;
        x -= xAtBreak;
      } else {
        m_lines.push_back({lineStart, i});
        lineStart = i;
        x = 0;
      }
      breakAt = -1;
    }
    x += w;
    if (c == ' ' || c == '\t' || isCjk(c)) breakAt = i + 1, xAtBreak = x;  // break after it
  }
  m_lines.push_back({lineStart, n});
}

std::size_t TextLayout::lineOf(std::int64_t cp) const {
  if (m_lines.empty()) return 0;
  auto it = std::upper_bound(m_lines.begin(), m_lines.end(), cp,
                             [](std::int64_t v, const LayoutLine& l) { return v < l.start; });
  if (it == m_lines.begin()) return 0;
  return static_cast<std::size_t>(it - m_lines.begin()) - 1;
}

}  // namespace lb::labeling::text
