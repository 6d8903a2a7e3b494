#!/usr/bin/env bash
# models/verify.sh -- model-check CrossCore's three protocols with spin (issue 8).
#
# For every (model, switches, mode, expectation) below: spin -a, gcc, ./pan; prints one line per
# run and exits 1 if any run does not give the expected result (or if a search was incomplete).
#
#   bash models/verify.sh            the standard suite (65 checks; about 2 min of CPU)
#   bash models/verify.sh --deep     also the larger bounds (several minutes, up to ~2 GB of RAM
#                                    per check; pan is built with -DCOLLAPSE for these: still exhaustive)
#   bash models/verify.sh --deep-only only the larger bounds
#   bash models/verify.sh --keep DIR keep the build directories, trails and replays in DIR
#                                    (for example models/out, which git ignores)
#   bash models/verify.sh --list     print the runs without running them
#   bash models/verify.sh -j N       run N checks at once (default: min(2, nproc))
#   bash models/verify.sh --only RE  only the checks whose name matches the ERE (e.g. 'inbox|nowait')
#
# Modes:  safety  gcc -DSAFETY -DNOCLAIM; pan: assertions + invalid end states, exhaustive DFS
#         live    gcc -DNFAIR=3; pan -a -f: the model's `ltl live` under weak fairness, plus assertions
#         ltl     as live, with pan -A (assertions off): the LTL property alone must catch the bug
# A run expected to fail must fail with the pan message matching its pattern (an ERE), so a bug
# variant that fails for some other reason is reported as a surprise too.
# Runs named +SC use -DSC (sequentially consistent memory instead of TSO store buffers): the
# fence-removal bugs must then PASS, which shows that their TSO failure is the missing fence.
# Background and bounds: docs/VERIFICATION.md.

set -u -o pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deep=0
keep=""
list=0
only=""
jobs="$(nproc 2>/dev/null || echo 1)"
[ "$jobs" -le 2 ] || jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
        --deep) deep=1 ;;
        --deep-only) deep=2 ;;
        --keep) keep="${2:?--keep needs a directory}"; shift ;;
        --list) list=1 ;;
        --only) only="${2:?--only needs a pattern}"; shift ;;
        -j) jobs="${2:?-j needs a number}"; shift ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "verify.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

