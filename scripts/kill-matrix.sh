#!/usr/bin/env bash
# scripts/kill-matrix.sh -- the kill matrix of issue 17: each mutant of tests/CrossCore.Mutants/mutants (the REAL
# source with one passage replaced, not a fault switch) is built into a copy of the tree and run against the unit
# tests and CI's torture (20 s, 4 cores, hotplug). Slow; not part of CI.
#
#   bash scripts/kill-matrix.sh                      every mutant: torture + the whole CrossCore.Tests suite
#   bash scripts/kill-matrix.sh M2-no-release-fence  only these mutants (ids = file names without .mutant)
#   bash scripts/kill-matrix.sh --real ...           also the unmutated tree (the baseline: must be SUCCESS / pass)
#   --filter EXPR     run `dotnet test --filter EXPR` instead of the whole suite (faster, for a first look)
#   --no-tests        torture only            --no-torture   tests only
#   --test-timeout S  a test run longer than S seconds (default 1800) counts as a hang and is killed
#   --out DIR         keep the copies, logs and the table in DIR (default: a temporary directory)
#
# Cost (2 shared vCPUs): per mutant a Release build of the CLI (~1-3 min), the torture (20 s + start and checks),
# and the Debug test suite (~8-15 min, more when a mutant hangs a test until its own detector fires). The whole
# matrix is therefore hours; one mutant with --no-tests is 2-4 min.
#
# Output: one markdown row per mutant: | mutant | dotnet test (failed tests, or "passes") | torture verdict |.
set -u -o pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
filter=""; tests=1; torture=1; real=0; timeout_s=1800; out=""
ids=()
while [ $# -gt 0 ]; do
    case "$1" in
        --filter) filter="${2:?}"; shift ;;
        --no-tests) tests=0 ;;
        --no-torture) torture=0 ;;
        --real) real=1 ;;
        --test-timeout) timeout_s="${2:?}"; shift ;;
        --out) out="${2:?}"; shift ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        -*) echo "kill-matrix.sh: unknown option $1" >&2; exit 2 ;;
        *) ids+=("$1") ;;
    esac
    shift
done
[ -n "$out" ] || out="$(mktemp -d /tmp/crosscore-kill-matrix.XXXXXX)"
mkdir -p "$out"
if [ ${#ids[@]} -eq 0 ]; then
    for f in "$root"/tests/CrossCore.Mutants/mutants/*.mutant; do ids+=("$(basename "$f" .mutant)"); done
fi
[ "$real" -eq 0 ] || ids=("real" "${ids[@]}")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The same rules as tests/CrossCore.Mutants (ApplyMutant): the passage must occur exactly once in the named file.
apply_mutant() { # spec tree
    python3 - "$1" "$2" <<'PY'
import sys, pathlib
spec, tree = sys.argv[1], pathlib.Path(sys.argv[2])
file = None; find = []; repl = []; mode = 0
for line in open(spec).read().split("\n"):
    if mode == 0 and line.startswith("file:"): file = line[5:].strip(); continue
    if mode == 0 and line == "<<<< find": mode = 1; continue
    if mode == 1 and line == "==== replace": mode = 2; continue
    if mode == 2 and line == ">>>>": mode = 3; continue
    if mode == 1: find.append(line)
    elif mode == 2: repl.append(line)
if file is None or mode != 3: sys.exit(f"{spec}: expected 'file:', '<<<< find', '==== replace', '>>>>'")
path = tree / "src" / "CrossCore" / file
text = path.read_text().replace("\r\n", "\n")
needle = "\n".join(find) + "\n"
if text.count(needle) != 1: sys.exit(f"{spec}: the passage occurs {text.count(needle)} times in {file} (must be once): update the mutant")
path.write_text(text.replace(needle, "\n".join(repl) + "\n"))
print(f"applied to {file}")
PY
}

table="$out/kill-matrix.md"
echo "| mutant | dotnet test | CI torture (20 s, 4 cores, hotplug) |" > "$table"
echo "|---|---|---|" >> "$table"
for id in "${ids[@]}"; do
    tree="$out/$id"
    rm -rf "$tree"; mkdir -p "$tree"
    # the working tree as it is (tracked and new files), without build outputs
    (cd "$root" && git ls-files -co --exclude-standard | tar -cf - -T -) | tar -xf - -C "$tree"
    if [ "$id" != "real" ]; then
        apply_mutant "$root/tests/CrossCore.Mutants/mutants/$id.mutant" "$tree" || { echo "| $id | mutant does not apply | - |" >> "$table"; continue; }
    fi
    verdict="-"
    if [ "$torture" -eq 1 ]; then
        if dotnet build -c Release "$tree/src/CrossCore.Cli" > "$out/$id.build.log" 2>&1; then
            timeout -s KILL 240 dotnet "$tree/src/CrossCore.Cli/bin/Release/net10.0/CrossCore.Cli.dll" torture --duration 20 --cores 4 --hotplug --quiet > "$out/$id.torture.log" 2>&1
            rc=$?
            last="$(grep -E '^(SUCCESS|FAILURE)' "$out/$id.torture.log" | tail -1)"
            case "$rc" in
                0|1) verdict="${last:-exit $rc}" ;;
                137) verdict="killed after 240 s (hang the watchdog did not end)" ;;
                *) verdict="crash (exit $rc)${last:+: $last}" ;;
            esac
        else
            verdict="build failed (see $id.build.log)"
        fi
    fi
    result="-"
    if [ "$tests" -eq 1 ]; then
        args=(test "$tree/tests/CrossCore.Tests" --logger "trx;LogFileName=$out/$id.trx")
        [ -z "$filter" ] || args+=(--filter "$filter")
        timeout -s KILL "$timeout_s" dotnet "${args[@]}" > "$out/$id.test.log" 2>&1
        rc=$?
        failed="$(grep -E '^\s+Failed [A-Za-z]' "$out/$id.test.log" | sed -E 's/^\s+Failed ([^ ]+).*/\1/; s/^CrossCore\.Tests\.//' | sort -u | paste -sd ',' | sed 's/,/, /g')"
        if [ "$rc" -eq 137 ]; then result="hangs (killed after $timeout_s s)${failed:+; failed before: $failed}"
        elif [ -n "$failed" ]; then result="fails ($(echo "$failed" | tr ',' '\n' | wc -l)): $failed"
        elif [ "$rc" -eq 0 ]; then result="passes"
        else result="exit $rc (see $id.test.log)"; fi
    fi
    echo "| $id | $result | $verdict |" | tee -a "$table"
done
echo "table: $table"
