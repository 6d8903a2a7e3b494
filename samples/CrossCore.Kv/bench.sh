#!/usr/bin/env bash
# redis-benchmark against the CrossCore KV sample (sharded store), its ConcurrentDictionary baseline, redis-server
# (Debian) and Garnet (the garnet-server dotnet tool), one after the other in one run, on loopback only.
#
#   bash samples/CrossCore.Kv/bench.sh                 # -n 200000 -c 50 -P 16, all four servers
#   bash samples/CrossCore.Kv/bench.sh --quick         # -n 2000, the sample's two stores only (CI smoke)
#   N=50000 TESTS=get,set SERVERS=kv,redis bash samples/CrossCore.Kv/bench.sh
#
# Prints requests/s, p50 and p99 per command side by side, and for the CrossCore server the wake-ups per request and
# the mean inbox batch of each command's run (deltas of its INFO counters, which come from CoreSet.GetStatistics()).
# Installs redis-tools with apt if redis-benchmark is missing; redis-server and Garnet are tried and skipped if they do
# not install. Garnet goes into a local tool path (samples/CrossCore.Kv/.tools, or $KV_TOOLS), never globally.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

N="${N:-200000}"; C="${C:-50}"; P="${P:-16}"; R="${R:-100000}"
TESTS="${TESTS:-ping,set,get,incr,mset}"
SERVERS="${SERVERS:-kv,kv-cores,baseline,redis,garnet}"
GARNET_VERSION="${GARNET_VERSION:-2.2.8}"
TOOLS="${KV_TOOLS:-$here/.tools}"
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --quick) N="${QUICK_N:-2000}"; C=10; SERVERS="${QUICK_SERVERS:-kv,kv-cores,baseline}" ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || \
  { as_root apt-get update -q >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1; }; }

if ! command -v redis-benchmark >/dev/null; then
  echo "== installing redis-tools (apt)"
  apt_install redis-tools
fi
has() { [[ ",$SERVERS," == *",$1,"* ]]; }
if has redis && ! command -v redis-server >/dev/null; then
  echo "== installing redis-server (apt)"
  apt_install redis-server || echo "   redis-server did not install: skipped"
fi
garnet=""
if has garnet; then
  garnet="$(ls "$TOOLS"/garnet-server "$TOOLS"/GarnetServer 2>/dev/null | head -1 || true)"
  if [ -z "$garnet" ]; then
    echo "== installing garnet-server $GARNET_VERSION (dotnet tool, into $TOOLS)"
    timeout 600 dotnet tool install garnet-server --version "$GARNET_VERSION" --tool-path "$TOOLS" >/dev/null 2>&1 || true
    garnet="$(ls "$TOOLS"/garnet-server "$TOOLS"/GarnetServer 2>/dev/null | head -1 || true)"
    [ -n "$garnet" ] || echo "   garnet-server did not install: skipped"
  fi
fi
if [ "$BUILD" = 1 ]; then
  echo "== building the sample (Release)"
  dotnet build -c Release "$here/CrossCore.Kv.csproj" -v q -nologo >/dev/null
fi
kv="$here/bin/Release/net10.0/CrossCore.Kv"

out="$(mktemp -d)"
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

# start NAME PORT CMD...: runs the server in the background and waits (bounded: about 2 min; Garnet took 10 s to
# listen on the loaded machine) until it answers PING.
start() {
  local name="$1" port="$2"; shift 2
  "$@" >"$out/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    if redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null | grep -q PONG; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "   $name did not start:"; tail -5 "$out/$name.log"; cleanup; pid=""; return 1
}
stop() {
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""
}
info() { redis-cli -h 127.0.0.1 -p "$1" INFO 2>/dev/null | tr -d '\r' | grep -E '^(total_commands_processed|wakeups_sent|wakeups_avoided|batches|batch_entries):' || true; }

