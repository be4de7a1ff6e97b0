#pragma once
// The project file's schema history. Applied in order by openProject/createProject; a project at
// version N runs steps N+1..kSchemaVersion, each in its own transaction.
#include <vector>

namespace lb::labeling {

struct MigrationStep {
  int toVersion;
  const char* description;
  const char* sql;
};

const std::vector<MigrationStep>& migrationSteps();

}  // namespace lb::labeling
