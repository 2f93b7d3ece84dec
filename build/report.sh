#!/usr/bin/env bash
# npm run report: resilience against each environment's targets and monthly cost, from the synthesized
# stacks (report/README.md). Arguments go to the report: --env prod, --markdown FILE, --json FILE, --check,
# or --delta BASE.json HEAD.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/build/env.sh"
bash build/bootstrap.sh
dotnet build report/EasyPay.Tf.Report/EasyPay.Tf.Report.csproj -c Release --nologo -v q -clp:ErrorsOnly >&2
exec dotnet report/EasyPay.Tf.Report/bin/Release/net10.0/EasyPay.Tf.Report.dll "$@"
