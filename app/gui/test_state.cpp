#include "test_state.h"

#include <cstdio>
#include <cstdlib>

#include "app/gui/app_context.h"

namespace lb::app {

namespace {
const char* statePath() {
  static const char* path = std::getenv("LB_TEST_STATE");
  return path && *path ? path : nullptr;
}
}  // namespace

bool testStateWanted(const AppContext& ctx) { return ctx.options().testMode && statePath(); }

void publishTestState(AppContext& ctx, const char* suffix, std::string json, std::string& last) {
  if (!testStateWanted(ctx) || json == last) return;
  last = json;
  ctx.defer([file = std::string(statePath()) + suffix, text = std::move(json)](AppContext&) {
    const std::string tmp = file + ".tmp";
    if (FILE* f = std::fopen(tmp.c_str(), "w")) {
      std::fputs(text.c_str(), f);
      std::fputc('\n', f);
      std::fclose(f);
      std::rename(tmp.c_str(), file.c_str());
    }
  });
}

}  // namespace lb::app
