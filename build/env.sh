# The environment shared by the repository's scripts that run dotnet, node or the cdktf CLI (build/*.sh,
# .ci/run, tests/policy-report.sh, tests/benchmarks/*.sh): the one place to change it. Sourced, not run:
#   . "$ROOT/build/env.sh"
# The CI workflow (.github/workflows/ci.yml, env:) sets the same variables for its own steps.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 # jsii's runtime warns about Node 20 on every start
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1     # no telemetry, no first-run banner
export CHECKPOINT_DISABLE=1                              # cdktf CLI and terraform: no HashiCorp checkpoint calls
