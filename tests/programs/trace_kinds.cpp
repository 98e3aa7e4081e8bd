// Anonymous-inode fds: eventfd, epoll, timerfd, signalfd, pidfd, memfd, inotify.
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cstdint>
#include <initializer_list>

int main() {
    int event = eventfd(0, EFD_CLOEXEC);
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    epoll_event watch{};
    watch.events = EPOLLIN;
    watch.data.u64 = 4242;
    if (epoll_ctl(epoll, EPOLL_CTL_ADD, event, &watch) != 0) return 10;
    std::uint64_t one = 1;
    if (write(event, &one, sizeof one) != sizeof one) return 11;
    epoll_event ready[4];
    if (epoll_wait(epoll, ready, 4, 5000) != 1) return 12;
    int timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    int signals = signalfd(-1, &mask, SFD_CLOEXEC);
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0));
    int memfd = memfd_create("fdtrace-test", MFD_CLOEXEC);
    if (timer < 0 || signals < 0 || pidfd < 0 || memfd < 0) return 13;
    if (write(memfd, "m", 1) != 1) return 14;
    std::uint64_t count = 0;
    if (read(event, &count, sizeof count) != sizeof count) return 15;
    for (int fd : {event, epoll, timer, signals, pidfd, memfd}) close(fd);
    // Its watches change after it is made: the name must follow.
    int watcher = inotify_init1(IN_CLOEXEC);
    if (watcher < 0 || inotify_add_watch(watcher, "/", IN_CREATE) < 0 ||
        inotify_add_watch(watcher, "/tmp", IN_CREATE) < 0)
        return 16;
    close(watcher);
    return 0;
}
