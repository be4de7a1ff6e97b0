// The plugins panel: every plugin library found in the user's and the system's folders with its
// state (loaded, or refused with the reason naming it), id, version and capabilities; the settings
// each capability declares, drawn by the host from the ABI's descriptions and saved per user or
// per project; and running a check, an exporter or an importer on a worker (cancellable).
#include <imgui.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/gui/app_context.h"
#include "app/gui/i18n.h"
#include "app/gui/panel.h"
#include "app/gui/panels/plugins_shared.h"
#include "app/gui/test_state.h"

namespace lb::app {
namespace {

using namespace lb::labeling;

const char* kindKey(lb_capability_kind k) {
  switch (k) {
    case LB_CAPABILITY_IMPORTER: return "plugins.kind.importer";
    case LB_CAPABILITY_EXPORTER: return "plugins.kind.exporter";
    case LB_CAPABILITY_CHECK: return "plugins.kind.check";
    case LB_CAPABILITY_ASSIST: return "plugins.kind.assist";
  }
  return "plugins.kind.unknown";
}

class PluginsPanel final : public Panel {
 public:
  const char* id() const override { return "plugins"; }
  const char* titleKey() const override { return "plugins.panel"; }
  ImVec4 defaultRect() const override { return ImVec4(0.22f, 0.08f, 0.54f, 0.8f); }

