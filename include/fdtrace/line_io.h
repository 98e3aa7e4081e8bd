// Buffered line input and output over raw fds: the annotate hot path reads
// and writes megabytes at a time and never copies a line it can view.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "fdtrace/scoped_fd.h"

namespace fdtrace {

class LineReader {
  public:
    explicit LineReader(ScopedFd fd);
    // Called when the next read would block (a pipe or terminal with nothing
    // in it yet), with the unterminated line read so far (maybe empty): the
    // moment to flush output, so each line is out before the next is read.
    using StallHook = std::function<void(std::string_view partial)>;
    void on_stall(StallHook hook) { stall_ = std::move(hook); }
    // The next line without its '\n'; false at end of input. `newline` tells
    // whether the line was terminated (the last one may not be). Lines longer
    // than kMaxLine are returned in kMaxLine pieces, so memory stays bounded.
    bool next(std::string_view& line, bool& newline);
    // Error from read(2), 0 if none.
    int error() const noexcept { return error_; }
    static constexpr std::size_t kMaxLine = 16 << 20;

  private:
    bool fill();
    StallHook stall_;
    ScopedFd fd_;
    std::string buffer_;
    std::size_t start_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
    int error_ = 0;
};

class OutputSink {
  public:
    explicit OutputSink(int fd) : fd_(fd) { buffer_.reserve(kFlushAt * 2); }
    ~OutputSink() { flush(); }
    std::string& buffer() noexcept { return buffer_; }
    void maybe_flush() {
        if (buffer_.size() >= kFlushAt) flush();
    }
    // Writes everything; false (with errno kept) on a write error.
    bool flush();
    int error() const noexcept { return error_; }

  private:
    static constexpr std::size_t kFlushAt = 1 << 20;
    int fd_;
    std::string buffer_;
    int error_ = 0;
};

}  // namespace fdtrace
