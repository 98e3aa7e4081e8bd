#include "fdtrace/syscall_classes.h"

#include <array>
#include <vector>

#include "fdtrace/syscall_table.h"

namespace fdtrace {
namespace {

struct SyscallClass {
    std::string_view name;
    std::uint32_t bit;
};

// The class names strace takes, and their bit in the syscall table.
constexpr SyscallClass kClasses[] = {
    {"%file", kClassFile},       {"%process", kClassProcess},   {"%signal", kClassSignal},
    {"%ipc", kClassIpc},         {"%memory", kClassMemory},     {"%creds", kClassCreds},
    {"%clock", kClassClock},     {"%stat", kClassStat},         {"%lstat", kClassLstat},
    {"%fstat", kClassFstat},     {"%%stat", kClassAnyStat},     {"%statfs", kClassStatfs},
    {"%fstatfs", kClassFstatfs}, {"%%statfs", kClassAnyStatfs}, {"%pure", kClassPure},
};

constexpr auto kClassNames = [] {
    std::array<std::string_view, std::size(kClasses)> names{};
    for (std::size_t i = 0; i < names.size(); ++i) names[i] = kClasses[i].name;
    return names;
}();

// Each class's names, read off the table once.
struct ClassMembers {
    std::array<std::vector<std::string_view>, std::size(kClasses)> members;
    ClassMembers() {
        for (std::size_t i = 0; i < members.size(); ++i)
            members[i] = syscalls_in_classes(kClasses[i].bit);
    }
};

}  // namespace

std::span<const std::string_view> syscall_class(std::string_view name) noexcept {
    static const ClassMembers table;  // immutable after construction
    // strace still takes the old spellings without '%' for a few classes.
    for (std::size_t i = 0; i < std::size(kClasses); ++i) {
        std::string_view bare = kClasses[i].name.substr(1);
        if (name == kClasses[i].name ||
            (name == bare && bare.front() != '%' && bare != "stat" && bare != "lstat" &&
             bare != "fstat" && bare != "statfs" && bare != "fstatfs" && bare != "pure"))
            return table.members[i];
    }
    return {};
}

std::span<const std::string_view> syscall_class_names() noexcept { return kClassNames; }

bool is_network_call(std::string_view name) noexcept {
    const SyscallSignature* row = find_syscall_row(name);
    return row && (row->classes & kClassNetwork);
}

}  // namespace fdtrace
