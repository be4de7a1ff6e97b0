// The cleaning panel's lists: findings of a scalar check (thumbnail or text snippet, score,
// decision, exclude / keep / bring back), duplicate groups side by side with the suggested keeper
// marked and "keep this one", and the excluded items with bring-back. Long lists are clipped.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/gui/app_context.h"
#include "app/gui/gl_texture.h"
#include "app/gui/i18n.h"
#include "app/gui/panels/clean_panel.h"
#include "app/gui/thumbnail_cache.h"

namespace lb::app {

using namespace lb::labeling;
namespace clean = lb::qc::clean;

namespace {
constexpr float kRowThumb_px = 64;
constexpr float kCardThumb_px = 128;
constexpr float kTextCardW_px = 260;
const ImU32 kKeeperColour = IM_COL32(90, 200, 110, 255);
const ImU32 kExcludedColour = IM_COL32(220, 70, 60, 255);

std::string formatScore(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}
}  // namespace

// [SECTION] Item pieces: brief (name, size, snippet), thumbnail, text box, caption
const cleanui::ItemBrief* CleanPanel::brief(ItemId id) {
  const auto it = m_briefs.find(id);
  if (it != m_briefs.end()) return &it->second;
  m_briefWanted.push_back(id);
  return nullptr;
}

void CleanPanel::requestBriefs(AppContext& ctx) {
  if (m_briefWanted.empty()) return;
  const double now = ImGui::GetTime();
  std::vector<ItemId> ask;
  for (ItemId id : m_briefWanted) {
    auto& when = m_briefAsked[id];
    if (when == 0 || now - when > 3.0) {  // asked again if a worker result was dropped
      when = now;
      ask.push_back(id);
    }
  }
  m_briefWanted.clear();
  if (ask.empty()) return;
  ctx.workers().submit([this, ask](WorkerEnv& env) -> UiFn {
    auto* store = env.store();
    if (!store) return {};
    auto briefs = cleanui::loadBriefs(*store, ask);
    return [this, briefs = std::move(briefs)](AppContext&) mutable {
      for (auto& [id, b] : briefs) m_briefs[id] = std::move(b);
    };
  });
}

void CleanPanel::drawThumb(AppContext& ctx, ItemId id, float size, bool keeper, bool excluded) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ThumbTexture t = ctx.thumbnails().get(ctx, id);
  if (t.tex && t.width_px > 0 && t.height_px > 0) {
    const float s = size / static_cast<float>(std::max(t.width_px, t.height_px));
    const float w = t.width_px * s, h = t.height_px * s;
    dl->AddImage(texId(t.tex), ImVec2(p.x + (size - w) / 2, p.y + (size - h) / 2),
                 ImVec2(p.x + (size + w) / 2, p.y + (size + h) / 2));
  } else {
    dl->AddRectFilled(p, ImVec2(p.x + size, p.y + size), IM_COL32(60, 60, 66, 255));
  }
  if (excluded) {
    dl->AddRectFilled(p, ImVec2(p.x + size, p.y + size), IM_COL32(120, 20, 20, 110));
    dl->AddLine(p, ImVec2(p.x + size, p.y + size), kExcludedColour, 2.f);
  }
  if (keeper) dl->AddRect(ImVec2(p.x - 2, p.y - 2), ImVec2(p.x + size + 2, p.y + size + 2), kKeeperColour, 0, 0, 3.f);
  ImGui::InvisibleButton("##thumb", ImVec2(size, size));
  if (ImGui::IsItemHovered()) {
    if (const auto* b = brief(id)) ImGui::SetTooltip("#%lld  %s\n%s", static_cast<long long>(id), b->name.c_str(), tr("clean.open_hint"));
    if (ImGui::IsMouseDoubleClicked(0)) ctx.defer([id](AppContext& c) { c.openItem(id); });
  }
}

