#!/usr/bin/env bash
# README command 1: synthesizes every stack of every environment into cdktf.out/stacks/<env>-<stack>/.
# EASYPAY_ENVIRONMENTS=dev,prod narrows it. On invalid environment files nothing is left in cdktf.out.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/build/env.sh"
bash build/bootstrap.sh --cli
echo "[synth] building EasyPay.Tf.Stacks ..." >&2
dotnet build stacks/EasyPay.Tf.Stacks/EasyPay.Tf.Stacks.csproj -c Release --nologo -v q -clp:ErrorsOnly >&2
# The app validates every environment file before it creates a construct; if it rejects them, remove
# whatever cdktf.out the CLI started, so no stale or partial output can be deployed by mistake.
if ! npx --no-install cdktf synth "$@"; then
  rm -rf cdktf.out
  echo "[synth] FAILED: nothing was synthesized (see the problems above)" >&2
  exit 1
fi
echo "[synth] stacks written:" >&2
find cdktf.out/stacks -mindepth 1 -maxdepth 1 -type d -printf '  %f\n' | sort >&2
