#pragma once
// [SECTION] AppContext: everything a panel may use during a frame. It owns the Session (the open
// project, user, undo history), the worker pool, the queue of deferred edits, and the shared
// editor state (item list, current tool and class, cached annotations of the current item).
//
// Threads: UI thread only; workers reach the UI through workers().submit(...).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/editor_state.h"
#include "app/gui/worker_pool.h"
#include "labeling/session/session.h"

namespace lb::app {

class ImageCache;
class ThumbnailCache;

struct Options {
  std::string projectPath;  // open straight away when given
  std::string userName;     // --user
  std::string lang;         // --lang en|zh-CN; "" = remembered or from the environment
  bool testMode = false;    // fixed window size/position, no imgui.ini, no animations
  int maxTextureOverride_px = 0;  // pretend GL_MAX_TEXTURE_SIZE is this (exercises tiling)
  std::string bench;        // --bench <name>: run a benchmark and print figures
  int benchFrames = 300;
};

struct Notice {
  std::string text;
  bool error = false;
  double untilSeconds = 0;
};

class AppContext {
 public:
  AppContext(Options options, std::string assetsDir);
  ~AppContext();

  const Options& options() const { return m_options; }
  const std::string& assetsDir() const { return m_assetsDir; }
  std::string configDir() const;  // $XDG_CONFIG_HOME/labelbench (created on demand)

  // [SECTION] Project
  bool hasProject() const { return static_cast<bool>(m_session); }
  labeling::Session& session() { return *m_session; }
  const labeling::LabelSchema& schema() const { return m_schema; }
  const labeling::ProjectInfo& projectInfo() const { return m_info; }
  // Opens the project as the named user (who must exist in it). Errors name the file and why.
  Status openProject(const std::string& path, const std::string& userName);
  void closeProject();
  void reloadSchema();

  // [SECTION] Work
  WorkerPool& workers() { return m_workers; }
  // Runs fn after this frame's widgets (edits, navigation, anything that touches the store).
  void defer(UiFn fn) { m_deferred.push_back(std::move(fn)); }
  void runDeferred();
  // Shows a failed edit's message in the status line; returns whether it succeeded.
  bool report(const Status& status);
  void notify(std::string text, bool error = false);
  const Notice& notice() const { return m_notice; }
  std::uint64_t frame() const { return m_frame; }
  void nextFrame() { ++m_frame; }

  // [SECTION] The item being labelled and the shared editor state
  EditorState& editor() { return m_editor; }
  ItemList& items() { return m_items; }
  // Re-reads the current item's annotations and row; call after every edit (runDeferred does).
  void refreshCurrent();
  const std::vector<labeling::Annotation>& annotations() const { return m_annotations; }
  const std::optional<labeling::Item>& currentItem() const { return m_currentItem; }
  std::uint64_t revision() const { return m_revision; }  // bumps on every refresh
  void openItem(labeling::ItemId id);  // deferred-safe: call from defer() or drain()
  void step(int delta);                // next/previous in the filtered list
  void nextUnlabelled();
  void reloadItemList();               // runs the filter query on a worker

  ImageCache& images() { return *m_images; }
  ThumbnailCache& thumbnails() { return *m_thumbnails; }

  // Set by the start screen / Language menu; the app rebuilds fonts between frames.
  std::string pendingLanguage;

 private:
  Options m_options;
  std::string m_assetsDir;
  WorkerPool m_workers;
  std::unique_ptr<labeling::Session> m_session;
  labeling::LabelSchema m_schema;
  labeling::ProjectInfo m_info;
  std::vector<UiFn> m_deferred;
  Notice m_notice;
  std::uint64_t m_frame = 0;
  EditorState m_editor;
  ItemList m_items;
  std::vector<labeling::Annotation> m_annotations;
  std::optional<labeling::Item> m_currentItem;
  std::uint64_t m_revision = 0;
  std::uint64_t m_listRequest = 0;
  std::unique_ptr<ImageCache> m_images;
  std::unique_ptr<ThumbnailCache> m_thumbnails;
};

}  // namespace lb::app