void CleanPanel::drawTextBox(ItemId id, float width, float height, bool keeper, bool excluded) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + width, p.y + height), excluded ? IM_COL32(70, 30, 30, 255) : IM_COL32(45, 45, 52, 255));
  if (keeper) dl->AddRect(ImVec2(p.x - 2, p.y - 2), ImVec2(p.x + width + 2, p.y + height + 2), kKeeperColour, 0, 0, 3.f);
  const auto* b = brief(id);
  const std::string text = b ? b->snippet : "…";
  // Wrapped and clipped to the box so every row has the same height (the list clipper needs it).
  ImGui::PushClipRect(p, ImVec2(p.x + width, p.y + height), true);
  ImGui::SetCursorScreenPos(ImVec2(p.x + 4, p.y + 2));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 8);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopClipRect();
  ImGui::SetCursorScreenPos(p);
  ImGui::Dummy(ImVec2(width, height));
  if (ImGui::IsItemHovered() && b) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(480);
    ImGui::TextUnformatted(b->snippet.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void CleanPanel::drawItemCaption(AppContext& ctx, ItemId id) {
  const auto* b = brief(id);
  std::string name = "#" + std::to_string(id);
  if (b && b->kind == ItemKind::Image) name += "  " + b->name;
  if (ImGui::Selectable(name.c_str(), false, 0, ImVec2(ImGui::CalcTextSize(name.c_str()).x, 0)))
    ctx.defer([id](AppContext& c) { c.openItem(id); });
  if (b && b->kind == ItemKind::Image && b->width_px > 0) ImGui::TextDisabled("%d × %d", b->width_px, b->height_px);
}

const char* CleanPanel::decisionText(clean::Decision d) const {
  switch (d) {
    case clean::Decision::Exclude: return tr("clean.excluded");
    case clean::Decision::Keep: return tr("clean.kept");
    case clean::Decision::None: break;
  }
  return tr("clean.undecided");
}

// [SECTION] Scalar findings (blur, exposure, length, personal data, ...)
void CleanPanel::drawFindings(AppContext& ctx, std::size_t check) {
  const auto& d = m_data->checks[check];
  const std::string name(d.spec->name);
  if (m_visible.empty()) {
    ImGui::TextDisabled("%s", tr("clean.none"));
    return;
  }
  const bool text = d.spec->target == clean::CheckTarget::Text;
  const float rowH = text ? 3 * ImGui::GetTextLineHeightWithSpacing() + 8 : kRowThumb_px + 6;
  if (!ImGui::BeginTable("##findings", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(text ? tr("clean.text") : tr("clean.image"), text ? ImGuiTableColumnFlags_WidthStretch
                                                                             : ImGuiTableColumnFlags_WidthFixed,
                          text ? 0.f : kRowThumb_px + 8);
  ImGui::TableSetupColumn(tr("clean.item"), ImGuiTableColumnFlags_WidthFixed, text ? 90.f : 260.f);
  ImGui::TableSetupColumn(tr("clean.score"), ImGuiTableColumnFlags_WidthFixed, 70);
  ImGui::TableSetupColumn(tr("clean.state"), ImGuiTableColumnFlags_WidthFixed, 80);
  ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed, 250);
  ImGui::TableHeadersRow();
  using A = clean::DecideAction;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(m_visible.size()), rowH);
  while (clipper.Step())
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const auto& f = d.rows[m_visible[static_cast<std::size_t>(row)]];
      const ItemId id = f.itemId;
      const bool excluded = f.decision == clean::Decision::Exclude;
      const bool elsewhere = !excluded && m_excludedIds.count(id);  // excluded by another check
      ImGui::TableNextRow(0, rowH);
      ImGui::PushID(static_cast<int>(id));
      ImGui::TableNextColumn();
      if (text) drawTextBox(id, ImGui::GetContentRegionAvail().x, rowH - 6, false, excluded || elsewhere);
      else drawThumb(ctx, id, kRowThumb_px, false, excluded || elsewhere);
      ImGui::TableNextColumn();
      drawItemCaption(ctx, id);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(formatScore(f.score).c_str());
      ImGui::TableNextColumn();
      if (excluded) ImGui::TextColored(ImVec4(1.f, 0.45f, 0.4f, 1.f), "%s", decisionText(f.decision));
      else if (elsewhere) ImGui::TextWrapped("%s", tr("clean.excluded_elsewhere"));
      else ImGui::TextUnformatted(decisionText(f.decision));
      ImGui::TableNextColumn();
      const std::string sid = std::to_string(id);
      ImGui::BeginDisabled(excluded);
      if (ImGui::Button(tr("clean.exclude"))) decideLater(ctx, {{{name, {}, id}, A::Exclude}});
      mark("exclude:" + sid);
      ImGui::EndDisabled();
      ImGui::SameLine();
      ImGui::BeginDisabled(f.decision == clean::Decision::Keep);
      if (ImGui::Button(tr("clean.keep"))) decideLater(ctx, {{{name, {}, id}, A::Keep}});
      mark("keep:" + sid);
      ImGui::EndDisabled();
      ImGui::SameLine();
      ImGui::BeginDisabled(f.decision == clean::Decision::None);
      if (ImGui::Button(tr("clean.restore"))) decideLater(ctx, {{{name, {}, id}, A::Restore}});
      mark("restore:" + sid);
      ImGui::EndDisabled();
      ImGui::PopID();
    }
  ImGui::EndTable();
}

