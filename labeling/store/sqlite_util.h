#pragma once
// Small helpers shared by the SQLite store's source files.
#include <SQLiteCpp/Exception.h>

#include <string>

#include "labeling/result.h"

namespace lb::labeling {

// Turns a database exception into an error a person can act on; `what` says what was being done.
Error dbError(const SQLite::Exception& e, const std::string& what);

}  // namespace lb::labeling
