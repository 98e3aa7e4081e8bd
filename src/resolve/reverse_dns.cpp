#include "fdtrace/reverse_dns.h"

#include <pthread.h>
#include <signal.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>

namespace fdtrace {

namespace asio = boost::asio;

struct ReverseDns::State {
    enum class Lookup { Pending, Named, Numeric };
    struct Entry {
        Lookup lookup = Lookup::Pending;
        std::string name;
    };

    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    asio::ip::tcp::resolver resolver{io};
    std::chrono::milliseconds deadline;
    std::mutex mutex;
    std::condition_variable idle;
    std::unordered_map<std::string, Entry> cache;
    std::size_t in_flight = 0;
    std::atomic<std::uint64_t> generation{0};
    std::thread thread;

    void finish(const std::string& host, std::optional<std::string> name) {
        std::lock_guard lock(mutex);
        Entry& entry = cache[host];
        if (entry.lookup != Lookup::Pending) return;  // the deadline won, or the answer did
        if (name && !name->empty() && *name != host) {
            entry.lookup = Lookup::Named;
            entry.name = std::move(*name);
            ++generation;
        } else {
            entry.lookup = Lookup::Numeric;
        }
        if (--in_flight == 0) idle.notify_all();
    }

    void start(const std::string& host) {
        boost::system::error_code error;
        auto address = asio::ip::make_address(host, error);
        if (error) {
            finish(host, std::nullopt);
            return;
        }
        // A reverse lookup: resolving an endpoint asks getnameinfo on Asio's
        // own resolver thread; the timer gives up on a slow server.
        auto timer = std::make_shared<asio::steady_timer>(io, deadline);
        timer->async_wait([this, host](const boost::system::error_code& cancelled) {
            if (!cancelled) finish(host, std::nullopt);
        });
        resolver.async_resolve(asio::ip::tcp::endpoint(address, 0),
                               [this, host, timer](const boost::system::error_code& failed,
                                                   asio::ip::tcp::resolver::results_type results) {
                                   timer->cancel();
                                   if (failed || results.empty())
                                       finish(host, std::nullopt);
                                   else
                                       finish(host, results.begin()->host_name());
                               });
    }
};

ReverseDns::ReverseDns(std::chrono::milliseconds deadline)
    : state_(std::make_shared<State>()), generation_(state_->generation) {
    state_->deadline = deadline;
    // The tracer takes SIGINT/SIGTERM/SIGHUP through a signalfd on its own
    // thread; a lookup thread must never be the one a signal is delivered
    // to. Threads inherit the mask they were created with, so block all of
    // them around the spawn (Asio's own resolver thread inherits it too).
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    state_->thread = std::thread([state = state_.get()] { state->io.run(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

ReverseDns::~ReverseDns() {
    state_->work.reset();
    state_->resolver.cancel();
    state_->io.stop();
    if (state_->thread.joinable()) state_->thread.join();
}

std::optional<std::string> ReverseDns::name_for(std::string_view host) {
    std::string key(host);
    {
        std::lock_guard lock(state_->mutex);
        auto it = state_->cache.find(key);
        if (it != state_->cache.end()) {
            if (it->second.lookup == State::Lookup::Named) return it->second.name;
            return std::nullopt;
        }
        state_->cache.emplace(key, State::Entry{});
        ++state_->in_flight;
    }
    asio::post(state_->io, [state = state_.get(), key] { state->start(key); });
    return std::nullopt;
}

bool ReverseDns::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(state_->mutex);
    return state_->idle.wait_for(lock, timeout, [&] { return state_->in_flight == 0; });
}

}  // namespace fdtrace
