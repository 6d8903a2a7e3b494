#!/usr/bin/env bash
# models/trail.sh MODEL [SWITCHES...] -- the shortest counterexample of a model variant, as the
# model's own printf narration (one line per memory event and per protocol step).
#   bash models/trail.sh inbox -DBUG_PARK_NO_FENCE
#   bash models/trail.sh deferred -DBUG_SYNC_COUNT_EARLY -DNP=2
# Breadth-first search (pan built with -DBFS) finds a shortest trail; safety properties only.
# Builds in a temporary directory; prints "no counterexample" if the variant passes.
set -u -o pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
model="${1:?usage: trail.sh MODEL [-DSWITCH ...]}"; shift
command -v spin >/dev/null 2>&1 || { echo "trail.sh: spin not installed (bash models/verify.sh installs it)" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/crosscore-trail.XXXXXX")" || exit 2
trap 'rm -rf "$work"' EXIT
cp "$here"/*.pml "$work"/
cd "$work" || exit 2
spin "$@" -a "$model.pml" >/dev/null || exit 2
"${CC:-gcc}" -w -O1 -DSAFETY -DNOCLAIM -DBFS -o pan pan.c || exit 2
./pan >pan.out 2>&1
if ! ls ./*.trail >/dev/null 2>&1; then
    echo "no counterexample ($(grep -m1 'states, stored' pan.out | sed 's/^ *//'))"
    exit 1
fi
grep -m1 -E '^pan:[0-9]+: ' pan.out
# the narration: printf lines (indented by spin per process), up to the error report
spin "$@" -t "$model.pml" 2>&1 | sed -n '/^#processes/q; p' | grep -v -e '^ltl ' -e '^ *$' | sed 's/^ \{8,\}/  /'
