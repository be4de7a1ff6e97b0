#include "labeling/result.h"

namespace lb {

const char* toString(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid argument";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::Io: return "i/o error";
    case ErrorCode::NotAProject: return "not a project";
    case ErrorCode::TooNew: return "project too new";
    case ErrorCode::Damaged: return "damaged";
    case ErrorCode::BadInput: return "bad input";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Unsupported: return "unsupported";
  }
  return "error";
}

}  // namespace lb
