#!/usr/bin/env bash
# Runs every dotnet-counters / dotnet-trace command of docs/DIAGNOSTICS.md against a live `crosscore torture` and
# checks that the output holds CrossCore's instruments and events, so the docs cannot drift from the tools.
# The tools come from the repository's manifest (.config/dotnet-tools.json: `dotnet tool restore`).
# Usage: scripts/check-diagnostics.sh   (from anywhere; builds the CLI in Release if needed; about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet tool restore > /dev/null
dotnet build -c Release src/CrossCore.Cli > /dev/null
cli=src/CrossCore.Cli/bin/Release/net10.0/CrossCore.Cli
out="$(mktemp -d)"

# The process under observation: a torture with hotplug (CoreOffline/CoreOnline events) long enough for every command.
# --no-aligned-race keeps it to one set: the park racer's private set would add its rows to every instrument, and
# monitor's screen (24 lines when redirected) would then end before crosscore.calls.
"$cli" torture --duration 60 --cores 2 --hotplug --no-aligned-race --quiet > "$out/torture.txt" 2>&1 &
pid=$!
trap 'kill "$pid" 2> /dev/null || true' EXIT
sleep 2 # the runtime's diagnostic port opens at start-up; the set exists a moment later

fail() { echo "check-diagnostics: FAIL: $*" >&2; exit 1; }
need() { # need <file> <regex> <what>
    grep -Eq "$2" "$1" || { sed -n 1,40p "$1" >&2; fail "$3 (no match for '$2' in $1)"; }
}

echo "-- dotnet-counters monitor --counters CrossCore -p PID"
dotnet dotnet-counters monitor --counters CrossCore -p "$pid" --duration 00:00:00:04 > "$out/monitor.txt" 2>&1
need "$out/monitor.txt" '\[CrossCore\]' "monitor lists the CrossCore meter"
need "$out/monitor.txt" 'crosscore\.calls \(\{call\}\)' "monitor shows crosscore.calls"
need "$out/monitor.txt" 'async +busy +torture +[0-9,]+' "monitor shows a value per tag combination"

echo "-- dotnet-counters monitor --counters CrossCore[crosscore.wakeups,crosscore.sync_call.duration] -p PID"
dotnet dotnet-counters monitor --counters 'CrossCore[crosscore.wakeups,crosscore.sync_call.duration]' -p "$pid" \
    --duration 00:00:00:04 > "$out/monitor-some.txt" 2>&1
need "$out/monitor-some.txt" 'crosscore\.sync_call\.duration \(s\)' "monitor shows the duration histogram in seconds"
need "$out/monitor-some.txt" 'Percentile' "monitor shows histogram percentiles"
need "$out/monitor-some.txt" 'crosscore\.wakeups \(\{wakeup\}\)' "monitor shows crosscore.wakeups"
# crosscore.calls stays out of this list: with its 10 tag rows the screen (24 lines when not a terminal) has no room
# left for the instruments after it, which monitor then does not print.
if grep -q 'crosscore\.batches\|crosscore\.calls' "$out/monitor-some.txt"; then fail "monitor with a counter list showed an instrument outside it"; fi

echo "-- dotnet-counters collect --counters CrossCore -p PID --format csv"
dotnet dotnet-counters collect --counters CrossCore -p "$pid" --duration 00:00:00:04 --format csv -o "$out/counters.csv" > /dev/null 2>&1
need "$out/counters.csv" 'crosscore\.calls \(\{call\} / 1 sec\)\[kind=sync;outcome=ran;set=torture\],Rate,[0-9]' "collect writes counters as rates"
need "$out/counters.csv" 'crosscore\.sync_call\.duration \(s\)\[set=torture;Percentile=50\],Metric,[0-9]' "collect writes the duration's percentiles"
need "$out/counters.csv" 'crosscore\.stuck_calls \(\{call\}\)\[set=torture\],Metric,0' "collect writes the up-down counter as its value"

echo "-- dotnet-trace collect --providers CrossCore -p PID"
dotnet dotnet-trace collect -p "$pid" --providers CrossCore --duration 00:00:00:04 -o "$out/plain.nettrace" > "$out/trace-plain.txt" 2>&1
need "$out/trace-plain.txt" 'CrossCore +0x0000000000000000 +Informational\(4\)' "a plain provider asks for keywords 0 at Informational"
dotnet run scripts/count-events.cs -- "$out/plain.nettrace" > "$out/plain-events.txt"
need "$out/plain-events.txt" '^CoreOffline [1-9]' "a plain provider gets the hotplug events"
need "$out/plain-events.txt" '^CoreOnline [1-9]' "a plain provider gets the hotplug events"
if grep -Eq '^(CallQueued|FunctionEntry|WakeupSent) ' "$out/plain-events.txt"; then fail "a plain provider got Verbose events"; fi

echo "-- dotnet-trace collect --providers CrossCore:0x7F:5 -p PID"
dotnet dotnet-trace collect -p "$pid" --providers CrossCore:0x7F:5 --duration 00:00:00:02 -o "$out/all.nettrace" > /dev/null 2>&1
dotnet run scripts/count-events.cs -- "$out/all.nettrace" > "$out/all-events.txt"
for event in CallQueued FunctionEntry FunctionExit InboxBatch WakeupSent WakeupAvoided DeferredQueued DeferredRun CoreOffline CoreOnline; do
    need "$out/all-events.txt" "^$event [1-9]" "keywords 0x7F at Verbose give $event"
done

echo "-- dotnet-trace collect --providers CrossCore:0x4:5 -p PID (one keyword)"
dotnet dotnet-trace collect -p "$pid" --providers CrossCore:0x4:5 --duration 00:00:00:02 -o "$out/wakeups.nettrace" > /dev/null 2>&1
dotnet run scripts/count-events.cs -- "$out/wakeups.nettrace" > "$out/wakeup-events.txt"
need "$out/wakeup-events.txt" '^WakeupSent [1-9]' "keyword Wakeups gives WakeupSent"
if grep -Eq '^(CallQueued|FunctionEntry|DeferredRun) ' "$out/wakeup-events.txt"; then fail "keyword Wakeups gave events of other keywords"; fi

kill "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
trap - EXIT
echo "check-diagnostics: ok (monitor: $(grep -c . "$out/monitor.txt") lines; plain trace: $(tr '\n' ' ' < "$out/plain-events.txt"))"
rm -rf "$out"
