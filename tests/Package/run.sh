#!/usr/bin/env bash
# Packaging test: pack DiffGen into a temporary folder feed, install it into fresh console apps
# (`dotnet new console` + `dotnet add package DiffGen`) and check what a user gets:
#   net10.0 app: builds with TreatWarningsAsErrors, Nullable, AnalysisLevel=latest-all; gradients = closed forms
#   net8.0 app:  the same, published self-contained so it runs on the .NET 8 runtime itself
#   generator unable to run (compiler older than Roslyn 4.14): [Differentiable] gets warning DG0100
# Prints one "PASS: …" or "FAIL: …" line per check (.ci/run counts them); exits non-zero on a failure.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
here="$repo/tests/Package"
work="$(mktemp -d)"
[ -n "${KEEP_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
failed=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
# Runs a command quietly; on failure shows the end of its output.
quiet() { local log="$work/$1.log"; shift; "$@" >"$log" 2>&1 || { tail -n 40 "$log"; return 1; }; }

version=$(dotnet msbuild "$repo/src/Runtime/DiffGen.Runtime.csproj" -getProperty:Version 2>/dev/null)
feed="$work/feed"
if quiet pack dotnet pack "$repo/DiffGen.sln" -c Release -o "$feed" && [ -f "$feed/DiffGen.$version.nupkg" ]; then
  pass "dotnet pack: DiffGen $version and DiffGen.Roslyn $version"
else
  fail "dotnet pack"; exit 1
fi

# The apps see the local feed (for DiffGen only) and the machine's configured sources (for the rest).
# Their own packages folder keeps an installed DiffGen out of the user's cache and the cache's DiffGen out of the test.
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo "  <config><add key=\"globalPackagesFolder\" value=\"$work/packages\" /></config>"
  echo "  <fallbackPackageFolders><add key=\"user\" value=\"${NUGET_PACKAGES:-$HOME/.nuget/packages}\" /></fallbackPackageFolders>"
  echo '  <packageSources><clear />'
  echo "    <add key=\"diffgen-local\" value=\"$feed\" />"
  n=0
  while read -r _ url; do n=$((n + 1)); echo "    <add key=\"machine$n\" value=\"$url\" />"; done < <(dotnet nuget list source --format short | grep '^E')
  echo '  </packageSources>'
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="diffgen-local"><package pattern="DiffGen" /><package pattern="DiffGen.*" /></packageSource>'
  for i in $(seq 1 "$n"); do echo "    <packageSource key=\"machine$i\"><package pattern=\"*\" /></packageSource>"; done
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} > "$work/nuget.config"

# A fresh console app with DiffGen installed and the given sources; $1 = folder, $2 = target framework.
new_app() {
  local dir="$work/$1"
  mkdir -p "$dir" && cp "$work/nuget.config" "$dir/" &&
    quiet "$1-new" dotnet new console --output "$dir" --name PackageApp --framework net10.0 &&
    sed -i "s|<TargetFramework>net10.0</TargetFramework>|<TargetFramework>$2</TargetFramework>|" "$dir/PackageApp.csproj" &&
    quiet "$1-add" dotnet add "$dir/PackageApp.csproj" package DiffGen --version "$version"
}

# The strict app: the user's settings no one may relax. $1 = target framework.
strict_app() {
  local tfm="$1" dir="$work/app-$1"
  new_app "app-$tfm" "$tfm" || return 1
  rm "$dir/Program.cs" && cp "$here/App/"*.cs "$dir/"
  sed -i 's|</PropertyGroup>|  <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n    <Nullable>enable</Nullable>\n    <AnalysisLevel>latest-all</AnalysisLevel>\n  </PropertyGroup>|' "$dir/PackageApp.csproj"
}

check_run() { # $1 = check name, $2 = expected runtime prefix, rest = command
  local name="$1" runtime="$2"; shift 2
  local out; out=$("$@" 2>&1); local status=$?
  echo "$out" | sed 's/^/    /'
  local passes; passes=$(grep -c '^PASS ' <<<"$out")
  if [ "$status" -eq 0 ] && [ "$passes" -eq 9 ] && grep -q "^runtime $runtime" <<<"$out" && ! grep -q '^FAIL ' <<<"$out"; then
    pass "$name: 9 gradients and values = closed forms, on $runtime"
  else
    fail "$name (exit $status, $passes of 9 checks passed)"
  fi
}

# net10.0
if strict_app net10.0 && quiet app10-build dotnet build "$work/app-net10.0" -c Release; then
  if grep -q DG0100 "$work/app10-build.log"; then fail "net10.0 app: DG0100 reported although the generator ran"; fi
  check_run "net10.0 app" ".NET 10." dotnet run --project "$work/app-net10.0" -c Release --no-build
else
  fail "net10.0 app: install or build with TreatWarningsAsErrors, Nullable, AnalysisLevel=latest-all"
fi

# net8.0: compiled against the .NET 8 reference pack and run on the .NET 8 runtime (self-contained:
# this machine has only the .NET 10 shared runtime; the runtime pack comes from the package source).
rid="linux-x64"; case "$(uname -m)" in aarch64|arm64) rid="linux-arm64" ;; esac
if strict_app net8.0 && quiet app8-publish dotnet publish "$work/app-net8.0" -c Release -r "$rid" --self-contained -o "$work/app8-out"; then
  check_run "net8.0 app" ".NET 8." "$work/app8-out/PackageApp"
else
  fail "net8.0 app: install, build with TreatWarningsAsErrors, Nullable, AnalysisLevel=latest-all, publish"
fi

# A compiler older than Roslyn 4.14 (.NET SDK 8.0.x) cannot load the generator. Simulated here by
# building with that compiler's CompilerApiVersion: using [Differentiable] is warning DG0100 at the
# attribute; a project that does not use it builds without a word.
app="$work/oldcompiler"
if new_app oldcompiler net10.0; then
  if quiet oldcompiler-unused dotnet build "$app" -p:CompilerApiVersion=roslyn4.8 && ! grep -q DG0100 "$work/oldcompiler-unused.log"; then
    pass "compiler older than Roslyn 4.14, no [Differentiable]: builds, no DG0100"
  else
    fail "compiler older than Roslyn 4.14, no [Differentiable]: failed or DG0100"
  fi
  rm "$app/Program.cs" && cp "$here/NoGenerator/"*.cs "$app/"
  dotnet build "$app" -p:CompilerApiVersion=roslyn4.8 >"$work/oldcompiler-used.log" 2>&1
  if grep -q 'Functions.cs(8,6): warning DG0100: .*The DiffGen source generator cannot run in this project' "$work/oldcompiler-used.log"; then
    pass "compiler older than Roslyn 4.14, [Differentiable] used: warning DG0100 at the attribute"
  else
    grep -E 'warning|error' "$work/oldcompiler-used.log" | sort -u | tail -n 10
    fail "compiler older than Roslyn 4.14, [Differentiable] used: no DG0100 at the attribute"
  fi
else
  fail "app for the old-compiler check: create"
fi

[ "$failed" -eq 0 ]
