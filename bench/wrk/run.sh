#!/usr/bin/env bash
# Loads POST /api/updates (or, with scenario channel-self, POST /api/channel_self joins of new devices) on LocalHost
# (Release, Azurite, demo seed) next to an empty endpoint on the same server, and prints both throughputs and their
# ratio. Needs wrk (apt-get install -y wrk). Rate limits are off: one app at tens of thousands of requests per second
# is what this measures, not what the guard should allow.
# Usage: bench/wrk/run.sh [duration=20s] [connections=64] [threads=2] [scenario=updates|channel-self]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
duration="${1:-20s}"; connections="${2:-64}"; threads="${3:-2}"; scenario="${4:-updates}"
case "$scenario" in
  updates) route=/api/updates ;;
  channel-self) route=/api/channel_self ;;
  *) echo "unknown scenario $scenario (updates or channel-self)" >&2; exit 2 ;;
esac
port=7181
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }

workspace="$(mktemp -d)"
azurite_pid="$("$root/tools/azurite.sh" start "$workspace")"
dotnet build "$root/functions/UpdateFunctions.LocalHost" -c Release --nologo -v q >/dev/null
dotnet "$root/functions/UpdateFunctions.LocalHost/bin/Release/net10.0/UpdateFunctions.LocalHost.dll" \
  --urls "http://127.0.0.1:$port" --seed "$root/samples/demo-seed.json" --LocalHost:BenchEndpoints=true \
  --Logging:LogLevel:Default=Warning --DeviceApi:RateLimitPerAppPerSecond=0 --DeviceApi:RateLimitPerDevicePerMinute=0 \
  >"$workspace/localhost.log" 2>&1 &
host_pid=$!
cleanup() { kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; "$root/tools/azurite.sh" stop "$azurite_pid"; rm -rf "$workspace"; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/_bench/empty" && break; sleep 0.3; done

# Warm both paths (JIT, snapshot load) before measuring.
wrk -t1 -c4 -d3s -s "$root/bench/wrk/$scenario.lua" "http://127.0.0.1:$port" >/dev/null
wrk -t1 -c4 -d3s -s "$root/bench/wrk/empty.lua" "http://127.0.0.1:$port" >/dev/null

# Everything goes to stdout (redirect it to a file under bench/results/ to keep a run).
echo "== $(date -u +%FT%TZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== POST $route ($duration, $connections connections, $threads threads)"
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$root/bench/wrk/$scenario.lua" "http://127.0.0.1:$port" | tee "$workspace/updates.txt"
echo "== POST /_bench/empty"
wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$root/bench/wrk/empty.lua" "http://127.0.0.1:$port" | tee "$workspace/empty.txt"
updates=$(awk '/Requests\/sec/ {print $2}' "$workspace/updates.txt")
empty=$(awk '/Requests\/sec/ {print $2}' "$workspace/empty.txt")
awk -v s="$scenario" -v u="$updates" -v e="$empty" 'BEGIN { printf "%s %.0f req/s, empty %.0f req/s, ratio %.2f\n", s, u, e, u / e }'
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
