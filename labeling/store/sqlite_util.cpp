#include "labeling/store/sqlite_util.h"

#include <sqlite3.h>

namespace lb::labeling {

Error dbError(const SQLite::Exception& e, const std::string& what) {
  switch (e.getErrorCode() & 0xff) {
    case SQLITE_CONSTRAINT:
      return makeError(ErrorCode::Conflict, what + ": " + e.what());
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return makeError(ErrorCode::Damaged, what + ": the project file is damaged (" + e.what() + ")");
    case SQLITE_FULL:
      return makeError(ErrorCode::Io, what + ": the disk is full; free some space and try again");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return makeError(ErrorCode::Io, what + ": the project is busy in another program; try again");
    default:
      return makeError(ErrorCode::Io, what + ": " + e.what());
  }
}

}  // namespace lb::labeling
