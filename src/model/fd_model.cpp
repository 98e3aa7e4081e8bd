#include "fdtrace/fd_model.h"

#include <linux/close_range.h>

#include <algorithm>
#include <climits>

namespace fdtrace {

// ---------------------------------------------------------------- FdTable

FdTable::FdTable(const FdTable& other)
    : dense_(other.dense_),
      sparse_(other.sparse_),
      count_(other.count_),
      from_before_(other.from_before_) {
    for_each([&](int, const FdEntry& entry) { hold(entry); });
}

FdTable::~FdTable() {
    for_each([&](int, const FdEntry& entry) { release(entry); });
}

void FdTable::hold(const FdEntry& entry) {
    entry.file->holders.push_back(this);
    ++entry.file->holders_generation;
}

void FdTable::release(const FdEntry& entry) {
    auto& holders = entry.file->holders;
    auto it = std::find(holders.begin(), holders.end(), this);
    if (it != holders.end()) {
        *it = holders.back();
        holders.pop_back();
    }
    ++entry.file->holders_generation;
}

const FdEntry* FdTable::find(int fd) const noexcept {
    if (fd < 0) return nullptr;
    if (fd < kDenseLimit) {
        if (static_cast<std::size_t>(fd) >= dense_.size()) return nullptr;
        const FdEntry& entry = dense_[static_cast<std::size_t>(fd)];
        return entry.file ? &entry : nullptr;
    }
    auto it = sparse_.find(fd);
    return it == sparse_.end() ? nullptr : &it->second;
}

FdEntry* FdTable::find(int fd) noexcept {
    return const_cast<FdEntry*>(static_cast<const FdTable*>(this)->find(fd));
}

void FdTable::set(int fd, FdEntry entry) {
    if (fd < 0 || !entry.file) return;
    hold(entry);
    if (fd < kDenseLimit) {
        auto index = static_cast<std::size_t>(fd);
        if (index >= dense_.size()) dense_.resize(std::max(index + 1, dense_.size() * 2));
        if (!dense_[index].file)
            ++count_;
        else
            release(dense_[index]);
        dense_[index] = std::move(entry);
        return;
    }
    if (auto it = sparse_.find(fd); it != sparse_.end()) {
        release(it->second);
        it->second = std::move(entry);
        return;
    }
    sparse_.emplace(fd, std::move(entry));
    ++count_;
}

bool FdTable::erase(int fd) noexcept {
    if (fd < 0) return false;
    if (fd < kDenseLimit) {
        auto index = static_cast<std::size_t>(fd);
        if (index >= dense_.size() || !dense_[index].file) return false;
        release(dense_[index]);
        dense_[index] = FdEntry{};
        --count_;
        // Give memory back when the top of the table empties, so a process
        // that once held many fds does not keep the space forever.
        while (!dense_.empty() && !dense_.back().file && !dense_.back().gone) dense_.pop_back();
        if (dense_.capacity() > 64 && dense_.size() < dense_.capacity() / 4) dense_.shrink_to_fit();
        return true;
    }
    auto it = sparse_.find(fd);
    if (it == sparse_.end()) return false;
    release(it->second);
    sparse_.erase(it);
    --count_;
    return true;
}

void FdTable::close(int fd, FdGone why) {
    if (fd < 0 || fd >= kDenseLimit) {
        erase(fd);  // absurd numbers keep no record
        return;
    }
    auto index = static_cast<std::size_t>(fd);
    if (index >= dense_.size()) dense_.resize(std::max(index + 1, dense_.size() * 2));
    FdEntry& slot = dense_[index];
    if (slot.file) {
        release(slot);
        slot.file.reset();
        --count_;
    }
    slot.cloexec = false;
    slot.gone = true;
    slot.gone_reason = why.reason;
    slot.gone_line = why.line;
}

std::optional<FdGone> FdTable::gone(int fd) const noexcept {
    if (fd < 0 || static_cast<std::size_t>(fd) >= dense_.size()) return std::nullopt;
    const FdEntry& slot = dense_[static_cast<std::size_t>(fd)];
    if (slot.file || !slot.gone) return std::nullopt;
    return FdGone{slot.gone_reason, slot.gone_line};
}

void FdTable::close_range(int first, int last, bool cloexec_only, std::uint64_t line) {
    std::vector<int> targets;
    for_each([&](int fd, const FdEntry&) {
        if (fd >= first && fd <= last) targets.push_back(fd);
    });
    for (int fd : targets) {
        if (cloexec_only)
            find(fd)->cloexec = true;
        else
            close(fd, FdGone{FdGoneReason::Closed, line});
    }
}

void FdTable::drop_cloexec(std::uint64_t line) {
    std::vector<int> targets;
    for_each([&](int fd, const FdEntry& entry) {
        if (entry.cloexec) targets.push_back(fd);
    });
    for (int fd : targets) close(fd, FdGone{FdGoneReason::ClosedOnExec, line});
}

int FdTable::lowest_free(int minimum) const noexcept {
    int fd = std::max(minimum, 0);
    while (find(fd)) ++fd;
    return fd;
}

OpenFilePtr FdTable::from_before(int fd) const {
    // Numbers beyond the dense range keep no record of going: never shared.
    if (fd < 0 || fd >= kDenseLimit || find(fd) || gone(fd)) return nullptr;
    auto it = from_before_->find(fd);
    return it == from_before_->end() ? nullptr : it->second;
}

void FdTable::met_from_before(int fd, OpenFilePtr file) {
    if (fd < 0 || fd >= kDenseLimit || !file) return;
    from_before_->try_emplace(fd, std::move(file));
}

void FdTable::for_each_sparse(const std::function<void(int, const FdEntry&)>& visit) const {
    std::vector<int> big;
    for (const auto& [fd, entry] : sparse_) big.push_back(fd);
    std::sort(big.begin(), big.end());
    for (int fd : big) visit(fd, sparse_.at(fd));
}

// ---------------------------------------------------------------- FdModel

FdModel::Process* FdModel::slot(int pid) const noexcept {
    // Each line looks its pid up several times, and a log's lines come from
    // a few pids at a time: recent answers are kept. The map's nodes do not
    // move when it grows, and every erase bumps the epoch, so a pointer is
    // good while the epoch is the same.
    auto& recent = recent_.slots[static_cast<unsigned>(pid) % RecentLookups::kSlots];
    if (recent.process && recent.pid == pid && recent.epoch == epoch_) return recent.process;
    auto it = processes_.find(pid);
    if (it == processes_.end()) return nullptr;
    recent = {pid, epoch_, const_cast<Process*>(&it->second)};
    return recent.process;
}

FdModel::Process& FdModel::process(int pid) {
    if (Process* found = slot(pid)) return *found;
    Process fresh{std::make_shared<FdTable>(),
                  std::make_shared<std::string>(),
                  {},
                  std::make_shared<std::uint64_t>(++cwds_from_before_)};
    return processes_.emplace(pid, std::move(fresh)).first->second;
}

const FdModel::Process* FdModel::find_process(int pid) const noexcept { return slot(pid); }

FdTable* FdModel::table(int pid) noexcept {
    Process* found = slot(pid);
    return found ? found->fds.get() : nullptr;
}

FdEntry* FdModel::entry(int pid, int fd) noexcept {
    Process* found = slot(pid);
    return found ? found->fds->find(fd) : nullptr;
}

OpenFile* FdModel::lookup(int pid, int fd) noexcept {
    FdEntry* found = entry(pid, fd);
    return found ? found->file.get() : nullptr;
}

OpenFilePtr FdModel::install(int pid, int fd, FdIdentity identity, bool cloexec) {
    auto file = std::make_shared<OpenFile>();
    file->identity = std::move(identity);
    file->id = ++next_file_id_;
    install(pid, fd, file, cloexec);
    return file;
}

void FdModel::install(int pid, int fd, OpenFilePtr file, bool cloexec) {
    FdEntry entry;
    entry.file = std::move(file);
    entry.cloexec = cloexec;
    process(pid).fds->set(fd, std::move(entry));
}

bool FdModel::close(int pid, int fd, std::uint64_t line, FdGoneReason reason) {
    Process* found = slot(pid);
    if (!found) return false;
    bool was_open = found->fds->find(fd) != nullptr;
    found->fds->close(fd, FdGone{reason, line});
    return was_open;
}

bool FdModel::close_call(int pid, int fd, std::string_view error, std::uint64_t line) {
    if (error == "EBADF") return false;  // it was not open: nothing to release
    return close(pid, fd, line);
}

void FdModel::close_range_call(int pid, unsigned first, unsigned last, unsigned flags,
                               std::uint64_t line) {
    if (first > static_cast<unsigned>(INT_MAX)) return;
    const int high = last > static_cast<unsigned>(INT_MAX) ? INT_MAX : static_cast<int>(last);
    Process& owner = process(pid);
    if (flags & CLOSE_RANGE_UNSHARE) owner.fds = std::make_shared<FdTable>(*owner.fds);
    owner.fds->close_range(static_cast<int>(first), high, (flags & CLOSE_RANGE_CLOEXEC) != 0, line);
}

bool FdModel::dup_call(int pid, int old_fd, int new_fd, bool cloexec) {
    if (new_fd < 0) return false;
    FdEntry* source = entry(pid, old_fd);
    if (!source) return false;
    if (old_fd == new_fd) return true;  // dup2(fd, fd): the same fd, flags untouched
    OpenFilePtr shared = source->file;
    install(pid, new_fd, std::move(shared), cloexec);
    return true;
}

void FdModel::set_cloexec(int pid, int fd, bool cloexec) {
    if (FdEntry* found = entry(pid, fd)) found->cloexec = cloexec;
}

std::optional<FdGone> FdModel::gone(int pid, int fd) const noexcept {
    const Process* found = slot(pid);
    if (!found) return std::nullopt;
    return found->fds->gone(fd);
}

void FdModel::clone(int parent, int child, bool share_files, bool share_fs, bool thread) {
    if (parent == child) return;
    Process& source = process(parent);
    Process copy;
    if (thread) copy.tgid = source.tgid ? source.tgid : parent;
    copy.fds = share_files ? source.fds : std::make_shared<FdTable>(*source.fds);
    copy.cwd = share_fs ? source.cwd : std::make_shared<std::string>(*source.cwd);
    copy.cwd_from_before = share_fs ? source.cwd_from_before
                                    : std::make_shared<std::uint64_t>(*source.cwd_from_before);
    copy.comm = source.comm;
    processes_.insert_or_assign(child, std::move(copy));
    ++epoch_;
}

void FdModel::exec(int pid, std::string_view program, std::uint64_t line) {
    Process& target = process(pid);
    // A table shared with threads: exec kills the other threads, and a table
    // shared with a vfork parent is unshared by exec. Either way the exec'ing
    // process keeps a private copy without its CLOEXEC fds.
    if (target.fds.use_count() > 1) target.fds = std::make_shared<FdTable>(*target.fds);
    target.fds->drop_cloexec(line);
    std::size_t slash = program.rfind('/');
    std::string_view base = slash == std::string_view::npos ? program : program.substr(slash + 1);
    target.comm = std::string(base.substr(0, 15));  // TASK_COMM_LEN - 1, as the kernel does
    ++epoch_;
}

void FdModel::renumber(int old_pid, int new_pid) {
    auto it = processes_.find(old_pid);
    if (it == processes_.end() || old_pid == new_pid || processes_.contains(new_pid)) return;
    Process moved = std::move(it->second);
    processes_.erase(it);
    processes_.emplace(new_pid, std::move(moved));
    ++epoch_;
}

void FdModel::exit(int pid) {
    if (processes_.erase(pid) > 0) ++epoch_;
}

std::optional<FdModel::Process> FdModel::take(int pid) {
    auto it = processes_.find(pid);
    if (it == processes_.end()) return std::nullopt;
    Process taken = std::move(it->second);
    processes_.erase(it);
    ++epoch_;
    return taken;
}

void FdModel::put(int pid, Process process) {
    processes_.insert_or_assign(pid, std::move(process));
    ++epoch_;
}

namespace {

std::string* path_of(FdIdentity& identity) {
    if (auto* path = identity.get<PathDetails>()) return &path->path;
    if (auto* unix_socket = identity.get<UnixDetails>()) return &unix_socket->path;
    return nullptr;
}

template <class Visit>
void for_each_open_file(std::unordered_map<int, FdModel::Process>& processes, Visit visit) {
    for (auto& [pid, process] : processes) {
        process.fds->for_each([&](int, const FdEntry& entry) { visit(*entry.file); });
    }
}

}  // namespace

void FdModel::mark_deleted(std::string_view path) {
    for_each_open_file(processes_, [&](OpenFile& file) {
        std::string* own = path_of(file.identity);
        if (!own || *own != path) return;
        if (auto* details = file.identity.get<PathDetails>()) {
            if (details->deleted) return;
            details->deleted = true;
        } else if (auto* unix_socket = file.identity.get<UnixDetails>()) {
            if (unix_socket->deleted) return;
            unix_socket->deleted = true;
        }
        file.changed();
    });
}

void FdModel::rename(std::string_view from, std::string_view to) {
    std::string prefix = std::string(from) + "/";
    for_each_open_file(processes_, [&](OpenFile& file) {
        std::string* own = path_of(file.identity);
        if (!own) return;
        if (*own == from) {
            *own = std::string(to);
        } else if (own->starts_with(prefix)) {  // files inside a renamed directory
            *own = std::string(to) + own->substr(from.size());
        } else {
            return;
        }
        file.changed();
    });
}

int FdModel::find_holder(const OpenFile& file, const FdTable* exclude) const {
    int found = 0;
    for (const FdTable* table : file.holders) {
        if (table == exclude) continue;
        // Tables are few; the lowest pid using one keeps the output stable.
        for (const auto& [pid, process] : processes_)
            if (process.fds.get() == table && (!found || pid < found)) found = pid;
    }
    return found;
}

std::vector<int> FdModel::holders(const OpenFile& file, const FdTable* exclude) const {
    std::vector<int> found;
    std::vector<const FdTable*> seen;
    for (const FdTable* table : file.holders) {
        if (table == exclude || std::find(seen.begin(), seen.end(), table) != seen.end()) continue;
        seen.push_back(table);
        int lowest = 0;
        for (const auto& [pid, process] : processes_)
            if (process.fds.get() == table && (!lowest || pid < lowest)) lowest = pid;
        if (lowest) found.push_back(lowest);
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace fdtrace
