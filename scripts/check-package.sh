#!/usr/bin/env bash
# Packs CrossCore and CrossCore.Cli as CI does (CI=true: reproducible, source paths mapped to /_/) and checks what a
# user gets: README, license, XML docs, the DLL without machine paths, the symbols package; then installs the tool
# from the package folder into a temporary tool path and runs it.
# Usage: scripts/check-package.sh [output folder]   (default: a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 CI=true
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
root="$(pwd)"

fail() { echo "check-package: FAIL: $*" >&2; exit 1; }

# Rebuild from scratch: an earlier non-CI build in the same tree (.ci/run's first step) leaves DLLs that MSBuild
# considers up to date although they embed this machine's paths (the path map is not an input of its up-to-date check).
dotnet build -c Release --no-incremental src/CrossCore.Cli > "$out/build.log" || { cat "$out/build.log"; fail "build (CI=true)"; }
dotnet pack -c Release src/CrossCore -o "$out" > "$out/pack-lib.log" || { cat "$out/pack-lib.log"; fail "pack CrossCore"; }
dotnet pack -c Release src/CrossCore.Cli -o "$out" > "$out/pack-cli.log" || { cat "$out/pack-cli.log"; fail "pack CrossCore.Cli"; }

check() { # check <package id> <lib folder in the package> <dll>
    local id="$1" dir="$2" dll="$3"
    local nupkg
    nupkg="$(ls "$out"/"$id".[0-9]*.nupkg | head -1)"
    [[ -f "$nupkg" ]] || fail "no $id nupkg in $out"
    [[ -f "${nupkg%.nupkg}.snupkg" ]] || fail "no symbols package ${nupkg%.nupkg}.snupkg"
    local x="$out/x-$id"
    rm -rf "$x" && mkdir -p "$x" && (cd "$x" && unzip -q "$nupkg")
    for f in README.md LICENSE "$dir/$dll" "$dir/CrossCore.xml"; do
        [[ -f "$x/$f" ]] || fail "$id: $f missing from the package"
    done
    grep -q "MIT License" "$x/LICENSE" || fail "$id: LICENSE is not the MIT text"
    local spec="$x/$id.nuspec"
    grep -q '<license type="expression">MIT</license>' "$spec" || fail "$id: no MIT license expression"
    grep -q '<readme>README.md</readme>' "$spec" || fail "$id: no readme in the nuspec"
    grep -q '<repository type="git" url="https' "$spec" || fail "$id: no repository URL"
    grep -q '<authors>CrossCore contributors</authors>' "$spec" || fail "$id: authors"
    grep -q '<description>.\{40,\}' "$spec" || fail "$id: no description"
    grep -q '<tags>' "$spec" || fail "$id: no tags"
    # Reproducible: no absolute path of this machine in the binaries (ASCII or UTF-16 strings).
    for f in "$x/$dir"/*.dll; do
        if strings -a "$f" | grep -Fq "$root" || strings -a -e l "$f" | grep -Fq "$root"; then
            fail "$id: $(basename "$f") embeds the machine path $root"
        fi
    done
    echo "check-package: $id ok: $(basename "$nupkg") (+ .snupkg), $(grep -o '<version>[^<]*' "$spec" | cut -c10-)"
}
check CrossCore lib/net10.0 CrossCore.dll
check CrossCore.Cli tools/net10.0/any CrossCore.Cli.dll
grep -q '<packageType name="DotnetTool"' "$out/x-CrossCore.Cli/CrossCore.Cli.nuspec" || fail "CrossCore.Cli is not a tool package"

tools="$(mktemp -d)"
dotnet tool install --tool-path "$tools" --add-source "$out" CrossCore.Cli --prerelease > "$out/install.log" \
    || { cat "$out/install.log"; fail "dotnet tool install from $out"; }
"$tools/crosscore" --help > "$out/help.txt"
grep -q '^  crosscore \[command\] \[options\]' "$out/help.txt" || { cat "$out/help.txt"; fail "usage line does not say crosscore"; }
"$tools/crosscore" torture --duration 2 --quiet > "$out/torture.txt" || { cat "$out/torture.txt"; fail "installed tool: torture"; }
grep -q '^SUCCESS' "$out/torture.txt" || fail "installed tool: torture did not end in SUCCESS"
rm -rf "$tools"
echo "check-package: the tool installs from $out and runs (crosscore --help, crosscore torture --duration 2: SUCCESS)"
