#!/usr/bin/env bash
# Package bootstrap for EasyPay.Tf. Idempotent; both README commands run it.
#
# The HashiCorp.Cdktf* and Constructs NuGet packages are jsii bindings generated from npm packages.
# A restore uses the configured NuGet sources first (nuget.config); where they do not serve those
# packages, this script generates them with jsii-pacmak from the pinned npm packages in
# build/jsii/package.json (+ lockfile), builds them for net10.0 into a local NuGet feed, and
# caches the feed per input hash, so later runs (and fresh clones on the same machine) cost seconds.
# A generation that fails or is interrupted leaves .packages/jsii-feed where it was.
#
#   build/bootstrap.sh          packages only (enough for build and test)
#   build/bootstrap.sh --cli    also installs the pinned cdktf CLI (root package.json) for synth/deploy
#
# Environment: EASYPAY_TF_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/easypay-tf) holds the cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${EASYPAY_TF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/easypay-tf}"
FEED_LINK="$ROOT/.packages/jsii-feed"
. "$ROOT/build/env.sh"

# Generated package id -> npm package directory, in dependency order.
PACKAGES=(
  "Constructs|constructs"
  "HashiCorp.Cdktf|cdktf"
  "HashiCorp.Cdktf.Providers.Kubernetes|@cdktf/provider-kubernetes"
  "HashiCorp.Cdktf.Providers.Helm|@cdktf/provider-helm"
  "HashiCorp.Cdktf.Providers.Aws|@cdktf/provider-aws"
  "HashiCorp.Cdktf.Providers.Tfe|@cdktf/provider-tfe"
)

log() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

want_cli=0
for arg in "$@"; do
  case "$arg" in
    --cli) want_cli=1 ;;
    -h|--help) sed -n '2,/^# Environment/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (expected --cli)" ;;
  esac
done

