#!/usr/bin/env bash
# Simulates Capgo updater devices against an UpdateFunctions server (LocalHost from ./run.sh by default):
# update checks and stats for N synthetic devices, round after round, with optional failure injection.
# Examples:
#   tools/simulate-devices.sh --devices 200 --rounds 10 --interval 5s
#   tools/simulate-devices.sh --url https://<app>.azurewebsites.net --fail-rate 0.2 --fail-version 1.2.0
#   tools/simulate-devices.sh --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build quietly (restore warnings would bury the first round), then run the built project.
if ! log="$(dotnet build "$root/tools/UpdateFunctions.DeviceSimulator" -c Release --nologo -v q -clp:ErrorsOnly 2>&1)"; then
  echo "$log" >&2
  exit 1
fi
exec dotnet run --project "$root/tools/UpdateFunctions.DeviceSimulator" -c Release --no-build -- "$@"
