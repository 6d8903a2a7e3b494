#!/usr/bin/env bash
# Checks `crosscore top` as a person would use it: against a running torture, in a real terminal (tmux), it must show
# one row per core with non-zero calls/s, then quit cleanly with exit 0 on `q`, and again on Ctrl-C.
# Bounded: about 15 s when all goes well; each wait has its own limit. Needs the Release build of the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
export TERM="${TERM:-xterm-256color}"

cli=src/CrossCore.Cli/bin/Release/net10.0/CrossCore.Cli
[[ -x "$cli" ]] || dotnet build -c Release src/CrossCore.Cli >/dev/null
command -v tmux >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq tmux >/dev/null; }

work="$(mktemp -d)"
session="crosscore-top-check-$$"
torture_pid=""
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    tmux kill-session -t "$session-c" 2>/dev/null || true
    if [[ -n "$torture_pid" ]] && kill -0 "$torture_pid" 2>/dev/null; then kill "$torture_pid"; wait "$torture_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

"$cli" torture --duration 20 --cores 2 --quiet >"$work/torture.log" 2>&1 &
torture_pid=$!
echo "torture running as pid $torture_pid"

# Its diagnostics port appears once the runtime is up.
for _ in $(seq 100); do compgen -G "/tmp/dotnet-diagnostic-$torture_pid-*-socket" >/dev/null && break; sleep 0.1; done

# The process list marks it as a CrossCore process.
"$cli" top | tee "$work/list.txt"
grep -Eq "^│ +$torture_pid │ .*│ yes " "$work/list.txt" || { echo "FAIL: crosscore top does not list pid $torture_pid as a CrossCore process"; exit 1; }

# A pane showing a core row with non-zero calls/s: "│ torture │    1 │ running │ 131,642 │ ...".
rows_ok() { python3 - "$1" <<'PY'
import re, sys
rows = [m for m in (re.match(r"│ torture +│ +(\d+) │ (running|polling|parked|offline) +│ +([\d,]+) │", l) for l in open(sys.argv[1])) if m]
busy = [r for r in rows if int(r.group(3).replace(",", "")) > 0]
sys.exit(0 if len({r.group(1) for r in rows}) == 2 and busy else 1)
PY
}

run_top() { # $1: tmux session, $2: the keys that quit
    tmux new-session -d -s "$1" -x 120 -y 30 "$cli top -p $torture_pid; echo \$? > $work/$1.exit; sleep 60"
    local shown=""
    for _ in $(seq 150); do
        tmux capture-pane -p -t "$1" >"$work/$1.pane"
        if rows_ok "$work/$1.pane"; then shown=1; break; fi
        sleep 0.1
    done
    cat "$work/$1.pane" | sed '/^$/d'
    [[ -n "$shown" ]] || { echo "FAIL: no per-core rows with non-zero calls/s within 15 s"; exit 1; }
    tmux send-keys -t "$1" "$2"
    for _ in $(seq 100); do [[ -s "$work/$1.exit" ]] && break; sleep 0.1; done
    [[ -s "$work/$1.exit" ]] || { echo "FAIL: crosscore top did not exit within 10 s of $2"; exit 1; }
    [[ "$(cat "$work/$1.exit")" == 0 ]] || { echo "FAIL: crosscore top exited $(cat "$work/$1.exit") after $2"; exit 1; }
    echo "crosscore top showed both cores and exited 0 on $2"
}

run_top "$session" q
run_top "$session-c" C-c
echo "check-top: OK"
