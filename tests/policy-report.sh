#!/usr/bin/env bash
# Report mode of the policy suite: prints the rule x environment table (passed/failed stacks per cell) and
# every violation, from the PolicyReport test's output. Extra arguments go to dotnet test (e.g. --no-build).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/build/env.sh"
bash build/bootstrap.sh >/dev/null || { echo "policy-report: bootstrap failed" >&2; exit 1; }
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet test tests/EasyPay.Tf.Tests -c Release --nologo --filter "FullyQualifiedName~Policy.PolicyReport" \
  --logger "console;verbosity=detailed" "$@" >"$log" 2>&1
rc=$?
# The test writes the report under "Standard Output Messages:"; print exactly those lines, unindented.
awk '/Standard Output Messages:/ {on=1; next} on && /^[[:space:]]*$/ {on=0} on {sub(/^[[:space:]]+/, ""); print}' "$log"
if [ "$rc" -ne 0 ] || ! grep -q '^[[:space:]]*| Rule ' "$log"; then
  echo "policy-report: the PolicyReport test did not run cleanly (exit $rc):" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
