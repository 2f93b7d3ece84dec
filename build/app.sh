#!/usr/bin/env bash
# The cdktf app command (cdktf.json). Runs the built stacks assembly; builds it only when a source file
# is newer than the assembly, so a plain `cdktf synth` pays no `dotnet run` rebuild check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DLL="$ROOT/stacks/EasyPay.Tf.Stacks/bin/Release/net10.0/EasyPay.Tf.Stacks.dll"
. "$ROOT/build/env.sh"
stale=""
if [ ! -f "$DLL" ]; then
  stale="not built yet"
elif [ -n "$(find "$ROOT/stacks" "$ROOT/modules" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" \
              \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -not -path '*/obj/*' -not -path '*/bin/*' \
              -newer "$DLL" -print -quit)" ]; then
  stale="sources changed"
fi
if [ -n "$stale" ]; then
  bash "$ROOT/build/bootstrap.sh"
  echo "[app] building EasyPay.Tf.Stacks ($stale) ..." >&2
  dotnet build "$ROOT/stacks/EasyPay.Tf.Stacks/EasyPay.Tf.Stacks.csproj" -c Release --nologo -v q -clp:ErrorsOnly >&2
fi
cd "$ROOT"
exec dotnet "$DLL"
