# bash completion for fdtrace
_fdtrace() {
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    }
    local commands="annotate fds stuck leaks"
    local command=""
    local i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            annotate|fds|stuck|leaks) command=${words[i]}; break ;;
            --) return 0 ;;
        esac
    done
    case $prev in
        -p|--pid)
            COMPREPLY=($(compgen -W "$(ls /proc | grep -E '^[0-9]+$')" -- "$cur")); return 0 ;;
        -o|--output)
            COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
        --format)
            COMPREPLY=($(compgen -W "text json" -- "$cur")); return 0 ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return 0 ;;
        --kind)
            COMPREPLY=($(compgen -W "file dir chr blk fifo pipe tcp tcp6 udp udp6 unix netlink packet raw socket eventfd epoll timerfd signalfd inotify fanotify pidfd memfd io_uring perf_event bpf userfaultfd anon" -- "$cur")); return 0 ;;
        --cwd)
            COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
    esac
    case $command in
        annotate)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--format --output -o --color --numeric -n --pid --realpath --cwd --explain --summary -c --summary-only --help" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi ;;
        fds)
            COMPREPLY=($(compgen -W "-p -i -s -d --deleted --kind -n --format --help" -- "$cur")) ;;
        stuck)
            COMPREPLY=($(compgen -W "-p --format --help" -- "$cur")) ;;
        leaks)
            COMPREPLY=($(compgen -W "-p --interval --count --format --help" -- "$cur")) ;;
        *)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-p -f -e -s -t -tt -ttt -T -o -n --format --seccomp-bpf --help --version" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$commands" -- "$cur"))
            fi ;;
    esac
}
complete -F _fdtrace fdtrace