// [SECTION] Duplicate groups, members side by side
void CleanPanel::drawGroups(AppContext& ctx, std::size_t check) {
  const auto& d = m_data->checks[check];
  const std::string name(d.spec->name);
  if (d.groups.empty()) {
    ImGui::TextDisabled("%s", tr(m_groupsPending[check] ? "clean.regrouping" : "clean.none"));
    return;
  }
  // Rows are in item order: a member's decision is a binary search away.
  auto decisionOf = [&d](ItemId id) {
    auto it = std::lower_bound(d.rows.begin(), d.rows.end(), id, [](const auto& f, ItemId v) { return f.itemId < v; });
    return it != d.rows.end() && it->itemId == id ? it->decision : clean::Decision::None;
  };
  const bool text = d.spec->target == clean::CheckTarget::Text;
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float cardH = (text ? 4 * line : kCardThumb_px) + 3 * line + ImGui::GetFrameHeightWithSpacing() + 8;
  const float blockH = ImGui::GetFrameHeightWithSpacing() + cardH + ImGui::GetStyle().ScrollbarSize + 12;
  using A = clean::DecideAction;
  ImGui::BeginChild("##groups", ImVec2(0, 0), false);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(d.groups.size()), blockH);
  while (clipper.Step())
    for (int gi = clipper.DisplayStart; gi < clipper.DisplayEnd; ++gi) {
      const auto& g = d.groups[static_cast<std::size_t>(gi)];
      const float blockTop = ImGui::GetCursorPosY();
      ImGui::PushID(static_cast<int>(g.key));
      ImGui::AlignTextToFramePadding();
      ImGui::Text("%s", trf("clean.group", {std::to_string(g.key), std::to_string(g.members.size())}).c_str());
      ImGui::SameLine();
      if (ImGui::SmallButton(tr("clean.keep_suggested"))) decideLater(ctx, {{{name, g.key, {}}, A::Exclude}});
      mark("keep_suggested:" + std::to_string(g.key));
      ImGui::SameLine();
      if (ImGui::SmallButton(tr("clean.not_duplicates"))) decideLater(ctx, {{{name, g.key, {}}, A::Keep}});
      ImGui::SameLine();
      if (ImGui::SmallButton(tr("clean.restore_group"))) decideLater(ctx, {{{name, g.key, {}}, A::Restore}});
      ImGui::BeginChild("##cards", ImVec2(0, cardH + ImGui::GetStyle().ScrollbarSize), false,
                        ImGuiWindowFlags_HorizontalScrollbar);
      // Only the members in view are drawn (a batch of one photo copied 100,000 times is one
      // group); the row still scrolls over all of them.
      const float cardW = text ? kTextCardW_px : kCardThumb_px, stride = cardW + 18;
      const ImVec2 origin = ImGui::GetCursorPos();
      const std::size_t n = g.members.size();
      const float scrollX = ImGui::GetScrollX(), viewW = ImGui::GetWindowWidth();
      const std::size_t first = std::min(n, static_cast<std::size_t>(std::max(0.f, scrollX / stride)));
      const std::size_t last = std::min(n, static_cast<std::size_t>((scrollX + viewW) / stride) + 1);
      for (std::size_t k = first; k < last; ++k) {
        const ItemId id = g.members[k];
        const auto dec = decisionOf(id);
        const bool keeper = id == g.keeper, excluded = dec == clean::Decision::Exclude;
        const bool elsewhere = !excluded && m_excludedIds.count(id);  // excluded by another check
        ImGui::SetCursorPos(ImVec2(origin.x + static_cast<float>(k) * stride, origin.y));
        ImGui::BeginGroup();
        ImGui::PushID(static_cast<int>(id));
        if (text) drawTextBox(id, kTextCardW_px, 4 * line, keeper, excluded || elsewhere);
        else drawThumb(ctx, id, kCardThumb_px, keeper, excluded || elsewhere);
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + cardW);
        drawItemCaption(ctx, id);
        ImGui::PopTextWrapPos();
        if (keeper) ImGui::TextColored(ImVec4(0.4f, 0.85f, 0.45f, 1.f), "%s", tr("clean.keeper"));
        else if (excluded) ImGui::TextColored(ImVec4(1.f, 0.45f, 0.4f, 1.f), "%s", decisionText(dec));
        else if (elsewhere) ImGui::TextDisabled("%s", tr("clean.excluded_elsewhere"));
        else ImGui::TextDisabled("%s", decisionText(dec));
        // Keep this one: it becomes the group's keeper, the other members are excluded.
        if (ImGui::Button(tr("clean.keep_this"), ImVec2(cardW, 0)))
          decideLater(ctx, {{{name, g.key, id}, A::Keep}, {{name, g.key, {}}, A::Exclude}});
        mark("keep_one:" + std::to_string(id));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("clean.keep_one"));
        ImGui::PopID();
        ImGui::EndGroup();
      }
      ImGui::SetCursorPos(ImVec2(origin.x + static_cast<float>(n) * stride - 18, origin.y));
      ImGui::Dummy(ImVec2(1, 1));  // the row's full width, for the scrollbar
      ImGui::EndChild();
      ImGui::Separator();
      // Every block takes the same height so the clipper can skip the ones out of view.
      ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), blockTop + blockH));
      ImGui::PopID();
    }
  ImGui::EndChild();
}