# ---------------------------------------------------------------------------------------------
# The runs: name | model | spin -D switches | mode | expect | extra gcc flags | ERE the failure must match
# ---------------------------------------------------------------------------------------------
runs=(
# Protocol 1: descriptor claim / queue / release, sync waiter
"descriptor                       |descriptor|-DNS=2 -DITER=2            |safety|pass|           |"
"descriptor                       |descriptor|-DNS=2 -DITER=2            |live  |pass|           |"
"descriptor/3-senders             |descriptor|-DNS=3 -DITER=1            |safety|pass|           |"
"descriptor/3-senders             |descriptor|-DNS=3 -DITER=1            |live  |pass|           |"
"descriptor/bug-plain-claim       |descriptor|-DBUG_PLAIN_CLAIM          |safety|fail|           |claims==releases"
"descriptor/bug-no-fence          |descriptor|-DBUG_ASYNC_NO_FENCE       |safety|fail|           |lastVal\[i\]>=k|r>=\(k\+1\)"
"descriptor/bug-sync-early-release|descriptor|-DBUG_SYNC_EARLY_RELEASE   |safety|fail|           |syncDone"
"descriptor/bug-sync-plain-release|descriptor|-DBUG_SYNC_PLAIN_RELEASE   |safety|fail|           |waiterRet"
"descriptor/bug-sync-plain-release|descriptor|-DBUG_SYNC_PLAIN_RELEASE   |ltl   |fail|           |acceptance cycle"
"descriptor/nowait               |descriptor|-DNOWAIT                   |safety|pass|           |"
"descriptor/nowait               |descriptor|-DNOWAIT                   |live  |pass|           |"
"descriptor/nowait-bug-no-wake   |descriptor|-DNOWAIT -DBUG_NOWAIT_NO_WAKE|safety|fail|         |waiterRet"
"descriptor/nowait-bug-no-fence  |descriptor|-DNOWAIT -DBUG_ASYNC_NO_FENCE|ltl   |fail|          |acceptance cycle"
"descriptor/nowait-witness-wake  |descriptor|-DNOWAIT -DWITNESS=W_WAKE   |safety|fail|           |4!=4"
"descriptor/bug-no-fence+SC      |descriptor|-DBUG_ASYNC_NO_FENCE -DSC  |safety|pass|           |"
"descriptor/bug-sync-plain-rel+SC |descriptor|-DBUG_SYNC_PLAIN_RELEASE -DSC|safety|pass|         |"
"descriptor/bug-plain-claim+SC    |descriptor|-DBUG_PLAIN_CLAIM -DSC     |safety|fail|           |claims==releases"
"descriptor/witness-busy          |descriptor|-DWITNESS=W_BUSY           |safety|fail|           |1!=1"
"descriptor/witness-busy-seen     |descriptor|-DWITNESS=W_BUSY_SEEN      |safety|fail|           |2!=2"
"descriptor/witness-reuse         |descriptor|-DWITNESS=W_REUSE          |safety|fail|           |3!=3"
"descriptor/witness-wake          |descriptor|-DWITNESS=W_WAKE           |safety|fail|           |4!=4"
# Protocol 2: deferred work claim / run, Sync()
"deferred                         |deferred  |-DNP=2 -DITER=2 -DSYNCW=1  |safety|pass|           |"
"deferred                         |deferred  |-DNP=2 -DITER=2 -DSYNCW=1  |live  |pass|           |"
"deferred/3-producers             |deferred  |-DNP=3 -DITER=2 -DSYNCW=0  |safety|pass|           |"
"deferred/3-producers             |deferred  |-DNP=3 -DITER=2 -DSYNCW=0  |live  |pass|           |"
"deferred/3-attempts              |deferred  |-DNP=2 -DITER=3 -DSYNCW=1  |safety|pass|           |"
"deferred/bug-plain-read-2012     |deferred  |-DBUG_PLAIN_READ           |safety|fail|           |owe\["
"deferred/bug-claim-busy-fails    |deferred  |-DBUG_CLAIM_BUSY_FAILS     |safety|fail|           |owe\["
"deferred/bug-claim-busy-fails+SC |deferred  |-DBUG_CLAIM_BUSY_FAILS -DSC|safety|fail|           |owe\["
"deferred/bug-cas-loop-2019       |deferred  |-DBUG_CAS_LOOP             |safety|fail|           |owe\["
"deferred/bug-no-fence            |deferred  |-DBUG_NO_FENCE             |safety|fail|           |owe\["
"deferred/bug-unbusy-store        |deferred  |-DBUG_UNBUSY_STORE         |safety|fail|           |q\[0\]==0"
"deferred/bug-sync-count-early    |deferred  |-DBUG_SYNC_COUNT_EARLY     |safety|fail|           |syncRet"
"deferred/bug-sync-count-early    |deferred  |-DBUG_SYNC_COUNT_EARLY     |ltl   |fail|           |acceptance cycle"
"deferred/bug-plain-read+SC       |deferred  |-DBUG_PLAIN_READ -DSC      |safety|pass|           |"
"deferred/bug-cas-loop+SC         |deferred  |-DBUG_CAS_LOOP -DSC        |safety|pass|           |"
"deferred/bug-cas-loop+x86-cas    |deferred  |-DBUG_CAS_LOOP -DCAS_FAIL_FENCES|safety|pass|      |"
"deferred/bug-no-fence+SC         |deferred  |-DBUG_NO_FENCE -DSC        |safety|pass|           |"
"deferred/witness-coalesced       |deferred  |-DWITNESS=W_COALESCED      |safety|fail|           |1!=1"
"deferred/witness-queue-busy      |deferred  |-DWITNESS=W_QUEUE_BUSY     |safety|fail|           |2!=2"
"deferred/witness-unbusy-cas-fails|deferred  |-DWITNESS=W_UNBUSY_CAS     |safety|fail|           |3!=3"
"deferred/witness-sync-wake       |deferred  |-DWITNESS=W_SYNC_WAKE      |safety|fail|           |4!=4"
# Two runners (C7, exact Sync): a claim made while the work runs on core 0 is queued on core 1 and runs there too
"deferred/2-runners               |deferred  |-DRUNNERS=2 -DNP=1 -DITER=3 -DSYNCW=1|safety|pass|   |"
"deferred/2-runners               |deferred  |-DRUNNERS=2 -DNP=1 -DITER=2 -DSYNCW=1|live  |pass|   |"
"deferred/2-runners-2-producers   |deferred  |-DRUNNERS=2 -DNP=2 -DITER=1 -DSYNCW=1|safety|pass|   |"
"deferred/bug-sync-inexact        |deferred  |-DRUNNERS=2 -DNP=1 -DITER=2 -DBUG_SYNC_INEXACT|safety|fail| |atSync\["
"deferred/bug-sync-inexact+SC     |deferred  |-DRUNNERS=2 -DNP=1 -DITER=2 -DBUG_SYNC_INEXACT -DSC|safety|fail| |atSync\["
"deferred/witness-overlap         |deferred  |-DRUNNERS=2 -DNP=1 -DITER=2 -DWITNESS=W_OVERLAP|safety|fail| |5!=5"
# Protocol 3: inbox push, poll / park / wake-up, the waiting multi-core caller
"inbox                            |inbox     |-DNS=2 -DITER=2            |safety|pass|           |"
"inbox                            |inbox     |-DNS=2 -DITER=2            |live  |pass|           |"
"inbox/3-pushes                   |inbox     |-DNS=2 -DITER=3            |safety|pass|           |"
"inbox/3-pushes                   |inbox     |-DNS=2 -DITER=3            |live  |pass|           |"
"inbox/3-senders                  |inbox     |-DNS=3 -DITER=1            |safety|pass|           |"
"inbox/3-senders                  |inbox     |-DNS=3 -DITER=1            |live  |pass|           |"
"inbox/bug-park-no-fence          |inbox     |-DBUG_PARK_NO_FENCE        |safety|fail|           |willBlock"
"inbox/bug-park-no-fence          |inbox     |-DBUG_PARK_NO_FENCE        |ltl   |fail|           |acceptance cycle"
"inbox/bug-park-no-recheck        |inbox     |-DBUG_PARK_NO_RECHECK      |safety|fail|           |pushed==ran"
"inbox/bug-park-no-recheck        |inbox     |-DBUG_PARK_NO_RECHECK      |ltl   |fail|           |acceptance cycle"
"inbox/bug-skip-wait-2025         |inbox     |-DBUG_SKIP_WAIT            |safety|fail|           |mineDone"
"inbox/bug-park-no-fence+SC       |inbox     |-DBUG_PARK_NO_FENCE -DSC   |safety|pass|           |"
"inbox/bug-park-no-recheck+SC     |inbox     |-DBUG_PARK_NO_RECHECK -DSC |safety|fail|           |pushed==ran"
"inbox/witness-wake-avoided       |inbox     |-DWITNESS=W_AVOIDED        |safety|fail|           |1!=1"
"inbox/witness-wake-sent          |inbox     |-DWITNESS=W_SENT           |safety|fail|           |2!=2"
"inbox/witness-push-nonempty      |inbox     |-DWITNESS=W_NONEMPTY       |safety|fail|           |3!=3"
"inbox/witness-recheck-finds-work |inbox     |-DWITNESS=W_RECHECK        |safety|fail|           |4!=4"
)
deep_runs=(
"descriptor/deep-3x2              |descriptor|-DNS=3 -DITER=2            |safety|pass|-DCOLLAPSE |"
"descriptor/deep-sbd4             |descriptor|-DNS=2 -DITER=2 -DSBD=4    |safety|pass|-DCOLLAPSE |"
"deferred/deep-3-attempts         |deferred  |-DNP=2 -DITER=3 -DSYNCW=1  |live  |pass|-DCOLLAPSE |"
"deferred/deep-3-producers-sync   |deferred  |-DNP=3 -DITER=2 -DSYNCW=1  |safety|pass|-DCOLLAPSE |"
"deferred/deep-sbd4               |deferred  |-DNP=2 -DITER=2 -DSBD=4    |live  |pass|-DCOLLAPSE |"
"inbox/deep-3x2                   |inbox     |-DNS=3 -DITER=2            |safety|pass|-DCOLLAPSE |"
"inbox/deep-3x2                   |inbox     |-DNS=3 -DITER=2            |live  |pass|-DCOLLAPSE |"
"inbox/deep-sbd4                  |inbox     |-DNS=2 -DITER=3 -DSBD=4    |safety|pass|-DCOLLAPSE |"
"inbox/deep-poll2-sbd4            |inbox     |-DNS=2 -DITER=3 -DPOLL=2 -DSBD=4|live|pass|-DCOLLAPSE |"
)
if [ "$deep" = 1 ]; then runs+=("${deep_runs[@]}"); fi
if [ "$deep" = 2 ]; then runs=("${deep_runs[@]}"); fi
if [ -n "$only" ]; then
    kept=()
    for r in "${runs[@]}"; do
        if printf '%s\n' "${r%%|*}" | grep -q -E -- "$only"; then kept+=("$r"); fi
    done
    runs=("${kept[@]}")
    [ "${#runs[@]}" -gt 0 ] || { echo "verify.sh: no check matches --only $only" >&2; exit 2; }
