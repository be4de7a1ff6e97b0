#pragma once
// Errors a user can cause (a bad file, a bad value, a project from a newer version) travel as
// values: every fallible core call returns Result<T>. Exceptions are for bugs only.
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace lb {

enum class ErrorCode {
  InvalidArgument,  // a value the user gave is wrong (bad class name, bad ratio, ...)
  NotFound,         // an id, file or name that does not exist
  Io,               // the file system refused (permissions, disk full, missing file)
  NotAProject,      // the file is not a LabelBench project
  TooNew,           // the project was written by a newer LabelBench
  Damaged,          // the project or input is corrupt
  BadInput,         // an input file that cannot be read as what it claims to be
  Conflict,         // the change clashes with what is stored (duplicate name, class in use)
  Cancelled,        // the user stopped a long job
  Unsupported,      // the format or operation cannot hold/do this
};

const char* toString(ErrorCode code);

// A message for people: it names the file/item and says what to do.
struct Error {
  ErrorCode code = ErrorCode::InvalidArgument;
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_value(std::move(value)) {}
  Result(Error error) : m_value(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(m_value); }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(m_value); }
  const T& value() const& { return std::get<T>(m_value); }
  T&& value() && { return std::get<T>(std::move(m_value)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<Error>(m_value); }

 private:
  std::variant<T, Error> m_value;
};

// For calls that return nothing but can fail.
struct Ok {};
using Status = Result<Ok>;
inline Status okStatus() { return Ok{}; }

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace lb
