#!/usr/bin/env bash
# Runs the whole service on this machine: Azurite (storage emulator, data kept in .azurite/) and LocalHost
# (the Functions app's own function classes on Kestrel) at http://127.0.0.1:7071, seeded with the demo app.
#
# Stop it with Ctrl-C and start it again: the data in .azurite/ and the admin key in .run/bootstrap-key are kept, and
# the demo seed only adds what is missing, so changes made with updatectl survive. Options:
#   --reseed   make every row of the demo seed hold what samples/demo-seed.json says again (other rows are kept)
#   --fresh    start from nothing: delete .azurite/ and .run/ first (a new admin key; log in again)
# Other arguments go to LocalHost, e.g. ./run.sh --urls http://0.0.0.0:7071 to reach it from a phone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

args=()
for arg in "$@"; do
  case "$arg" in
    --reseed) args+=("--reseed=true") ;;
    --fresh) rm -rf "$root/.azurite" "$root/.run" ;;
    *) args+=("$arg") ;;
  esac
done
# The key belongs with the data: new storage (no .azurite/ and no Azurite already running), new key.
if [ ! -d "$root/.azurite" ] && ! (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null; then
  rm -f "$root/.run/bootstrap-key"
fi

azurite_pid="$(tools/azurite.sh start "$root/.azurite")"
trap 'tools/azurite.sh stop "$azurite_pid"' EXIT INT TERM

dotnet build functions/UpdateFunctions.LocalHost -c Release --nologo -v q -clp:ErrorsOnly
dotnet run --project functions/UpdateFunctions.LocalHost -c Release --no-build -- --seed "$root/samples/demo-seed.json" \
  --LocalHost:BootstrapKeyFile "$root/.run/bootstrap-key" ${args[@]+"${args[@]}"}