fi

trim() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

if [ "$list" = 1 ]; then
    for r in "${runs[@]}"; do
        IFS='|' read -r name model defs mode expect xcf pat <<<"$r"
        printf '%-36s %-6s expect %-4s  %s\n' "$(trim "$name")" "$(trim "$mode")" "$(trim "$expect")" "$(trim "$defs")"
    done
    exit 0
fi

# ---------------------------------------------------------------------------------------------
# Tools: spin (apt, package "spin") and a C compiler for pan
# ---------------------------------------------------------------------------------------------
if ! command -v spin >/dev/null 2>&1; then
    echo "verify.sh: spin not found; installing the Debian package 'spin'" >&2
    sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            echo "verify.sh: not root and no sudo: install spin (apt-get install spin) and re-run" >&2; exit 2
        fi
    fi
    apt() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q "$@" >/dev/null 2>&1; }
    # a fresh image has no package lists: update and retry once if the first install fails
    if ! apt install -y spin; then
        apt update || true
        apt install -y spin || { echo "verify.sh: apt-get install spin failed" >&2; exit 2; }
    fi
    command -v spin >/dev/null 2>&1 || { echo "verify.sh: spin still not on PATH after installing it" >&2; exit 2; }
fi
cc="${CC:-gcc}"
command -v "$cc" >/dev/null 2>&1 || { echo "verify.sh: no C compiler ($cc) to build pan" >&2; exit 2; }

