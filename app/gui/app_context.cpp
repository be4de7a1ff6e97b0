#include "app_context.h"

#include <cstdlib>
#include <filesystem>

#include "app/gui/i18n.h"
#include "app/gui/image_cache.h"
#include "app/gui/thumbnail_cache.h"
#include <imgui.h>

namespace lb::app {

using namespace lb::labeling;

int ItemList::indexOf(ItemId id) const {
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i].id == id) return static_cast<int>(i);
  return -1;
}

const char* toolKey(Tool t) {
  switch (t) {
    case Tool::Select: return "tool.select";
    case Tool::Tag: return "tool.tag";
    case Tool::Box: return "tool.box";
    case Tool::RotatedBox: return "tool.rotated_box";
    case Tool::Polygon: return "tool.polygon";
    case Tool::Polyline: return "tool.polyline";
    case Tool::Point: return "tool.point";
    case Tool::Keypoints: return "tool.keypoints";
    case Tool::MaskBrush: return "tool.mask_brush";
    case Tool::MaskEraser: return "tool.mask_eraser";
  }
  return "tool.select";
}

AppContext::AppContext(Options options, std::string assetsDir)
    : m_options(std::move(options)), m_assetsDir(std::move(assetsDir)), m_workers(2) {
  m_images = std::make_unique<ImageCache>();
  m_thumbnails = std::make_unique<ThumbnailCache>();
}

AppContext::~AppContext() {
  closeProject();
}

std::string AppContext::configDir() const {
  namespace fs = std::filesystem;
  fs::path base;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) base = x;
  else if (const char* h = std::getenv("HOME"); h && *h) base = fs::path(h) / ".config";
  else base = fs::temp_directory_path();
  fs::path dir = base / "labelbench";
  std::error_code ec;
  fs::create_directories(dir, ec);
  return dir.string();
}

Status AppContext::openProject(const std::string& path, const std::string& userName) {
  auto store = labeling::openProject(path);
  if (!store) return store.error();
  auto user = (*store)->userByName(userName);
  if (!user)
    return makeError(ErrorCode::NotFound, "user \"" + userName + "\" is not in project " + path +
                                              "; choose one of the project's users or add one");
  closeProject();
  m_session = std::make_unique<Session>(std::move(store).value(), *user, "gui");
  m_info = m_session->store().info();
  m_workers.setProject(path);
  m_items = ItemList{};
  m_editor = EditorState{};
  reloadSchema();  // after the editor reset: it picks the first object class to draw with
  m_annotations.clear();
  m_currentItem.reset();
  ItemFilter all;
  all.includeExcluded = true;
  m_items.total = m_session->store().countItems(all);
  reloadItemList();
  return okStatus();
}

void AppContext::closeProject() {
  if (!m_session) return;
  m_workers.setProject("");
  m_images->clear();
  m_thumbnails->clear();
  m_session.reset();  // logs close_item and session_end
  m_annotations.clear();
  m_currentItem.reset();
  m_items = ItemList{};
}

void AppContext::reloadSchema() {
  if (!m_session) return;
  m_schema = m_session->store().schema();
  if (!m_schema.findClass(m_editor.currentClass)) {
    m_editor.currentClass = 0;
    for (const auto& c : m_schema.classes)
      if (c.scope == ClassScope::Object) {
        m_editor.currentClass = c.id;
        break;
      }
  }
}

void AppContext::runDeferred() {
  // Deferred functions may defer more (e.g. open the next item after an edit): run until empty.
  for (int guard = 0; guard < 8 && !m_deferred.empty(); ++guard) {
    auto list = std::move(m_deferred);
    m_deferred.clear();
    for (auto& fn : list) fn(*this);
  }
}

bool AppContext::report(const Status& status) {
  refreshCurrent();
  if (status) return true;
  notify(status.error().message, true);
  return false;
}

void AppContext::notify(std::string text, bool error) {
  m_notice = {std::move(text), error, ImGui::GetTime() + (error ? 8.0 : 4.0)};
}

