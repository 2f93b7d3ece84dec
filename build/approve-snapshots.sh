#!/usr/bin/env bash
# Approves snapshot changes AFTER you have read them: every *.received.* file under tests/ replaces its
# *.approved.* twin. Review first, e.g.:
#   git diff --no-index tests/EasyPay.Tf.Tests/Stacks/__snapshots__/prod-network.approved.json \
#                       tests/EasyPay.Tf.Tests/Stacks/__snapshots__/prod-network.received.json
# Pass file names to approve only those.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(find tests -name '*.received.*' | sort); fi
[ ${#files[@]} -gt 0 ] || { echo "no received snapshots: nothing to approve"; exit 0; }
for f in "${files[@]}"; do
  approved="${f/.received./.approved.}"
  mv "$f" "$approved"
  echo "approved $approved"
done
