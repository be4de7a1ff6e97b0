#include "app/gui/text/text_view.h"

#include <algorithm>
#include <cmath>

#include "app/gui/fonts.h"
#include "labeling/text/offsets.h"
#include "labeling/text/spans.h"

namespace lb::app {

namespace lt = lb::labeling::text;

void TextView::setText(const std::string& key, const std::string& utf8) {
  if (key == m_key && utf8.size() == m_utf8.size() && utf8 == m_utf8) return;
  m_key = key;
  m_utf8 = utf8;
  m_cps = lt::toU32(utf8);
  noteShownText(m_cps);  // new characters: the panel has the atlas rebuilt between frames
  m_display = toDisplayText(utf8);
  m_builtWidth = -1;  // re-layout on the next draw
  m_anchor = m_caret = 0;
}

void TextView::setSelection(std::int64_t start, std::int64_t end) {
  const auto n = static_cast<std::int64_t>(m_cps.size());
  m_anchor = std::clamp<std::int64_t>(start, 0, n);
  m_caret = std::clamp<std::int64_t>(end, 0, n);
}

float TextView::advance(char32_t c) const {
  ImFont* font = ImGui::GetFont();
  const float scale = ImGui::GetFontSize() / font->FontSize;
  if (c == '\r') return 0;
  // 16-bit ImWchar: a character past U+FFFF is drawn under its stand-in (fonts.h).
  if (sizeof(ImWchar) == 2 && c > 0xFFFF) c = displayCharOf(c);
  return font->GetCharAdvance(static_cast<ImWchar>(c)) * scale;
}

void TextView::rebuild(float width) {
  m_layout.build(m_cps, width, [this](char32_t c) { return advance(c); });
  lt::OffsetIndex index(m_display);  // lines are drawn from the display text
  m_lineByte.clear();
  m_lineByte.reserve(m_layout.lineCount());
  for (const auto& l : m_layout.lines()) m_lineByte.push_back(index.byteOf(l.start));
  m_builtWidth = width;
  m_builtFont = ImGui::GetFont();
  m_builtAtlas = fontAtlasGeneration();
}

float TextView::xOf(std::size_t line, std::int64_t cp) const {
  const auto& l = m_layout.lines()[line];
  float x = 0;
  for (std::int64_t k = l.start; k < std::min(cp, l.end); ++k) x += advance(m_cps[k]);
  return x;
}

std::int64_t TextView::hitTest(ImVec2 local, float within) const {
  if (m_layout.lineCount() == 0) return 0;
  const auto line = static_cast<std::size_t>(
      std::clamp<float>(std::floor(local.y / m_lineHeight), 0.f, static_cast<float>(m_layout.lineCount() - 1)));
  const auto& l = m_layout.lines()[line];
  float x = 0;
  for (std::int64_t k = l.start; k < l.end; ++k) {
    const float w = advance(m_cps[k]);
    if (local.x < x + w * within) return k;
    x += w;
  }
  return l.end;
}

bool TextView::draw(const char* id, ImVec2 size, const std::vector<SpanPaint>& spans) {
  m_clickedSpan = 0;
  m_clickedCtrl = false;
  ImGui::BeginChild(id, size, true, ImGuiWindowFlags_AlwaysVerticalScrollbar);
  const float width = ImGui::GetContentRegionAvail().x;
  m_lineHeight = ImGui::GetTextLineHeightWithSpacing();
  if (m_builtAtlas != fontAtlasGeneration()) {
    m_display = toDisplayText(m_utf8);  // a stand-in may have moved; advances may have changed
    m_builtWidth = -1;
  }
  if (std::abs(width - m_builtWidth) > 0.5f || m_builtFont != ImGui::GetFont()) rebuild(width);
  const auto nLines = m_layout.lineCount();
  if (m_pendingScrollLines != 0) {
    ImGui::SetScrollY(std::max(0.f, ImGui::GetScrollY() + m_pendingScrollLines * m_lineHeight));
    m_pendingScrollLines = 0;
  }
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float scrollY = ImGui::GetScrollY();
  const float viewH = ImGui::GetWindowHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const std::size_t first = std::min<std::size_t>(nLines, static_cast<std::size_t>(std::max(0.f, scrollY / m_lineHeight)));
  const std::size_t last = std::min<std::size_t>(nLines, first + static_cast<std::size_t>(viewH / m_lineHeight) + 2);
  m_scrollFraction = nLines ? static_cast<float>(first) / static_cast<float>(nLines) : 0.f;
  m_origin = origin;
  m_firstVisible = first;
  m_lastVisible = last;

  // Visible spans: sorted by start, so skip to the first that can reach the visible lines.
  std::int64_t maxLen = 0;
  for (const auto& s : spans) maxLen = std::max(maxLen, s.end - s.start);
  const std::int64_t visStart = first < nLines ? m_layout.lines()[first].start : 0;
  const std::int64_t visEnd = last > 0 && last <= nLines ? m_layout.lines()[last - 1].end : 0;
  auto firstSpan = std::lower_bound(spans.begin(), spans.end(), visStart - maxLen,
                                    [](const SpanPaint& s, std::int64_t v) { return s.start < v; });

  const ImU32 textCol = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 selCol = ImGui::GetColorU32(ImGuiCol_TextSelectedBg);
  const std::int64_t s0 = selStart(), s1 = selEnd();
  const float fontSize = ImGui::GetFontSize();
  for (std::size_t li = first; li < last; ++li) {
    const auto& l = m_layout.lines()[li];
    const float y = origin.y + static_cast<float>(li) * m_lineHeight;
    auto rangeRect = [&](std::int64_t a, std::int64_t b, float inset) {
      const float xa = origin.x + xOf(li, std::max(a, l.start));
      const float xb = origin.x + xOf(li, std::min(b, l.end)) + (b > l.end && l.end == l.start ? 4.f : 0.f);
      return std::pair{ImVec2(xa, y + inset), ImVec2(std::max(xb, xa + 1.f), y + m_lineHeight - inset)};
    };
    for (auto it = firstSpan; it != spans.end() && it->start < visEnd; ++it) {
      if (it->end <= l.start || it->start >= l.end) continue;
      auto [a, b] = rangeRect(it->start, it->end, 0.f);
      dl->AddRectFilled(a, b, (it->color & 0x00FFFFFF) | 0x66000000);
      if (it->selected) dl->AddRect(a, b, it->color | 0xFF000000, 0.f, 0, 2.f);
      if (it->flagged) dl->AddLine(ImVec2(a.x, b.y - 1), ImVec2(b.x, b.y - 1), IM_COL32(230, 30, 30, 255), 2.f);
    }
    if (s1 > s0 && s0 < l.end + 1 && s1 > l.start) {
      auto [a, b] = rangeRect(s0, s1, 1.f);
      dl->AddRectFilled(a, b, selCol);
    }
    const std::size_t b0 = m_lineByte[li];
    const std::size_t b1 = li + 1 < nLines ? m_lineByte[li + 1] : m_display.size();
    // Trim the '\n' (and anything past the visible end) from the byte range.
    std::size_t bEnd = b1;
    while (bEnd > b0 && (m_display[bEnd - 1] == '\n')) --bEnd;
    if (bEnd > b0)
      dl->AddText(ImGui::GetFont(), fontSize, ImVec2(origin.x, y), textCol, m_display.data() + b0, m_display.data() + bEnd);
  }

  // Size the scroll region to the whole document (nothing else is submitted for it).
  ImGui::Dummy(ImVec2(width, static_cast<float>(nLines) * m_lineHeight + m_lineHeight));

  // Mouse: press starts a selection, drag extends it, a click without drag picks a span.
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 local(io.MousePos.x - origin.x, io.MousePos.y - origin.y);
  const bool hovered = ImGui::IsWindowHovered();
  if (hovered && ImGui::IsMouseDoubleClicked(0)) {
    const std::int64_t cp = hitTest(local);
    const auto r = lt::snapToWords(m_cps, {cp, std::min<std::int64_t>(cp + 1, static_cast<std::int64_t>(m_cps.size()))});
    setSelection(r.start, r.end);
    m_dragging = false;
  } else if (hovered && ImGui::IsMouseClicked(0)) {
    const std::int64_t cp = hitTest(local);
    if (io.KeyShift) m_caret = cp;
    else m_anchor = m_caret = cp;
    m_dragging = true;
  }
  if (m_dragging && ImGui::IsMouseDown(0)) {
    m_caret = hitTest(local);
    // Auto-scroll while dragging past the edges.
    if (io.MousePos.y < ImGui::GetWindowPos().y) ImGui::SetScrollY(scrollY - m_lineHeight);
    if (io.MousePos.y > ImGui::GetWindowPos().y + viewH) ImGui::SetScrollY(scrollY + m_lineHeight);
  }
  if (m_dragging && ImGui::IsMouseReleased(0)) {
    m_dragging = false;
    if (m_anchor == m_caret) {
      // Innermost span over the character under the pointer (the caret sits on a boundary:
      // the right half of a span's last character puts it after the span).
      const std::int64_t at = hitTest(local, 1.f);
      std::int64_t best = -1;
      for (const auto& s : spans)
        if (s.start <= at && at < s.end && (best < 0 || s.end - s.start < best)) {
          best = s.end - s.start;
          m_clickedSpan = s.id;
        }
      m_clickedCtrl = io.KeyCtrl;
    } else if (snapToWords) {
      const auto r = lt::snapToWords(m_cps, {selStart(), selEnd()});
      setSelection(r.start, r.end);
    }
  }

  // Keyboard while focused: shift+arrows extend by grapheme / line, arrows move.
  const bool focused = ImGui::IsWindowFocused();
  if (focused && !io.WantTextInput && !io.KeyCtrl && !io.KeyAlt && nLines > 0) {
    auto keyPressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), true); };
    std::int64_t caret = m_caret;
    bool moved = false;
    if (keyPressed(ImGuiKey_RightArrow)) caret = lt::nextGrapheme(m_cps, caret), moved = true;
    if (keyPressed(ImGuiKey_LeftArrow)) caret = lt::prevGrapheme(m_cps, caret), moved = true;
    if (keyPressed(ImGuiKey_DownArrow) || keyPressed(ImGuiKey_UpArrow)) {
      const std::size_t line = m_layout.lineOf(caret);
      const bool down = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow), true);
      const std::size_t target = down ? std::min(line + 1, nLines - 1) : (line > 0 ? line - 1 : 0);
      caret = hitTest(ImVec2(xOf(line, caret), (static_cast<float>(target) + 0.5f) * m_lineHeight));
      moved = true;
    }
    if (keyPressed(ImGuiKey_Home)) caret = m_layout.lines()[m_layout.lineOf(caret)].start, moved = true;
    if (keyPressed(ImGuiKey_End)) caret = m_layout.lines()[m_layout.lineOf(caret)].end, moved = true;
    if (moved) {
      m_caret = caret;
      if (!io.KeyShift) m_anchor = caret;
      // Keep the caret visible.
      const float cy = static_cast<float>(m_layout.lineOf(caret)) * m_lineHeight;
      if (cy < scrollY) ImGui::SetScrollY(cy);
      if (cy + m_lineHeight > scrollY + viewH) ImGui::SetScrollY(cy + m_lineHeight - viewH);
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) m_anchor = m_caret;
  }
  if (focused && nLines > 0) {  // caret
    const std::size_t line = m_layout.lineOf(m_caret);
    const float x = origin.x + xOf(line, m_caret), y = origin.y + static_cast<float>(line) * m_lineHeight;
    dl->AddLine(ImVec2(x, y), ImVec2(x, y + m_lineHeight), textCol, 1.f);
  }
  ImGui::EndChild();
  return focused;
}

bool TextView::screenRectOf(std::int64_t cp, ImVec2& topLeft, float& width) const {
  if (m_layout.lineCount() == 0 || cp < 0 || cp >= static_cast<std::int64_t>(m_cps.size())) return false;
  const std::size_t line = m_layout.lineOf(cp);
  if (line < m_firstVisible || line >= m_lastVisible) return false;
  topLeft = ImVec2(m_origin.x + xOf(line, cp), m_origin.y + static_cast<float>(line) * m_lineHeight);
  width = advance(m_cps[cp]);
  return true;
}

}  // namespace lb::app