// [SECTION] Excluded items, with bring-back
void CleanPanel::drawExcluded(AppContext& ctx) {
  if (m_excluded.empty()) {
    ImGui::TextDisabled("%s", tr("clean.excluded_none"));
    return;
  }
  if (!ImGui::BeginTable("##excluded", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(tr("clean.item"), ImGuiTableColumnFlags_WidthFixed, 320);
  ImGui::TableSetupColumn("##name", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(tr("clean.excluded_by"), ImGuiTableColumnFlags_WidthFixed, 260);
  ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed, 120);
  ImGui::TableHeadersRow();
  const float rowH = kRowThumb_px + 6;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(m_excluded.size()), rowH);
  while (clipper.Step())
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const auto& e = m_excluded[static_cast<std::size_t>(row)];
      const ItemId id = e.item;
      ImGui::TableNextRow(0, rowH);
      ImGui::PushID(static_cast<int>(id));
      ImGui::TableNextColumn();
      const auto* b = brief(id);
      if (b && b->kind != ItemKind::Image) drawTextBox(id, ImGui::GetContentRegionAvail().x, rowH - 6, false, true);
      else drawThumb(ctx, id, kRowThumb_px, false, false);
      ImGui::TableNextColumn();
      drawItemCaption(ctx, id);
      ImGui::TableNextColumn();
      std::string by;
      for (const auto& c : e.checks) {
        std::size_t i = 0;
        while (i < clean::allChecks().size() && clean::allChecks()[i].name != c) ++i;
        by += (by.empty() ? "" : ", ") + (i < clean::allChecks().size() ? checkTitle(i) : c);
      }
      ImGui::TextWrapped("%s", by.c_str());
      ImGui::TableNextColumn();
      if (ImGui::Button(tr("clean.restore"))) {
        std::vector<std::pair<clean::DecideTarget, clean::DecideAction>> steps;
        for (const auto& c : e.checks) steps.push_back({{c, {}, id}, clean::DecideAction::Restore});
        decideLater(ctx, std::move(steps));
      }
      mark("bringback:" + std::to_string(id));
      ImGui::PopID();
    }
  ImGui::EndTable();
}

}  // namespace lb::app