# --- prerequisites -------------------------------------------------------------------------------
missing=()
command -v dotnet >/dev/null 2>&1 || missing+=("dotnet (the .NET 10 SDK: https://dotnet.microsoft.com/download)")
command -v node   >/dev/null 2>&1 || missing+=("node (Node.js 20 or newer)")
command -v npm    >/dev/null 2>&1 || missing+=("npm (comes with Node.js)")
if [ ${#missing[@]} -gt 0 ]; then
  for m in "${missing[@]}"; do printf '[bootstrap] ERROR: missing prerequisite: %s\n' "$m" >&2; done
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "node $node_major found; Node.js 20 or newer is required"
sdk_major="$(cd "$ROOT" && dotnet --version 2>/dev/null | cut -d. -f1 || true)"
[ "${sdk_major:-0}" -ge 10 ] || die "the .NET 10 SDK is required (global.json); 'dotnet --version' printed '${sdk_major:-nothing}'"

# --- cdktf CLI (root package.json) ----------------------------------------------------------------
install_npm_lock() { # dir: npm ci when the lockfile changed since the last install there
  local dir="$1" stamp="$1/node_modules/.easypay-lock-hash" hash
  hash="$(sha256sum "$dir/package-lock.json" | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
    local t; t=$(date +%s)
    log "npm ci in ${dir/#$ROOT\//} (pinned by its package-lock.json) ..."
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in $dir"
    echo "$hash" > "$stamp"
    log "npm ci done in $(elapsed "$t")"
  fi
}
if [ "$want_cli" = 1 ]; then install_npm_lock "$ROOT"; fi
# The CEL evaluator the chart tests run the admission policies through (one package, pinned by its lock).
install_npm_lock "$ROOT/tests/EasyPay.Tf.Tests/Charts/admission"

# --- jsii NuGet packages ---------------------------------------------------------------------------
# Bump when the generation steps below change what gets built (not for log or comment edits).
GENERATOR_VERSION=1
key="$( { cat "$ROOT/build/jsii/package.json" "$ROOT/build/jsii/package-lock.json"; echo "sdk$sdk_major generator$GENERATOR_VERSION"; } | sha256sum | cut -c1-16)"
CACHE="$CACHE_ROOT/jsii-$key"
mkdir -p "$ROOT/.packages"

# .packages/jsii-feed only ever points at a finished feed (or the empty one when the sources serve the
# packages): it is switched after the feed is in place, by renaming a new link over it (atomic).
link_feed() {
  [ "$(readlink "$FEED_LINK" 2>/dev/null)" = "$1" ] && return 0
  ln -sfn "$1" "$FEED_LINK.$$.tmp" && mv -fT "$FEED_LINK.$$.tmp" "$FEED_LINK"
}
cached() { # links the cached result and says so, if this cache already has one
  if [ -f "$CACHE/feed/.complete" ]; then link_feed "$CACHE/feed"; return 0; fi
  if [ -f "$CACHE/.served-by-sources" ]; then mkdir -p "$CACHE/empty-feed"; link_feed "$CACHE/empty-feed"; return 0; fi
  return 1
}

if cached; then exit 0; fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9 # one bootstrap at a time per cache (parallel test runs, CI + a developer)
if cached; then exit 0; fi

# 1. Do the configured sources serve the packages? Restore a probe project into a scratch packages
#    folder (so the machine-wide NuGet cache, which may hold earlier generated packages, can't answer),
#    with a copy of nuget.config beside it: its relative .packages/jsii-feed source then resolves to an
#    empty folder in the probe, so neither an earlier feed nor the real link is consulted or touched.
log "checking whether the configured NuGet sources serve HashiCorp.Cdktf* and Constructs ..."
probe="$(mktemp -d)"; trap 'rm -rf "$probe"' EXIT
cp "$ROOT/nuget.config" "$probe/nuget.config"; mkdir -p "$probe/.packages/jsii-feed"
{
  echo '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup>'
  for p in "${PACKAGES[@]}"; do
    id="${p%%|*}"; npm_dir="${p#*|}"
    ver="$(node -p "require('$ROOT/build/jsii/package.json').dependencies['$npm_dir']")"
    echo "<PackageReference Include=\"$id\" Version=\"[$ver]\" />"
  done
  echo '</ItemGroup></Project>'
} > "$probe/probe.csproj"
if dotnet restore "$probe/probe.csproj" --configfile "$probe/nuget.config" --packages "$probe/packages" \
     --no-http-cache >"$probe/restore.log" 2>&1; then
  log "the configured NuGet sources serve them: nothing to generate"
  touch "$CACHE/.served-by-sources"; mkdir -p "$CACHE/empty-feed"; link_feed "$CACHE/empty-feed"
  exit 0
fi
log "not served (NuGet: $(grep -o 'NU1101: Unable to find package [^ ]*' "$probe/restore.log" | head -1 || echo 'see restore log')); generating them from npm"

# 2. npm sources and jsii-pacmak, pinned by build/jsii/package-lock.json, in a fresh work directory
#    inside the cache (the same file system, so the finished feed can be renamed into place). A failed
#    or killed generation leaves it behind for its logs, unlinked; the next generation removes it.
start=$(date +%s)
rm -rf "$CACHE"/work "$CACHE"/work.* "$CACHE"/feed.tmp # left by failed or killed earlier generations
work="$(mktemp -d "$CACHE/work.XXXXXX")"
cp "$ROOT/build/jsii/package.json" "$ROOT/build/jsii/package-lock.json" "$work/"
install_npm_lock "$work"

# 3. Generate the C# sources.
t=$(date +%s)
log "jsii-pacmak: generating C# bindings (about 1.5 min) ..."
npm_dirs=(); for p in "${PACKAGES[@]}"; do npm_dirs+=("node_modules/${p#*|}"); done
(cd "$work" && npx --no-install jsii-pacmak --code-only --target dotnet -o "$work/gen" "${npm_dirs[@]}" >"$work/pacmak.log" 2>&1) \
  || { tail -30 "$work/pacmak.log" >&2; die "jsii-pacmak failed (log: $work/pacmak.log)"; }
log "jsii-pacmak done in $(elapsed "$t")"

# 4. Retarget (net6.0's targeting pack is not served) and build; GeneratePackageOnBuild packs them.
for p in "${PACKAGES[@]}"; do
  id="${p%%|*}"; proj="$work/gen/dotnet/$id/$id.csproj"
  [ -f "$proj" ] || die "jsii-pacmak did not produce $proj"
  sed -i -e 's#<TargetFramework>net6.0</TargetFramework>#<TargetFramework>net10.0</TargetFramework>#' \
         -e 's#<IncludeSymbols>true</IncludeSymbols>#<IncludeSymbols>false</IncludeSymbols>#' "$proj"
done
for p in "${PACKAGES[@]}"; do
  id="${p%%|*}"; t=$(date +%s)
  log "building $id (the AWS provider takes about 4 min, Kubernetes about 2) ..."
  dotnet build "$work/gen/dotnet/$id/$id.csproj" -c Release --nologo -v q -clp:ErrorsOnly \
      -p:TreatWarningsAsErrors=false -p:NuGetAudit=false >"$work/build-$id.log" 2>&1 \
    || { tail -30 "$work/build-$id.log" >&2; die "building $id failed (log: $work/build-$id.log)"; }
  log "$id built in $(elapsed "$t")"
done

# 5. Assemble the feed in the work directory, rename it into the cache (complete marker included)
#    only now that every package is built, and only then switch the link.
mkdir "$work/feed"
find "$work/gen/dotnet" -path '*/bin/Release/*.nupkg' -exec cp {} "$work/feed/" \;
count="$(find "$work/feed" -name '*.nupkg' | wc -l)"
[ "$count" -eq "${#PACKAGES[@]}" ] || die "expected ${#PACKAGES[@]} packages, found $count in $work/gen/dotnet"
touch "$work/feed/.complete"
# An incomplete feed of an older bootstrap (no .complete, so unused) would block the rename.
if [ -e "$CACHE/feed" ]; then mv "$CACHE/feed" "$work/stale-feed"; fi
mv -T "$work/feed" "$CACHE/feed"
link_feed "$CACHE/feed"
rm -rf "$work"
log "generated $count packages into $CACHE/feed in $(elapsed "$start")"
