#pragma once
// [SECTION] TextView: the document widget of the text panel. Wraps the text once per width
// change (labeling/text/text_layout.h), draws only the visible lines, span backgrounds in their
// class colours (flagged spans underlined in red), and keeps a character selection in code
// points (mouse: character by character, also for Chinese; shift+arrows by grapheme; double
// click: a word, ICU word break). Display state only: spans come in, intents go out.
//
// Glyphs: setText notes the document's characters (fonts.h) so the atlas grows with them; ImGui
// 1.86 as packaged keys glyphs by 16 bits, so lines are drawn from a display copy of the text in
// which characters past U+FFFF (most emoji, CJK Extension B) are their Private Use stand-ins;
// one code point stays one character, so the layout and span offsets are the same for both.
//
// Threads: UI thread only.
#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "labeling/model.h"
#include "labeling/text/text_layout.h"

namespace lb::app {

struct SpanPaint {
  std::int64_t start = 0, end = 0;  // code points
  ImU32 color = 0;
  labeling::AnnotationId id = 0;
  bool flagged = false;   // needs review after a correction
  bool selected = false;
};

class TextView {
 public:
  // Sets the document; the layout is rebuilt only when `key` or the width changes.
  void setText(const std::string& key, const std::string& utf8);
  const std::u32string& codePoints() const { return m_cps; }

  // Draws into a child window of the given size (0 = fill). `spans` sorted by start.
  // Returns true while the view has keyboard focus.
  bool draw(const char* id, ImVec2 size, const std::vector<SpanPaint>& spans);

  // Selection [selStart(), selEnd()) in code points; empty when anchor == caret.
  std::int64_t selStart() const { return std::min(m_anchor, m_caret); }
  std::int64_t selEnd() const { return std::max(m_anchor, m_caret); }
  bool hasSelection() const { return m_anchor != m_caret; }
  void setSelection(std::int64_t start, std::int64_t end);
  void clearSelection() { m_anchor = m_caret; }
  // A span the user clicked this frame (0 = none) and whether ctrl was held (add to selection).
  labeling::AnnotationId clickedSpan() const { return m_clickedSpan; }
  bool clickedWithCtrl() const { return m_clickedCtrl; }
  bool snapToWords = false;  // widen mouse selections to whole words

  // For benchmarks and tests: scroll by `lines` on the next draw.
  void scrollLines(float lines) { m_pendingScrollLines += lines; }
  std::size_t lineCount() const { return m_layout.lineCount(); }
  // Screen position (top-left) and width of code point `cp` as drawn last frame, if visible.
  bool screenRectOf(std::int64_t cp, ImVec2& topLeft, float& width) const;
  float scrollFraction() const { return m_scrollFraction; }

 private:
  void rebuild(float width);
  float advance(char32_t c) const;
  // Local: relative to the text origin. The boundary nearest the point (within = 0.5), or the
  // character under it (within = 1).
  std::int64_t hitTest(ImVec2 local, float within = 0.5f) const;
  float xOf(std::size_t line, std::int64_t cp) const;

  std::string m_key;
  std::string m_utf8;
  std::string m_display;  // m_utf8 with stand-ins for characters past U+FFFF
  std::u32string m_cps;
  std::vector<std::size_t> m_lineByte;  // byte offset of each layout line start
  labeling::text::TextLayout m_layout;
  float m_builtWidth = -1;
  ImFont* m_builtFont = nullptr;
  std::uint64_t m_builtAtlas = ~0ull;
  float m_lineHeight = 16;
  std::int64_t m_anchor = 0, m_caret = 0;
  bool m_dragging = false;
  labeling::AnnotationId m_clickedSpan = 0;
  bool m_clickedCtrl = false;
  float m_pendingScrollLines = 0;
  float m_scrollFraction = 0;
  ImVec2 m_origin{0, 0};
  std::size_t m_firstVisible = 0, m_lastVisible = 0;
};

}  // namespace lb::app
