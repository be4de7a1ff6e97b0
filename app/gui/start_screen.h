#pragma once
// [SECTION] The start screen: open a recent project or browse to one (folders and .lbproj files),
// create a new one, choose the user (from the project's users, or add one) and the language.
// Recent projects and the language are kept in $XDG_CONFIG_HOME/labelbench/.
#include <string>
#include <vector>

#include "labeling/model.h"

namespace lb::app {

class AppContext;

class StartScreen {
 public:
  explicit StartScreen(AppContext& ctx);
  void draw();
  void rememberLanguage(const std::string& lang);

 private:
  void browse(const std::string& dir);  // deferred: lists a folder
  void select(const std::string& projectPath);  // deferred: reads the project's users
  void drawBrowser();
  void drawProjectSide();

  AppContext& m_ctx;
  std::vector<std::string> m_recent;
  std::string m_dir;
  std::vector<std::string> m_folders, m_projects;
  std::string m_selected;
  std::vector<labeling::User> m_users;
  int m_userIndex = -1;
  std::string m_newUser, m_newProject, m_error;
  int m_newRole = 0;
  bool m_listed = false;
};

// The language to start in: --lang, else the remembered one, else from $LANG, else English.
std::string initialLanguage(AppContext& ctx);
// Opens options().projectPath as options().userName; on failure the start screen shows why.
void openFromCommandLine(AppContext& ctx);
void addRecentProject(AppContext& ctx, const std::string& path);

}  // namespace lb::app