if [ -n "$keep" ]; then
    mkdir -p "$keep" && work="$(cd "$keep" && pwd)" || exit 2
else
    work="$(mktemp -d "${TMPDIR:-/tmp}/crosscore-models.XXXXXX")" || exit 2
    trap 'rm -rf "$work"' EXIT
fi

echo "spin: $(spin -V 2>&1 | head -n1); $jobs parallel job(s); builds in $work"

# run_one N ROW: build and check one run in $work/NN-name-mode; writes the report line to result
run_one() {
    local n="$1" r="$2" name model defs mode expect xcf pat dir got states note cflags pflags opt out errors msg t0
    IFS='|' read -r name model defs mode expect xcf pat <<<"$r"
    xcf="$(trim "$xcf")"
    name="$(trim "$name")"; model="$(trim "$model")"; defs="$(trim "$defs")"
    mode="$(trim "$mode")"; expect="$(trim "$expect")"
    dir="$work/$(printf '%02d' "$n")-${name//\//_}-$mode"
    rm -rf "$dir"; mkdir -p "$dir"
    cp "$here"/*.pml "$dir"/
    t0=$SECONDS
    note=""; got="error"; states="-"
    case "$mode" in
        safety) cflags="-DSAFETY -DNOCLAIM"; pflags="" ;;
        live)   cflags="-DNFAIR=3";          pflags="-a -f" ;;
        ltl)    cflags="-DNFAIR=3";          pflags="-a -f -A" ;;
        *)      cflags="";                   pflags=""; note="bad mode $mode" ;;
    esac
    # runs expected to fail stop at a small counterexample: compile them quickly
    if [ "$expect" = fail ]; then opt="-O0"; else opt="-O2"; fi
    if [ -n "$note" ]; then :
    elif ! (cd "$dir" && spin $defs -a "$model.pml" >spin.out 2>&1); then
        note="spin -a failed: $(tail -n1 "$dir/spin.out")"
    elif ! (cd "$dir" && $cc -w $opt $cflags $xcf -o pan pan.c >cc.out 2>&1); then
        note="$cc failed: $(head -n1 "$dir/cc.out")"
    else
        (cd "$dir" && ./pan -m100000 $pflags >pan.out 2>&1)
        out="$dir/pan.out"
        errors="$(sed -n 's/.*errors: \([0-9][0-9]*\).*/\1/p' "$out" | tail -n1)"
        states="$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' "$out" | tail -n1)"
        [ -n "$states" ] || states="-"
        if [ -z "$errors" ]; then
            note="no verdict from pan: $(tail -n1 "$out")"
        elif [ "$errors" = 0 ]; then
            # a pass counts only if the search was exhaustive
            if grep -q -e 'max search depth too small' -e 'Search not completed' -e 'out of memory' \
                       -e 'bitstate' -e 'Hash-Compact' "$out"; then
                note="incomplete search: $(grep -m1 -e 'max search depth' -e 'not completed' -e 'out of memory' -e 'bitstate' -e 'Hash-Compact' "$out")"
            else
                got="pass"
            fi
        else
            got="fail"
            msg="$(grep -m1 -E '^pan:[0-9]+: ' "$out" | sed 's/^pan:[0-9]*: *//; s/ (at depth [0-9]*)//')"
            note="$msg"
            if [ "$expect" = fail ] && [ -n "$pat" ] && ! printf '%s\n' "$msg" | grep -q -E -- "$pat"; then
                got="fail(other)"
            fi
            if [ -n "$keep" ] && ls "$dir"/*.trail >/dev/null 2>&1; then
                (cd "$dir" && spin -t -p -g -l $defs "$model.pml" >replay.txt 2>&1)
            fi
        fi
    fi
    local verdict=PASS
    [ "$got" = "$expect" ] || verdict=FAIL
    printf '%-4s  %-42s expected %-4s  got %-4s  states %-10s %3ss  %s\n' \
        "$verdict" "$name ($mode)" "$expect" "$got" "$states" "$((SECONDS - t0))" "$note" >"$dir.result"
}

start=$SECONDS
total_runs=${#runs[@]}
next_print=1
print_ready() {
    local f
    while [ "$next_print" -le "$total_runs" ]; do
        f="$(ls "$work"/"$(printf '%02d' "$next_print")"-*.result 2>/dev/null | head -n1)"
        [ -n "$f" ] || return 0
        cat "$f"
        next_print=$((next_print + 1))
    done
}
n=0
for r in "${runs[@]}"; do
    n=$((n + 1))
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n 2>/dev/null || true
        print_ready
    done
    run_one "$n" "$r" &
done
wait
print_ready

surprises="$(cat "$work"/*.result | grep -c '^FAIL')"
total=$((SECONDS - start))
if [ "$surprises" = 0 ]; then
    echo "verify.sh: all $total_runs runs as expected (${total}s)"
    exit 0
fi
echo "verify.sh: $surprises of $total_runs runs NOT as expected (${total}s)"
exit 1