void AppContext::refreshCurrent() {
  ++m_revision;
  if (!m_session || !m_session->currentItem()) {
    m_annotations.clear();
    m_currentItem.reset();
    return;
  }
  m_annotations = m_session->annotations();
  std::sort(m_annotations.begin(), m_annotations.end(),
            [](const Annotation& a, const Annotation& b) { return a.zOrder != b.zOrder ? a.zOrder < b.zOrder : a.id < b.id; });
  auto it = m_session->store().item(m_session->currentItem());
  if (it) {
    m_currentItem = *it;
    if (int i = m_items.indexOf(it->id); i >= 0) {
      m_items.rows[i].state = it->state;
      m_items.rows[i].nothingHere = it->nothingHere;
    }
  }
  // Drop selected ids that no longer exist (deleted or undone).
  auto& sel = m_session->selection;
  std::erase_if(sel, [&](AnnotationId id) {
    return std::none_of(m_annotations.begin(), m_annotations.end(), [&](const Annotation& a) { return a.id == id; });
  });
}

void AppContext::openItem(ItemId id) {
  if (!m_session) return;
  if (!report(m_session->openItem(id))) return;
  m_editor.requestFit = true;
  // Decode this one first, then its neighbours so next/previous are instant.
  const int i = m_items.indexOf(id);
  std::vector<ItemId> around;
  if (i >= 0) {
    if (i + 1 < static_cast<int>(m_items.rows.size())) around.push_back(m_items.rows[i + 1].id);
    if (i > 0) around.push_back(m_items.rows[i - 1].id);
  }
  if (m_currentItem) m_images->request(*this, *m_currentItem, around);
}

void AppContext::step(int delta) {
  if (m_items.rows.empty()) return;
  int i = m_session && m_session->currentItem() ? m_items.indexOf(m_session->currentItem()) : -1;
  int next = i < 0 ? 0 : std::clamp(i + delta, 0, static_cast<int>(m_items.rows.size()) - 1);
  if (next != i) openItem(m_items.rows[next].id);
}

// "Unlabelled" means no live objects and not marked "nothing here": an item only passed through
// with D is still unlabelled. Counting objects is a query per item, so the search runs on a
// worker over the list's order after the current item.
void AppContext::nextUnlabelled() {
  const int n = static_cast<int>(m_items.rows.size());
  if (n == 0) return;
  const int i = m_session->currentItem() ? m_items.indexOf(m_session->currentItem()) : -1;
  std::vector<ItemId> order;
  order.reserve(static_cast<std::size_t>(n));
  for (int k = 1; k <= n; ++k) {
    const auto& r = m_items.rows[(i + k + n) % n];
    if (!r.nothingHere && r.id != m_session->currentItem()) order.push_back(r.id);
  }
  m_workers.submit([order = std::move(order)](WorkerEnv& env) -> UiFn {
    auto* store = env.store();
    if (!store) return {};
    for (ItemId id : order) {
      const auto item = store->item(id);
      if (item && item->nothingHere) continue;
      if (store->annotations(id).empty()) return [id](AppContext& ctx) { ctx.openItem(id); };
    }
    return [](AppContext& ctx) { ctx.notify(tr("status.no_unlabelled")); };
  });
}

void AppContext::reloadItemList() {
  if (!m_session) return;
  ItemFilter f;
  f.withText = false;
  if (m_items.stateFilter >= 0) f.state = static_cast<ItemState>(m_items.stateFilter);
  if (m_items.classFilter) f.hasClass = m_items.classFilter;
  if (m_items.assigneeFilter) f.assignee = m_items.assigneeFilter;
  f.textSearch = m_items.search;
  m_items.loading = true;
  const std::uint64_t request = ++m_listRequest;
  m_workers.submit([f, request](WorkerEnv& env) -> UiFn {
    auto* store = env.store();
    if (!store) return {};
    std::vector<ItemRow> rows;
    for (const auto& it : store->items(f)) {
      ItemRow r;
      r.id = it.id;
      r.name = it.mediaPath.empty() ? it.text.substr(0, 80) : it.mediaPath;
      r.state = it.state;
      r.nothingHere = it.nothingHere;
      rows.push_back(std::move(r));
    }
    return [rows = std::move(rows), request](AppContext& ctx) mutable {
      if (request != ctx.m_listRequest) return;  // a newer filter is on its way
      ctx.m_items.rows = std::move(rows);
      ctx.m_items.loading = false;
      // The first list of a session opens its first item so the canvas is never empty.
      if (ctx.hasProject() && !ctx.session().currentItem() && !ctx.m_items.rows.empty())
        ctx.openItem(ctx.m_items.rows.front().id);
    };
  });
}

}  // namespace lb::app
