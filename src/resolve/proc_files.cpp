#include "src/resolve/proc_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>

#include "fdtrace/scoped_fd.h"
#include "src/resolve/text_util.h"

namespace fdtrace {

std::string proc_path(int pid, std::string_view rest) {
    std::string path = "/proc/" + std::to_string(pid) + '/';
    path += rest;
    return path;
}

int fd_table_task(int pid) {
    // The thread-group leader gone (pthread_exit) while other threads run:
    // the kernel shows the leader's fd/ and fdinfo/ empty, though the table
    // lives on in the other threads (they share it): read one of theirs.
    // Asked once per fd, so the last answer is kept for a moment.
    thread_local int last_pid = -1;
    thread_local int last_task = -1;
    thread_local std::chrono::steady_clock::time_point last_at;
    const auto now = std::chrono::steady_clock::now();
    if (pid == last_pid && now - last_at < std::chrono::milliseconds(50)) return last_task;
    auto remember = [&](int task) {
        last_pid = pid;
        last_task = task;
        last_at = now;
        return task;
    };
    // The common case costs one access(2): only a leader that has exited
    // loses its ns/ entries (ENOENT); anything else (EACCES...) is not that.
    if (::access(proc_path(pid, "ns/net").c_str(), F_OK) == 0 || errno != ENOENT)
        return remember(pid);
    if (auto stat = read_file(proc_path(pid, "stat"))) {
        std::size_t close = stat->rfind(')');
        if (close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] == 'Z') {
            if (auto tasks = list_numeric_entries(proc_path(pid, "task")))
                for (int tid : *tasks)
                    if (tid != pid) return remember(tid);
        }
    }
    return remember(pid);
}

std::string proc_fd_table_path(int pid, std::string_view rest) {
    return proc_path(fd_table_task(pid), rest);
}

std::string proc_fd_path(int pid, int fd) {
    return proc_fd_table_path(pid, "fd/" + std::to_string(fd));
}

Result<std::string> read_file(const std::string& path) {
    ScopedFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file) return SysError::from_errno("open " + path);
    std::string content;
    char buffer[4096];
    while (true) {
        ssize_t got = ::read(file.get(), buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) continue;
            return SysError::from_errno("read " + path);
        }
        if (got == 0) return content;
        content.append(buffer, static_cast<std::size_t>(got));
    }
}

Result<std::string> read_link(const std::string& path) {
    // Links in /proc report st_size 0, so grow the buffer until it fits.
    std::string target(256, '\0');
    while (true) {
        ssize_t length = ::readlink(path.c_str(), target.data(), target.size());
        if (length < 0) return SysError::from_errno("readlink " + path);
        if (static_cast<std::size_t>(length) < target.size()) {
            target.resize(static_cast<std::size_t>(length));
            return target;
        }
        target.resize(target.size() * 2);
    }
}

Result<std::vector<int>> list_numeric_entries(const std::string& path) {
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
    if (!dir) return SysError::from_errno("opendir " + path);
    std::vector<int> numbers;
    errno = 0;
    while (const dirent* entry = ::readdir(dir.get())) {
        int number = 0;
        if (parse_number(std::string_view(entry->d_name), number)) numbers.push_back(number);
    }
    if (errno != 0) return SysError::from_errno("readdir " + path);
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

Result<std::uint64_t> inode_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return SysError::from_errno("stat " + path);
    return static_cast<std::uint64_t>(st.st_ino);
}

std::string read_comm(int pid) {
    auto comm = read_file(proc_path(pid, "comm"));
    if (!comm) return {};
    return std::string(trim(*comm));
}

int thread_group_of(int pid) {
    auto status = read_file(proc_path(pid, "status"));
    if (!status) return pid;
    for (std::string_view line : split_lines(*status)) {
        int tgid = 0;
        if (line.starts_with("Tgid:") && parse_number(trim(line.substr(5)), tgid)) return tgid;
    }
    return pid;
}

int parent_of(int pid) {
    auto stat = read_file(proc_path(pid, "stat"));
    if (!stat) return 0;
    // "42 (comm) S 1 ...": comm may hold spaces and parentheses, so the
    // fields start after the last ')'.
    auto close = stat->rfind(')');
    if (close == std::string::npos) return 0;
    auto fields = split_words(std::string_view(*stat).substr(close + 1));
    int parent = 0;
    if (fields.size() < 2 || !parse_number(fields[1], parent)) return 0;
    return parent;
}

std::vector<int> children_of(int pid) {
    std::vector<int> children;
    auto threads = list_numeric_entries(proc_path(pid, "task"));
    if (!threads) return children;
    for (int tid : *threads) {
        auto list = read_file(proc_path(pid, "task/" + std::to_string(tid) + "/children"));
        if (!list) continue;
        for (std::string_view word : split_words(*list)) {
            int child = 0;
            if (parse_number(word, child)) children.push_back(child);
        }
    }
    return children;
}

}  // namespace fdtrace