  void draw(AppContext& ctx) override {
    m_marks = nlohmann::json::object();
    pluginSettings().ensureLoaded(ctx);
    if (!pluginsLoaded(ctx)) {
      ImGui::TextDisabled("%s", tr("plugins.loading"));
      return;
    }
    auto& gp = guiPlugins();
    ImGui::TextDisabled("%s", tr("plugins.folders"));
    for (const auto& d : gp.dirs) ImGui::BulletText("%s", d.c_str());
    ImGui::Separator();
    if (gp.list.empty()) ImGui::TextWrapped("%s", tr("plugins.none"));
    int loaded = 0, refused = 0;
    for (const auto& p : gp.list) (p.state == plugins::PluginState::Loaded ? loaded : refused)++;
    ImGui::Text("%s", trf("plugins.count", {std::to_string(loaded), std::to_string(refused)}).c_str());

    const float listHeight = ImGui::GetContentRegionAvail().y * 0.55f;
    // Loaded plugins first, then the refused ones with their reasons, each in load order.
    std::vector<std::size_t> order(gp.list.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_partition(order.begin(), order.end(),
                          [&](std::size_t i) { return gp.list[i].state == plugins::PluginState::Loaded; });
    if (ImGui::BeginTable("##plugins", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable,
                          ImVec2(0, listHeight))) {
      ImGui::TableSetupColumn(tr("plugins.col.plugin"), ImGuiTableColumnFlags_WidthStretch, 1.f);
      ImGui::TableSetupColumn(tr("plugins.col.version"), ImGuiTableColumnFlags_WidthFixed, 60);
      ImGui::TableSetupColumn(tr("plugins.col.state"), ImGuiTableColumnFlags_WidthFixed, 70);
      ImGui::TableSetupColumn(tr("plugins.col.capabilities"), ImGuiTableColumnFlags_WidthStretch, 2.f);
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableHeadersRow();
      for (std::size_t i : order) {
        const auto& p = gp.list[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const bool ok = p.state == plugins::PluginState::Loaded;
        const std::string file = p.path.substr(p.path.find_last_of('/') + 1);
        ImGui::TextUnformatted(ok ? p.name.c_str() : file.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", p.path.c_str(), p.description.c_str());
        if (ok) ImGui::TextDisabled("%s", p.id.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(ok ? p.version.c_str() : "");
        ImGui::TableNextColumn();
        if (ok) ImGui::TextColored(ImVec4(0.5f, 0.9f, 0.5f, 1), "%s", tr("plugins.loaded"));
        else ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", tr("plugins.refused"));
        ImGui::TableNextColumn();
        if (!ok) ImGui::TextWrapped("%s", p.reason.c_str());  // the reason names the plugin's file
        for (std::size_t c = 0; c < p.capabilities.size(); ++c) {
          const auto& cap = p.capabilities[c];
          const std::string label = std::string(tr(kindKey(cap.kind))) + ": " + cap.name + "##" + cap.id;
          const bool sel = m_plugin == p.id && m_capability == cap.id;
          if (ImGui::Selectable(label.c_str(), sel) && ok) select(p, cap);
          mark("cap:" + p.id + ":" + cap.id);
        }
        ImGui::PopID();
      }
      ImGui::EndTable();
    }
    ImGui::Separator();
    drawSelected(ctx);
    nlohmann::json s = {{"loaded", loaded}, {"refused", refused}, {"selected", m_plugin + ":" + m_capability},
                        {"running", m_running}, {"buttons", m_marks}};
    publishTestState(ctx, ".plugins", s.dump(), m_testState);
  }

 private:
  void mark(const std::string& name) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    m_marks[name] = {std::lround((a.x + b.x) / 2), std::lround((a.y + b.y) / 2)};
  }

  void select(const plugins::PluginInfo& p, const plugins::CapabilityInfo& cap) {
    m_plugin = p.id;
    m_version = p.version;
    m_capability = cap.id;
    m_edit = pluginSettings().values(cap, p.id);
    m_scope = static_cast<int>(pluginSettings().scopeOf(capabilityKey(p.id, cap.id)));
  }

  const plugins::CapabilityInfo* selectedCapability() const {
    for (const auto& p : guiPlugins().list)
      if (p.id == m_plugin && p.state == plugins::PluginState::Loaded)
        for (const auto& c : p.capabilities)
          if (c.id == m_capability) return &c;
    return nullptr;
  }

  // One control per declared setting, by its type; values stay text as the ABI passes them.
  void drawSetting(const plugins::SettingDef& s) {
    std::string& v = m_edit[s.key];
    ImGui::PushID(s.key.c_str());
    switch (s.type) {
      case LB_SETTING_BOOL: {
        bool b = v == "true";
        if (ImGui::Checkbox(s.key.c_str(), &b)) v = b ? "true" : "false";
        break;
      }
      case LB_SETTING_INT: {
        int n = std::atoi(v.c_str());
        if (ImGui::InputInt(s.key.c_str(), &n)) v = std::to_string(n);
        break;
      }
      case LB_SETTING_DOUBLE: {
        double d = std::atof(v.c_str());
        if (ImGui::InputDouble(s.key.c_str(), &d, 0, 0, "%.6g")) {
          char buf[64];
          std::snprintf(buf, sizeof buf, "%.10g", d);
          v = buf;
        }
        break;
      }
      default: {  // string, path
        char buf[1024];
        std::snprintf(buf, sizeof buf, "%s", v.c_str());
        if (ImGui::InputText(s.key.c_str(), buf, sizeof buf)) v = buf;
        break;
      }
    }
    mark("setting:" + s.key);
    if (!s.description.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", s.description.c_str());
    }
    ImGui::PopID();
  }

  void drawSelected(AppContext& ctx) {
    const plugins::CapabilityInfo* cap = selectedCapability();
    if (!cap) {
      ImGui::TextDisabled("%s", tr("plugins.pick"));
      return;
    }
    ImGui::Text("%s  %s:%s  %s", tr(kindKey(cap->kind)), m_plugin.c_str(), cap->id.c_str(), m_version.c_str());
    ImGui::TextDisabled("%s", tr("plugins.settings"));
    if (cap->settings.empty()) ImGui::TextDisabled("%s", tr("plugins.no_settings"));
    for (const auto& s : cap->settings) drawSetting(s);
    if (!cap->settings.empty()) {
      ImGui::RadioButton(tr("plugins.scope.user"), &m_scope, static_cast<int>(SettingsScope::User));
      ImGui::SameLine();
      ImGui::RadioButton(tr("plugins.scope.project"), &m_scope, static_cast<int>(SettingsScope::Project));
      ImGui::SameLine();
      ImGui::BeginDisabled(!pluginSettings().ready());
      const bool save = ImGui::Button(tr("plugins.save"));
      ImGui::EndDisabled();
      mark("save");
      if (save) {
        // Checked as the CLI checks --set values; a wrong value names the setting and its type.
        std::vector<std::string> kv;
        for (const auto& [k, v] : m_edit) kv.push_back(k + "=" + v);
        auto& gp = guiPlugins();
        auto lock = gp.lock();
        auto checked = gp.host.resolveSettings(m_plugin, cap->kind, cap->id, kv);
        lock.unlock();
        if (!checked) ctx.report(Status(checked.error()));
        else {
          pluginSettings().save(ctx, capabilityKey(m_plugin, cap->id), *checked, static_cast<SettingsScope>(m_scope));
          ctx.notify(tr("plugins.saved"));
        }
      }
    }
    ImGui::Separator();
    if (m_running) {
      ImGui::TextColored(ImVec4(1, 0.85f, 0.3f, 1), "%s", tr("plugins.running"));
      ImGui::SameLine();
      if (ImGui::SmallButton(tr("plugins.cancel")) && m_cancel) m_cancel->store(true);
      return;
    }
    switch (cap->kind) {
      case LB_CAPABILITY_CHECK:
        if (ImGui::Button(tr("plugins.run_check"))) run(ctx, *cap, "");
        mark("run");
        break;
      case LB_CAPABILITY_EXPORTER:
        ImGui::InputText(tr("plugins.output"), m_path, sizeof m_path);
        mark("path");
        if (ImGui::Button(tr("plugins.run_export")) && m_path[0]) run(ctx, *cap, m_path);
        mark("run");
        break;
      case LB_CAPABILITY_IMPORTER:
        ImGui::InputText(tr("plugins.input"), m_path, sizeof m_path);
        mark("path");
        if (ImGui::Button(tr("plugins.run_import")) && m_path[0]) run(ctx, *cap, m_path);
        mark("run");
        break;
      case LB_CAPABILITY_ASSIST:
        ImGui::TextWrapped("%s", tr("plugins.assist_hint"));
        break;
    }
  }

  void run(AppContext& ctx, const plugins::CapabilityInfo& cap, const std::string& path) {
    auto flag = std::make_shared<std::atomic<bool>>(false);
    m_cancel = flag;
    m_running = true;
    const auto kind = cap.kind;
    const std::string pid = m_plugin, cid = cap.id, label = m_plugin + " " + m_version;
    const auto settings = pluginSettings().values(cap, m_plugin);
    const UserId user = ctx.session().user().id;
    // Messages are translated on the UI thread, before the job leaves it.
    const std::string doneCheck = tr("plugins.done.check"), doneExport = tr("plugins.done.export"),
                      doneImport = tr("plugins.done.import");
    ctx.workers().submit([=, this](WorkerEnv& env) -> UiFn {
      auto& gp = guiPlugins();
      Status st = okStatus();
      std::string message;
      bool imported = false;
      if (auto* store = env.store()) {
        auto lock = gp.lock();
        if (kind == LB_CAPABILITY_CHECK) {
          auto n = gp.host.runCheck(*store, pid, cid, settings, flag.get());
          if (n) message = label + ": " + std::to_string(*n) + " " + doneCheck;
          else st = Status(n.error());
        } else if (kind == LB_CAPABILITY_EXPORTER) {
          st = gp.host.runExporter(*store, pid, cid, settings, path, flag.get());
          if (st) message = label + ": " + doneExport + " " + path;
        } else if (kind == LB_CAPABILITY_IMPORTER) {
          formats::MergeOptions mo;
          mo.userId = user;
          mo.cancel = flag.get();
          auto r = gp.host.runImporter(*store, pid, cid, settings, path, mo);
          if (r) {
            message = label + ": " + doneImport + " " + std::to_string(r->itemsCreated) + " + " +
                      std::to_string(r->annotationsAdded);
            if (!r->problems.empty()) message += " (" + r->problems.front() + ")";
            imported = true;
          } else {
            st = Status(r.error());
          }
        }
      } else {
        st = makeError(ErrorCode::Io, "the project is not open");
      }
      return [this, st, message, imported](AppContext& c) {
        m_running = false;
        if (c.report(st)) c.notify(message);
        if (imported) c.reloadItemList();
      };
    });
  }

  std::string m_plugin, m_version, m_capability;
  plugins::SettingValues m_edit;
  int m_scope = 0;
  char m_path[1024] = {};
  bool m_running = false;
  std::shared_ptr<std::atomic<bool>> m_cancel;
  nlohmann::json m_marks;
  std::string m_testState;
};

PanelRegistrar reg(700, [] { return std::make_unique<PluginsPanel>(); });

}  // namespace
}  // namespace lb::app
