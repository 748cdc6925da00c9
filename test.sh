#!/usr/bin/env bash
# Runs every test of the solution against a real Azurite it starts (and stops) itself.
# Ends with one line "N passed, N failed" summed over all test assemblies.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

workspace="$(mktemp -d "${TMPDIR:-/tmp}/updatefunctions-azurite.XXXXXX")"
azurite_pid="$(tools/azurite.sh start "$workspace")" || exit 1
cleanup() {
  tools/azurite.sh stop "$azurite_pid"
  # Azurite may still be flushing as it exits: try again briefly, and never let this print after the closing line.
  for _ in 1 2 3 4 5; do rm -rf "$workspace" 2>/dev/null && break; sleep 1; done
}
trap cleanup EXIT

log="$(mktemp)"
# The whole solution first: dotnet test builds only the test projects and what they use, so the bench and tools
# would otherwise go unchecked.
dotnet build UpdateFunctions.sln -c Release --nologo -v q -clp:ErrorsOnly 2>&1 | grep --line-buffered -v "warning NU1603" | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ]; then
  dotnet test UpdateFunctions.sln -c Release --nologo --no-build "$@" 2>&1 | grep --line-buffered -v "warning NU1603" | tee "$log"
  status=${PIPESTATUS[0]}
fi

# Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T ..." (or "Failed!  - ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed:' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
assemblies=$(grep -cE '^(Passed|Failed)! +- Failed:' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a build error or crashed host is a failure
# Stop Azurite now, so that nothing it or the cleanup prints can come after the closing line.
cleanup >/dev/null 2>&1
trap - EXIT
echo "test assemblies: $assemblies"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
