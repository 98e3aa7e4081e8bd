#include "fdtrace/line_io.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fdtrace {

LineReader::LineReader(ScopedFd fd) : fd_(std::move(fd)) { buffer_.resize(1 << 20); }

bool LineReader::fill() {
    if (eof_) return false;
    // Move the unread tail to the front, grow only for a line longer than
    // the buffer (up to kMaxLine).
    if (start_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
        end_ -= start_;
        start_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    if (stall_) {
        pollfd ready{fd_.get(), POLLIN, 0};
        int polled;
        do polled = ::poll(&ready, 1, 0);
        while (polled < 0 && errno == EINTR);
        if (polled == 0) stall_(std::string_view(buffer_.data() + start_, end_ - start_));
    }
    for (;;) {
        ssize_t got = ::read(fd_.get(), buffer_.data() + end_, buffer_.size() - end_);
        if (got > 0) {
            end_ += static_cast<std::size_t>(got);
            return true;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) error_ = errno;
        eof_ = true;
        return false;
    }
}

bool LineReader::next(std::string_view& line, bool& newline) {
    for (;;) {
        const char* begin = buffer_.data() + start_;
        std::size_t available = end_ - start_;
        if (const void* found = std::memchr(begin, '\n', available)) {
            std::size_t length = static_cast<std::size_t>(static_cast<const char*>(found) - begin);
            line = std::string_view(begin, length);
            newline = true;
            start_ += length + 1;
            return true;
        }
        if (available >= kMaxLine) {
            line = std::string_view(begin, kMaxLine);
            newline = false;
            start_ += kMaxLine;
            return true;
        }
        if (!fill()) {
            if (end_ == start_) return false;
            line = std::string_view(buffer_.data() + start_, end_ - start_);
            newline = false;
            start_ = end_;
            return true;
        }
    }
}

bool OutputSink::flush() {
    std::size_t written = 0;
    while (written < buffer_.size()) {
        ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error_ = n < 0 ? errno : EIO;
            buffer_.clear();
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    buffer_.clear();
    return true;
}

}  // namespace fdtrace
