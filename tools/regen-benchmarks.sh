#!/usr/bin/env bash
# Regenerates BENCHMARKS.md from one real run: builds benchmarks/DiffGen.Benchmarks, checks the suite's
# hand-written, tape and dual gradients against the generated ones, runs the gradient suite and the FMA
# peak (BenchmarkDotNet ShortRun, in process), runs tools/torch_mlp.py (Debian python3-torch with
# libopenblas0-pthread), then writes the report (tools/regen_benchmarks.py). About 5–10 minutes.
# Usage: tools/regen-benchmarks.sh [output file, default BENCHMARKS.md]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:-$root/BENCHMARKS.md}
# The raw results stay in artifacts/benchmarks (ignored by git) for a look or a re-render.
work=$root/artifacts/benchmarks
rm -rf "$work" && mkdir -p "$work"
torch_python=${TORCH_PYTHON:-/usr/bin/python3}
start=$(date +%s)

"$torch_python" -c 'import torch' 2>/dev/null || {
    echo "PyTorch is missing: apt-get install python3-torch libopenblas0-pthread (or set TORCH_PYTHON)" >&2
    exit 1
}

dotnet build "$root/benchmarks/DiffGen.Benchmarks" -c Release -v quiet -nologo
dll=$root/benchmarks/DiffGen.Benchmarks/bin/Release/net10.0/DiffGen.Benchmarks.dll
dotnet "$dll" --validate "$work/workloads.json"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet "$dll" --filter '*GradientSuiteBenchmarks*' '*FmaPeakBenchmarks*' --job short --inProcess \
    --exporters json --artifacts "$work/bdn" > "$work/bdn.log"
grep -E '^\|' "$work/bdn.log" || true
# OpenBLAS must choose its kernels for this CPU: no forced core type or cache size.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$torch_python" "$root/tools/torch_mlp.py" > "$work/torch.json"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 "$root/tools/regen_benchmarks.py" \
    --workloads "$work/workloads.json" --bdn "$work/bdn/results" --torch "$work/torch.json" \
    --machine "$(lscpu | sed -n 's/^Model name: *//p' | head -1) (family $(lscpu | sed -n 's/^CPU family: *//p'), model $(lscpu | sed -n 's/^Model: *//p'; true)$(grep -q avx512f /proc/cpuinfo && echo ', AVX-512')), $(uname -sr)" \
    --cores "$(nproc)" \
    --date "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    --commit "$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- benchmarks src || echo ' + local changes')" \
    --load "$load_before $load_after" \
    --seconds "$(($(date +%s) - start))" > "$target.tmp"
mv "$target.tmp" "$target"
echo "wrote $target"