# run NAME PORT: one redis-benchmark per test, so each test's counters can be told apart.
run() {
  local name="$1" port="$2" t
  echo "== $name on 127.0.0.1:$port: redis-benchmark -t $TESTS -n $N -c $C -P $P -r $R"
  # A warm-up run, not recorded: the .NET servers' first requests include JIT compilation (tiering), which would
  # otherwise land on whichever test runs first.
  timeout 600 redis-benchmark -h 127.0.0.1 -p "$port" -t "$TESTS" -n "$(( N / 10 > 1000 ? N / 10 : 1000 ))" -c "$C" -P "$P" -r "$R" -q >/dev/null 2>&1 || true
  for t in ${TESTS//,/ }; do
    info "$port" >"$out/$name.$t.before"
    timeout 600 redis-benchmark -h 127.0.0.1 -p "$port" -t "$t" -n "$N" -c "$C" -P "$P" -r "$R" --csv >"$out/$name.$t.csv" 2>"$out/$name.$t.err" \
      || { echo "   redis-benchmark -t $t failed against $name:"; tail -3 "$out/$name.$t.err"; return 1; }
    info "$port" >"$out/$name.$t.after"
  done
}

# The sample's servers must start and answer every test (CI relies on that); redis-server and Garnet are optional.
ran=()
if has kv; then
  start crosscore 16390 "$kv" --port 16390 --store sharded --connections pool || exit 1
  run crosscore 16390 || exit 1
  stop; ran+=(crosscore); grep -h "^kv:" "$out/crosscore.log" | tail -1 | sed 's/^/   /'
fi
if has kv-cores; then
  start cc-cores 16394 "$kv" --port 16394 --store sharded --connections cores || exit 1
  run cc-cores 16394 || exit 1
  stop; ran+=(cc-cores); grep -h "^kv:" "$out/cc-cores.log" | tail -1 | sed 's/^/   /'
fi
if has baseline; then
  start baseline 16391 "$kv" --port 16391 --store concurrent || exit 1
  run baseline 16391 || exit 1
  stop; ran+=(baseline)
fi
if has redis && command -v redis-server >/dev/null; then
  if start redis 16392 redis-server --port 16392 --bind 127.0.0.1 --save "" --appendonly no --protected-mode yes; then
    if run redis 16392; then ran+=(redis); fi
    stop
  fi
fi
if has garnet && [ -n "$garnet" ]; then
  # roll forward: in case the tool targets an older runtime than the one installed
  if start garnet 16393 env DOTNET_ROLL_FORWARD=Major "$garnet" --port 16393 --bind 127.0.0.1; then
    if run garnet 16393; then ran+=(garnet); fi
    stop
  fi
fi
[ "${#ran[@]}" -gt 0 ] || { echo "bench.sh: no server ran" >&2; exit 1; }

echo
echo "redis-benchmark -n $N -c $C -P $P -r $R, loopback; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$TESTS" "${ran[@]}" <<'PY'
import csv, os, sys
out, tests, servers = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
def rows(name, t):
    path = os.path.join(out, f"{name}.{t}.csv")
    with open(path) as f:
        return {r["test"]: r for r in csv.DictReader(f)}
def counters(name, t, when):
    d = {}
    path = os.path.join(out, f"{name}.{t}.{when}")
    if os.path.exists(path):
        for line in open(path):
            k, _, v = line.strip().partition(":")
            d[k] = float(v)
    return d
cc = [s for s in servers if s in ("crosscore", "cc-cores")]
header = f"{'command':<16}" + "".join(f"{s + ' req/s':>18}{'p50 ms':>9}{'p99 ms':>9}" for s in servers)
header += "".join(f"{s + ' wake/req':>19}{'batch':>7}" for s in cc)
print(header)
failed = False
for t in tests:
    per = {s: rows(s, t) for s in servers}
    names = list(per[servers[0]].keys())
    for cmd in names:
        line = f"{cmd:<16}"
        for s in servers:
            r = per[s].get(cmd)
            if r is None:
                line += f"{'-':>18}{'-':>9}{'-':>9}"
                continue
            line += f"{float(r['rps']):>18,.0f}{float(r['p50_latency_ms']):>9.3f}{float(r['p99_latency_ms']):>9.3f}"
            if float(r["rps"]) <= 0:
                failed = True
        for s in cc:
            b, a = counters(s, t, "before"), counters(s, t, "after")
            if a and b:
                cmds = a["total_commands_processed"] - b["total_commands_processed"] - 1  # minus the INFO itself
                wake = a["wakeups_sent"] - b["wakeups_sent"]
                batches = a["batches"] - b["batches"]
                entries = a["batch_entries"] - b["batch_entries"]
                line += f"{wake / max(cmds, 1):>19.3f}{(entries / batches if batches else 0):>7.2f}"
        print(line)
print("crosscore: connections on the thread pool; cc-cores: connections on the cores. wake/req = wake-ups sent per command,")
print("batch = mean inbox batch, both per redis-benchmark run (-t ping is one run of PING_INLINE and PING_MBULK).")
sys.exit(1 if failed else 0)
PY
