#!/usr/bin/env bash
# Starts Azurite (from this repo's pinned npm package) on 127.0.0.1 unless one already listens there.
# Usage: tools/azurite.sh start <workspace-dir>   (prints the PID it started, or nothing when one was running)
#        tools/azurite.sh stop <pid>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

listening() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

case "${1:-}" in
  start)
    workspace="${2:?workspace dir}"
    if listening 10000 && listening 10002; then exit 0; fi
    if [ ! -x "$root/node_modules/.bin/azurite" ]; then
      (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
    fi
    mkdir -p "$workspace"
    "$root/node_modules/.bin/azurite" --silent --location "$workspace" --blobHost 127.0.0.1 --queueHost 127.0.0.1 \
      --tableHost 127.0.0.1 --disableTelemetry --skipApiVersionCheck --loose >"$workspace/azurite.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
      if listening 10000 && listening 10002; then echo "$pid"; exit 0; fi
      if ! kill -0 "$pid" 2>/dev/null; then cat "$workspace/azurite.log" >&2; echo "Azurite failed to start" >&2; exit 1; fi
      sleep 0.2
    done
    echo "Azurite did not start listening within 20 s" >&2; kill "$pid" 2>/dev/null || true; exit 1
    ;;
  stop)
    pid="${2:-}"
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    ;;
  *) echo "usage: $0 start <workspace> | stop <pid>" >&2; exit 2 ;;
esac
