#!/usr/bin/env bash
# Runs the Bicep CLI restored from NuGet (restoring it first if needed): tools/bicep/bicep.sh lint infra/main.bicep
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bicep="$(dotnet msbuild "$here/Bicep.csproj" -restore -nologo -getProperty:BicepCliPath 2>/dev/null | grep -v "^[[:space:]]*$" | tail -n 1)"
if [ ! -f "$bicep" ]; then
  echo "bicep.sh: the Bicep CLI was not restored (looked for '$bicep')" >&2
  exit 1
fi
[ -x "$bicep" ] || chmod u+x "$bicep"
exec "$bicep" "$@"
