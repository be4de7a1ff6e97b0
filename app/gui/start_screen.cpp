#include "start_screen.h"

#include <imgui.h>
#include <imgui_stdlib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/gui/app.h"
#include "app/gui/app_context.h"
#include "app/gui/i18n.h"

namespace lb::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json readJson(const fs::path& p, json fallback) {
  std::ifstream in(p);
  if (!in) return fallback;
  auto j = json::parse(in, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

void writeJson(const fs::path& p, const json& j) {
  std::ofstream out(p.string() + ".tmp");
  out << j.dump(2);
  out.close();
  std::error_code ec;
  fs::rename(p.string() + ".tmp", p, ec);  // atomic replace: a crash never leaves half a file
}

std::vector<std::string> loadRecent(AppContext& ctx) {
  std::vector<std::string> out;
  auto j = readJson(fs::path(ctx.configDir()) / "recent.json", json::array());
  if (j.is_array())
    for (auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

void addRecentProject(AppContext& ctx, const std::string& path) {
  std::error_code ec;
  std::string abs = fs::absolute(path, ec).lexically_normal().string();
  auto list = loadRecent(ctx);
  std::erase(list, abs);
  list.insert(list.begin(), abs);
  if (list.size() > 12) list.resize(12);
  writeJson(fs::path(ctx.configDir()) / "recent.json", json(list));
}

std::string initialLanguage(AppContext& ctx) {
  if (!ctx.options().lang.empty()) return ctx.options().lang;
  auto s = readJson(fs::path(ctx.configDir()) / "settings.json", json::object());
  if (s.is_object() && s.contains("lang") && s["lang"].is_string()) return s["lang"].get<std::string>();
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char* v = std::getenv(var); v && *v) return std::string(v).rfind("zh", 0) == 0 ? "zh-CN" : "en";
  return "en";
}

void openFromCommandLine(AppContext& ctx) {
  const auto& o = ctx.options();
  std::string user = o.userName;
  if (user.empty()) {
    // Without --user, a project with exactly one user opens as that user.
    auto store = labeling::openProject(o.projectPath);
    if (store) {
      auto users = (*store)->users();
      if (users.size() == 1) user = users.front().name;
    }
  }
  if (user.empty()) {
    ctx.notify(trf("start.choose_user_for", {o.projectPath}));
    return;
  }
  if (auto st = ctx.openProject(o.projectPath, user); !st) ctx.notify(st.error().message, true);
  else addRecentProject(ctx, o.projectPath);
}

StartScreen::StartScreen(AppContext& ctx) : m_ctx(ctx) {
  std::error_code ec;
  m_dir = fs::current_path(ec).string();
  if (!ctx.options().projectPath.empty()) m_selected = ctx.options().projectPath;
}

void StartScreen::rememberLanguage(const std::string& lang) {
  const fs::path p = fs::path(m_ctx.configDir()) / "settings.json";
  auto s = readJson(p, json::object());
  if (!s.is_object()) s = json::object();
  s["lang"] = lang;
  writeJson(p, s);
}

void StartScreen::browse(const std::string& dir) {
  m_ctx.defer([this, dir](AppContext&) {
    std::error_code ec;
    std::vector<std::string> folders, projects;
    for (const auto& e : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec)) {
      const std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      std::error_code ec2;
      if (e.is_directory(ec2)) folders.push_back(name);
      else if (e.path().extension() == ".lbproj") projects.push_back(name);
    }
    if (ec) {
      m_error = trf("start.cannot_list", {dir, ec.message()});
      return;
    }
    std::sort(folders.begin(), folders.end());
    std::sort(projects.begin(), projects.end());
    m_dir = dir;
    m_folders = std::move(folders);
    m_projects = std::move(projects);
    m_error.clear();
  });
}

void StartScreen::select(const std::string& projectPath) {
  m_ctx.defer([this, projectPath](AppContext&) {
    auto store = labeling::openProject(projectPath);
    m_users.clear();
    m_userIndex = -1;
    if (!store) {
      m_error = store.error().message;
      m_selected.clear();
      return;
    }
    m_selected = projectPath;
    m_error.clear();
    for (const auto& u : (*store)->users())
      if (u.active) m_users.push_back(u);
    if (!m_ctx.options().userName.empty())
      for (size_t i = 0; i < m_users.size(); ++i)
        if (m_users[i].name == m_ctx.options().userName) m_userIndex = static_cast<int>(i);
    if (m_userIndex < 0 && m_users.size() == 1) m_userIndex = 0;
  });
}

void StartScreen::draw() {
  if (!m_listed) {
    m_listed = true;
    m_recent = loadRecent(m_ctx);
    browse(m_dir);
    if (!m_selected.empty()) select(m_selected);
  }
  const WorkArea wa = workArea();
  ImGui::SetNextWindowPos(ImVec2(wa.x, wa.y));
  ImGui::SetNextWindowSize(ImVec2(wa.w, wa.h));
  const int flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                    ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin("##start", nullptr, flags)) {
    ImGui::TextUnformatted(tr("start.title"));
    ImGui::TextDisabled("%s", tr("start.subtitle"));
    ImGui::Separator();
    if (ImGui::BeginTable("##startcols", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV)) {
      ImGui::TableNextColumn();
      drawBrowser();
      ImGui::TableNextColumn();
      drawProjectSide();
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

void StartScreen::drawBrowser() {
  ImGui::TextUnformatted(tr("start.recent"));
  if (m_recent.empty()) ImGui::TextDisabled("%s", tr("start.no_recent"));
  for (const auto& r : m_recent)
    if (ImGui::Selectable(r.c_str(), r == m_selected)) select(r);
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("start.browse"));
  if (ImGui::ArrowButton("##up", ImGuiDir_Up)) browse(fs::path(m_dir).parent_path().string());
  ImGui::SameLine();
  std::string dir = m_dir;
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##dir", &dir, ImGuiInputTextFlags_EnterReturnsTrue)) browse(dir);
  if (ImGui::BeginChild("##files", ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 2.2f), true)) {
    for (const auto& f : m_folders)
      if (ImGui::Selectable(("[+] " + f).c_str(), false, ImGuiSelectableFlags_AllowDoubleClick))
        browse((fs::path(m_dir) / f).string());
    for (const auto& p : m_projects) {
      const std::string full = (fs::path(m_dir) / p).string();
      if (ImGui::Selectable(p.c_str(), full == m_selected)) select(full);
    }
  }
  ImGui::EndChild();
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
  ImGui::InputTextWithHint("##newproj", tr("start.new_project_hint"), &m_newProject);
  ImGui::SameLine();
  if (ImGui::Button(tr("start.create")) && !m_newProject.empty()) {
    std::string name = m_newProject;
    if (fs::path(name).extension() != ".lbproj") name += ".lbproj";
    const std::string path = (fs::path(m_dir) / name).string();
    m_ctx.defer([this, path](AppContext&) {
      auto store = labeling::createProject(path);
      if (!store) {
        m_error = store.error().message;
        return;
      }
      store->reset();  // close; select() reopens it and lists users (none yet: add one)
      m_newProject.clear();
      browse(m_dir);
      select(path);
    });
  }
}

void StartScreen::drawProjectSide() {
  ImGui::TextUnformatted(tr("start.language"));
  const std::string lang = currentLanguage();
  if (ImGui::RadioButton("English", lang == "en")) m_ctx.pendingLanguage = "en";
  ImGui::SameLine();
  if (ImGui::RadioButton("中文 (简体)", lang == "zh-CN")) m_ctx.pendingLanguage = "zh-CN";
  ImGui::Spacing();
  ImGui::Separator();
  if (m_selected.empty()) {
    ImGui::TextWrapped("%s", tr("start.pick_project"));
  } else {
    ImGui::TextWrapped("%s: %s", tr("start.project"), m_selected.c_str());
    ImGui::TextUnformatted(tr("start.user"));
    if (m_users.empty()) ImGui::TextDisabled("%s", tr("start.no_users"));
    for (size_t i = 0; i < m_users.size(); ++i) {
      const auto& u = m_users[i];
      const std::string label = u.name + "  (" + tr(("role." + std::string(toString(u.role))).c_str()) + ")";
      if (ImGui::Selectable(label.c_str(), m_userIndex == static_cast<int>(i))) m_userIndex = static_cast<int>(i);
    }
    ImGui::SetNextItemWidth(160);
    ImGui::InputTextWithHint("##newuser", tr("start.new_user_hint"), &m_newUser);
    ImGui::SameLine();
    const char* roles[] = {tr("role.annotator"), tr("role.reviewer"), tr("role.lead")};
    ImGui::SetNextItemWidth(120);
    ImGui::Combo("##role", &m_newRole, roles, 3);
    ImGui::SameLine();
    if (ImGui::Button(tr("start.add_user")) && !m_newUser.empty()) {
      m_ctx.defer([this, path = m_selected, name = m_newUser, role = m_newRole](AppContext&) {
        auto store = labeling::openProject(path);
        if (!store) {
          m_error = store.error().message;
          return;
        }
        if (auto id = (*store)->addUser(name, static_cast<labeling::Role>(role)); !id) m_error = id.error().message;
        m_newUser.clear();
        store->reset();
        select(path);
      });
    }
    ImGui::Spacing();
    const bool canOpen = m_userIndex >= 0 && m_userIndex < static_cast<int>(m_users.size());
    ImGui::BeginDisabled(!canOpen);
    if (ImGui::Button(tr("start.open"), ImVec2(200, 0)) && canOpen) {
      m_ctx.defer([this, path = m_selected, user = m_users[m_userIndex].name](AppContext& c) {
        if (auto st = c.openProject(path, user); !st) {
          m_error = st.error().message;
          return;
        }
        addRecentProject(c, path);
        m_recent = loadRecent(c);
      });
    }
    ImGui::EndDisabled();
  }
  if (!m_error.empty()) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.45f, 0.4f, 1.f));
    ImGui::TextWrapped("%s", m_error.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace lb::app
