#pragma once
#include <string>

namespace lb::app {
// The folder holding i18n/, schemas/, icons/: $LABELBENCH_ASSETS, else <exe>/../share/labelbench
// (build tree and /usr/bin), else /usr/share/labelbench. "" when none exists.
std::string findAssetsDir();
}  // namespace lb::app
