#include "fdtrace/inode_owners.h"

#include <algorithm>
#include <string>

#include "src/resolve/proc_files.h"
#include "src/resolve/text_util.h"

namespace fdtrace {

std::optional<std::uint64_t> pipe_or_socket_inode(std::string_view link) noexcept {
    for (std::string_view prefix : {std::string_view("socket:["), std::string_view("pipe:[")}) {
        if (!link.starts_with(prefix) || !link.ends_with(']')) continue;
        std::uint64_t inode = 0;
        if (parse_number(link.substr(prefix.size(), link.size() - prefix.size() - 1), inode)) {
            return inode;
        }
    }
    return std::nullopt;
}

const std::vector<FdHolder>& InodeOwnerIndex::holders(std::uint64_t inode) {
    static const std::vector<FdHolder> kNone;
    ensure_built();
    auto found = by_inode_.find(inode);
    return found == by_inode_.end() ? kNone : found->second;
}

bool InodeOwnerIndex::still_holds(const FdHolder& holder, std::string_view link) {
    auto current = read_link(proc_fd_path(holder.pid, holder.fd));
    return current && *current == link;
}

void InodeOwnerIndex::ensure_built() {
    if (!built_) rescan();
}

void InodeOwnerIndex::forget_pid(int pid) {
    auto process = processes_.find(pid);
    if (process == processes_.end()) return;
    for (std::uint64_t inode : process->second.inodes) {
        auto holders = by_inode_.find(inode);
        if (holders == by_inode_.end()) continue;
        std::erase_if(holders->second, [pid](const FdHolder& holder) { return holder.pid == pid; });
        if (holders->second.empty()) by_inode_.erase(holders);
    }
    processes_.erase(process);
}

void InodeOwnerIndex::scan_pid(int pid) {
    auto fds = list_numeric_entries(proc_fd_table_path(pid, "fd"));
    if (!fds) return;  // exited, or not ours to read
    Process process;
    process.comm = read_comm(pid);
    for (int fd : *fds) {
        auto link = read_link(proc_fd_path(pid, fd));
        if (!link) continue;
        auto inode = pipe_or_socket_inode(*link);
        if (!inode) continue;
        by_inode_[*inode].push_back({pid, fd});
        process.inodes.push_back(*inode);
    }
    // One process holding an inode twice (both ends of a pipe share one)
    // still lists it once, so forget_pid() visits each list once.
    std::sort(process.inodes.begin(), process.inodes.end());
    process.inodes.erase(std::unique(process.inodes.begin(), process.inodes.end()),
                         process.inodes.end());
    processes_[pid] = std::move(process);
}

void InodeOwnerIndex::rescan_pid(int pid) {
    if (in_batch_) return;
    forget_pid(pid);
    scan_pid(pid);
}

void InodeOwnerIndex::rescan() {
    by_inode_.clear();
    processes_.clear();
    auto pids = list_numeric_entries("/proc");
    if (pids) {
        for (int pid : *pids) scan_pid(pid);
    }
    built_ = true;
    last_full_scan_ = std::chrono::steady_clock::now();
}

bool InodeOwnerIndex::rescan_if_due() {
    if (in_batch_) return false;
    auto now = std::chrono::steady_clock::now();
    if (last_full_scan_ && now - *last_full_scan_ < options_.min_full_rescan_interval) return false;
    rescan();
    return true;
}

std::string InodeOwnerIndex::comm(int pid) {
    // Fresh first (execve changes it); the scanned one outlives the process.
    if (std::string current = read_comm(pid); !current.empty()) return current;
    auto process = processes_.find(pid);
    return process == processes_.end() ? std::string() : process->second.comm;
}

void InodeOwnerIndex::begin_batch() {
    rescan();
    in_batch_ = true;
}

void InodeOwnerIndex::invalidate() noexcept {
    built_ = false;
    last_full_scan_.reset();
    by_inode_.clear();
    processes_.clear();
}

}  // namespace fdtrace
