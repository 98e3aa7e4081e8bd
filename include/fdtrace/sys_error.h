// SysError: a failed system call, carried as a value (errno plus what we were
// doing) up to the one place that prints it. Result<T>: a T or a SysError.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace fdtrace {

struct SysError {
    int error = 0;          // errno
    std::string operation;  // "readlink /proc/42/fd/3"

    // The errors that mean "the process or fd went away": normal, not worth
    // a warning when resolving a live process.
    bool gone() const noexcept { return error == ENOENT || error == ESRCH; }

    std::string message() const { return operation + ": " + std::strerror(error); }

    // The current errno, captured right after the failing call.
    static SysError from_errno(std::string operation) { return {errno, std::move(operation)}; }
};

// A minimal stand-in for std::expected (C++23), enough for resolvers.
template <class T>
class Result {
  public:
    Result(T value) : state_(std::move(value)) {}         // NOLINT: implicit on purpose
    Result(SysError error) : state_(std::move(error)) {}  // NOLINT: implicit on purpose

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const SysError& error() const { return std::get<1>(state_); }

  private:
    std::variant<T, SysError> state_;
};

}  // namespace fdtrace
