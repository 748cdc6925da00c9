#!/usr/bin/env bash
# Runs the whole service on this machine: Azurite (storage emulator, data kept in .azurite/) and LocalHost
# (the Functions app's own function classes on Kestrel) at http://127.0.0.1:7071, seeded with the demo app.
# Extra arguments go to LocalHost, e.g. ./run.sh --urls http://0.0.0.0:7071 to reach it from a phone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

azurite_pid="$(tools/azurite.sh start "$root/.azurite")"
trap 'tools/azurite.sh stop "$azurite_pid"' EXIT INT TERM

dotnet build functions/UpdateFunctions.LocalHost -c Release --nologo -v q -clp:ErrorsOnly
dotnet run --project functions/UpdateFunctions.LocalHost -c Release --no-build -- --seed "$root/samples/demo-seed.json" \
  --LocalHost:BootstrapKeyFile "$root/.run/bootstrap-key" "$@"
