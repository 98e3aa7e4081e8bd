// ReverseDns: host names for addresses, looked up off the tracing thread by a
// Boost.Asio resolver, with a deadline and a cache. Asking never blocks: the
// first time an address is asked for, the lookup starts and the caller gets
// nothing (and prints the number); once the answer is in, it is served from
// the cache and generation() has moved on, so cached text can be redone.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace fdtrace {

class ReverseDns {
  public:
    explicit ReverseDns(std::chrono::milliseconds deadline = std::chrono::milliseconds(2000));
    ~ReverseDns();
    ReverseDns(const ReverseDns&) = delete;
    ReverseDns& operator=(const ReverseDns&) = delete;

    // The name of `host` ("127.0.0.1", "::1" — no brackets, no port) if
    // known; starts a lookup otherwise. Never blocks.
    std::optional<std::string> name_for(std::string_view host);
    // Bumped whenever a lookup completes with a name.
    std::uint64_t generation() const noexcept { return generation_.load(); }
    // Blocks until no lookup is in flight or `timeout` passes (tests, exit).
    bool wait_idle(std::chrono::milliseconds timeout);

  private:
    struct State;
    std::shared_ptr<State> state_;
    std::atomic<std::uint64_t>& generation_;
};

}  // namespace fdtrace
